"""The check page's one verdict over the refusals, the warnings and the subject's websites already filed (issue 16, 8)."""
from __future__ import annotations

import pytest

from icp import checks

PROBLEM = checks.Problem("website", "name", "Enter the website's details")
WARNING = checks.Problem("website", "name", "A warning", severity="warn")


@pytest.mark.parametrize("problems, warnings, listed, checked, attention, outcome, title", [
    ([PROBLEM], [], 1, True, 1, checks.REFUSED, "things would get this filing rejected"),
    ([], [], 2, True, 1, checks.ATTENTION, "You can submit, but the filing could still be rejected"),
    ([], [], 2, False, 0, checks.ATTENTION, "Nothing in your answers would get this filing rejected"),
    ([], [WARNING], 0, False, 0, checks.ATTENTION, "Nothing in your answers would get this filing rejected"),
    ([], [], 2, True, 0, checks.CLEAR, "We found nothing that would get this filing rejected."),
    ([], [], 0, False, 0, checks.CLEAR, "We found nothing that would get this filing rejected."),
])
def test_one_verdict_covers_refusals_warnings_and_the_filed_websites(problems, warnings, listed, checked, attention,
                                                                      outcome, title):
    found = checks.verdict(problems, warnings, filed_websites=listed, checked=checked, needing_attention=attention)
    assert found.outcome == outcome
    assert title in (found.title[1] if isinstance(found.title, tuple) else found.title)
    assert found.may_submit == (outcome != checks.REFUSED)
    notes = " ".join(message[1] if isinstance(message, tuple) else message for message, _params in found.notes)
    # what the filed websites' check found is never left out of the verdict
    assert ("need attention" in notes) == bool(attention)
    assert ("not checked yet" in notes) == bool(listed and not checked and not attention)
