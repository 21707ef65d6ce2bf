"""Bring an order to a given point of the procedure: the applicant's part through HTTP, staff through use cases."""
from __future__ import annotations

from contextlib import contextmanager

from bs4 import BeautifulSoup

from icp import filing as f
from icp import notify
from icp.filing import filing_partition
from icp.workflow import load_filing, load_filing_with_parts, review
from tests.conftest import AuthActions
from tests.images import jpeg_bytes
from tests.journey import ADMINISTRATOR, SUBJECT, WEBSITE, bind_code, post_form, save, start, submit, upload, \
    upload_required

REVIEWER = "reviewer@example.com"
ADMINISTRATION = "administration@example.com"

# a Tianjin enterprise: MIIT texts codes there under the seed's policy
TIANJIN = {"province": "tianjin", "nature": "enterprise", "certificate_type": "business_licence",
           "certificate_number": "91120116MA06QR7T0H", "domain": "haihe-data.cn"}
# Tianjin asks for its own numbers (rules.LOCAL_PHONES): the leader's and the administrator's are Tianjin's
TIANJIN_SUBJECT = {**SUBJECT, "certificate_address": "天津市滨海新区海河路1号",
                   "mailing_address": "天津市滨海新区海河路1号2号楼301室", "investor": "天津海河数据有限公司",
                   "leader_mobile": "13820001234", "leader_emergency_phone": "022-23456789"}
TIANJIN_ADMINISTRATOR = {**ADMINISTRATOR, "administrator_mobile": "15822001234",
                         "administrator_emergency_phone": "022-23456780"}


def submitted_order(app, *, administrator_differs: bool = True, **type_overrides) -> tuple:
    """An order submitted by the demo applicant; returns (client logged in as the applicant, order number)."""
    client = app.test_client()
    AuthActions(client).login()
    filing_id = start(client, **type_overrides)
    bind_code(client, filing_id)
    tianjin = type_overrides.get("province") == "tianjin"
    save(client, filing_id, "subject", TIANJIN_SUBJECT if tianjin else SUBJECT)
    website = {**WEBSITE, "home_url": f"http://www.{type_overrides.get('domain', 'example-shop.cn')}"}
    administrator = TIANJIN_ADMINISTRATOR if tianjin else ADMINISTRATOR
    save(client, filing_id, "website", {**website, **administrator} if administrator_differs else website)
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
            if filing_partition(filing_id) in keys and "other" not in outcome:
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


def staff(app, email: str):
    """A client logged in as a member of staff."""
    client = app.test_client()
    assert AuthActions(client).login(email=email).status_code == 302
    return client


def act(client, path: str, data: dict | None = None, page_path: str | None = None):
    """Post a console form with the CSRF token and version of the page it is on."""
    soup = BeautifulSoup(client.get(page_path).get_data(as_text=True), "html.parser")
    form = soup.find("form", action=path)
    assert form is not None, f"no form posting to {path}"
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    return client.post(path, data={**fields, **(data or {})})


def review_act(client, filing_id: str, action: str, data: dict | None = None):
    return act(client, f"/review/{filing_id}/{action}", data, page_path=f"/review/{filing_id}")


def admin_act(client, filing_id: str, action: str, data: dict | None = None):
    return act(client, f"/administration/{filing_id}/{action}", data, page_path=f"/administration/{filing_id}")


def outbox(app) -> list[dict]:
    return notify.pending_messages(app.extensions["icp_table"], limit=1000)


def codes_texted(app, filing_id: str) -> dict:
    """The plain codes the simulated MIIT texted, read from the outbox as a tester reads the local outbox page."""
    found = {}
    for message in outbox(app):
        if message["template"].startswith("sms_code_") and message["params"]["reference"] == filing_id:
            found[message["template"].removeprefix("sms_code_")] = message["params"]["code"]
    return found


def to_sms(app, clock, **policy):
    """A Tianjin website order taken through our review, the backdrop photo and sending, to the MIIT SMS check."""
    applicant, filing_id = submitted_order(app, **TIANJIN)
    return applicant, submitted_to_sms(app, applicant, filing_id)


def submitted_to_sms(app, applicant, filing_id: str) -> str:
    """A submitted order of a province with the SMS check (a website's or an app's) taken through our review, the
    backdrop photo and sending, to the MIIT SMS check; returns its number."""
    reviewer = staff(app, "reviewer@example.com")
    assert review_act(reviewer, filing_id, "pass").status_code == 302
    assert post_form(applicant, f"/filings/{filing_id}/backdrop", {
        "recipient": "王芳", "address": "天津市滨海新区海河路1号", "phone": "13911112222"}).status_code == 302
    photo_uploaded(app, applicant, filing_id)
    assert review_act(reviewer, filing_id, "photo/pass").status_code == 302
    assert review_act(reviewer, filing_id, "send").status_code == 302
    assert stored(app, filing_id)["status"] == f.SMS_PENDING
    return filing_id
