"""The order's history: the applicant reads repeated staff views as one line; staff keep every event (issue 16, 15)."""
from __future__ import annotations

from icp import history
from tests.conftest import AuthActions, page
from tests.workflow_helpers import submitted_order


def test_staff_views_collapse_into_one_row_where_the_last_one_happened():
    events = [{"action": "submit", "at": "1"}, {"action": "view_certificates", "at": "2"},
              {"action": "view_certificates", "at": "3"}, {"action": "return", "at": "4"},
              {"action": "view_certificates", "at": "5"}]
    rows = history.for_applicant(events)
    assert [(row["action"], row["at"], row.get("count")) for row in rows] == [
        ("submit", "1", None), ("return", "4", None), ("view_certificates", "5", 3)]
    assert history.rows(events, "reviewer") == events  # staff keep the audit whole
    assert history.for_applicant(events[:1]) == events[:1]


def test_the_applicant_reads_six_staff_views_as_one_line_and_the_reviewer_sees_six(any_app, clock):
    applicant, filing_id = submitted_order(any_app)
    reviewer = any_app.test_client()
    AuthActions(reviewer).login(email="reviewer@example.com")
    for _ in range(6):
        clock.advance(minutes=7)
        page(reviewer.get(f"/review/{filing_id}"))
    staff_rows = [row.get_text(" ", strip=True) for row in page(reviewer.get(f"/review/{filing_id}")).select("tbody tr")
                  if "Staff viewed the certificate numbers" in row.get_text()]
    assert len(staff_rows) == 6  # every view is kept in the staff's audit (this page records a 7th)

    rows = [row.get_text(" ", strip=True) for row in page(applicant.get(f"/filings/{filing_id}")).select("tbody tr")
            if "Staff viewed the certificate numbers" in row.get_text()]
    assert len(rows) == 1, rows
    assert "7 times" in rows[0] and "27 November 2026, 17:42 China time" in rows[0]  # the last one's time
