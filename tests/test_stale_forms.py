"""A page opened before the order last changed never loses an answer saved meanwhile (issue 7, item 4)."""
from __future__ import annotations

import pytest

from icp import merge
from icp.workflow import load_filing, load_filing_with_parts
from tests.conftest import field_error, form_fields, page
from tests.journey import SUBJECT, WEBSITE, bind_code, post_form, save, start, upload_required

NEW_EMAIL = "new-leader@example-shop.cn"
NEW_ADDRESS = "北京市海淀区中关村大街2号3号楼101室"


@pytest.fixture
def applicant(client, auth):
    """The demo applicant, logged in."""
    auth.login()
    return client


@pytest.fixture
def at_subject(applicant):
    """An order whose subject step was saved once."""
    filing_id = start(applicant)
    bind_code(applicant, filing_id)
    save(applicant, filing_id, "subject", SUBJECT)
    return filing_id


def stored(app, filing_id):
    return load_filing(app.extensions["icp_table"], filing_id)


def tab(client, path: str) -> dict:
    """A page opened now in its own tab: the hidden fields it would post later."""
    return form_fields(client, path)


def post_from(client, path: str, opened: dict, answers: dict):
    """Post a page opened earlier (its hidden fields as they were then) with these answers."""
    return client.post(path, data={**opened, **answers})


# ---------------------------------------------------------------- the merge itself


@pytest.mark.parametrize("shown, mine, theirs, values, conflicts", [
    # untouched here, changed there: theirs stands
    ({"a": "1", "b": "x"}, {"a": "1", "b": "y"}, {"a": "2", "b": "x"}, {"a": "2", "b": "y"}, ()),
    # both changed to the same value
    ({"a": "1"}, {"a": "3"}, {"a": "3"}, {"a": "3"}, ()),
    # both changed differently: mine is kept and named a conflict
    ({"a": "1"}, {"a": "3"}, {"a": "2"}, {"a": "3"}, ("a",)),
    # blank and None are the same empty answer; lists compare whole
    ({"a": None, "l": ["zh"]}, {"a": "", "l": ["zh"]}, {"a": "x", "l": ["zh", "en"]}, {"a": "x", "l": ["zh", "en"]},
     ()),
    # nothing known of what was shown: every difference is a conflict, every agreement is not
    (None, {"a": "1", "b": "same"}, {"a": "2", "b": "same"}, {"a": "1", "b": "same"}, ("a",)),
])
def test_three_way_merge(shown, mine, theirs, values, conflicts):
    fingerprints = merge.parse_fingerprints(merge.fingerprints(shown) if shown else "")
    merged = merge.three_way(fingerprints, mine, theirs)
    assert merged.values == values and merged.conflicts == conflicts


def test_fingerprints_read_back_and_ignore_garbage():
    text = merge.fingerprints({"leader_email": "a@b.cn", "when": None})
    assert set(merge.parse_fingerprints(text)) == {"leader_email", "when"}
    assert merge.parse_fingerprints("junk,,a:b:c,:" + "0" * 12) == {}


# ---------------------------------------------------------------- step 3, as in the issue


def test_a_stale_tab_saves_only_what_it_changed(app, applicant, at_subject):
    path = f"/filings/{at_subject}/subject"
    tab_a, tab_b = tab(applicant, path), tab(applicant, path)
    assert tab_a["shown_version"] and tab_a["shown_answers"]
    response = post_from(applicant, path, tab_b, {**SUBJECT, "leader_email": NEW_EMAIL})
    assert response.status_code == 302
    response = post_from(applicant, path, tab_a, {**SUBJECT, "mailing_address": NEW_ADDRESS})
    assert response.status_code == 302, [e.get_text() for e in page(response).select(".error-message")]
    subject = stored(app, at_subject)["subject"]
    assert subject["leader"]["email"] == NEW_EMAIL, "the e-mail saved in tab B is not lost"
    assert subject["mailing_address"] == NEW_ADDRESS


def test_both_tabs_changing_one_answer_is_refused_with_both_values(app, applicant, at_subject):
    path = f"/filings/{at_subject}/subject"
    tab_a, tab_b = tab(applicant, path), tab(applicant, path)
    post_from(applicant, path, tab_b, {**SUBJECT, "leader_email": NEW_EMAIL})
    before = stored(app, at_subject)
    soup = page(post_from(applicant, path, tab_a, {**SUBJECT, "leader_email": "mine@example-shop.cn",
                                                    "mailing_address": NEW_ADDRESS}))
    assert stored(app, at_subject) == before, "nothing is saved"
    message = field_error(soup, "leader_email")
    assert NEW_EMAIL in message and "another window" in message
    assert soup.find(id="leader_email")["value"] == "mine@example-shop.cn", "this page's answer is kept"
    assert soup.find(id="mailing_address")["value"] == NEW_ADDRESS
    assert field_error(soup, "mailing_address") is None
    # saving the page again, now that both values were seen, keeps this page's answers
    again = {i["name"]: i.get("value", "") for i in soup.find_all("input", type="hidden")}
    response = post_from(applicant, path, again, {**SUBJECT, "leader_email": "mine@example-shop.cn",
                                                  "mailing_address": NEW_ADDRESS})
    assert response.status_code == 302
    subject = stored(app, at_subject)["subject"]
    assert (subject["leader"]["email"], subject["mailing_address"]) == ("mine@example-shop.cn", NEW_ADDRESS)


def test_a_post_without_the_version_merges_nothing_blindly(app, applicant, at_subject):
    path = f"/filings/{at_subject}/subject"
    post_form(applicant, path, {**SUBJECT, "leader_email": NEW_EMAIL})
    csrf = tab(applicant, path)["csrf_token"]
    soup = page(applicant.post(path, data={"csrf_token": csrf, **SUBJECT}))
    assert NEW_EMAIL in field_error(soup, "leader_email")
    assert stored(app, at_subject)["subject"]["leader"]["email"] == NEW_EMAIL


# ---------------------------------------------------------------- every other form that edits the order


def test_step_4_merges_a_stale_tab(app, applicant, at_subject):
    path = f"/filings/{at_subject}/website"
    save(applicant, at_subject, "website", WEBSITE)
    tab_a, tab_b = tab(applicant, path), tab(applicant, path)
    assert post_from(applicant, path, tab_b, {**WEBSITE, "languages": ["zh_hans"]}).status_code == 302
    response = post_from(applicant, path, tab_a, {**WEBSITE, "remarks": "下午六点后联系"})
    assert response.status_code == 302
    website = stored(app, at_subject)["website"]
    assert website["languages"] == ["zh_hans"] and website["remarks"] == "下午六点后联系"


def test_step_2_keeps_a_code_bound_in_another_tab(app, applicant):
    filing_id = start(applicant)
    bind_code(applicant, filing_id, "DEMO7K2M9QX4LP8A")
    path = f"/filings/{filing_id}/instance"
    tab_a, tab_b = tab(applicant, path), tab(applicant, path)
    # tab B chooses the account's other code; tab A, opened before, posts the code it showed unchanged
    assert post_from(applicant, path, tab_b, {"product_type": "alibaba_cloud",
                                              "code_choice": "DEMO3H6T8RW5NB2C"}).status_code == 302
    response = post_from(applicant, path, tab_a, {"product_type": "alibaba_cloud",
                                                  "code_choice": "DEMO7K2M9QX4LP8A"})
    assert response.status_code == 302
    assert stored(app, filing_id)["service_code"]["code"] == "DEMO3H6T8RW5NB2C"


def test_submitting_a_stale_check_page_is_refused(app, applicant, at_subject):
    save(applicant, at_subject, "website", WEBSITE)
    upload_required(applicant, app, at_subject)
    check = f"/filings/{at_subject}/check"
    opened = tab(applicant, check)
    save(applicant, at_subject, "subject", {**SUBJECT, "leader_email": NEW_EMAIL})
    response = post_from(applicant, check, opened, {})
    assert response.status_code == 302 and response.location.endswith("/check")
    assert stored(app, at_subject)["status"] == "DRAFT"
    soup = page(applicant.get(response.location))
    assert "changed in another window" in soup.find(class_="notice--warning").get_text()
    assert post_from(applicant, check, tab(applicant, check), {}).location.endswith("/submitted")


def test_removing_a_document_replaced_in_another_tab_is_refused(app, applicant, at_subject):
    from tests.images import png_bytes
    from tests.journey import upload

    save(applicant, at_subject, "website", WEBSITE)
    upload_required(applicant, app, at_subject)
    remove = f"/filings/{at_subject}/documents/leader_id_front/remove"
    opened = tab(applicant, remove)
    upload(applicant, app, at_subject, "leader_id_front", png_bytes())
    documents = load_filing_with_parts(app.extensions["icp_table"], at_subject)[1]
    soup = page(post_from(applicant, remove, opened, {}))
    assert "replaced in another window" in soup.get_text()
    assert load_filing_with_parts(app.extensions["icp_table"], at_subject)[1] == documents
    assert post_from(applicant, remove, tab(applicant, remove), {}).status_code == 302
    assert "leader_id_front" not in load_filing_with_parts(app.extensions["icp_table"], at_subject)[1]


def displayed(soup) -> dict:
    """What a browser posts for a page's main form left exactly as displayed."""
    form = soup.find("input", attrs={"name": "shown_version"}).find_parent("form")
    posted: dict = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name:
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            value = chosen.get("value", "") if chosen else ""
        elif field.name == "textarea":
            value = field.get_text()
        elif field.get("type") in ("checkbox", "radio"):
            if not field.has_attr("checked"):
                continue
            value = field.get("value", "y")
        else:
            value = field.get("value", "")
        posted.setdefault(name, []).append(value)
    return posted


@pytest.mark.parametrize("step, change", [
    ("subject", {"leader_email": NEW_EMAIL}),
    ("website", {"remarks": "另一窗口的备注", "languages": ["zh_hans"]}),
])
def test_a_stale_page_posted_as_displayed_changes_nothing(app, applicant, at_subject, step, change):
    from bs4 import BeautifulSoup

    save(applicant, at_subject, "website", {**WEBSITE, "administrator_is_leader": "yes"})
    path = f"/filings/{at_subject}/{step}"
    opened = displayed(BeautifulSoup(applicant.get(path).get_data(as_text=True), "html.parser"))
    answers = {name: value for name, value in form_fields(applicant, path).items()
               if name not in ("csrf_token", "shown_version", "shown_answers")}
    base = SUBJECT if step == "subject" else WEBSITE
    assert post_form(applicant, path, {**answers, **base, **change}).status_code == 302
    after_b = stored(app, at_subject)[step]
    response = applicant.post(path, data=opened)
    assert response.status_code == 302, [e.get_text() for e in page(response).select(".error-message")]
    assert stored(app, at_subject)[step] == after_b


def test_step_2_posted_without_the_version_does_not_rebind_blindly(app, applicant):
    filing_id = start(applicant)
    bind_code(applicant, filing_id, "DEMO7K2M9QX4LP8A")
    bind_code(applicant, filing_id, "DEMO3H6T8RW5NB2C")
    path = f"/filings/{filing_id}/instance"
    csrf = tab(applicant, path)["csrf_token"]
    soup = page(applicant.post(path, data={"csrf_token": csrf, "product_type": "alibaba_cloud",
                                           "service_code": "DEMO7K2M9QX4LP8A"}))
    assert "DEMO3H6T8RW5NB2C" in field_error(soup, "service_code")
    assert stored(app, filing_id)["service_code"]["code"] == "DEMO3H6T8RW5NB2C"
