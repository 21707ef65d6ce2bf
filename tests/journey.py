"""Walk the applicant's procedure through HTTP, as a browser with JavaScript off would."""
from __future__ import annotations

import io
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from tests.conftest import form_fields
from tests.images import jpeg_bytes

BEIJING_ENTERPRISE = {"province": "beijing", "nature": "enterprise", "certificate_type": "business_licence",
                      "certificate_number": "91110108MA01ABCD0B", "domain": "example-shop.cn"}
SUBJECT = {
    "certificate_address": "北京市海淀区中关村大街1号", "mailing_address": "北京市海淀区中关村大街1号2号楼301室",
    "investor": "北京示例科技有限公司", "leader_name": "王芳", "leader_certificate_type": "resident_id",
    "leader_certificate_number": "11010519491231002X", "leader_certificate_valid_until-day": "1",
    "leader_certificate_valid_until-month": "1", "leader_certificate_valid_until-year": "2035",
    "leader_mobile": "13911112222", "leader_emergency_phone": "010-62345678", "leader_email": "wang@example-shop.cn",
    # an organisation's certificate term (issue 20, item 10): the demo company's licence has no end date
    "subject_certificate_long_term": "y",
    "leader_is_legal_representative": "yes",
}
WEBSITE = {"name": "示例科技商城", "home_url": "http://www.example-shop.cn", "service_content": ["online_shop"],
           "languages": ["zh_hans", "en"], "administrator_is_leader": "yes"}
ADMINISTRATOR = {
    "administrator_is_leader": "no", "administrator_name": "李雷", "administrator_certificate_type": "resident_id",
    "administrator_certificate_number": "440106199208150064", "administrator_certificate_valid_until-day": "1",
    "administrator_certificate_valid_until-month": "5", "administrator_certificate_valid_until-year": "2036",
    "administrator_mobile": "13722223333", "administrator_emergency_phone": "020-81234567",
    "administrator_email": "li@example-shop.cn",
}


def date_boxes(name: str, iso: str = "") -> dict:
    """The three boxes of a date field (forms/dates.py) holding an ISO date, or empty."""
    year, month, day = iso.split("-") if iso else ("", "", "")
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def post_form(client, path: str, data: dict, **kwargs):
    """Post a form with the hidden fields of the page it is on (CSRF token, the version shown)."""
    return client.post(path, data={**form_fields(client, path), **data}, **kwargs)


def start(client, **overrides) -> str:
    """Step 1; returns the new order's number."""
    response = post_form(client, "/filings/new", {**BEIJING_ENTERPRISE, **overrides})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response.location.split("/")[2]


BEIJING_APP = {"province": "beijing", "nature": "enterprise", "certificate_type": "business_licence",
               "certificate_number": "91110108MA01ABCD0B", "app_name": "青松天气", "domains": "example-shop.cn\nexample-tech.cn"}


# the app step's answers (forms/app.py): Android and iOS, the subject leader as app administrator
APP_MODULUS = "C1" * 256  # 2048 bits
APP = {
    "service_content": ["other"], "language": "zh_hans", "remarks": "", "sdk_offered": "no",
    "third_party_sdks": "高德定位SDK",
    "platform_android": "y", "android_package": "cn.qingsong.weather", "android_public_key": APP_MODULUS.lower(),
    "android_md5": "559ff7fa4a0e11229ee559c99a3a088e",
    "platform_ios": "y", "ios_bundle_id": "cn.qingsong.weather", "ios_public_key": APP_MODULUS,
    "ios_sha1": "15:3E:C8:9D:A7:0E:11:22:33:59:DF:46:F1:53:AF:84:C9:BF:D0:61",
    "administrator_is_leader": "yes",
}


def start_app(client, **overrides) -> str:
    """Step 1 of an app order; returns the new order's number."""
    response = post_form(client, "/filings/new-app", {**BEIJING_APP, **overrides})
    assert response.status_code == 302, errors(response) or response.get_data(as_text=True)[:3000]
    return response.location.split("/")[2]


def bind_code(client, filing_id: str, code: str = "DEMO7K2M9QX4LP8A"):
    """Step 2."""
    response = post_form(client, f"/filings/{filing_id}/instance",
                         {"product_type": "alibaba_cloud", "service_code": code})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def save(client, filing_id: str, step: str, data: dict):
    """Steps 3 and 4."""
    response = post_form(client, f"/filings/{filing_id}/{step}", data)
    assert response.status_code == 302, errors(response)
    return response


def errors(response) -> list[str]:
    """The field error messages on a page."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [e.get_text(" ", strip=True) for e in soup.select(".error-message")]


def upload(client, app, filing_id: str, kind: str, data: bytes, filename: str = "scan.jpg", page: str | None = None,
           before_confirm=None):
    """Upload one document the way its page's form does, then follow storage's redirect to the confirmation
    (calling `before_confirm()` first, if given: to count what the confirmation alone does)."""
    page = page or f"/filings/{filing_id}/documents/{kind}"
    soup = BeautifulSoup(client.get(page).get_data(as_text=True), "html.parser")
    form = soup.find("form", attrs={"data-kind": kind})
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("type") != "file"}
    if urlsplit(form["action"]).hostname == "localhost":
        # the local store: this app's own /local-upload
        response = client.post(urlsplit(form["action"]).path, data={**fields, "file": (io.BytesIO(data), filename)},
                               content_type="multipart/form-data")
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        location = response.location
    else:
        # aws backend in-process under moto: moto does not enforce POST policies (their own tests do);
        # put the object where the signed form would, and follow the redirect S3 would send
        app.extensions["icp_blobs"].put(fields["key"], data, fields.get("Content-Type", "image/jpeg"))
        location = f"{fields['success_action_redirect']}?bucket=b&key={fields['key']}&etag=x"
    parts = urlsplit(location)
    if before_confirm is not None:
        before_confirm()
    return client.get(f"{parts.path}?{parts.query}")


def ready_for_documents(app) -> tuple:
    """A new order of the demo applicant with steps 1 to 4 done, no document up yet; returns (client logged in
    as the applicant, order number)."""
    from tests.conftest import AuthActions

    client = app.test_client()
    AuthActions(client).login()
    filing_id = start(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", SUBJECT)
    save(client, filing_id, "website", {**WEBSITE, **ADMINISTRATOR})
    return client, filing_id


def ready_to_submit(app) -> tuple:
    """A new order of the demo applicant with every step done and every required document up, not submitted;
    returns (client logged in as the applicant, order number)."""
    client, filing_id = ready_for_documents(app)
    upload_required(client, app, filing_id)
    return client, filing_id


def upload_required(client, app, filing_id: str, confirm: bool = True):
    """Upload a valid colour JPEG for every required document, each from its own page, then (unless `confirm` is
    False) confirm the order's mobiles on the check page (confirm_mobiles); returns every kind listed."""
    soup = BeautifulSoup(client.get(f"/filings/{filing_id}/documents").get_data(as_text=True), "html.parser")
    sections = soup.find_all("section", class_="document")
    kinds = [section["id"].removeprefix("document-") for section in sections]
    # an optional document (the grey tag) is left out, as an applicant may; a province may require the domain
    # certificate (rules.DOMAIN_CERTIFICATE_RULES)
    optional = {section["id"].removeprefix("document-") for section in sections
                if "tag--grey" in section.find("h2").find(class_="tag")["class"]}
    for kind in kinds:
        if kind in optional:
            continue
        # an app's icon is small and square (rules.APP_ICON_POLICY); every other document a 800 × 600 scan
        data = jpeg_bytes(256, 256) if kind == "app_icon" else jpeg_bytes(800, 600)
        response = upload(client, app, filing_id, kind, data)
        assert response.status_code == 302, errors(response)
    if confirm:
        confirm_mobiles(client, filing_id)
    return kinds


def confirm_mobiles(client, filing_id: str) -> list[str]:
    """On the check page, text a code to each mobile of the order not confirmed yet and enter the code from the
    outbox, as the person reading the text would; returns whose mobiles were confirmed now."""
    from icp import filing as f
    from icp import mobiles

    table = client.application.extensions["icp_table"]
    stored = table.get(*f.filing_key(filing_id))
    confirmed, check = [], f"/filings/{filing_id}/check"
    if client.get(check).status_code != 200:
        return confirmed  # an order not ready for its check page (or submitted): nothing to confirm there
    for who, mobile in mobiles.unconfirmed(stored):
        response = client.post(f"{check}/mobile/{who}/send", data=form_fields(client, check))
        assert response.status_code == 302, errors(response)
        code = texted_code(client, filing_id, mobile)
        response = client.post(f"{check}/mobile/{who}/confirm",
                               data={**form_fields(client, check), f"code-{who}-code": code})
        assert response.status_code == 302, errors(response)
        confirmed.append(who)
    return confirmed


def texted_code(client, filing_id: str, mobile: str) -> str:
    """The last one-time code texted to a mobile for this order, read from the outbox as the phone would."""
    from icp.notify import pending_messages

    table = client.application.extensions["icp_table"]
    texts = [m for m in pending_messages(table)
             if m["template"] == "mobile_code" and m["to"] == mobile and m["params"]["reference"] == filing_id]
    return max(texts, key=lambda m: m["queued"])["params"]["code"]


def submit(client, filing_id: str, confirm: bool = True):
    """Step 6: confirm the order's mobiles with their codes (unless `confirm` is False), then press Submit."""
    if confirm:
        confirm_mobiles(client, filing_id)
    return post_form(client, f"/filings/{filing_id}/check", {})
