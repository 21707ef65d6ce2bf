"""After submission, the remaining journeys and the scheduled jobs' guarantees: the Shanghai app, the pause
after wrong MIIT codes, a returned order discarded after its reminders, two sweeps at once, a poisoned item."""
from __future__ import annotations

from datetime import datetime, timedelta

from icp import filing as f
from icp.codes import code_key
from icp.filing import filing_key, filing_partition
from icp.jobs import run_sweep
from icp.workflow import sweep as sweep_module
from tests.conftest import AuthActions, page
from tests.journey import SUBJECT, WEBSITE, bind_code, post_form, ready_to_submit, save, start, submit, upload_required
from tests.workflow_helpers import admin_act, codes_texted, outbox, review_act, staff, to_sms
from tests.workflow_helpers import TIANJIN, events, meanwhile, stored, submitted_order

SHANGHAI = {"province": "shanghai", "nature": "individual", "certificate_type": "resident_id",
            "certificate_number": "310101198503120049", "domain": "zhangwei-blog.cn"}
SHANGHAI_SUBJECT = {**SUBJECT, "certificate_address": "上海市黄浦区南京东路1号",
                    "mailing_address": "上海市黄浦区南京东路1号2号楼301室", "investor": "张伟",
                    "leader_name": "张伟", "leader_certificate_number": "310101198503120049"}


def test_shanghai_the_app_verification_recorded_by_the_reviewer_then_approved(any_app, clock):
    app = any_app
    applicant = app.test_client()
    AuthActions(applicant).login()
    filing_id = start(applicant, **SHANGHAI)
    bind_code(applicant, filing_id)
    save(applicant, filing_id, "subject", SHANGHAI_SUBJECT)
    save(applicant, filing_id, "website", {**WEBSITE, "name": "张伟读书笔记", "home_url": "http://www.zhangwei-blog.cn",
                                           "service_content": ["blog"]})
    upload_required(applicant, app, filing_id)
    assert submit(applicant, filing_id).status_code == 302
    reviewer = staff(app, "reviewer@example.com")
    assert review_act(reviewer, filing_id, "pass").status_code == 302
    assert stored(app, filing_id)["status"] == f.APP_VERIFICATION_PENDING
    # the applicant is told how to verify in the app, with the order number to enter there
    status = page(applicant.get(f"/filings/{filing_id}")).get_text(" ")
    assert "Shanghai Communications Administration app" in status and filing_id in status
    # the reviewer's queue for the app lists it; recording the verification needs the reviewer
    assert filing_id in page(reviewer.get("/review?stage=app")).get_text() or \
        filing_id in page(reviewer.get("/review")).get_text()
    assert post_form(applicant, f"/review/{filing_id}/app-verified", {}).status_code == 404
    assert review_act(reviewer, filing_id, "app-verified").status_code == 302
    assert review_act(reviewer, filing_id, "send").status_code == 302
    # Shanghai is not one of the seed's SMS provinces: straight to the administration
    assert stored(app, filing_id)["status"] == f.ADMINISTRATION_REVIEW
    administration = staff(app, "administration@example.com")
    assert admin_act(administration, filing_id, "approve").status_code == 302
    approved = stored(app, filing_id)
    assert approved["status"] == f.APPROVED and approved["icp_number"] == "沪ICP备19076543号-2"
    assert events(app, filing_id).count("confirm_app_verification") == 1


def test_wrong_codes_in_a_row_pause_the_form_even_for_the_right_codes(app, clock):
    applicant, filing_id = to_sms(app, clock)
    codes = codes_texted(app, filing_id)
    wrong = {"leader": "000000" if codes["leader"] != "000000" else "111111",
             "administrator": "000000" if codes["administrator"] != "000000" else "111111"}
    for _attempt in range(5):
        assert post_form(applicant, f"/filings/{filing_id}/codes", wrong).status_code == 400
    paused = stored(app, filing_id)["sms"]["paused_until"]
    assert paused == (clock() + timedelta(minutes=15)).isoformat(timespec="seconds")
    assert page(applicant.get(f"/filings/{filing_id}")).find(id="codes-paused") is not None
    # while paused the codes are not even compared: the right ones are refused too, and nothing is counted
    clock.advance(minutes=14)
    response = post_form(applicant, f"/filings/{filing_id}/codes", codes)
    assert response.status_code == 429
    assert "Too many wrong codes in a row" in page(response, 429).find(id="leader-error").get_text()
    assert stored(app, filing_id)["sms"]["wrong"] == 5 and stored(app, filing_id)["status"] == f.SMS_PENDING
    clock.advance(minutes=1)
    assert post_form(applicant, f"/filings/{filing_id}/codes", codes).status_code == 302
    assert stored(app, filing_id)["status"] == f.ADMINISTRATION_REVIEW


def test_a_returned_order_gets_its_reminders_then_is_discarded_after_45_days(any_app, clock):
    app = any_app
    table = app.extensions["icp_table"]
    applicant, filing_id = submitted_order(app)
    reviewer = staff(app, "reviewer@example.com")
    assert review_act(reviewer, filing_id, "return", {
        "comment-website-name": "Use the name on the licence"}).status_code == 302
    order = stored(app, filing_id)
    assert order["status"] == f.RETURNED
    created = datetime.fromisoformat(order["created_at"])
    deadline = datetime.fromisoformat(order["deadline"]["ends_at"])
    assert deadline == created + timedelta(days=45)  # counted from creation, not from the return
    clock.now = created + timedelta(days=30)
    assert run_sweep(table, now=clock()) == {"remind_draft": 1}
    clock.now = created + timedelta(days=40)
    assert run_sweep(table, now=clock()) == {"remind_draft": 1}
    clock.now = created + timedelta(days=45)
    assert run_sweep(table, now=clock()) == {"discard": 1}
    assert run_sweep(table, now=clock()) == {}
    assert stored(app, filing_id)["status"] == f.DISCARDED
    assert table.get(*code_key("DEMO7K2M9QX4LP8A"))["state"] == "available"
    templates = [m["template"] for m in outbox(app) if m["params"].get("reference", filing_id) == filing_id]
    assert templates.count("draft_reminder") >= 2 and templates.count("discarded") >= 1
    AuthActions(applicant).login()  # 45 days on, the applicant logs in again
    status = page(applicant.get(f"/filings/{filing_id}")).get_text(" ")
    assert "Deleted" in status


def test_two_sweeps_at_once_give_one_transition_and_one_message(any_app, clock):
    """The second sweep runs completely while the first holds its stale copy of the order."""
    app = any_app
    table = app.extensions["icp_table"]
    _applicant, filing_id = to_sms(app, clock)
    clock.advance(hours=48, seconds=1)
    with meanwhile(table, filing_id, lambda: run_sweep(table, now=clock())) as second:
        first = run_sweep(table, now=clock())  # ...whose read of the order lets the second sweep run first
    results = {"first": first, "second": second["other"]}
    assert results["second"] == {"expire_sms": 1}
    assert results["first"] == {"conflict": 1}
    assert stored(app, filing_id)["status"] == f.REJECTED
    assert events(app, filing_id).count("expire_sms") == 1
    expired = [m for m in outbox(app) if m["template"] == "sms_expired"]
    assert len(expired) == 2 and {m["channel"] for m in expired} == {"email", "sms"}


def test_a_poisoned_item_does_not_block_the_others_and_stays_due(app, clock, monkeypatch, caplog):
    table = app.extensions["icp_table"]
    client = app.test_client()
    AuthActions(client).login()
    # two drafts (two subjects) whose discard falls due at the same time; the first one's handler breaks
    poisoned, healthy = start(client), start(client, **TIANJIN)
    due = table.get(*filing_key(poisoned))["due_at"]
    act = sweep_module.act

    def act_or_break(table_, filing, **kwargs):
        if filing["id"] == poisoned:
            raise KeyError("verified")  # e.g. a handler that trips over this one order's data
        return act(table_, filing, **kwargs)

    monkeypatch.setattr(sweep_module, "act", act_or_break)
    clock.advance(days=46)
    assert run_sweep(table, now=clock()) == {"failed": 1, "discard": 1}
    assert stored(app, healthy)["status"] == f.DISCARDED
    assert stored(app, poisoned)["status"] == f.DRAFT
    assert table.get(*filing_key(poisoned))["due_at"] == due  # left due for the next run
    assert "failed" in caplog.text and poisoned in caplog.text
    # the next run, with the handler mended, acts on it
    monkeypatch.setattr(sweep_module, "act", act)
    assert run_sweep(table, now=clock()) == {"discard": 1}
    assert stored(app, poisoned)["status"] == f.DISCARDED


def test_two_approvals_of_one_subjects_websites_at_once_get_distinct_numbers(any_app, clock):
    """Two orders of one subject (filed through two providers, say) approved at the same moment."""
    from icp import registry
    from icp.store import Put
    from icp.workflow import administration, load_filing

    app = any_app
    table = app.extensions["icp_table"]
    applicant, first = submitted_order(app)
    from tests.workflow_helpers import ready_for_administration

    ready_for_administration(app, applicant, clock, first)
    from icp.workflow import review

    review.send_to_administration(table, load_filing(table, first), actor="reviewer@example.com", now=clock())
    # a second order of the same subject, for another domain, in the same state
    twin = {**table.get(*filing_key(first)), "pk": filing_partition("TWIN000001"), "id": "TWIN000001"}
    twin["verified"] = {**twin["verified"], "domain": "示例.中国", "domain_ascii": "xn--fsq092h.xn--fiqs8s"}
    for index in ("due_at", "due_action", "queue", "queue_sort"):
        twin.pop(index, None)
    table.write([Put({**twin, "version": 1})])
    original = registry.approval_ops
    interleaved = []

    def read_then_let_the_other_approval_through(table_, **kwargs):
        result = original(table_, **kwargs)  # this approval has read the subject's website count...
        if not interleaved:
            interleaved.append(None)  # once: the other approval runs with the real registry
            registry.approval_ops = original
            interleaved[0] = administration.approve(table, load_filing(table, "TWIN000001"),
                                                    actor="administration@example.com", now=clock())
        return result  # ...and writes after the other one did

    registry.approval_ops = read_then_let_the_other_approval_through
    try:
        approved = administration.approve(table, load_filing(table, first), actor="administration@example.com",
                                          now=clock())
    finally:
        registry.approval_ops = original
    numbers = {approved["icp_number"], interleaved[0]["icp_number"]}
    assert numbers == {"京ICP备16059763号-2", "京ICP备16059763号-3"}
    assert table.get("MIIT#SUBJECT#91110108MA01ABCD0B", "META")["websites"] == 3
    assert registry.find_domain(table, "example-shop.cn").icp_number != \
        registry.find_domain(table, "xn--fsq092h.xn--fiqs8s").icp_number


def check_form(client, path: str) -> dict:
    """The check page's Submit form as the page shows it (its token and the version it was shown with)."""
    from bs4 import BeautifulSoup

    form = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser").find("form", action=path)
    return {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}


def test_one_order_submitted_from_two_sessions_at_once_is_submitted_once(any_app, clock):
    """Two tabs press Submit: the second submission reads the order before the first one's write lands."""
    app = any_app
    table = app.extensions["icp_table"]
    first, filing_id = ready_to_submit(app)
    second = app.test_client()
    AuthActions(second).login()
    tokens = {c: check_form(c, f"/filings/{filing_id}/check") for c in (first, second)}
    # the first tab's submission reads the order, then the second tab's submission runs to its end
    with meanwhile(table, filing_id, lambda: second.post(f"/filings/{filing_id}/check", data=tokens[second])) \
            as other:
        answers = {"first": first.post(f"/filings/{filing_id}/check", data=tokens[first])}
    answers["second"] = other["other"]
    assert answers["second"].status_code == 302
    assert answers["first"].status_code < 500
    assert stored(app, filing_id)["status"] == f.PROVIDER_REVIEW
    assert events(app, filing_id).count("submit") == 1
    submitted = [m for m in outbox(app) if m["template"] == "submitted"]
    assert len(submitted) == 2  # one e-mail and one text message, not two of each
