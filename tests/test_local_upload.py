"""The local store's /local-upload: every input, however malformed, gets a 4xx or a redirect, never a 5xx."""
from __future__ import annotations

import io

import pytest

from tests import images
from tests.conftest import field_error, page
from tests.document_uploads import make_ready_filing, post_multipart, upload_form, upload_url

KIND = "leader_id_front"


@pytest.fixture
def applicant(client, auth):
    """The demo applicant, logged in."""
    auth.login()
    return client


def signed_form(client, filing):
    """The action and signed fields of the document's upload form."""
    return upload_form(page(client.get(upload_url(filing, KIND))), KIND)


def refused_page(response):
    """The local store's refusal page (a 400, which tests.conftest.page does not take)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.h1.get_text(strip=True) == "The upload was refused"
    return soup


def raw_multipart(parts: list[tuple[str | None, str | None, bytes]]) -> tuple[bytes, str]:
    """Encode (name, file name, value) parts by hand, so a part may lack its name."""
    boundary = "----icp-test-boundary"
    body = b""
    for name, filename, value in parts:
        disposition = "form-data" + (f'; name="{name}"' if name is not None else "")
        disposition += f'; filename="{filename}"' if filename else ""
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("rename", ["Key", "Success_Action_Redirect", "POLICY", "Content-type", "SIGNATURE"])
def test_field_names_are_read_case_insensitively_as_s3_does(app, applicant, rename):
    filing = make_ready_filing(app)
    action, fields = signed_form(applicant, filing)
    original = next(name for name in fields if name.lower() == rename.lower())
    fields[rename] = fields.pop(original)
    response = post_multipart(applicant, action, {**fields, "file": (io.BytesIO(images.jpeg_bytes()), "a.jpg",
                                                                     "image/jpeg")})
    assert response.status_code == 303
    assert "/confirm?" in response.headers["Location"] and "error=" not in response.headers["Location"]


def test_a_file_field_named_in_capitals_is_the_file(app, applicant):
    filing = make_ready_filing(app)
    action, fields = signed_form(applicant, filing)
    response = post_multipart(applicant, action, {**fields, "File": (io.BytesIO(images.jpeg_bytes()), "a.jpg",
                                                                     "image/jpeg")})
    assert response.status_code == 303 and "error=" not in response.headers["Location"]


@pytest.mark.parametrize("extra", [
    [(None, None, b"a part without a name")],
    [(None, "scan.jpg", images.jpeg_bytes())],
    [("", None, b"an empty name")],
    [("key", None, b"pending/elsewhere/x")],
    [("KEY", None, b"pending/elsewhere/x")],
    [("photo", "second.jpg", images.jpeg_bytes())],
], ids=["nameless-field", "nameless-file", "empty-name", "key-twice", "key-twice-other-case", "two-files"])
def test_a_malformed_form_is_refused_with_a_4xx_and_a_way_back(app, applicant, extra):
    filing = make_ready_filing(app)
    action, fields = signed_form(applicant, filing)
    parts = [(name, None, value.encode()) for name, value in fields.items()] + extra
    parts.append(("file", "scan.jpg", images.jpeg_bytes()))
    body, content_type = raw_multipart(parts)
    response = applicant.post(action, data=body, content_type=content_type)
    assert 400 <= response.status_code < 500 or (
        response.status_code == 303 and "error=" in response.headers["Location"]), response.status_code
    if response.status_code == 303:
        soup = page(applicant.get(response.headers["Location"], follow_redirects=True))
        assert field_error(soup, f"file-{KIND}")
    else:
        assert refused_page(response).find("a", href="/filings")


def test_a_form_without_a_file_or_any_field_is_a_400(app, applicant):
    for body, content_type in (raw_multipart([]), raw_multipart([(None, None, b"x")]),
                               (b"not multipart at all", "multipart/form-data; boundary=nothing"),
                               (b"key=x", "application/x-www-form-urlencoded")):
        response = applicant.post("/local-upload", data=body, content_type=content_type)
        assert response.status_code == 400, (body, response.status_code)


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty. Choose the file again and upload it."),
    (b"x" * (10 * 1024 * 1024 + 1), "The file is larger than 5 MB. Upload a file of 5 MB or less."),
], ids=["empty", "over-the-storage-cap"])
def test_storage_refusals_are_told_next_to_the_field_on_the_document_page(app, applicant, data, message):
    filing = make_ready_filing(app)
    action, fields = signed_form(applicant, filing)
    response = post_multipart(applicant, action, {**fields, "file": (io.BytesIO(data), "a.jpg", "image/jpeg")})
    assert response.status_code == 303
    soup = page(applicant.get(response.headers["Location"], follow_redirects=True))
    assert soup.find("form", id=f"upload-{KIND}"), "back on the document's page, with its form"
    assert field_error(soup, f"file-{KIND}") == message
    assert soup.title.string.startswith("Error:")


def test_an_expired_form_is_told_on_the_document_page(app, applicant, clock):
    filing = make_ready_filing(app)
    action, fields = signed_form(applicant, filing)
    clock.advance(hours=2)
    response = post_multipart(applicant, action, {**fields, "file": (io.BytesIO(images.jpeg_bytes()), "a.jpg",
                                                                     "image/jpeg")})
    assert response.status_code == 303
    soup = page(applicant.get(response.headers["Location"], follow_redirects=True))
    assert field_error(soup, f"file-{KIND}") == "The upload form had expired. Choose the file and upload it again."


def test_a_forged_signature_gets_a_400_page_with_a_way_back(app, applicant):
    filing = make_ready_filing(app)
    action, fields = signed_form(applicant, filing)
    fields["signature"] = "0" * 64
    response = post_multipart(applicant, action, {**fields, "file": (io.BytesIO(b""), "a.jpg", "image/jpeg")})
    assert response.status_code == 400
    assert refused_page(response).find("a", href="/filings")
