"""A person (their certificate) another subject gave too: Tencent Cloud's 各省管局要求 says ten administrations reject
it ("负责人证件号码、手机号码不能为其他主体备案过"); recorded at submission by hash, warned on the check page and to the
reviewer, erased with the order (tests/test_retention_after_service.py)."""
from __future__ import annotations

import pytest

from icp import certificate_index, checks, rules
from icp.store import Put
from tests.conftest import AuthActions, page
from tests.journey import ADMINISTRATOR, SUBJECT, WEBSITE, ready_for_documents, save, submit, upload_required

OTHER_SUBJECT = "91440101MA5CX8T10J"  # the demo registry's Guangdong subject


def test_a_certificate_is_compared_by_hash_whatever_its_case_and_spaces():
    assert certificate_index.person_hash("resident_id", "11010519491231002x ") == \
        certificate_index.person_hash("resident_id", "11010519491231002X")
    assert certificate_index.person_hash("passport", "E12345678") != certificate_index.person_hash(
        "hmt_permit", "E12345678")
    assert "11010519491231002X" not in certificate_index.index_key("resident_id", "11010519491231002X", "X1", "F1")[0]


@pytest.mark.parametrize("website, expected", [
    ({"administrator_is_leader": True}, ["leader"]),
    ({"administrator_is_leader": False, "administrator": {"certificate_type": "resident_id",
                                                          "certificate_number": "440106199208150064"}},
     ["leader", "administrator"]),
    # the leader given again as a different administrator counts once
    ({"administrator_is_leader": False, "administrator": {"certificate_type": "resident_id",
                                                          "certificate_number": "11010519491231002X"}}, ["leader"]),
])
def test_the_people_of_an_order(website, expected):
    order = {"verified": {"certificate_number": "91110108MA01ABCD0B"}, "website": website,
             "subject": {"leader": {"certificate_type": "resident_id", "certificate_number": "11010519491231002X"}}}
    assert [who for who, _kind, _number in certificate_index.people_certificates(order)] == expected


def test_a_submitted_order_records_its_people_so_another_subject_is_warned(any_app):
    client, filing_id = ready_for_documents(any_app)
    save(client, filing_id, "website", {**WEBSITE, **ADMINISTRATOR})
    upload_required(client, any_app, filing_id)
    assert submit(client, filing_id).status_code == 302
    table = any_app.extensions["icp_table"]
    leader = (SUBJECT["leader_certificate_type"], SUBJECT["leader_certificate_number"])
    administrator = (ADMINISTRATOR["administrator_certificate_type"], ADMINISTRATOR["administrator_certificate_number"])
    for kind, number in (leader, administrator):
        assert certificate_index.used_by_other_subjects(table, kind, number, OTHER_SUBJECT) == 1
        assert certificate_index.used_by_other_subjects(table, kind, number, "91110108MA01ABCD0B") == 0


@pytest.mark.parametrize("province, wording", [("beijing", "some communications administrations reject"),
                                               ("shandong", "the communications administration of Shandong rejects")])
def test_a_leader_another_subject_gave_warns_on_the_check_page_and_to_the_reviewer(app, province, wording,
                                                                                  monkeypatch):
    if province != "beijing":  # the demo order is Beijing's: say it as Shandong's would be said
        monkeypatch.setattr(rules, "PERSON_REUSE_REJECTING_PROVINCES", frozenset({"beijing"}))
        wording = "the communications administration of Beijing rejects"
    client, filing_id = ready_for_documents(app)
    table = app.extensions["icp_table"]
    pk, sk = certificate_index.index_key(SUBJECT["leader_certificate_type"], SUBJECT["leader_certificate_number"],
                                         OTHER_SUBJECT, "OTHERORDER")
    table.write([Put({"pk": pk, "sk": sk, "version": 1, "source": "order", "at": "2026-11-01T00:00:00+00:00"})])
    upload_required(client, app, filing_id)
    check = page(client.get(f"/filings/{filing_id}/check"))
    warnings = check.find(id="warnings-title").find_parent("div")
    [link] = [a for a in warnings.find_all("a") if "another subject" in a.get_text() and "certificate" in a.get_text()]
    assert link["href"].endswith("/subject?return=check#leader_certificate_number")
    assert "110105********002X" in link.get_text() and wording in link.get_text()
    assert SUBJECT["leader_certificate_number"] not in link.get_text()  # the warning masks it
    assert submit(client, filing_id).status_code == 302  # a warning: the order goes on
    reviewer = app.test_client()
    AuthActions(reviewer).login("reviewer@example.com")
    assert "was given by another subject too" in page(reviewer.get(f"/review/{filing_id}")).get_text()


def test_the_masked_certificate_keeps_its_ends():
    assert checks.masked_certificate("11010519491231002X") == "110105********002X"
    assert checks.masked_certificate("E1234567") == "E1234567"
