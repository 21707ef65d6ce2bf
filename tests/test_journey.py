"""From registration to a submitted order, through HTTP, on both backends."""
from __future__ import annotations

from bs4 import BeautifulSoup

from icp import filing as f
from icp.codes import code_key
from icp.filing import DOCUMENT_PREFIX, EVENT_PREFIX, filing_key, filing_partition
from icp.notify import pending_messages
from tests.conftest import AuthActions, page, csrf_token
from tests.journey import ADMINISTRATOR, SUBJECT, WEBSITE, bind_code, save, start, submit, upload_required


def test_registration_to_submitted(any_app, clock):
    app = any_app
    client = app.test_client()
    auth = AuthActions(client)
    assert auth.register(email="new.applicant@example.com", mobile="13955556666").status_code == 302
    # a new account owns no instances: give it one eligible instance with a code, as the console would
    from icp import codes

    table = app.extensions["icp_table"]
    from icp.store import Put

    table.write([Put(codes.instance_item(instance_id="i-new0001", owner="new.applicant@example.com",
                                         name="web", region="cn-beijing", public_ip="47.94.1.2",
                                         billing="subscription", subscription_months=12))])
    [code] = codes.apply_for_codes(table, owner="new.applicant@example.com", instance_id="i-new0001", count=1,
                                   now=clock())
    filing_id = start(client)
    bind_code(client, filing_id, code)
    save(client, filing_id, "subject", SUBJECT)
    save(client, filing_id, "website", {**WEBSITE, **ADMINISTRATOR})
    kinds = upload_required(client, app, filing_id)
    assert {"subject_certificate", "admin_id_front", "admin_id_back", "authorisation_letter",
            "authenticity_statement"} <= set(kinds)
    check = page(client.get(f"/filings/{filing_id}/check"))
    assert check.find(class_="error-summary") is None, check.find(class_="error-summary").get_text()
    response = submit(client, filing_id)
    assert response.status_code == 302 and response.location.endswith("/submitted")
    confirmation = page(client.get(response.location))
    assert filing_id in confirmation.get_text()
    assert "What happens next" in confirmation.get_text()

    stored = table.get(*filing_key(filing_id))
    assert stored["status"] == f.PROVIDER_REVIEW
    # a submitted order leaves the draft deadline; its review runs against the one-workday target
    assert stored["due_action"] == "flag_overdue" and stored["deadline"]["name"] == "provider_review"
    events = [e["action"] for e in table.query(filing_partition(filing_id), EVENT_PREFIX)]
    assert events[0] == "start" and events[-1] == "submit"
    outbox = pending_messages(table)
    assert {(m["channel"], m["to"]) for m in outbox} >= {("email", "new.applicant@example.com"),
                                                        ("sms", "13955556666")}
    # every document is in the store
    blobs = app.extensions["icp_blobs"]
    for doc in table.query(filing_partition(filing_id), DOCUMENT_PREFIX):
        assert blobs.size(doc["key"]) > 0
    # the code is bound to the order; the order is in the list with its status
    assert table.get(*code_key(code))["filing_id"] == filing_id
    # submitted on Friday 2026-11-27: our review is expected by the next workday, Monday
    status = page(client.get(f"/filings/{filing_id}"))
    assert "30 November 2026" in status.get_text()
    current = status.select_one(".timeline [aria-current=step]")
    assert "Our review" in current.get_text() and "30 November 2026" in current.get_text()
    assert [li["class"][1] for li in status.select(".timeline li")] == [
        "timeline__stage--done", "timeline__stage--current", *["timeline__stage--upcoming"] * 4]
    listing = page(client.get("/filings"))
    assert "In our review" in listing.get_text()
    # a submitted order can no longer be edited through the steps
    assert client.get(f"/filings/{filing_id}/subject").location.endswith(f"/filings/{filing_id}")


def test_save_and_resume_after_logging_out(app, client, auth):
    auth.login()
    filing_id = start(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", SUBJECT)
    auth.logout()
    auth.login()
    soup = page(client.get(f"/filings/{filing_id}/subject"))
    assert soup.find(id="leader_name")["value"] == "王芳"
    assert [soup.find(id=f"leader_certificate_valid_until-{part}")["value"] for part in ("day", "month", "year")] \
        == ["1", "1", "2035"]
    status = page(client.get(f"/filings/{filing_id}"))
    assert status.find("a", string=lambda s: s and "Continue" in s)["href"].endswith("/website")


def test_steps_cannot_be_skipped(app, client, auth):
    auth.login()
    filing_id = start(client)
    for step in ("subject", "website", "check", "documents"):
        response = client.get(f"/filings/{filing_id}/{step}")
        assert response.status_code == 302 and response.location.endswith("/instance"), step


def test_another_applicants_order_is_404(app, client, auth):
    auth.login()
    filing_id = start(client)
    other = app.test_client()
    AuthActions(other).register(email="other@example.com")
    for path in ("", "/type", "/instance", "/subject", "/website", "/documents", "/check", "/withdraw",
                 "/submitted", "/documents/subject_certificate", "/documents/subject_certificate/view",
                 "/documents/authenticity-statement"):
        assert other.get(f"/filings/{filing_id}{path}").status_code == 404, path
    assert other.get("/filings/NOSUCHORDER").status_code == 404
    # a forged POST with someone else's order number changes nothing
    from tests.conftest import csrf_token

    forged = other.post(f"/filings/{filing_id}/instance", data={
        "csrf_token": csrf_token(other, "/filings/new"), "product_type": "alibaba_cloud",
        "service_code": "DEMO7K2M9QX4LP8A"})
    assert forged.status_code == 404
    assert app.extensions["icp_table"].get(*code_key("DEMO7K2M9QX4LP8A"))["state"] == "available"
    assert other.get("/filings/../admin").status_code == 404


def test_one_order_in_flight_per_subject(app, client, auth):
    auth.login()
    filing_id = start(client)
    from tests.journey import post_form

    response = post_form(client, "/filings/new", {"province": "beijing", "nature": "enterprise",
                                                  "certificate_type": "business_licence",
                                                  "certificate_number": "91110108MA01ABCD0B",
                                                  "domain": "示例.中国"})
    soup = page(response)
    notice = soup.find(id="order-in-progress")
    assert "already has your order" in notice.get_text() and filing_id in notice.get_text()
    assert notice.find("a")["href"] == f"/filings/{filing_id}/instance"


def test_a_draft_that_blocks_its_subject_can_be_continued_or_withdrawn_from_step_1(any_app):
    """Issue 16 (18): a draft left at step 2 held the subject, and step 1 only named it; now step 1 offers
    Continue (its current step) and Withdraw, and after withdrawing the same answers start a new order."""
    from tests.journey import BEIJING_ENTERPRISE, post_form

    client = any_app.test_client()
    AuthActions(client).login()
    blocking = start(client)  # left at step 2
    again = {**BEIJING_ENTERPRISE, "domain": "示例.中国"}
    soup = page(post_form(client, "/filings/new", again))
    notice = soup.find(id="order-in-progress")
    assert notice["role"] == "alert" and "notice--error" in notice["class"]
    links = {a.get_text(" ", strip=True): a["href"] for a in notice.find_all("a")}
    assert links == {f"Continue order {blocking}": f"/filings/{blocking}/instance",
                     f"Withdraw order {blocking}": f"/filings/{blocking}/withdraw"}
    assert "example-shop.cn" in notice.get_text() and "Draft" in notice.get_text()
    assert page(client.get(links[f"Continue order {blocking}"])).find("h1")

    response = post_form(client, links[f"Withdraw order {blocking}"], {})
    assert response.status_code == 302
    response = post_form(client, "/filings/new", again)
    assert response.status_code == 302 and response.location.endswith("/instance")


def test_another_account_s_order_is_not_described_on_step_1(app, client, auth):
    from tests.journey import BEIJING_ENTERPRISE, post_form

    auth.login()
    blocking = start(client)
    auth.logout()
    auth.register(email="other@example.com")
    soup = page(post_form(client, "/filings/new", {**BEIJING_ENTERPRISE, "domain": "示例.中国"}))
    notice = soup.find(id="order-in-progress")
    assert "in progress in another account" in notice.get_text()
    assert blocking not in soup.get_text() and not notice.find("a")
    assert "example-shop.cn" not in notice.get_text() and "Continue" not in notice.get_text()


def test_withdraw_releases_the_code_and_the_subject(app, client, auth):
    auth.login()
    filing_id = start(client)
    bind_code(client, filing_id)
    table = app.extensions["icp_table"]
    assert table.get(*code_key("DEMO7K2M9QX4LP8A"))["state"] == "bound"
    from tests.journey import post_form

    response = post_form(client, f"/filings/{filing_id}/withdraw", {})
    assert response.status_code == 302
    assert table.get(*filing_key(filing_id))["status"] == f.WITHDRAWN
    assert table.get(*code_key("DEMO7K2M9QX4LP8A"))["state"] == "available"
    again = start(client)  # the subject is free again
    assert again != filing_id
    bind_code(client, again)


def test_my_filings_lists_orders_with_status(app, client, auth):
    auth.login()
    filing_id = start(client)
    soup = page(client.get("/filings"))
    row = soup.find("a", string=filing_id).find_parent("tr")
    assert "Draft" in row.get_text() and "example-shop.cn" in row.get_text()
    assert "submit it by 11 January 2027, 17:00 China time" in row.get_text()  # 45 days after starting, so nothing is deleted unseen
    assert soup.find("a", string="Add a website")["href"] == "/filings/new"


def test_withdrawn_order_cannot_be_withdrawn_again(app, client, auth):
    auth.login()
    filing_id = start(client)
    from tests.journey import post_form

    post_form(client, f"/filings/{filing_id}/withdraw", {})
    response = client.get(f"/filings/{filing_id}/withdraw")
    assert response.status_code == 302 and response.location.endswith(f"/filings/{filing_id}")
    token = csrf_token(client, "/filings")
    client.post(f"/filings/{filing_id}/withdraw", data={"csrf_token": token})  # a second POST (another tab)
    events = [e["action"] for e in app.extensions["icp_table"].query(filing_partition(filing_id), EVENT_PREFIX)]
    assert events.count("withdraw") == 1


def test_page_text_is_escaped(app, client, auth):
    auth.login()
    filing_id = start(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", {**SUBJECT, "mailing_address": "<script>alert(1)</script> 1号"})
    html = client.get(f"/filings/{filing_id}/subject").get_data(as_text=True)
    # the raw HTML, not the parsed tree: a parser would hide markup that escaped its attribute
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(id="mailing_address")["value"].startswith("<script>")
