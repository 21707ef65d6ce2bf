"""Orders ready for their documents, and uploads through the local store as a browser without JavaScript posts them."""
from __future__ import annotations

import io
import itertools
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from icp.workflow import load_filing_with_parts
from icp.workflow.common import changed, put_changed
from icp.workflow.drafting import VerifiedType, start_filing
from tests.conftest import page

APPLICANT = "applicant@example.com"

_numbers = itertools.count(1)


def person(name: str, number: str) -> dict:
    """A subject leader or website administrator as the subject and website steps store them."""
    return {"name": name, "certificate_type": "resident_id", "certificate_number": number,
            "certificate_valid_until": "2035-01-01", "mobile": "13912345678", "emergency_phone": "13812345678",
            "email": "person@example.com"}


def make_ready_filing(app, owner: str = APPLICANT, *, nature: str = "enterprise", province: str = "beijing",
                      administrator_is_leader: bool = True, now=None) -> dict:
    """A draft order whose steps type, instance, subject and website are done, written straight to the table."""
    table = app.extensions["icp_table"]
    now = now or app.config["ICP_CLOCK"]()
    n = next(_numbers)
    individual = nature == "individual"
    verified = VerifiedType(
        province=province, nature=nature,
        certificate_type="resident_id" if individual else "business_licence",
        certificate_number=f"11010519491231{n:04d}" if individual else f"91110108MA01TEST{n:02d}",
        domain=f"示例{n}.中国" if n % 2 else f"example-{n}.cn",
        domain_ascii=f"xn--example{n}.xn--fiqs8s" if n % 2 else f"example-{n}.cn",
        filing_type="new_subject", subject_name="", subject_icp_number="",
    )
    filing = start_filing(table, owner=owner, owner_mobile="13800138000", verified=verified, language="en",
                          now=now)
    subject = {"name": "张三" if individual else "北京测试科技有限公司", "certificate_address": "北京市海淀区",
               "mailing_address": "北京市海淀区", "investor": "张三", "leader": person("张三", "110105194912310021"),
               **({} if individual else {"certificate_long_term": True, "certificate_valid_until": ""})}
    website = {"name": "测试网站", "home_url": "www.example.cn", "service_content": "general", "languages": ["zh"],
               "preapproval_items": [], "approval_number": "", "approval_department": "", "remarks": "",
               "administrator_is_leader": administrator_is_leader,
               "administrator": None if administrator_is_leader else person("李四", "110105198001010018")}
    updated = changed(filing, now=now, subject=subject, website=website,
                      steps={"type": True, "instance": True, "subject": True, "website": True})
    table.write([put_changed(filing, updated)])
    return updated


def url(app, endpoint: str, **values) -> str:
    """The path of an endpoint of the app."""
    from flask import url_for

    with app.test_request_context():
        return url_for(endpoint, **values)


def documents_url(filing: dict) -> str:
    return f"/filings/{filing['id']}/documents"


def upload_url(filing: dict, kind: str) -> str:
    """The page that uploads one document."""
    return f"/filings/{filing['id']}/documents/{kind}"


def upload_form(soup: BeautifulSoup, kind: str) -> tuple[str, dict]:
    """The action and hidden fields of one document's upload form."""
    form = soup.find("form", id=f"upload-{kind}")
    assert form is not None, f"no upload form for {kind}"
    inputs = form.find_all("input")
    assert inputs[-1]["type"] == "file" and inputs[-1]["name"] == "file", "the file is the last field"
    return form["action"], {i["name"]: i["value"] for i in inputs if i["type"] == "hidden"}


def post_file(client, filing: dict, kind: str, data: bytes, filename: str = "scan.jpg",
              content_type: str = "image/jpeg"):
    """Post a file through the document's page's form to the local store, as a browser without JavaScript does."""
    action, fields = upload_form(page(client.get(upload_url(filing, kind))), kind)
    return post_multipart(client, action, {**fields, "file": (io.BytesIO(data), filename, content_type)}), fields


def post_multipart(client, action: str, data: dict):
    """Post a multipart form, encoded in memory (the test client leaves its temporary file open above 500 KB)."""
    data = {name: FileStorage(*value) if isinstance(value, tuple) else value for name, value in data.items()}
    body, _length, boundary = stream_encode_multipart(data, use_tempfile=False)
    return client.post(action, data=body.getvalue(), content_type=f"multipart/form-data; boundary={boundary}")


def upload(client, filing: dict, kind: str, data: bytes, **file):
    """Upload through the local store and follow its redirect to the confirmation; returns (page, key).

    The page is the documents list when the file is accepted, the document's upload page when it is refused.
    """
    response, fields = post_file(client, filing, kind, data, **file)
    assert response.status_code == 303, response.get_data(as_text=True)
    location = urlsplit(response.headers["Location"])
    assert location.path == f"/filings/{filing['id']}/documents/{kind}/confirm"
    assert parse_qs(location.query)["key"] == [fields["key"]]
    confirmed = client.get(response.headers["Location"], follow_redirects=True)
    return page(confirmed), fields["key"]


def parts(app, filing):
    """The order, its documents and its history as stored now."""
    return load_filing_with_parts(app.extensions["icp_table"], filing["id"])
