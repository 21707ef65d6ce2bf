"""Bring an order to a given point of the procedure: the applicant's part through HTTP, staff through use cases."""
from __future__ import annotations

from contextlib import contextmanager

from icp import filing as f
from icp.workflow import load_filing, load_filing_with_parts, review
from tests.conftest import AuthActions
from tests.images import jpeg_bytes
from tests.journey import ADMINISTRATOR, SUBJECT, WEBSITE, bind_code, save, start, submit, upload, upload_required

REVIEWER = "reviewer@example.com"
ADMINISTRATION = "administration@example.com"

# a Tianjin enterprise: MIIT texts codes there under the seed's policy
TIANJIN = {"province": "tianjin", "nature": "enterprise", "certificate_type": "business_licence",
           "certificate_number": "91120116MA06QR7T0H", "domain": "haihe-data.cn"}
TIANJIN_SUBJECT = {**SUBJECT, "certificate_address": "天津市滨海新区海河路1号",
                   "mailing_address": "天津市滨海新区海河路1号2号楼301室", "investor": "天津海河数据有限公司"}


def submitted_order(app, *, administrator_differs: bool = True, **type_overrides) -> tuple:
    """An order submitted by the demo applicant; returns (client logged in as the applicant, order number)."""
    client = app.test_client()
    AuthActions(client).login()
    filing_id = start(client, **type_overrides)
    bind_code(client, filing_id)
    subject = TIANJIN_SUBJECT if type_overrides.get("province") == "tianjin" else SUBJECT
    save(client, filing_id, "subject", subject)
    website = {**WEBSITE, "home_url": f"http://www.{type_overrides.get('domain', 'example-shop.cn')}"}
    save(client, filing_id, "website", {**website, **ADMINISTRATOR} if administrator_differs else website)
    upload_required(client, app, filing_id)
    response = submit(client, filing_id)
    assert response.status_code == 302 and response.location.endswith("/submitted"), response.location
    return client, filing_id


def stored(app, filing_id: str) -> dict:
    """The order as stored now."""
    return load_filing(app.extensions["icp_table"], filing_id)


def passed_review(app, clock, filing_id: str) -> dict:
    """Our review passes the order."""
    return review.pass_review(app.extensions["icp_table"], stored(app, filing_id), actor=REVIEWER, now=clock())


def backdrop_mailed(app, filing_id: str) -> dict:
    """A backdrop order: the applicant has applied for the backdrop (unless done already) and we have mailed it."""
    from icp.workflow import verification

    table, now = app.extensions["icp_table"], app.config["ICP_CLOCK"]()
    filing = stored(app, filing_id)
    if not filing.get("backdrop"):
        filing = verification.apply_for_backdrop(table, filing, recipient="王芳", address="北京市海淀区中关村大街1号",
                                                 phone="13911112222", actor=filing["owner"], now=now)
    if not filing["backdrop"].get("mailed_at"):
        filing = review.mark_backdrop_mailed(table, filing, "SF1000000001", actor=REVIEWER, now=now)
    return filing


def photo_uploaded(app, client, filing_id: str) -> dict:
    """The applicant uploads the administrator's photo from the status page's photo page (a backdrop order's once
    its backdrop is mailed: applied for and mailed first when it is not)."""
    from icp.workflow.verification import waiting_for_backdrop

    if waiting_for_backdrop(stored(app, filing_id)):
        backdrop_mailed(app, filing_id)
    response = upload(client, app, filing_id, "administrator_photo", jpeg_bytes(800, 1000),
                      page=f"/filings/{filing_id}/photo")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return stored(app, filing_id)


def ready_for_administration(app, client, clock, filing_id: str) -> dict:
    """Through our review and the backdrop photo, to the point where the reviewer sends the order on."""
    passed_review(app, clock, filing_id)
    photo_uploaded(app, client, filing_id)
    return review.pass_photo(app.extensions["icp_table"], stored(app, filing_id), actor=REVIEWER, now=clock())


def documents(app, filing_id: str) -> dict:
    """The order's documents by kind."""
    return load_filing_with_parts(app.extensions["icp_table"], filing_id)[1]


def events(app, filing_id: str) -> list[str]:
    """The actions in the order's history, oldest first."""
    return [e["action"] for e in load_filing_with_parts(app.extensions["icp_table"], filing_id)[2]]


@contextmanager
def meanwhile(table, filing_id: str, other):
    """Within the block, the first read of this order (get, query or get_many) is followed at once by `other()`,
    run to its end with the real table, before the reader goes on with what it read: two actors at once,
    interleaved the worst way. Yields a dict whose "other" holds what `other()` returned."""
    reads = {name: getattr(table, name) for name in ("get", "query", "get_many")}
    outcome: dict = {}

    def restore():
        for name, original in reads.items():
            setattr(table, name, original)

    def reading(name):
        def read_then_let_the_other_run(first_argument, *args, **kwargs):
            result = reads[name](first_argument, *args, **kwargs)
            keys = [first_argument] if isinstance(first_argument, str) else [key[0] for key in first_argument]
            if f"FILING#{filing_id}" in keys and "other" not in outcome:
                outcome["other"] = None
                restore()
                outcome["other"] = other()
            return result
        return read_then_let_the_other_run

    for name in reads:
        setattr(table, name, reading(name))
    try:
        yield outcome
    finally:
        restore()


__all__ = ["f", "ADMINISTRATION", "REVIEWER", "TIANJIN"]
