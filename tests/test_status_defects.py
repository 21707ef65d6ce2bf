"""The defects users found in the second half of the procedure (issue 16 §2), each with the test that would have
caught it: one mobile, one code; the wrong-code rule said before it bites; messages in the recipient's language
and naming the order's method; the page after approval; the waiting stages; the backdrop's steps."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from icp import filing as f
from icp import messages, notify, rules
from icp.order import Order
from icp.store import Put
from icp.workflow import sms
from icp.workflow.common import notify_applicant
from tests.conftest import AuthActions, page
from tests.orders import order_in

OWNER = "applicant@example.com"
CJK = re.compile(r"[\u3400-\u9fff]")


def _show(app, filing: dict, language: str = "en"):
    """Store the order and open its status page as its owner; returns (client, soup)."""
    app.extensions["icp_table"].write([Put(filing)])
    client = app.test_client()
    AuthActions(client).login()
    client.get(f"/language/{language}")
    return client, page(client.get(f"/filings/{filing['id']}"))


def _bodies(filing: dict, template: str, clock, **params) -> list[str]:
    return [messages.render(put.item)[1] for put in notify_applicant(filing, template, now=clock(), url="https://x.test",
                                                                   **params)]


# --- 2. one mobile, one code ------------------------------------------------------------------------------------

@pytest.mark.parametrize("language, plural_words", [("en", ("both", "two codes", "each")),
                                                     ("zh", ("两个", "分别", "二人"))])
def test_one_person_texted_gets_one_box_named_and_no_talk_of_two(app, clock, language, plural_words):
    filing = order_in(f.SMS_PENDING, two_people=False, owner=OWNER)
    filing["language"] = language
    _client, soup = _show(app, filing, language)
    boxes = soup.select("#codes ~ form input[inputmode=numeric]")
    assert len(boxes) == 1
    label = soup.find("label", attrs={"for": boxes[0]["id"]}).get_text(" ", strip=True)
    assert "王海" in label and "139****2222" in label
    said = " ".join(soup.find("main").get_text(" ", strip=True).split()) if soup.find("main") else soup.get_text()
    texts = [said, *_bodies(filing, "sms_codes_sent", clock), *_bodies(filing, "sms_reminder", clock)]
    texts += [messages.render(p.item)[1] for p in sms.code_messages(filing, {"leader": "123456"}, now=clock())]
    for text in texts:
        for word in plural_words:
            assert word not in text.lower(), (word, text)


@pytest.mark.parametrize("two, said", [(False, "A new code is on its way. The earlier code no longer works."),
                                       (True, "New codes are on their way. The earlier codes no longer work.")])
def test_a_new_code_texted_to_one_person_is_one_code(app, two, said):
    client, soup = _show(app, order_in(f.SMS_PENDING, two_people=two, owner=OWNER))
    form = soup.find("form", action=f"/filings/{order_in(f.SMS_PENDING)['id']}/codes/resend")
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    after = page(client.post(form["action"], data={"csrf_token": token}, follow_redirects=True))
    assert said in after.get_text(" ", strip=True)


@pytest.mark.parametrize("two, said", [(False, "you can enter the code again"), (True, "you can enter the codes again")])
def test_a_paused_codes_form_speaks_of_one_code_for_one_person(app, clock, two, said):
    filing = order_in(f.SMS_PENDING, two_people=two, owner=OWNER)
    filing["sms"]["paused_until"] = (clock() + timedelta(minutes=10)).isoformat(timespec="seconds")
    _client, soup = _show(app, filing)
    assert said in soup.find(id="codes-paused").get_text()
    # the refusal beside the box says the same while the form waits
    form = soup.find("form", action=f"/filings/{filing['id']}/codes")
    fields = {i["name"]: i.get("value", "") or "123456" for i in form.find_all("input") if i.get("name")}
    refused = page(_client.post(form["action"], data=fields), 429).get_text(" ", strip=True)
    assert ("then enter the code again" if not two else "then enter the codes again") in refused


def test_two_people_texted_get_two_boxes_each_named(app):
    _client, soup = _show(app, order_in(f.SMS_PENDING, two_people=True, owner=OWNER))
    labels = [label.get_text(" ", strip=True) for label in soup.select("#codes ~ form label")]
    assert any("王海" in l and "139****2222" in l and "subject leader" in l for l in labels)
    assert any("李雷" in l and "137****3333" in l and "website administrator" in l for l in labels)


def test_the_codes_label_reads_as_a_label_in_chinese(app):
    _client, soup = _show(app, order_in(f.SMS_PENDING, two_people=True, owner=OWNER), "zh")
    labels = [label.get_text(" ", strip=True) for label in soup.select("#codes ~ form label")]
    assert labels and all(label.endswith("收到的验证码") for label in labels), labels


# --- 3. wrong codes: say before it bites ------------------------------------------------------------------------

@pytest.mark.parametrize("policy, province, expected", [
    ("seed", "tianjin", ["1.", "5 wrong codes in a row", "15 minutes"]),
    ("current_practice", "beijing", ["1 of 5", "After 5 wrong codes the filing is rejected"]),
])
def test_the_codes_form_says_the_count_and_what_the_policy_does(app, policy, province, expected):
    _client, soup = _show(app, order_in(f.SMS_PENDING, policy=policy, province=province, owner=OWNER))
    said = soup.find(id="wrong-codes").get_text(" ", strip=True)
    for words in expected:
        assert words in said, said


def test_the_wrong_code_count_is_natural_chinese(app):
    _client, soup = _show(app, order_in(f.SMS_PENDING, owner=OWNER), "zh")
    said = soup.find(id="wrong-codes").get_text(strip=True)
    assert "已输错1次" in said and "已错误" not in said


# --- 4 and 17. messages in the recipient's language, naming the order's method ------------------------------------

@pytest.mark.parametrize("reason", sorted(rules.PHOTO_REJECTION_REASONS))
def test_every_photo_rejection_reason_reaches_a_chinese_message_in_chinese(clock, reason):
    filing = order_in(f.PHOTO_PENDING, backdrop="mailed")
    filing["language"] = "zh"
    for body in _bodies(filing, "photo_rejected", clock, reason_code=reason, comment=""):
        english = re.findall(r"[A-Za-z]{3,}", re.sub(r"https?://\S+|haihe-data\.cn|ICP|MIIT|App|SF\d+", "", body))
        assert not english, (reason, english, body)


def test_every_message_renders_in_chinese_without_an_english_word(clock):
    params = {"count": 2, "tracking": "SF1234567890", "reason": "网站名称与主体不符", "low": 3, "high": 20, "days": 45,
              "icp_number": "津ICP备12345678号-2", "review_workdays": 1, "reason_code": "blurred", "comment": "",
              "deadline_at": "2027-01-15T00:27:00+00:00", "code": "123456",
              "expires_at": "2027-01-15T00:37:00+00:00", "lifetime_minutes": 10}
    for template in messages.MESSAGES:
        filing = order_in(f.SMS_PENDING if template.startswith("sms") else f.PROVIDER_REVIEW)
        filing["language"] = "zh"
        item = notify.message_items(template=template, params={**params, "reference": filing["id"],
                                                               "domain": "haihe-data.cn", "url": "https://x.test",
                                                               "method": "phone"},
                                    email=None, mobile="13911112222", language="zh", now=clock(), channels=("sms",))[0]
        subject, body = messages.render(item)
        text = re.sub(r"https?://\S+|haihe-data\.cn|ICP|MIIT|App|SF\d+|[A-Z0-9]{10}", "", subject + body)
        assert not re.findall(r"[A-Za-z]{3,}", text), (template, subject, body)


@pytest.mark.parametrize("policy, province, photo_zh, not_zh", [
    ("current_practice", "beijing", "人脸核验照片", "幕布"), ("seed", "beijing", "幕布照片", "人脸"),
])
def test_photo_messages_name_the_orders_method(clock, policy, province, photo_zh, not_zh):
    filing = order_in(f.PHOTO_REVIEW, policy=policy, province=province)
    filing["language"] = "zh"
    for body in _bodies(filing, "photo_received", clock, review_workdays=1):
        assert photo_zh in body and not_zh not in body, body


@pytest.mark.parametrize("policy, province, label_zh, wrong", [
    ("current_practice", "beijing", "人脸核验", "幕布"), ("seed", "beijing", "幕布", "人脸"),
])
def test_the_status_tag_names_the_orders_photo(app, policy, province, label_zh, wrong):
    for status in (f.PHOTO_PENDING, f.PHOTO_REVIEW):
        _client, soup = _show(app, order_in(status, policy=policy, province=province, owner=OWNER), "zh")
        tag = soup.find(id="status-label").get_text(strip=True)
        assert label_zh in tag and wrong not in tag, tag


# --- 10. after approval -------------------------------------------------------------------------------------------

def test_the_approved_page_has_no_forecast_and_a_number_that_does_not_break(app):
    _client, soup = _show(app, order_in(f.APPROVED, owner=OWNER))
    assert "Expected decision" not in soup.get_text() and "estimate" not in soup.get_text()
    numbers = soup.select(".icp-number")
    assert numbers and all(n.get_text(strip=True) == "津ICP备12345678号-2" for n in numbers)
    assert soup.find("textarea", id="footer-snippet")
    assert soup.find("button", attrs={"data-copy": "footer-snippet"})
    assert "panel--left" in soup.find(id="approved")["class"]


# --- 11. the waiting stages ---------------------------------------------------------------------------------------

def test_ready_to_send_says_who_acts_and_by_when(app):
    _client, soup = _show(app, order_in(f.READY_FOR_ADMINISTRATION, owner=OWNER))
    assert soup.find(id="next-actor").get_text(strip=True) == "Our reviewers"
    assert soup.find(id="expected").get_text(" ", strip=True).startswith("30 November 2026")


def test_a_returned_orders_deadline_is_a_date_and_days_left(app):
    _client, soup = _show(app, order_in(f.RETURNED, owner=OWNER))
    said = soup.find(id="deadline").get_text(" ", strip=True)
    assert "hours" not in said and re.search(r"\d+ days left", said), said
    # the time left on its own line: never a second bracket after the date's (China time) in Chinese
    _zh_client, zh = _show(app, order_in(f.RETURNED, owner=OWNER), "zh")
    assert "）（" not in zh.find(id="deadline").get_text(strip=True)
    assert re.fullmatch(r"还剩\d+天", zh.find(id="time-left").get_text(strip=True))
    listing = page(_client.get("/filings"))
    row = listing.find("a", string=order_in(f.RETURNED)["id"]).find_parent("tr")
    assert "what our reviewer commented on" in row.select_one(".next-action").get_text()


# --- 12. the backdrop's steps -------------------------------------------------------------------------------------

@pytest.mark.parametrize("backdrop, button", [("none", "Apply for the backdrop"), ("applied", None),
                                              ("mailed", "Upload the photo")])
def test_the_photo_is_offered_only_once_the_backdrop_is_mailed(app, backdrop, button):
    _client, soup = _show(app, order_in(f.PHOTO_PENDING, backdrop=backdrop, owner=OWNER))
    buttons = [b.get_text(strip=True) for b in soup.select("main a.button, a.button") if "filings" in b.get("href", "")]
    offered = [b for b in buttons if b in ("Apply for the backdrop", "Upload the photo")]
    assert offered == ([button] if button else []), buttons
    if backdrop == "applied":
        assert soup.find(id="next-actor").get_text(strip=True) == "Our reviewers"
        assert soup.find(id="expected")


def test_once_applied_for_the_page_says_when_the_backdrop_should_arrive(app):
    # mailed within a workday of Friday 27 November (Monday 30th), then 3 days in the post
    _client, soup = _show(app, order_in(f.PHOTO_PENDING, backdrop="applied", owner=OWNER))
    steps = soup.select("ol.steps li")
    assert "usually by 30 November 2026" in steps[1].get_text() and "arrives by 3 December 2026" in steps[1].get_text()
    assert Order(order_in(f.PHOTO_PENDING, backdrop="mailed")).backdrop_arrives_on() == "2026-11-30"


def test_applying_for_the_backdrop_says_when_it_arrives_and_what_comes_then(app):
    client, soup = _show(app, order_in(f.PHOTO_PENDING, backdrop="none", owner=OWNER))
    form = page(client.get(f"/filings/{order_in(f.PHOTO_PENDING)['id']}/backdrop")).find("main").find("form")
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    fields.update({t["name"]: t.get_text() for t in form.find_all("textarea")})
    fields["address"] = "天津市滨海新区海河路1号2号楼301室"  # order_in's subject has no mailing address to start from
    after = page(client.post(form["action"], data=fields, follow_redirects=True)).get_text(" ", strip=True)
    assert "We mail the backdrop, usually by 30 November 2026" in after, after[:2000]
    assert "usually arrives by 3 December 2026: then photograph the website administrator" in after


def test_the_domain_refuses_a_backdrop_photo_before_the_backdrop_is_mailed():
    assert not Order(order_in(f.PHOTO_PENDING, backdrop="applied")).can("upload_photo")
    assert Order(order_in(f.PHOTO_PENDING, backdrop="mailed")).can("upload_photo")
    assert Order(order_in(f.PHOTO_PENDING, policy="current_practice", province="beijing")).can("upload_photo")


# --- My filings reads the owner index: what it says must follow each real transition ------------------------------

def test_my_filings_states_the_sms_deadline_the_moment_the_order_is_sent(any_app, clock):
    # the owner entry's glance is taken after the transition's deadline starts (a glance taken before it had no
    # deadline, and My filings answered 500 for an order in the SMS check)
    from icp.workflow import review
    from tests.workflow_helpers import TIANJIN, ready_for_administration, stored, submitted_order

    client, filing_id = submitted_order(any_app, **TIANJIN)
    ready_for_administration(any_app, client, clock, filing_id)
    sent = review.send_to_administration(any_app.extensions["icp_table"], stored(any_app, filing_id),
                                         actor="reviewer@example.com", now=clock())
    assert sent["status"] == f.SMS_PENDING
    row = page(client.get("/filings")).find("a", string=filing_id).find_parent("tr")
    said = " ".join(row.select_one(".next-action").get_text().split())
    status = " ".join(page(client.get(f"/filings/{filing_id}")).find(id="next-action").get_text().split())
    assert said == status and "Enter the two MIIT codes" in said, (said, status)


def test_my_filings_reads_an_order_whose_entry_predates_the_glance_whole(app, clock):
    # an owner entry written before orders carried their glance (a deployment upgraded in place)
    order = order_in(f.SMS_PENDING, owner=OWNER)
    del order["glance"]
    client, _soup = _show(app, order)
    row = page(client.get("/filings")).find("a", string=order["id"]).find_parent("tr")
    assert "Enter the two MIIT codes" in row.select_one(".next-action").get_text()
