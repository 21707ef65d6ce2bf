"""Issue 16, the administrator's verification and our review of it: the phone page (camera first, the administrator
named, an example and the rules, no account links), the QR page, the backdrop (form filled in from the order, no
upload before it is mailed), and the reviewer's order page (the photo beside the ID, reasons by method, changes by
label, a comment box next to every answer and document)."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from icp import filing as f
from icp import rules
from icp.workflow import administration, documents as pipeline, load_filing_with_parts, review, verification
from tests.conftest import make_app, page
from tests.images import jpeg_bytes
from tests.journey import ADMINISTRATOR, WEBSITE, post_form, save, submit, upload
from tests.workflow_helpers import review_act, staff
from tests.workflow_helpers import (REVIEWER, backdrop_mailed, passed_review, photo_uploaded, ready_for_administration,
                                    stored, submitted_order)

SUBJECT_MAILING_ADDRESS = "北京市海淀区中关村大街1号2号楼301室"


@pytest.fixture
def phone_app(tmp_path, clock):
    """The app under current practice: the administrator is verified with a live photo taken on a phone."""
    return make_app("local", tmp_path, clock, deadline_policy="current_practice")


def _phone_link(applicant, filing_id: str) -> tuple[BeautifulSoup, str]:
    """Press "show the QR code" on the status page; returns the QR page and the phone link's path."""
    status = page(applicant.get(f"/filings/{filing_id}"))
    token = status.find("form", action=f"/filings/{filing_id}/phone-link").find("input", attrs={"name": "csrf_token"})
    link_page = page(applicant.post(f"/filings/{filing_id}/phone-link", data={"csrf_token": token["value"]}))
    link = link_page.find(id="phone-link").get_text(strip=True)
    return link_page, "/" + link.split("//", 1)[1].split("/", 1)[1]


# --- the phone page (issue 16 §6) ---------------------------------------------------------------------------

def test_the_phone_pages_primary_control_opens_the_front_camera_and_names_the_administrator(phone_app, clock):
    applicant, filing_id = submitted_order(phone_app)
    passed_review(phone_app, clock, filing_id)
    _qr, path = _phone_link(applicant, filing_id)
    soup = page(phone_app.test_client().get(path))

    camera = soup.find("input", attrs={"type": "file"})
    assert camera["capture"] == "user" and camera["accept"] == "image/*"
    # the big button is the camera's own label: it opens the camera with JavaScript off too
    button = soup.find("label", attrs={"for": camera["id"]})
    assert "button" in button["class"] and button.get_text(strip=True) == "Take the photo"
    # the camera comes before the send button, which is the secondary one
    form = camera.find_parent("form")
    send = form.find("button", type="submit")
    assert send.get_text(strip=True) == "Send the photo" and "button--secondary" in send["class"]
    assert str(form).index(camera["id"]) < str(form).index("Send the photo")
    # the administrator to photograph, by name (李雷, not the subject leader 王芳)
    assert "李雷" in soup.find("h1").get_text() and "王芳" not in soup.find("main").get_text()
    # an example (our own SVG) and the rules of a live photo, from icp/rules.py
    example = soup.find("figure", class_="photo-example").find("img")
    assert example["src"].startswith("/static/photo-example.svg") and example["alt"]
    listed = [li.get_text(strip=True) for li in soup.find(id="photo-rules").find_next("ul").find_all("li")]
    assert listed == [rule % {"role": "website administrator"} if "%(role)s" in rule else rule
                      for rule in rules.PHONE_PHOTO_RULES]
    # the preview is progressive enhancement from static/, never an inline script (CSP default-src 'self')
    assert soup.find(id=f"{camera['id']}-preview") is not None
    assert not soup.find("script", src=False)
    assert any("camera.js" in s["src"] for s in soup.find_all("script"))


def test_the_phone_page_offers_no_account_links_even_to_someone_logged_in(phone_app, clock):
    applicant, filing_id = submitted_order(phone_app)
    passed_review(phone_app, clock, filing_id)
    _qr, path = _phone_link(applicant, filing_id)
    for client in (phone_app.test_client(), applicant):  # a stranger's phone, or the applicant's own browser
        header = page(client.get(path)).find("header")
        hrefs = [a["href"] for a in header.find_all("a")]
        assert not any(h.startswith(("/log-in", "/register", "/filings", "/change-password")) for h in hrefs), hrefs
        assert not header.find("form")  # no log-out either
        assert header.find("a", hreflang=True) is not None  # the language stays


def test_a_send_without_a_photo_says_to_take_it_first(phone_app, clock):
    applicant, filing_id = submitted_order(phone_app)
    passed_review(phone_app, clock, filing_id)
    _qr, path = _phone_link(applicant, filing_id)
    phone = phone_app.test_client()
    response = upload(phone, phone_app, filing_id, "administrator_photo", b"", page=path)
    assert response.status_code == 302 and response.location.endswith(path)
    soup = page(phone.get(path))
    assert "No photo arrived" in soup.find(id="file-administrator_photo-error").get_text()
    assert stored(phone_app, filing_id)["status"] == f.PHOTO_PENDING


def test_the_qr_page_gives_the_expiry_as_a_china_time_clock_and_a_link_to_copy(phone_app, clock):
    applicant, filing_id = submitted_order(phone_app)
    passed_review(phone_app, clock, filing_id)
    link_page, path = _phone_link(applicant, filing_id)
    text = link_page.find("main").get_text(" ", strip=True)
    # the clock pins 09:00 UTC: 17:00 in China, the link works for 30 minutes
    assert "until 27 November 2026, 17:30 China time" in text
    assert "李雷" in text
    box = link_page.find(id="phone-link")
    assert box.name != "input" and "link-box" in box["class"]  # the whole link wraps inside its box
    copy = link_page.find("button", attrs={"data-copy": "phone-link"})
    assert copy is not None and copy.has_attr("hidden")  # shown by static/copy.js; without it the text is selectable
    assert any("copy.js" in s["src"] for s in link_page.find_all("script"))


# --- the backdrop (issue 16 §12) --------------------------------------------------------------------------

def test_the_backdrop_form_starts_from_the_orders_answers(app, clock):
    applicant, filing_id = submitted_order(app)
    passed_review(app, clock, filing_id)
    soup = page(applicant.get(f"/filings/{filing_id}/backdrop"))
    assert soup.find(id="recipient")["value"] == "李雷"  # the administrator, who stands in front of it
    assert soup.find(id="address").get_text().strip() == SUBJECT_MAILING_ADDRESS  # step 3's mailing address
    assert soup.find(id="phone")["value"] == "13722223333"


def test_the_reviewer_reads_the_backdrop_address_as_an_address_label_and_sizes_in_chinese(app, clock):
    # it read "王芳、北京市海淀区中关村大街1号、13911112222": 、 joins things of a kind, not a name, an address and a phone
    applicant, filing_id = submitted_order(app)
    passed_review(app, clock, filing_id)
    backdrop_mailed(app, filing_id)
    reviewer = staff(app, REVIEWER)
    reviewer.get("/language/zh")
    soup = page(reviewer.get(f"/review/{filing_id}"))
    # the order's documents give their sizes as the catalogue writes them (800×600像素), not as bare numbers
    assert "800×600像素" in soup.get_text() and "800 × 600" not in soup.get_text()
    row = soup.find(id="backdrop-address")
    lines = [line for line in row.get_text("\n", strip=True).split("\n")]
    assert lines[:3] == ["王芳", "北京市海淀区中关村大街1号", "13911112222"], lines
    assert "、" not in row.get_text()


def test_the_backdrop_form_of_a_leader_who_is_the_administrator_names_the_leader(app, clock):
    applicant, filing_id = submitted_order(app, administrator_differs=False)
    passed_review(app, clock, filing_id)
    soup = page(applicant.get(f"/filings/{filing_id}/backdrop"))
    assert soup.find(id="recipient")["value"] == "王芳" and soup.find(id="phone")["value"] == "13911112222"


def test_no_backdrop_photo_is_taken_before_the_backdrop_is_mailed(app, clock):
    applicant, filing_id = submitted_order(app)
    passed_review(app, clock, filing_id)
    soup = page(applicant.get(f"/filings/{filing_id}/photo"), 409)
    assert "not been mailed" in soup.find("h1").get_text()
    assert soup.find("input", attrs={"type": "file"}) is None
    assert applicant.get(f"/filings/{filing_id}/photo/confirm?key=pending/x").status_code == 409
    # the domain refuses too: no upload form for a photo nobody can take yet
    filing = stored(app, filing_id)
    assert verification.waiting_for_backdrop(filing) and pipeline.document_kind(filing, "administrator_photo") is None
    with pytest.raises(KeyError):
        pipeline.upload_form(app.extensions["icp_blobs"], filing, "administrator_photo", redirect_url="x", now=clock())
    # applied for, still not mailed: still refused; once mailed, the upload page opens
    assert post_form(applicant, f"/filings/{filing_id}/backdrop", {
        "recipient": "李雷", "address": SUBJECT_MAILING_ADDRESS, "phone": "13722223333"}).status_code == 302
    assert applicant.get(f"/filings/{filing_id}/photo").status_code == 409
    backdrop_mailed(app, filing_id)
    assert page(applicant.get(f"/filings/{filing_id}/photo")).find("input", attrs={"type": "file"}) is not None


# --- the reviewer's photo review (issue 16 §7) --------------------------------------------------------------

def test_the_reviewer_sees_the_photo_inline_beside_the_administrators_id(app, clock):
    applicant, filing_id = submitted_order(app)
    passed_review(app, clock, filing_id)
    photo_uploaded(app, applicant, filing_id)
    reviewer = staff(app, REVIEWER)
    soup = page(reviewer.get(f"/review/{filing_id}"))
    section = soup.find(id="photo-review").find_next("div", class_="photo-review")
    sources = [img["src"] for img in section.find_all("img")]
    assert sources == [f"/review/{filing_id}/documents/{kind}"
                       for kind in ("administrator_photo", "admin_id_front", "admin_id_back")]
    assert "李雷" in soup.find(id="photo-review").find_next("p").get_text()
    # served as documents are to staff: a short-lived signed link, for staff only
    assert reviewer.get(sources[0]).status_code == 302
    assert applicant.get(sources[0]).status_code == 404


def _reasons_offered(soup) -> set:
    return {o["value"] for o in soup.find("select", id="reason").find_all("option") if o["value"]}


def test_a_backdrop_photo_is_rejected_for_backdrop_reasons_only(app, clock):
    applicant, filing_id = submitted_order(app)
    passed_review(app, clock, filing_id)
    photo_uploaded(app, applicant, filing_id)
    reviewer = staff(app, REVIEWER)
    assert _reasons_offered(page(reviewer.get(f"/review/{filing_id}"))) == set(
        rules.PHOTO_REJECTION_REASONS_BY_METHOD["backdrop"])
    # a live photo's reason is refused by the server, whatever the browser sent
    response = review_act(reviewer, filing_id, "photo/reject", {"reason": "background"})
    assert response.status_code == 400
    assert "Select one of the reasons listed" in page(response, 400).find(class_="error-summary").get_text()
    assert stored(app, filing_id)["status"] == f.PHOTO_REVIEW
    with pytest.raises(KeyError):
        review.reject_photo(app.extensions["icp_table"], stored(app, filing_id), "hat_or_glasses", "", actor=REVIEWER,
                            now=clock())
    assert review_act(reviewer, filing_id, "photo/reject", {"reason": "clothing"}).status_code == 302


def test_a_live_photo_is_rejected_for_live_photo_reasons_only(phone_app, clock):
    applicant, filing_id = submitted_order(phone_app)
    passed_review(phone_app, clock, filing_id)
    _qr, path = _phone_link(applicant, filing_id)
    assert upload(phone_app.test_client(), phone_app, filing_id, "administrator_photo", jpeg_bytes(800, 1000),
                  page=path).status_code == 200
    reviewer = staff(phone_app, REVIEWER)
    offered = _reasons_offered(page(reviewer.get(f"/review/{filing_id}")))
    assert offered == set(rules.PHOTO_REJECTION_REASONS_BY_METHOD["phone"])
    assert {"background", "hat_or_glasses", "blurred", "not_on_id"} <= offered
    assert not offered & {"clothing", "backdrop", "framing"}
    assert review_act(reviewer, filing_id, "photo/reject", {"reason": "clothing"}).status_code == 400
    assert review_act(reviewer, filing_id, "photo/reject", {"reason": "hat_or_glasses"}).status_code == 302
    status = page(applicant.get(f"/filings/{filing_id}")).get_text()
    assert "A hat or glasses" in status


@pytest.mark.parametrize("reason", ["clothing", "backdrop", "framing", "blurred", "person", "other"])
def test_reasons_stored_before_reasons_by_method_still_read(reason):
    # orders rejected before issue 16 keep these keys; the status page and the history look them up here
    assert reason in rules.PHOTO_REJECTION_REASONS


# --- what changed since the last return (issue 16 §9) -------------------------------------------------------

def _returned_and_corrected(app, clock):
    applicant, filing_id = submitted_order(app)
    table = app.extensions["icp_table"]
    filing, documents, _events = load_filing_with_parts(table, filing_id)
    review.return_with_comments(table, filing, documents, [{"target": "website:name", "text": "Use the licence's"}],
                                actor=REVIEWER, now=clock())
    save(applicant, filing_id, "website", {**WEBSITE, **ADMINISTRATOR, "name": "示例商城官方网站",
                                           "administrator_mobile": "13800001111"})
    upload(applicant, app, filing_id, "leader_id_front", jpeg_bytes(800, 600))
    # the changed administrator's mobile is confirmed with its own code before the order goes back
    assert submit(applicant, filing_id).status_code == 302
    return applicant, filing_id


def test_the_changes_since_the_last_return_read_as_labels_with_old_and_new_values(app, clock):
    _applicant, filing_id = _returned_and_corrected(app, clock)
    soup = page(staff(app, REVIEWER).get(f"/review/{filing_id}"))
    rows = {tr.find("th").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in soup.find(id="changes").find("tbody").find_all("tr")}
    assert rows == {"Website: name": ["示例科技商城", "示例商城官方网站"],
                    "Website administrator: mobile": ["13722223333", "13800001111"],
                    "Subject leader's ID, front": ["Replaced"]}
    text = soup.find(id="changes").get_text()
    assert "website.name" not in text and "document:" not in text


def test_the_changes_are_for_the_review_after_the_return_only_and_a_photo_is_no_change(app, clock):
    applicant, filing_id = _returned_and_corrected(app, clock)
    reviewer = staff(app, REVIEWER)
    assert review_act(reviewer, filing_id, "pass").status_code == 302
    photo_uploaded(app, applicant, filing_id)
    soup = page(reviewer.get(f"/review/{filing_id}"))
    assert soup.find(id="changes") is None and "Changed since the last return" not in soup.get_text()
    # even read in our review, the photo taken after it is not something the applicant changed
    filing, documents, _events = load_filing_with_parts(app.extensions["icp_table"], filing_id)
    changes = review.changes_since_return({**filing, "status": f.PROVIDER_REVIEW}, documents)
    assert ("document", "administrator_photo") not in [path for path, _old, _new in changes]


# --- a code consumed by this very order (issue 16 §10) ------------------------------------------------------

def test_an_approved_orders_own_service_code_is_no_problem_of_it(app, clock):
    applicant, filing_id = submitted_order(app)
    ready_for_administration(app, applicant, clock, filing_id)
    table = app.extensions["icp_table"]
    filing = review.send_to_administration(table, stored(app, filing_id), actor=REVIEWER, now=clock())
    administration.approve(table, filing, actor="administration@example.com", now=clock())
    assert stored(app, filing_id)["status"] == f.APPROVED
    text = page(staff(app, REVIEWER).get(f"/review/{filing_id}")).get_text()
    assert "has been used by an approved filing" not in text


# --- the return form: a comment box next to what it is about (issue 16 §13) ---------------------------------

def test_every_answer_and_document_has_its_comment_box_beside_it_and_pass_comes_after(app, clock):
    _applicant, filing_id = submitted_order(app)
    reviewer = staff(app, REVIEWER)
    soup = page(reviewer.get(f"/review/{filing_id}"))
    rows = soup.select(".review-list__row")
    keys = [row.find("dt").get_text(strip=True) for row in rows]
    for key in ("Website administrator: emergency phone", "Website administrator: certificate valid until",
                "Subject leader: emergency phone", "Website: remarks", "Website: name"):
        assert key in keys
    for row in rows:  # each row's own box, posted by the return form further down
        box = row.find("textarea")
        assert box is not None and box["form"] == "return-form"
        assert row.find("dt").get_text(strip=True) in row.find("label", attrs={"for": box["id"]}).get_text()
    cards = soup.select(".document-card")
    uploaded = [c for c in cards if c.find("img")]
    assert len(cards) == 8 and len(uploaded) == 7  # every document; the optional domain certificate is not up
    for card in cards:
        assert card.find("textarea")["form"] == "return-form"
    assert uploaded[0].find("img")["src"] == f"/review/{filing_id}/documents/subject_certificate"
    # the decision follows the content: no comment rows above the answers, Pass after the documents
    html = str(soup)
    assert html.index("document-card") < html.index(f'action="/review/{filing_id}/pass"')
    assert html.index(f'action="/review/{filing_id}/return"') < html.index(f'action="/review/{filing_id}/pass"')
    assert not soup.find("select", id=lambda i: i and i.startswith("comments-"))
    # staff copy, not the applicant's
    assert "This check does not stop you submitting" not in soup.get_text()


def test_comments_by_box_are_stored_by_target_as_before(app, clock):
    applicant, filing_id = submitted_order(app)
    reviewer = staff(app, REVIEWER)
    assert review_act(reviewer, filing_id, "return", {
        "comment-website-administrator_emergency_phone": "A landline with its area code",
        "comment-document-admin_id_back": "The validity is cut off",
        "comment-general": "See the two comments"}).status_code == 302
    assert stored(app, filing_id)["comments"] == [
        {"target": "website:administrator_emergency_phone", "text": "A landline with its area code"},
        {"target": "document:admin_id_back", "text": "The validity is cut off"},
        {"target": "", "text": "See the two comments"}]
    # the applicant reads the comment at the field it is about
    website = page(applicant.get(f"/filings/{filing_id}/website"))
    assert "A landline" in website.find(id="administrator_emergency_phone-comment").get_text()


def test_a_return_without_any_comment_is_refused_at_the_general_box(app, clock):
    _applicant, filing_id = submitted_order(app)
    reviewer = staff(app, REVIEWER)
    response = review_act(reviewer, filing_id, "return", {})
    soup = page(response, 400)
    assert soup.title.get_text().startswith("Error:")
    assert soup.find(class_="error-summary").find("a")["href"] == "#comment-general"
    assert "Write at least one comment" in soup.find(id="comment-general-error").get_text()
    assert stored(app, filing_id)["status"] == f.PROVIDER_REVIEW


def test_the_csp_lets_thumbnails_and_the_photo_preview_through_and_nothing_else():
    from app import content_security_policy

    policy = content_security_policy("https://icp-documents.s3.cn-north-1.amazonaws.com.cn")
    assert "img-src 'self' blob: https://icp-documents.s3.cn-north-1.amazonaws.com.cn;" in policy
    assert "default-src 'self';" in policy and "script-src" not in policy  # scripts stay this origin's only
    assert "img-src 'self' blob:;" in content_security_policy("")
