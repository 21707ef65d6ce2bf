"""Faults injected into the table and the document store at each write of the applicant's journey, on both
backends: the person sees a clear page (503, never a 500), the order is wholly unchanged, and sending the same
form again completes the step."""
from __future__ import annotations

import sqlite3

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from bs4 import BeautifulSoup

from icp.codes import code_key
from icp.filing import DOCUMENT_PREFIX, document_key, filing_key, filing_partition
from tests.conftest import AuthActions, make_app
from tests.images import jpeg_bytes
from tests.journey import (ADMINISTRATOR, BEIJING_ENTERPRISE, SUBJECT, WEBSITE, post_form, upload,
                           upload_required)


def _throttled():
    return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                       "TransactWriteItems")


FAULTS = {
    "aws": [_throttled, lambda: ReadTimeoutError(endpoint_url="https://dynamodb.cn-north-1.amazonaws.com.cn")],
    "local": [lambda: sqlite3.OperationalError("database is locked"), lambda: TimeoutError("disk")],
}


class Faulty:
    """Wraps a store; while `armed`, the next call of one of `methods` raises the fault instead."""

    def __init__(self, inner, methods: tuple[str, ...]):
        self.inner, self.methods, self.armed, self.raised, self.skip = inner, methods, None, 0, 0

    def __getattr__(self, name):
        attribute = getattr(self.inner, name)
        if name not in self.methods or not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            if self.armed is not None and self.skip:
                self.skip -= 1  # a call the test itself makes (the browser's direct upload to S3)
            elif self.armed is not None:
                fault, self.armed = self.armed, None
                self.raised += 1
                raise fault()
            return attribute(*args, **kwargs)
        return call


@pytest.fixture(params=["local", "aws"])
def faulty_app(request, tmp_path, clock):
    """An app whose table writes and document store calls can be made to fail; errors are not propagated."""
    def build():
        app = make_app(request.param, tmp_path, clock)
        app.config["PROPAGATE_EXCEPTIONS"] = False
        app.testing = False
        table = Faulty(app.extensions["icp_table"], ("write", "increment"))
        blobs = Faulty(app.extensions["icp_blobs"], ("put", "copy", "delete", "read", "size", "head"))
        app.extensions["icp_table"], app.extensions["icp_blobs"] = table, blobs
        return app, table, blobs, FAULTS[request.param]

    if request.param == "aws":
        from moto import mock_aws

        with mock_aws():
            yield build()
    else:
        yield build()


def _clear_refusal(response) -> None:
    assert response.status_code == 503, response.status_code
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "Nothing was changed" in soup.get_text() and soup.find("h1")


def _state(table, filing_id: str | None) -> dict | None:
    if filing_id is None:
        return None
    inner = table.inner
    return {"filing": inner.get(*filing_key(filing_id)),
            "parts": sorted(i["sk"] for i in inner.query(filing_partition(filing_id), DOCUMENT_PREFIX)),
            "code": inner.get(*code_key("DEMO7K2M9QX4LP8A"))}


def test_a_failed_write_at_each_step_changes_nothing_and_the_same_form_then_succeeds(faulty_app):
    app, table, blobs, faults = faulty_app
    client = app.test_client()
    AuthActions(client).login()
    filing_id = None

    def step(name, send, *, store=table, expect=302):
        for fault in faults:
            before = _state(table, filing_id)
            mine_before = len(table.inner.query_index("owner", "applicant@example.com", limit=100))
            store.armed = fault
            _clear_refusal(send())
            assert store.raised and store.armed is None, f"{name}: the fault was not reached"
            store.raised = 0
            assert _state(table, filing_id) == before, f"{name}: a failed write changed the order"
            assert len(table.inner.query_index("owner", "applicant@example.com", limit=100)) == mine_before
        response = send()
        assert response.status_code == expect, (name, response.status_code)
        return response

    response = step("step 1", lambda: post_form(client, "/filings/new", BEIJING_ENTERPRISE))
    filing_id = response.location.split("/")[2]
    step("step 2", lambda: post_form(client, f"/filings/{filing_id}/instance",
                                     {"product_type": "alibaba_cloud", "service_code": "DEMO7K2M9QX4LP8A"}))
    step("step 3", lambda: post_form(client, f"/filings/{filing_id}/subject", SUBJECT))
    step("step 4", lambda: post_form(client, f"/filings/{filing_id}/website", {**WEBSITE, **ADMINISTRATOR}))
    # a document: the store fails while the upload is confirmed; the document's page says so, nothing recorded
    for fault in faults:
        blobs.armed, blobs.skip = fault, 1 if app.config["ICP_SETTINGS"].backend == "aws" else 0
        answer = upload(client, app, filing_id, "subject_certificate", jpeg_bytes(900, 600))
        assert answer.status_code in (302, 303, 400, 503), answer.status_code
        assert blobs.raised, "the document store was not reached"
        blobs.raised, blobs.armed = 0, None
        assert document_key(filing_id, "subject_certificate")[1] not in _state(table, filing_id)["parts"]
    upload_required(client, app, filing_id)
    step("submit", lambda: post_form(client, f"/filings/{filing_id}/check", {}))
    assert table.inner.get(*filing_key(filing_id))["status"] == "PROVIDER_REVIEW"


def test_a_failed_write_when_staff_act_changes_nothing_and_the_same_button_then_works(faulty_app, clock):
    """Our review's pass and the administration's approval, each refused once per fault, then done."""
    from tests.workflow_helpers import staff
    from tests.workflow_helpers import photo_uploaded

    from tests.workflow_helpers import submitted_order

    app, table, _blobs, faults = faulty_app
    client, filing_id = submitted_order(app)

    def press(actor, page_path: str, action: str):
        soup = BeautifulSoup(actor.get(page_path).get_data(as_text=True), "html.parser")
        form = soup.find("form", action=action)
        fields = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
        for fault in faults:
            before = _state(table, filing_id)
            table.armed = fault
            _clear_refusal(actor.post(action, data=fields))
            assert table.raised, f"{action}: the fault was not reached"
            table.raised = 0
            assert _state(table, filing_id) == before, f"{action}: a failed write changed the order"
        assert actor.post(action, data=fields).status_code == 302

    reviewer = staff(app, "reviewer@example.com")
    press(reviewer, f"/review/{filing_id}", f"/review/{filing_id}/pass")
    assert table.inner.get(*filing_key(filing_id))["status"] == "PHOTO_PENDING"
    photo_uploaded(app, client, filing_id)
    press(reviewer, f"/review/{filing_id}", f"/review/{filing_id}/photo/pass")
    press(reviewer, f"/review/{filing_id}", f"/review/{filing_id}/send")
    administration = staff(app, "administration@example.com")
    press(administration, f"/administration/{filing_id}", f"/administration/{filing_id}/approve")
    approved = table.inner.get(*filing_key(filing_id))
    assert approved["status"] == "APPROVED" and approved["icp_number"].endswith("-2")
