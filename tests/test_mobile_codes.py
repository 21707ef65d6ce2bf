"""Issue 20 item 1: a mobile another subject gave (compared by hash, on both backends), and the one-time code that
confirms each mobile of the order before it is submitted: the rules, the check page and the reviewer's page."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from icp import filing as f
from icp import mobiles, rules
from icp.store import Put
from tests.conftest import AuthActions, field_error, page
from tests.journey import ADMINISTRATOR, SUBJECT, ready_for_documents, save, submit, texted_code, upload_required
from tests.store_fixtures import atomic_moto, aws_credentials, moto_server, table  # noqa: F401  (the table on both backends)

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
ORDER = {"id": "F1", "owner": "a@example.com", "status": f.DRAFT, "verified": {"certificate_number": "X1"},
         "subject": {"leader": {"mobile": "13911112222"}}, "website": {"administrator_is_leader": True}}


# ---- the index, by hash ---------------------------------------------------------------------------------------

def test_the_index_holds_hashes_never_the_number():
    item = mobiles.index_item("13911112222", "91110108MA01ABCD0B", source="order", at="2026-11-27T09:00:00+00:00")
    assert "13911112222" not in repr(item) and "91110108MA01ABCD0B" not in repr(item)
    assert item["pk"] == "MOBILE#" + mobiles.mobile_hash("13911112222")


def test_a_mobile_given_by_another_subject_is_found_by_one_query(table):  # noqa: F811
    table.write([Put(mobiles.index_item("13911112222", "SUBJECT-A", source="order", at="t"))])
    assert mobiles.used_by_other_subjects(table, "13911112222", "SUBJECT-A") == 0  # its own subject
    assert mobiles.used_by_other_subjects(table, "13911112222", "SUBJECT-B") == 1
    assert mobiles.used_by_other_subjects(table, "13900000000", "SUBJECT-B") == 0
    # the same subject giving it again changes nothing (an idempotent put)
    table.write([Put(mobiles.index_item("13911112222", "SUBJECT-A", source="order", at="t2"))])
    assert mobiles.used_by_other_subjects(table, "13911112222", "SUBJECT-B") == 1


# ---- the codes ---------------------------------------------------------------------------------------------------

def _sent(order=ORDER, mobile="13911112222", at=NOW):
    codes, plain = mobiles.new_code(order, mobile, now=at)
    return {**order, "mobile_codes": codes}, plain


def test_the_right_code_confirms_the_mobile():
    order, plain = _sent()
    assert not mobiles.is_confirmed(order, "13911112222") and mobiles.unconfirmed(order) == [("leader", "13911112222")]
    assert plain not in repr(order["mobile_codes"])  # stored hashed
    order = {**order, "mobile_codes": mobiles.checked_code(order, "13911112222", plain, now=NOW)}
    assert mobiles.is_confirmed(order, "13911112222") and mobiles.unconfirmed(order) == []
    # the code's salt and hash are no use once it is confirmed: the order stops carrying them
    record = mobiles.code_record(order, "13911112222")
    assert "salt" not in record and "hash" not in record and record["sent"] == 1
    # and entering the code again changes nothing
    assert mobiles.checked_code(order, "13911112222", plain, now=NOW) == order["mobile_codes"]


def test_a_wrong_code_is_counted_and_too_many_need_a_new_code():
    order, plain = _sent()
    wrong = "000000" if plain != "000000" else "111111"
    for left in range(rules.MOBILE_CODE.wrong_attempts - 1, -1, -1):
        with pytest.raises(mobiles.CodeRefused) as refused:
            mobiles.checked_code(order, "13911112222", wrong, now=NOW)
        assert refused.value.outcome == "wrong" and refused.value.params["attempts_left"] == left
        order = {**order, "mobile_codes": refused.value.params["codes"]}
    with pytest.raises(mobiles.CodeRefused) as refused:
        mobiles.checked_code(order, "13911112222", plain, now=NOW)  # even the right code, now
    assert refused.value.outcome == "too_many"


def test_a_code_expires_after_its_lifetime():
    order, plain = _sent()
    later = NOW + rules.MOBILE_CODE.lifetime + timedelta(seconds=1)
    with pytest.raises(mobiles.CodeRefused) as refused:
        mobiles.checked_code(order, "13911112222", plain, now=later)
    assert refused.value.outcome == "expired" and refused.value.params == {"lifetime_minutes": 10}


def test_a_mobile_gets_at_most_the_policys_codes():
    order = ORDER
    for _ in range(rules.MOBILE_CODE.sends):
        order, _plain = _sent(order)
    assert mobiles.sends_left(order, "13911112222") == 0
    with pytest.raises(mobiles.CodeRefused) as refused:
        mobiles.new_code(order, "13911112222", now=NOW)
    assert refused.value.outcome == "no_sends_left"


def test_a_changed_mobile_needs_its_own_code():
    order, plain = _sent()
    order = {**order, "mobile_codes": mobiles.checked_code(order, "13911112222", plain, now=NOW)}
    changed = {**order, "subject": {"leader": {"mobile": "13922220000"}}}
    assert mobiles.unconfirmed(changed) == [("leader", "13922220000")]


def test_a_code_record_is_named_by_a_short_hash_and_an_older_whole_hash_still_reads():
    order, plain = _sent()
    [key] = order["mobile_codes"]
    assert key == mobiles.mobile_hash("13911112222")[:mobiles.RECORD_KEY_DIGITS] and len(key) == 16
    # an order confirmed before the keys were short: still confirmed, and its next record replaces the old key
    older = {**ORDER, "mobile_codes": {mobiles.mobile_hash("13911112222"): {"sent": 1, "confirmed_at": "2026-11-27"}}}
    assert mobiles.is_confirmed(older, "13911112222")
    pending = {**ORDER, "mobile_codes": {mobiles.mobile_hash("13911112222"): order["mobile_codes"][key]}}
    codes = mobiles.checked_code(pending, "13911112222", plain, now=NOW)
    assert list(codes) == [key] and codes[key]["confirmed_at"]


# ---- the check page --------------------------------------------------------------------------------------------

@pytest.fixture
def unconfirmed(app):
    """An order of the demo applicant ready to submit but for its mobiles: (client, order number)."""
    client, filing_id = ready_for_documents(app)
    upload_required(client, app, filing_id, confirm=False)
    return client, filing_id


def test_submission_is_refused_until_each_mobile_is_confirmed(unconfirmed):
    client, filing_id = unconfirmed
    check = page(client.get(f"/filings/{filing_id}/check"))
    links = {a["href"].rsplit("#", 1)[-1]: a.get_text() for a in check.find(id="verdict").find_all("a")}
    assert set(links) == {"mobile-code-leader", "mobile-code-administrator"}
    assert "139****2222" in links["mobile-code-leader"]
    assert check.find(id="mobile-code-leader") is not None
    response = submit(client, filing_id, confirm=False)
    assert "Confirm the subject leader's mobile" in page(response).find(id="verdict").get_text()
    stored = client.application.extensions["icp_table"].get(*f.filing_key(filing_id))
    assert stored["status"] == f.DRAFT


def test_a_texted_code_confirms_the_mobile_and_a_wrong_one_is_said_at_its_box(unconfirmed):
    client, filing_id = unconfirmed
    check = f"/filings/{filing_id}/check"
    response = client.post(f"{check}/mobile/leader/send", data={"csrf_token": _token(client, check)})
    assert response.status_code == 302 and response.location.endswith("#mobile-code-leader")
    code = texted_code(client, filing_id, "13911112222")
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(f"{check}/mobile/leader/confirm",
                           data={"csrf_token": _token(client, check), "code-leader-code": wrong})
    soup = page(response, 400)
    assert "The code is not right" in field_error(soup, "code-leader-code")
    response = client.post(f"{check}/mobile/leader/confirm",
                           data={"csrf_token": _token(client, check), "code-leader-code": code})
    assert response.status_code == 302
    soup = page(client.get(check))
    assert "Confirmed." in soup.find(id="mobile-code-leader").get_text()
    assert soup.find(id="mobile-code-administrator").find("button") is not None
    events = [e["action"] for e in client.application.extensions["icp_table"].query(
        f.filing_partition(filing_id), f.EVENT_PREFIX)]
    assert events.count("send_mobile_code") == 1 and events.count("enter_mobile_code") == 2


def test_the_send_button_goes_when_the_resend_limit_is_reached(unconfirmed):
    client, filing_id = unconfirmed
    check = f"/filings/{filing_id}/check"
    for _ in range(rules.MOBILE_CODE.sends):
        assert client.post(f"{check}/mobile/leader/send",
                           data={"csrf_token": _token(client, check)}).status_code == 302
    box = page(client.get(check)).find(id="mobile-code-leader")
    assert box.find("form", action=lambda a: a and a.endswith("/send")) is None
    assert "No more codes can be sent" in box.get_text()
    response = client.post(f"{check}/mobile/leader/send", data={"csrf_token": _token(client, check)},
                           follow_redirects=True)
    assert "No more codes can be sent to this mobile" in page(response).get_text()


def test_the_check_page_speaks_chinese_about_the_codes(unconfirmed):
    client, filing_id = unconfirmed
    client.get("/language/zh")
    text = page(client.get(f"/filings/{filing_id}/check")).get_text()
    assert "确认手机号码" in text and "请用我们发送的短信验证码确认主体负责人的手机号码139****2222。" in text


def _token(client, path):
    from tests.conftest import csrf_token

    return csrf_token(client, path)


# ---- a mobile another subject gave: the check page, the reviewer, and the index after submission -------------------

def test_a_mobile_of_the_registry_warns_on_the_check_page_and_to_the_reviewer(app):
    client, filing_id = ready_for_documents(app)
    # the demo registry holds 13922223333 for the Guangdong subject (icp.seed): the Beijing subject gives it here
    save(client, filing_id, "subject", {**SUBJECT, "leader_mobile": "13922223333"})
    upload_required(client, app, filing_id)
    check = page(client.get(f"/filings/{filing_id}/check"))
    warnings = check.find(id="warnings-title").find_parent("div")
    [link] = [a for a in warnings.find_all("a") if "another subject" in a.get_text()]
    assert link["href"].endswith("/subject?return=check#leader_mobile") and "139****3333" in link.get_text()
    assert submit(client, filing_id).status_code == 302
    reviewer = app.test_client()
    AuthActions(reviewer).login("reviewer@example.com")
    review = page(reviewer.get(f"/review/{filing_id}"))
    assert "was given by another subject too" in review.get_text()


def test_a_submitted_order_records_its_mobiles_so_another_subject_is_warned(any_app):
    app = any_app
    client, filing_id = ready_for_documents(app)
    upload_required(client, app, filing_id)
    assert submit(client, filing_id).status_code == 302
    table = app.extensions["icp_table"]
    assert mobiles.used_by_other_subjects(table, SUBJECT["leader_mobile"], "91440101MA5CX8T10J") == 1
    assert mobiles.used_by_other_subjects(table, ADMINISTRATOR["administrator_mobile"], "91440101MA5CX8T10J") == 1
    assert mobiles.used_by_other_subjects(table, SUBJECT["leader_mobile"], "91110108MA01ABCD0B") == 0
