"""Step 5, documents: which ones an order needs, uploads straight to storage and their confirmation."""
from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from bs4 import BeautifulSoup
from PIL import Image

from icp import filing as f
from icp.documents import documents_for, missing_documents
from icp.store.policy import decode_policy
from icp.uploads import UploadRefused
from icp.workflow import documents as workflow
from icp.workflow import load_filing_with_parts
from icp.workflow.common import changed, put_changed
from icp.workflow.drafting import NotEditable
from tests import images
from tests.conftest import AuthActions, csrf_token, field_error, form_fields, make_app, page
from tests.document_uploads import APPLICANT, documents_url, make_ready_filing, parts, post_file, post_multipart, \
    upload, upload_form, upload_url, url
from tests.store_fixtures import moto_server  # noqa: F401  (fixture)

MIB = 1024 * 1024
FORGED = "This upload does not belong to this document. Choose the file and upload it again."


# ---------------------------------------------------------------- helpers


def listed_kinds(soup: BeautifulSoup) -> list[str]:
    return [section["id"].removeprefix("document-") for section in soup.find_all("section", class_="document")]


def link(soup, text: str):
    """The first link whose visible text starts with text."""
    return next(a for a in soup.find_all("a") if a.get_text(" ", strip=True).startswith(text))


def notices(soup: BeautifulSoup) -> str:
    return " ".join(n.get_text(" ", strip=True) for n in soup.find_all(class_="notice"))


@pytest.fixture
def applicant(client, auth):
    """The demo applicant, logged in."""
    auth.login()
    return client


# ---------------------------------------------------------------- which documents


@pytest.mark.parametrize("nature, administrator_is_leader, province, expected", [
    ("individual", True, "beijing",
     ["leader_id_front", "leader_id_back", "authenticity_statement", "domain_certificate"]),
    ("enterprise", True, "beijing",
     ["subject_certificate", "leader_id_front", "leader_id_back", "authenticity_statement", "domain_certificate"]),
    ("enterprise", False, "beijing",
     ["subject_certificate", "leader_id_front", "leader_id_back", "admin_id_front", "admin_id_back",
      "authorisation_letter", "authenticity_statement", "domain_certificate"]),
    # the helper's leader holds a Beijing ID: Zhejiang asks a non-local individual for a residence permit too
    ("individual", False, "zhejiang",
     ["leader_id_front", "leader_id_back", "admin_id_front", "admin_id_back", "authorisation_letter",
      "authenticity_statement", "residence_permit", "domain_certificate"]),
    ("enterprise", True, "guangdong",
     ["subject_certificate", "leader_id_front", "leader_id_back", "authenticity_statement", "commitment_letter",
      "domain_certificate"]),
    # the helper's leader holds a Beijing ID: Shanghai asks a non-local individual for a residence permit
    ("individual", True, "shanghai",
     ["leader_id_front", "leader_id_back", "authenticity_statement", "commitment_letter", "residence_permit",
      "domain_certificate"]),
])
def test_the_list_follows_the_order(app, applicant, nature, administrator_is_leader, province, expected):
    filing = make_ready_filing(app, nature=nature, province=province,
                               administrator_is_leader=administrator_is_leader)
    assert [k.code for k in documents_for(filing)] == expected
    soup = page(applicant.get(documents_url(filing)))
    assert listed_kinds(soup) == expected
    for kind in expected:
        tag = soup.find("h2", id=f"document-{kind}-title").find(class_="tag").get_text(strip=True)
        assert tag == ("Optional" if kind == "domain_certificate" else "Required")
        assert soup.find(id=f"document-{kind}").find(string="Not uploaded")
    assert [k.code for k in missing_documents(filing, {})] == expected[:-1]


def test_the_list_states_the_rules_and_links_each_document_to_its_page(app, applicant):
    filing = make_ready_filing(app)
    soup = page(applicant.get(documents_url(filing)))
    assert soup.title.string.startswith("Upload your documents")
    rules_text = soup.find(id="upload-rules").get_text(" ", strip=True)
    for words in ("JPEG or PNG", "colour", "5 MB or less", "500 × 300", "5000 × 5000"):
        assert words in rules_text
    assert "Step 5 of 6: Documents" in soup.find(class_="steps").get_text(" ", strip=True)
    assert soup.find("a", class_="back-link")["href"] == url(app, "filings.answers_step", filing_id=filing["id"], step="website")
    assert soup.find("a", string="Continue")["href"] == url(app, "filings.check", filing_id=filing["id"])
    assert "4 required documents are still to upload." in soup.get_text(" ", strip=True)
    assert soup.find("form", attrs={"data-module": "upload"}) is None, "no upload form on the list"
    assert soup.find("input", type="file") is None
    assert soup.find("script", src=lambda src: src and "upload.js" in src) is None
    for kind in listed_kinds(soup):
        section = soup.find(id=f"document-{kind}")
        label = section.h2.contents[0].strip()
        assert link(section, "Upload").get_text(" ", strip=True) == f"Upload {label}"
        assert link(section, "Upload")["href"] == url(app, "documents.upload", filing_id=filing["id"], kind=kind)
        assert section.find(class_="hint").get_text(strip=True)


def test_the_upload_page_states_the_rules_and_wires_its_form(app, applicant):
    filing = make_ready_filing(app)
    assert url(app, "documents.upload", filing_id=filing["id"], kind="leader_id_front") == (
        upload_url(filing, "leader_id_front"))
    soup = page(applicant.get(upload_url(filing, "leader_id_front")))
    assert soup.title.string.startswith("Upload the subject leader's ID, front –")
    assert soup.h1.get_text(strip=True) == "Upload the subject leader's ID, front"
    assert "Step 5 of 6: Documents" in soup.find(class_="steps").get_text(" ", strip=True)
    assert soup.find("a", class_="back-link")["href"] == f"{documents_url(filing)}#document-leader_id_front"
    rules_text = soup.find(id="upload-rules").get_text(" ", strip=True)
    for words in ("JPEG or PNG", "colour", "5 MB or less", "500 × 300", "5000 × 5000"):
        assert words in rules_text
    assert soup.find(class_="error-summary") is None
    assert soup.find("a", string=lambda s: s and "to print" in s) is None, "not a letter"

    [form] = soup.find_all("form", attrs={"data-module": "upload"})
    assert form["id"] == "upload-leader_id_front" and form["data-kind"] == "leader_id_front"
    assert form["method"] == "post" and form["enctype"] == "multipart/form-data"
    assert form["action"] == "http://localhost/local-upload"
    file_input = form.find("input", type="file")
    assert file_input["accept"] == "image/jpeg,image/png"
    assert soup.find("label", attrs={"for": file_input["id"]}), "the file input has a label"
    described = file_input["aria-describedby"].split()
    assert "file-leader_id_front-hint" in described and "upload-rules" in described
    assert soup.find(id="file-leader_id_front-hint").get_text(strip=True).startswith("The side with the photo")
    assert form.find(attrs={"aria-live": "polite"}) is not None
    assert form.find("progress") is not None
    assert form.find("button", type="submit").get_text(strip=True) == "Upload"
    assert soup.find("script", src=re.compile(r"^/static/upload\.js\?v=[0-9a-f]{12}$"))  # content-hashed URL
    assert not soup.find("script", src=False), "no inline script (CSP default-src 'self')"
    assert soup.find(attrs={"data-upload-messages": True})["data-max-bytes"] == str(5 * MIB)

    _action, fields = upload_form(soup, "leader_id_front")
    assert fields["key"].startswith(f"pending/{filing['id']}/leader_id_front/")
    assert fields["success_action_redirect"] == (
        f"http://localhost/filings/{filing['id']}/documents/leader_id_front/confirm")
    conditions = decode_policy(fields)["conditions"]
    assert ["content-length-range", 1, 10 * MIB] in conditions  # twice the 5 MB rule: see upload_form
    assert ["starts-with", "$Content-Type", "image/"] in conditions
    assert {"success_action_redirect": fields["success_action_redirect"]} in conditions
    assert {"key": fields["key"]} in conditions
    # each page load issues a fresh random key; none comes from a file name
    _action, again = upload_form(page(applicant.get(upload_url(filing, "leader_id_front"))), "leader_id_front")
    assert again["key"] != fields["key"]


def test_a_letter_s_upload_page_offers_its_template(app, applicant):
    filing = make_ready_filing(app, province="guangdong")
    soup = page(applicant.get(upload_url(filing, "commitment_letter")))
    assert soup.h1.get_text(strip=True) == "Upload the filing commitment letter"
    template = link(soup, "Open the filing commitment letter to print")
    assert template["href"] == f"{documents_url(filing)}/commitment-letter"
    assert page(applicant.get(template["href"])).find("article", class_="letter")


@pytest.mark.parametrize("kind", ["commitment_letter", "authorisation_letter", "admin_id_front", "no_such_kind",
                                  "commitment-letter-x", "authenticity-statement-"])
def test_the_upload_page_of_a_document_the_order_does_not_need_is_404(app, applicant, kind):
    filing = make_ready_filing(app)  # beijing, the administrator is the leader
    assert applicant.get(upload_url(filing, kind)).status_code == 404


def test_the_letters_keep_their_urls_beside_the_upload_pages(app, applicant):
    filing = make_ready_filing(app)
    response = applicant.get(f"{documents_url(filing)}/authenticity-statement")
    assert response.status_code == 200 and page(response).find("article", class_="letter")
    upload_page = page(applicant.get(upload_url(filing, "authenticity_statement")))
    assert upload_page.find("form", id="upload-authenticity_statement")


def test_a_step_not_reached_redirects(app, applicant):
    table = app.extensions["icp_table"]
    filing = make_ready_filing(app)
    earlier = changed(filing, now=app.config["ICP_CLOCK"](), website=None,
                      steps={"type": True, "instance": True, "subject": True})
    table.write([put_changed(filing, earlier)])
    for path in (documents_url(filing), upload_url(filing, "leader_id_front")):
        response = applicant.get(path)
        assert response.status_code == 302
        assert response.headers["Location"] == url(app, "filings.answers_step", filing_id=filing["id"], step="website")


# ---------------------------------------------------------------- uploads through the local store


@pytest.mark.parametrize("data, content_type, width, height", [
    (images.jpeg_bytes(800, 600), "image/jpeg", 800, 600),
    (images.png_bytes(640, 960), "image/png", 640, 960),  # portrait: 500 × 300 either way round
])
def test_a_valid_image_is_confirmed_and_recorded(app, applicant, data, content_type, width, height):
    filing = make_ready_filing(app)
    blobs = app.extensions["icp_blobs"]
    soup, pending = upload(applicant, filing, "leader_id_front", data, filename="../../etc/passwd.jpg")
    assert soup.h1.get_text(strip=True) == "Upload your documents", "back on the list"
    assert "Subject leader's ID, front uploaded." in notices(soup)
    section = soup.find(id="document-leader_id_front")
    state = section.find(class_="document__state").get_text(" ", strip=True)
    assert "Uploaded" in state and f"{width} × {height} pixels" in state
    assert ("JPEG" if content_type == "image/jpeg" else "PNG") in state
    replace = link(section, "Replace")
    assert replace["href"] == upload_url(filing, "leader_id_front")
    replacing = page(applicant.get(replace["href"]))
    assert replacing.find("label", attrs={"for": "file-leader_id_front"}).get_text(strip=True) == (
        "Replace it with another file")
    assert f"{width} × {height} pixels" in replacing.find(class_="document__state").get_text(" ", strip=True)
    assert replacing.find("form", id="upload-leader_id_front").find("button").get_text(strip=True) == "Replace"

    stored, documents, events = parts(app, filing)
    document = documents["leader_id_front"]
    token = pending.rsplit("/", 1)[1]
    extension = "jpg" if content_type == "image/jpeg" else "png"
    assert document["key"] == f"documents/{filing['id']}/leader_id_front/{token}.{extension}"
    kept = blobs.read(document["key"])  # the clean copy (tests/test_clean_documents.py), not the upload's bytes
    assert (document["content_type"], document["size"], document["width"], document["height"]) == (
        content_type, len(kept), width, height)
    assert document["version"] == 1 and document["uploaded_at"]
    assert blobs.size(pending) is None, "the pending upload is gone"
    with Image.open(io.BytesIO(kept)) as image, Image.open(io.BytesIO(data)) as original:
        assert image.format == original.format and image.size == original.size
    assert stored["version"] == filing["version"] + 1
    assert stored["steps"]["documents"] is False, "other required documents are missing"
    assert events[-1]["action"] == "upload_document" and events[-1]["note"] == "leader_id_front"

    view = link(section, "View")
    signed = applicant.get(view["href"])  # a link signed at the moment it is opened
    assert signed.status_code == 302
    shown = applicant.get(signed.location)
    assert shown.status_code == 200 and shown.data == kept
    assert shown.headers["Content-Type"] == content_type


@pytest.mark.parametrize("data, filename, message", [
    (images.pdf_bytes(), "licence.jpg",
     "The file is a PDF document. Upload a photo or scan saved as JPEG or PNG."),
    (images.html_bytes(), "photo.jpg",
     "The file is a web page (HTML), not an image. Upload a photo or scan saved as JPEG or PNG."),
    (images.oversized_jpeg(5 * MIB, 1), "big.jpg", "The file is 5.1 MB. Upload a file of 5 MB or less."),
    (images.jpeg_bytes(100, 100), "tiny.jpg",
     "The image is 100 × 100 pixels. It must be at least 500 × 300 pixels."),
    (images.jpeg_bytes(450, 400), "small.jpg",
     "The image is 450 × 400 pixels. It must be at least 500 × 300 pixels."),
    (images.greyscale_jpeg(), "grey.jpg", "The image is black and white. Upload a colour photo or scan."),
    (images.truncated_jpeg(), "cut.jpg",
     "The image could not be read: it may be damaged or incomplete. Save it again and upload it."),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.jpg",
     "The file is an SVG drawing. Upload a photo or scan saved as JPEG or PNG."),
    (images.zip_bytes(), "scan.jpg", "The file is a ZIP archive or an Office document such as Word. "
     "Upload the photo or scan itself, saved as JPEG or PNG."),
], ids=["pdf-as-jpg", "html-as-jpg", "over-5-MB", "100x100", "450x400", "greyscale", "truncated", "svg-as-jpg",
        "zip-as-jpg"])
def test_a_refused_file_is_deleted_and_explained_on_its_upload_page(app, applicant, data, filename, message):
    filing = make_ready_filing(app)
    blobs = app.extensions["icp_blobs"]
    response, fields = post_file(applicant, filing, "authenticity_statement", data, filename=filename)
    confirmed = applicant.get(response.headers["Location"])
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == upload_url(filing, "authenticity_statement")
    soup = page(applicant.get(confirmed.headers["Location"]))
    assert soup.title.string.startswith("Error: Upload the authenticity statement")
    assert field_error(soup, "file-authenticity_statement") == message
    assert soup.find(class_="error-summary").find("a")["href"] == "#file-authenticity_statement"
    assert soup.find(id="file-authenticity_statement")["aria-invalid"] == "true"
    assert "file-authenticity_statement-error" in soup.find(id="file-authenticity_statement")["aria-describedby"]
    assert soup.find("form", id="upload-authenticity_statement"), "the page offers the form again"
    assert blobs.size(fields["key"]) is None, "the refused upload is deleted"
    _stored, documents, _events = parts(app, filing)
    assert documents == {}
    # the reason is shown once: reloading the page shows it without the refusal
    again = page(applicant.get(upload_url(filing, "authenticity_statement")))
    assert field_error(again, "file-authenticity_statement") is None
    assert not again.title.string.startswith("Error:")


def test_a_refusal_shows_only_on_its_own_document_s_page(app, applicant):
    filing = make_ready_filing(app)
    response, _fields = post_file(applicant, filing, "leader_id_back", images.pdf_bytes())
    applicant.get(response.headers["Location"])
    soup = page(applicant.get(upload_url(filing, "leader_id_front")))
    assert soup.find(class_="error-summary") is None and field_error(soup, "file-leader_id_front") is None
    assert field_error(page(applicant.get(upload_url(filing, "leader_id_back"))), "file-leader_id_back") is None, \
        "another page took the refusal out of the session"


def test_a_refusal_is_explained_in_the_language_of_the_page(app, applicant):
    filing = make_ready_filing(app)
    applicant.get("/language/zh")
    soup, _key = upload(applicant, filing, "leader_id_back", images.jpeg_bytes(100, 100))
    message = field_error(soup, "file-leader_id_back")
    assert message.endswith(" 图片尺寸为100×100像素，至少应为500×300像素。")  # after the hidden "错误："
    assert soup.title.string.startswith("错误")


def test_a_confirmation_that_keeps_conflicting_sends_back_to_the_upload_page(app, applicant, monkeypatch):
    from views.applicant import documents as view

    filing = make_ready_filing(app)
    response, _fields = post_file(applicant, filing, "leader_id_front", images.jpeg_bytes())

    def conflict(*args, **kwargs):
        raise view.Conflict("changed meanwhile")

    monkeypatch.setattr(view.workflow, "confirm_upload", conflict)
    confirmed = applicant.get(response.headers["Location"])
    assert confirmed.headers["Location"] == upload_url(filing, "leader_id_front")
    soup = page(applicant.get(confirmed.headers["Location"]))
    assert "changed in another window" in soup.find(class_="notice--warning").get_text()
    assert soup.find("form", id="upload-leader_id_front")


def test_an_empty_file_is_refused_by_storage_and_by_confirmation(app, applicant):
    filing = make_ready_filing(app)
    blobs = app.extensions["icp_blobs"]
    response, fields = post_file(applicant, filing, "leader_id_back", images.empty_bytes())
    # the signed policy asks for at least one byte: the store refuses and sends the browser back to say so
    assert response.status_code == 303 and "error=EntityTooSmall" in response.headers["Location"]
    assert blobs.size(fields["key"]) is None
    soup = page(applicant.get(response.headers["Location"], follow_redirects=True))
    assert field_error(soup, "file-leader_id_back") == "The file is empty. Choose the file again and upload it."
    # and were an empty object to arrive anyway, the confirmation refuses and deletes it
    blobs.put(fields["key"], b"", "image/jpeg")
    soup = page(applicant.get(f"{documents_url(filing)}/leader_id_back/confirm?key={fields['key']}",
                              follow_redirects=True))
    assert field_error(soup, "file-leader_id_back") == "The file is empty. Choose the file again and upload it."
    assert blobs.size(fields["key"]) is None


def test_a_confirmation_without_an_upload_says_so(app, applicant):
    filing = make_ready_filing(app)
    _action, fields = upload_form(page(applicant.get(upload_url(filing, "leader_id_back"))), "leader_id_back")
    soup = page(applicant.get(f"{documents_url(filing)}/leader_id_back/confirm?key={fields['key']}",
                              follow_redirects=True))
    assert field_error(soup, "file-leader_id_back") == "The upload did not arrive. Choose the file and upload it again."


def test_a_forged_key_is_refused_and_the_object_left_alone(app, applicant):
    blobs = app.extensions["icp_blobs"]
    mine, theirs = make_ready_filing(app), make_ready_filing(app, owner="other@example.com")
    other_filing = f"pending/{theirs['id']}/leader_id_front/{'a' * 32}"
    other_kind = f"pending/{mine['id']}/leader_id_back/{'b' * 32}"
    for key in (other_filing, other_kind):
        blobs.put(key, images.jpeg_bytes(), "image/jpeg")
    for key in (other_filing, other_kind, f"documents/{mine['id']}/leader_id_front/{'c' * 32}.jpg",
                f"pending/{mine['id']}/leader_id_front/../x", ""):
        soup = page(applicant.get(f"{documents_url(mine)}/leader_id_front/confirm", query_string={"key": key},
                                  follow_redirects=True))
        assert field_error(soup, "file-leader_id_front") == FORGED, key
    assert blobs.size(other_filing) and blobs.size(other_kind), "someone else's uploads are not touched"
    assert parts(app, mine)[1] == {} and parts(app, theirs)[1] == {}


@pytest.mark.parametrize("change", [
    {"key": "pending/OTHER/leader_id_front/" + "d" * 32},
    {"success_action_redirect": "https://evil.example/steal"},
    {"Content-Type": "text/html"},
    {"x-extra": "smuggled"},
], ids=["key", "redirect", "content-type", "extra-field"])
def test_a_tampered_form_is_refused_by_the_local_store(app, applicant, change):
    filing = make_ready_filing(app)
    action, fields = upload_form(page(applicant.get(upload_url(filing, "leader_id_front"))), "leader_id_front")
    tampered = {**fields, **change}
    response = post_multipart(applicant, action, {**tampered, "file": (io.BytesIO(images.jpeg_bytes()), "a.jpg")})
    assert response.status_code == 400
    blobs = app.extensions["icp_blobs"]
    assert blobs.size(fields["key"]) is None and blobs.size(tampered["key"]) is None


def test_a_tampered_policy_is_refused_by_the_local_store(app, applicant):
    import base64
    import json

    filing = make_ready_filing(app)
    action, fields = upload_form(page(applicant.get(upload_url(filing, "leader_id_front"))), "leader_id_front")
    document = decode_policy(fields)
    document["conditions"] = [c for c in document["conditions"] if not (isinstance(c, list)
                                                                         and c[0] == "content-length-range")]
    document["conditions"].append(["content-length-range", 1, 1024 ** 3])
    forged = base64.b64encode(json.dumps(document).encode()).decode()
    response = post_multipart(applicant, action, {**fields, "policy": forged,
                                                  "file": (io.BytesIO(images.jpeg_bytes()), "a.jpg")})
    assert response.status_code == 400
    assert "signature" in response.get_data(as_text=True)
    assert app.extensions["icp_blobs"].size(fields["key"]) is None


def test_replacing_a_document_deletes_the_old_file(app, applicant):
    filing = make_ready_filing(app)
    blobs = app.extensions["icp_blobs"]
    upload(applicant, filing, "leader_id_front", images.jpeg_bytes())
    first = parts(app, filing)[1]["leader_id_front"]
    soup, _pending = upload(applicant, filing, "leader_id_front", images.png_bytes(900, 700))
    assert "Subject leader's ID, front uploaded." in notices(soup)
    second = parts(app, filing)[1]["leader_id_front"]
    assert second["version"] == 2 and second["key"] != first["key"] and second["content_type"] == "image/png"
    assert blobs.size(first["key"]) is None, "the replaced file is deleted"
    assert blobs.size(second["key"]) == second["size"]
    # a refused replacement keeps the document that was there
    soup, _pending = upload(applicant, filing, "leader_id_front", images.pdf_bytes())
    assert field_error(soup, "file-leader_id_front").startswith("The file is a PDF document.")
    assert parts(app, filing)[1]["leader_id_front"] == second and blobs.size(second["key"])


def test_opening_the_confirmation_twice_is_harmless(app, applicant):
    filing = make_ready_filing(app)
    response, fields = post_file(applicant, filing, "leader_id_front", images.jpeg_bytes())
    confirmed = applicant.get(response.headers["Location"])
    assert confirmed.headers["Location"] == f"{documents_url(filing)}#document-leader_id_front"
    first = page(applicant.get(confirmed.headers["Location"]))
    again = page(applicant.get(response.headers["Location"], follow_redirects=True))
    assert "uploaded" in notices(first) and "uploaded" in notices(again)
    assert field_error(again, "file-leader_id_front") is None
    assert parts(app, filing)[1]["leader_id_front"]["version"] == 1


def test_removing_a_document_asks_first(app, applicant):
    filing = make_ready_filing(app)
    blobs = app.extensions["icp_blobs"]
    upload(applicant, filing, "authenticity_statement", images.jpeg_bytes())
    document = parts(app, filing)[1]["authenticity_statement"]
    soup = page(applicant.get(documents_url(filing)))
    remove_link = link(soup.find(id="document-authenticity_statement"), "Remove")
    confirmation = page(applicant.get(remove_link["href"]))
    assert confirmation.h1.get_text(strip=True) == "Remove “Authenticity statement”?"
    assert parts(app, filing)[1], "asking removes nothing"

    response = applicant.post(remove_link["href"], data={})
    assert response.status_code == 400, "no CSRF token, no removal"
    token = confirmation.find("input", attrs={"name": "csrf_token"})["value"]
    # the button posts the version of the document it was shown with (tests/test_stale_forms.py)
    form = confirmation.find("input", attrs={"name": "shown_version"}).find_parent("form")
    shown = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    soup = page(applicant.post(remove_link["href"], data=shown, follow_redirects=True))
    assert "Authenticity statement removed." in notices(soup)
    assert soup.find(id="document-authenticity_statement").find(string="Not uploaded")
    stored, documents, events = parts(app, filing)
    assert documents == {} and blobs.size(document["key"]) is None
    assert events[-1]["action"] == "remove_document"
    # pressing the button twice is harmless
    response = applicant.post(remove_link["href"], data={"csrf_token": token})
    assert response.status_code == 302 and parts(app, filing)[0]["version"] == stored["version"]


def test_the_documents_step_is_done_once_every_required_document_is_there(app, applicant):
    filing = make_ready_filing(app, nature="individual")
    for kind in ("leader_id_front", "leader_id_back"):
        upload(applicant, filing, kind, images.jpeg_bytes())
        assert parts(app, filing)[0]["steps"]["documents"] is False
    soup, _key = upload(applicant, filing, "authenticity_statement", images.jpeg_bytes())
    assert "Every required document is uploaded." in notices(soup)
    stored, documents, _events = parts(app, filing)
    assert stored["steps"]["documents"] is True and missing_documents(stored, documents) == []
    shown = form_fields(applicant, f"{documents_url(filing)}/leader_id_back/remove")
    applicant.post(f"{documents_url(filing)}/leader_id_back/remove", data=shown)
    stored, documents, _events = parts(app, filing)
    assert stored["steps"]["documents"] is False
    assert [k.code for k in missing_documents(stored, documents)] == ["leader_id_back"]


# ---------------------------------------------------------------- who may, and when


def test_another_applicant_gets_404_everywhere(app, client, auth):
    filing = make_ready_filing(app)
    upload_key = f"pending/{filing['id']}/leader_id_front/{'e' * 32}"
    app.extensions["icp_blobs"].put(upload_key, images.jpeg_bytes(), "image/jpeg")
    base = documents_url(filing)
    urls = [base, f"{base}/leader_id_front", f"{base}/leader_id_front/confirm?key={upload_key}",
            f"{base}/leader_id_front/remove",
            f"{base}/authenticity-statement", f"{base}/commitment-letter"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/log-in" in response.headers["Location"], url
    auth.register(email="other@example.com")
    for url in urls:
        assert client.get(url).status_code == 404, url
    token = csrf_token(client, "/")
    assert client.post(f"{base}/leader_id_front/remove", data={"csrf_token": token}).status_code == 404
    assert client.get("/filings/NOSUCHORDER/documents").status_code == 404
    assert app.extensions["icp_blobs"].size(upload_key), "nothing was confirmed or deleted"
    # staff do not use the applicant's wizard either
    auth.logout()
    auth.login("reviewer@example.com")
    assert client.get(base).status_code == 404


def test_a_submitted_order_refuses_uploads(app, applicant):
    table, blobs = app.extensions["icp_table"], app.extensions["icp_blobs"]
    filing = make_ready_filing(app)
    upload(applicant, filing, "leader_id_front", images.jpeg_bytes())
    filing, documents, _events = parts(app, filing)
    _action, fields = upload_form(page(applicant.get(upload_url(filing, "leader_id_back"))), "leader_id_back")
    submitted = changed(filing, now=app.config["ICP_CLOCK"](), status=f.PROVIDER_REVIEW)
    table.write([put_changed(filing, submitted)])

    blobs.put(fields["key"], images.jpeg_bytes(), "image/jpeg")
    response = applicant.get(f"{documents_url(filing)}/leader_id_back/confirm?key={fields['key']}")
    assert response.status_code == 302
    assert response.headers["Location"] == url(app, "filings.status", filing_id=filing["id"])
    assert blobs.size(fields["key"]) is None, "the late upload is deleted"
    stored, after, _events = parts(app, filing)
    assert after == documents and stored["version"] == submitted["version"]

    assert applicant.get(documents_url(filing)).status_code == 302
    assert applicant.get(upload_url(filing, "leader_id_back")).headers["Location"] == url(
        app, "filings.status", filing_id=filing["id"])
    token = csrf_token(applicant, "/")
    response = applicant.post(f"{documents_url(filing)}/leader_id_front/remove", data={"csrf_token": token})
    assert response.status_code == 302 and parts(app, filing)[1] == documents
    with pytest.raises(NotEditable):
        workflow.remove_document(table, blobs, submitted, "leader_id_front", now=app.config["ICP_CLOCK"]())
    with pytest.raises(NotEditable):
        workflow.confirm_upload(table, blobs, submitted, "leader_id_back", fields["key"],
                                now=app.config["ICP_CLOCK"]())


# ---------------------------------------------------------------- printable letters


def test_the_authenticity_statement_is_filled_in(app, applicant):
    filing = make_ready_filing(app, administrator_is_leader=False)
    soup = page(applicant.get(documents_url(filing)))
    template = link(soup.find(id="document-authenticity_statement"), "Open the authenticity statement to print")
    letter = page(applicant.get(template["href"]))
    text = letter.find("article", class_="letter").get_text(" ", strip=True)
    verified = filing["verified"]
    for expected in (verified["domain"], "北京测试科技有限公司", verified["certificate_number"], "测试网站", "李四",
                     "110105198001010018", "网站备案信息真实性核验单",
                     "Authenticity statement", "本单位郑重承诺"):
        assert expected in text
    # the page and the letter call it the same, and the signer dates it: not the UTC day it was printed
    assert "承诺书" not in letter.find("h2", class_="letter__title").get_text()
    assert "2026年11月27日" not in text and "2026-11-27" not in text
    assert "日期 Date ：______年____月____日" in text
    assert letter.find(class_="no-print"), "the instructions are not printed"


def test_an_individual_speaks_for_themselves(app, applicant):
    filing = make_ready_filing(app, nature="individual")
    letter = page(applicant.get(f"{documents_url(filing)}/authenticity-statement"))
    text = letter.find("article").get_text(" ", strip=True)
    assert "本人郑重承诺" in text and "I solemnly declare" in text and "本单位" not in text
    assert "主办者签字" in text and "盖章" not in text


@pytest.mark.parametrize("administrator_is_leader, province, name, status", [
    (False, "beijing", "authorisation-letter", 200),
    (True, "beijing", "authorisation-letter", 404),
    (True, "guangdong", "commitment-letter", 200),
    (True, "beijing", "commitment-letter", 404),
])
def test_other_letters_only_when_the_order_needs_them(app, applicant, administrator_is_leader, province, name,
                                                      status):
    filing = make_ready_filing(app, administrator_is_leader=administrator_is_leader, province=province)
    response = applicant.get(f"{documents_url(filing)}/{name}")
    assert response.status_code == status
    if status == 200:
        soup = page(response)
        text = soup.find("article").get_text(" ", strip=True)
        assert filing["verified"]["domain"] in text and "测试网站" in text
        if name == "commitment-letter":
            assert "广东省" in text
        else:
            assert "授权书" in text and "李四" in text and "张三" in text
        listed = page(applicant.get(documents_url(filing)))
        kind = name.replace("-", "_")
        assert listed.find(id=f"document-{kind}").find("a", href=f"{documents_url(filing)}/{name}")


def test_letter_text_is_escaped(app, applicant):
    table = app.extensions["icp_table"]
    filing = make_ready_filing(app)
    hostile = changed(filing, now=app.config["ICP_CLOCK"](),
                      website={**filing["website"], "name": "<script>alert(1)</script>"})
    table.write([put_changed(filing, hostile)])
    response = applicant.get(f"{documents_url(filing)}/authenticity-statement")
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert "&lt;script&gt;" in response.get_data(as_text=True)


# ---------------------------------------------------------------- the workflow on both backends


def test_confirm_replace_and_remove_on_each_backend(any_app, clock):
    table, blobs = any_app.extensions["icp_table"], any_app.extensions["icp_blobs"]
    filing = make_ready_filing(any_app, nature="individual")
    post = workflow.upload_form(blobs, filing, "leader_id_front", now=clock(),
                                redirect_url="http://localhost/filings/x/documents/leader_id_front/confirm")
    key = post["fields"]["key"]
    assert key.startswith(f"pending/{filing['id']}/leader_id_front/")
    conditions = decode_policy(post["fields"])["conditions"]
    assert ["content-length-range", 1, 10 * MIB] in conditions
    assert ["starts-with", "$Content-Type", "image/"] in conditions

    blobs.put(key, images.multi_picture_jpeg(), "image/jpeg")
    document = workflow.confirm_upload(table, blobs, filing, "leader_id_front", key, now=clock())
    assert document["key"].endswith(".jpg") and blobs.size(key) is None
    filing, documents, _events = load_filing_with_parts(table, filing["id"])
    assert documents["leader_id_front"] == document

    second = workflow.upload_form(blobs, filing, "leader_id_front", now=clock(), redirect_url="http://x/")
    blobs.put(second["fields"]["key"], images.png_bytes(), "image/png")
    replaced = workflow.confirm_upload(table, blobs, filing, "leader_id_front", second["fields"]["key"],
                                       now=clock(), documents=documents)
    assert replaced["version"] == 2 and blobs.size(document["key"]) is None

    third = workflow.upload_form(blobs, filing, "leader_id_back", now=clock(), redirect_url="http://x/")
    blobs.put(third["fields"]["key"], images.html_bytes(), "image/jpeg")
    with pytest.raises(UploadRefused) as refused:
        workflow.confirm_upload(table, blobs, filing, "leader_id_back", third["fields"]["key"], now=clock())
    assert refused.value.code == "wrong_type" and blobs.size(third["fields"]["key"]) is None

    with pytest.raises(UploadRefused) as refused:
        workflow.confirm_upload(table, blobs, filing, "leader_id_back", second["fields"]["key"], now=clock())
    assert refused.value.code == "forged_key"

    filing = load_filing_with_parts(table, filing["id"])[0]
    updated = workflow.remove_document(table, blobs, filing, "leader_id_front", now=clock())
    assert updated["version"] == filing["version"] + 1 and blobs.size(replaced["key"]) is None
    assert load_filing_with_parts(table, filing["id"])[1] == {}
    assert workflow.document_download_url(blobs, replaced, clock())


def test_a_confirmation_retries_when_the_order_changed_meanwhile(any_app, clock):
    table, blobs = any_app.extensions["icp_table"], any_app.extensions["icp_blobs"]
    stale = make_ready_filing(any_app, nature="individual")
    # another tab saved the website step after this page was loaded
    fresh = changed(stale, now=clock(), website={**stale["website"], "remarks": "changed"})
    table.write([put_changed(stale, fresh)])
    post = workflow.upload_form(blobs, stale, "leader_id_back", now=clock(), redirect_url="http://x/")
    blobs.put(post["fields"]["key"], images.jpeg_bytes(), "image/jpeg")
    workflow.confirm_upload(table, blobs, stale, "leader_id_back", post["fields"]["key"], now=clock(),
                            documents={})
    stored, documents, _events = load_filing_with_parts(table, stale["id"])
    assert stored["website"]["remarks"] == "changed", "the other change is kept"
    assert stored["version"] == fresh["version"] + 1 and "leader_id_back" in documents


def test_a_removal_retries_when_the_order_changed_meanwhile(any_app, clock):
    table, blobs = any_app.extensions["icp_table"], any_app.extensions["icp_blobs"]
    filing = make_ready_filing(any_app, nature="individual")
    post = workflow.upload_form(blobs, filing, "leader_id_back", now=clock(), redirect_url="http://x/")
    blobs.put(post["fields"]["key"], images.jpeg_bytes(), "image/jpeg")
    document = workflow.confirm_upload(table, blobs, filing, "leader_id_back", post["fields"]["key"], now=clock())
    stale, documents, _events = load_filing_with_parts(table, filing["id"])
    fresh = changed(stale, now=clock(), website={**stale["website"], "remarks": "changed"})
    table.write([put_changed(stale, fresh)])
    updated = workflow.remove_document(table, blobs, stale, "leader_id_back", now=clock(), documents=documents)
    assert updated["website"]["remarks"] == "changed" and updated["version"] == fresh["version"] + 1
    assert load_filing_with_parts(table, filing["id"])[1] == {} and blobs.size(document["key"]) is None


def test_an_order_submitted_meanwhile_keeps_its_documents(any_app, clock):
    table, blobs = any_app.extensions["icp_table"], any_app.extensions["icp_blobs"]
    stale = make_ready_filing(any_app, nature="individual")
    table.write([put_changed(stale, changed(stale, now=clock(), status=f.PROVIDER_REVIEW))])
    post = workflow.upload_form(blobs, stale, "leader_id_back", now=clock(), redirect_url="http://x/")
    blobs.put(post["fields"]["key"], images.jpeg_bytes(), "image/jpeg")
    with pytest.raises(NotEditable):
        workflow.confirm_upload(table, blobs, stale, "leader_id_back", post["fields"]["key"], now=clock(),
                                documents={})
    assert load_filing_with_parts(table, stale["id"])[1] == {}
    assert blobs.size(post["fields"]["key"]) is None
    assert blobs.size(f"documents/{stale['id']}/leader_id_back/{post['fields']['key'].rsplit('/', 1)[1]}.jpg") \
        is None, "the copy made before the write is deleted"


# ---------------------------------------------------------------- against S3 (a moto server)


@pytest.fixture
def s3_app(moto_server, tmp_path, clock):  # noqa: F811
    """The app on the aws backend, its table and bucket on a moto server that really answers HTTP."""
    moto_server.reset()
    app = make_app("aws", tmp_path, clock, dynamodb_endpoint_url=moto_server.url,
                   s3_endpoint_url=moto_server.url)
    return app


def post_to_s3(client, filing, kind, data, content_type="image/jpeg"):
    """Post the upload page's form to S3 as a browser without JavaScript does; returns (the 303's location, key)."""
    action, fields = upload_form(page(client.get(upload_url(filing, kind))), kind)
    assert action.startswith("http://127.0.0.1:"), "the form posts straight to the bucket"
    response = requests.post(action, data=fields, files={"file": ("scan.jpg", data, content_type)},
                             allow_redirects=False, timeout=10)
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["Location"])
    assert location.path == f"/filings/{filing['id']}/documents/{kind}/confirm"
    assert parse_qs(location.query)["key"] == [fields["key"]]
    return location, fields


def test_uploads_to_s3_are_confirmed_and_refused(s3_app):
    client = s3_app.test_client()
    AuthActions(client).login()
    blobs = s3_app.extensions["icp_blobs"]
    filing = make_ready_filing(s3_app)

    action, fields = upload_form(page(client.get(upload_url(filing, "subject_certificate"))), "subject_certificate")
    conditions = decode_policy(fields)["conditions"]
    assert ["content-length-range", 1, 10 * MIB] in conditions
    assert ["starts-with", "$Content-Type", "image/"] in conditions
    assert {"success_action_redirect": fields["success_action_redirect"]} in conditions
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"

    data = images.jpeg_bytes(1200, 800)
    location, fields = post_to_s3(client, filing, "subject_certificate", data)
    soup = page(client.get(f"{location.path}?{location.query}", follow_redirects=True))
    assert "Subject certificate uploaded." in notices(soup)
    document = parts(s3_app, filing)[1]["subject_certificate"]
    kept = blobs.read(document["key"])  # the clean copy
    assert blobs.size(fields["key"]) is None and kept.startswith(b"\xff\xd8") and document["size"] == len(kept)
    view = link(soup.find(id="document-subject_certificate"), "View")
    signed = client.get(view["href"])
    assert signed.status_code == 302
    fetched = requests.get(signed.location, timeout=10)
    assert fetched.status_code == 200 and fetched.content == kept
    assert fetched.headers["Content-Type"] == "image/jpeg"

    location, fields = post_to_s3(client, filing, "leader_id_front", images.html_bytes())
    soup = page(client.get(f"{location.path}?{location.query}", follow_redirects=True))
    assert field_error(soup, "file-leader_id_front").startswith("The file is a web page (HTML)")
    assert blobs.size(fields["key"]) is None, "the refused object is gone from the bucket"
    assert "leader_id_front" not in parts(s3_app, filing)[1]

    # replacing deletes the old object from the bucket too
    location, _fields = post_to_s3(client, filing, "subject_certificate", images.png_bytes(), "image/png")
    client.get(f"{location.path}?{location.query}")
    assert blobs.size(document["key"]) is None
    assert parts(s3_app, filing)[1]["subject_certificate"]["content_type"] == "image/png"


# ---------------------------------------------------------------- in a real browser


@pytest.fixture
def live_server(app):
    """The local app served over HTTP on a free port, for a real browser (tests/browser.py's server)."""
    from tests.browser import serve

    with serve(app) as base:
        yield base


@pytest.fixture
def browser():
    """Debian's chromium driven by Playwright, launched as tests/browser.py launches it (skipped without it)."""
    from tests.browser import browser as shared_browser
    from tests.browser import chromium_available

    if not chromium_available():
        pytest.skip("chromium is not installed")
    with shared_browser() as chromium:
        yield chromium


def browser_page(browser, base: str, *, javascript: bool):
    """A logged-in browser tab of the demo applicant."""
    tab = browser.new_context(java_script_enabled=javascript).new_page()
    tab.goto(f"{base}/log-in")
    tab.fill("#email", APPLICANT)
    tab.fill("#password", "demo-password")
    tab.click("main button[type=submit]")
    tab.wait_for_load_state()
    return tab


def open_upload_page(tab, kind: str):
    """Follow the list's link to the page that uploads one document."""
    with tab.expect_navigation():
        tab.click(f"#document-{kind} a[href$='/documents/{kind}']")
    assert tab.locator(f"#upload-{kind}").count() == 1


def choose(tab, kind: str, data: bytes, name: str = "scan.jpg", mime: str = "image/jpeg"):
    tab.set_input_files(f"#file-{kind}", files=[{"name": name, "mimeType": mime, "buffer": data}])
    tab.click(f"#upload-{kind} button[type=submit]")


@pytest.mark.browser
def test_uploads_without_javascript(app, live_server, browser):
    filing = make_ready_filing(app)
    tab = browser_page(browser, live_server, javascript=False)
    tab.goto(live_server + documents_url(filing))
    open_upload_page(tab, "leader_id_front")
    choose(tab, "leader_id_front", images.jpeg_bytes())
    tab.wait_for_selector(".notice--success")
    assert "Subject leader's ID, front uploaded." in tab.inner_text(".notice--success")
    assert urlsplit(tab.url).path == documents_url(filing)
    assert urlsplit(tab.url).fragment == "document-leader_id_front"
    open_upload_page(tab, "leader_id_back")
    choose(tab, "leader_id_back", images.pdf_bytes(), name="scan.jpg")
    tab.wait_for_selector("#file-leader_id_back-error")
    assert urlsplit(tab.url).path == upload_url(filing, "leader_id_back")
    assert "PDF document" in tab.inner_text("#file-leader_id_back-error")
    assert "PDF document" in tab.inner_text(".error-summary")
    assert set(parts(app, filing)[1]) == {"leader_id_front"}


@pytest.mark.browser
def test_uploads_with_javascript_show_progress_and_the_result_in_place(app, live_server, browser):
    filing = make_ready_filing(app)
    tab = browser_page(browser, live_server, javascript=True)
    errors = []
    tab.on("pageerror", lambda error: errors.append(error))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.goto(live_server + documents_url(filing))
    open_upload_page(tab, "leader_id_front")
    tab.evaluate("window.stillTheSamePage = true")
    choose(tab, "leader_id_front", images.png_bytes(900, 700), name="scan.png", mime="image/png")
    tab.wait_for_selector(".notice--success")
    # the list the confirmation led to, shown without loading it again (which would lose its message)
    assert "Subject leader's ID, front uploaded." in tab.inner_text(".notice--success")
    assert tab.evaluate("window.stillTheSamePage") is True, "the result is shown without loading the page again"
    assert tab.title().startswith("Upload your documents")
    assert urlsplit(tab.url).path == documents_url(filing)
    assert urlsplit(tab.url).fragment == "document-leader_id_front"
    document = parts(app, filing)[1]["leader_id_front"]
    assert document["content_type"] == "image/png"
    assert tab.locator("#document-leader_id_front .document__state").inner_text().count("900 × 700") == 1
    # Back returns to the upload page, loaded afresh
    with tab.expect_navigation():
        tab.go_back()
    assert urlsplit(tab.url).path == upload_url(filing, "leader_id_front")
    tab.wait_for_selector("#upload-leader_id_front")
    assert tab.evaluate("window.stillTheSamePage") is None

    # a refusal shows on the upload page, in place, and takes focus; the swapped-in form is enhanced too
    tab.goto(live_server + upload_url(filing, "authenticity_statement"))
    tab.evaluate("window.stillTheSamePage = true")
    choose(tab, "authenticity_statement", images.html_bytes(), name="photo.jpg")
    tab.wait_for_selector("#file-authenticity_statement-error")
    assert "web page (HTML)" in tab.inner_text("#file-authenticity_statement-error")
    assert tab.evaluate("document.activeElement.classList.contains('error-summary')")
    assert tab.title().startswith("Error: Upload the authenticity statement")
    assert urlsplit(tab.url).path == upload_url(filing, "authenticity_statement")
    choose(tab, "authenticity_statement", images.jpeg_bytes())
    tab.wait_for_selector(".notice--success")
    assert "Authenticity statement uploaded." in tab.inner_text(".notice--success")
    assert tab.evaluate("window.stillTheSamePage") is True
    assert set(parts(app, filing)[1]) == {"leader_id_front", "authenticity_statement"}
    assert errors == []

    # a file over the limit is refused before it is sent
    tab.goto(live_server + upload_url(filing, "leader_id_back"))
    choose(tab, "leader_id_back", images.oversized_jpeg(5 * MIB, 1))
    tab.wait_for_function("document.querySelector('#file-leader_id_back-status').textContent.length > 0")
    assert "larger than 5 MB" in tab.inner_text("#file-leader_id_back-status")
    assert "leader_id_back" not in parts(app, filing)[1]


@pytest.fixture
def s3_live_server(s3_app):
    """The aws-backed app served over HTTP, its bucket on the moto server (tests/browser.py's server)."""
    from tests.browser import serve

    with serve(s3_app) as base:
        yield base


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_uploads_to_s3_from_a_browser(s3_app, s3_live_server, browser, javascript):
    filing = make_ready_filing(s3_app)
    tab = browser_page(browser, s3_live_server, javascript=javascript)
    tab.goto(s3_live_server + documents_url(filing))
    open_upload_page(tab, "leader_id_front")
    choose(tab, "leader_id_front", images.jpeg_bytes())
    tab.wait_for_selector(".notice--success")
    assert "Subject leader's ID, front uploaded." in tab.inner_text(".notice--success")
    assert urlsplit(tab.url).path == documents_url(filing)
    open_upload_page(tab, "leader_id_back")
    choose(tab, "leader_id_back", images.jpeg_bytes(100, 100))
    tab.wait_for_selector("#file-leader_id_back-error")
    assert urlsplit(tab.url).path == upload_url(filing, "leader_id_back")
    assert "100 × 100 pixels" in tab.inner_text("#file-leader_id_back-error")
    assert set(parts(s3_app, filing)[1]) == {"leader_id_front"}


# ---------------------------------------------------------------- a returned order's comments on its documents


def test_a_reviewer_s_comment_on_a_document_shows_beside_it_and_on_its_upload_page(app, clock):
    """Issue 16 (5): comments on documents showed on the status and check pages only, not where the file is
    uploaded again."""
    from icp.workflow import review
    from tests.workflow_helpers import REVIEWER, stored, submitted_order

    client, filing_id = submitted_order(app)
    table = app.extensions["icp_table"]
    filing, documents, _events = load_filing_with_parts(table, filing_id)
    review.return_with_comments(table, filing, documents, [
        {"target": "document:leader_id_back", "text": "The back is cut off: <b>scan</b> the whole card"},
        {"target": "document:authorisation_letter", "text": "Sign it by hand"},
        {"target": "website:name", "text": "Use the name on the licence"}], actor=REVIEWER, now=clock())
    assert stored(app, filing_id)["status"] == f.RETURNED

    soup = page(client.get(f"/filings/{filing_id}/documents"))
    comments = {section["id"]: section.find(class_="comment") for section in soup.select("section.document")}
    assert "The back is cut off: <b>scan</b> the whole card" in comments["document-leader_id_back"].get_text()
    assert "Sign it by hand" in comments["document-authorisation_letter"].get_text()
    assert comments["document-leader_id_front"] is None  # only beside the document it is about
    assert "Use the name on the licence" not in soup.get_text()  # a field's comment stays at its field

    upload_page = page(client.get(f"/filings/{filing_id}/documents/leader_id_back"))
    comment = upload_page.find(id="file-leader_id_back-comment")
    assert "Our reviewer:" in comment.get_text() and "scan" in comment.get_text()
    assert not upload_page.find("b"), "the comment is shown as text"
    assert "file-leader_id_back-comment" in upload_page.find(id="file-leader_id_back")["aria-describedby"]
    assert page(client.get(f"/filings/{filing_id}/documents/leader_id_front")).find(class_="comment") is None
