"""The app order's step form (forms/app.py): each field's message comes from icp/apps.py, answers() has one shape."""
from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from forms.app import AppForm
from tests.journey import ADMINISTRATOR, SUBJECT

TODAY = date(2026, 11, 27)
VERIFIED = {"province": "beijing", "nature": "enterprise", "certificate_type": "business_licence",
            "certificate_number": "91110108MA01ABCD0B", "domain": "example-shop.cn",
            "subject_name": "北京示例科技有限公司", "app_name": "青松天气", "domains": ["example-shop.cn"]}
LEADER = {"name": "王芳", "mobile": "13911112222", "emergency_phone": "010-62345678", "email": "wang@example-shop.cn"}
MODULUS = "C1" * 256  # 2048 bits
MD5 = "55:9F:F7:FA:4A:0E:11:22:9E:E5:59:C9:9A:3A:08:8E"
SHA1 = "15:3E:C8:9D:A7:0E:11:22:33:59:DF:46:F1:53:AF:84:C9:BF:D0:61"
VALID = {
    "service_content": ["other"],
    "language": "zh_hans", "remarks": "", "sdk_offered": "no", "third_party_sdks": "高德定位SDK",
    "platform_android": "y", "android_package": "cn.example.weather", "android_public_key": MODULUS.lower(),
    "android_md5": MD5.replace(":", "").lower(),
    "platform_ios": "y", "ios_bundle_id": "cn.example.weather", "ios_public_key": MODULUS, "ios_sha1": SHA1,
    "administrator_is_leader": "yes",
}


@pytest.fixture
def context(app):
    """A request in English with CSRF off, as the lead's view would validate the posted page."""
    app.config["WTF_CSRF_ENABLED"] = False
    with app.test_request_context("/filings/x/app", method="POST", headers={"Accept-Language": "en"}):
        yield app


def form(data: dict, **kwargs) -> AppForm:
    """The form as posted with these answers."""
    formdata = MultiDict([(k, v) for k, values in data.items() for v in (values if isinstance(values, list) else [values])])
    return AppForm(formdata=formdata, verified=VERIFIED, leader=LEADER, today=TODAY, **kwargs)


def errors(f: AppForm) -> dict:
    return {name: field.errors for name, field in f._fields.items() if field.errors}


def test_a_complete_post_gives_the_documented_answers(context):
    f = form(VALID)
    assert f.validate(), errors(f)
    assert f.answers() == {
        "service_content": ["other"],
        "language": "zh_hans", "preapproval_items": [], "approval_number": "", "approval_department": "",
        "approval_valid_until": "", "remarks": "", "sdk_offered": False, "third_party_sdks": "高德定位SDK",
        "platforms": {
            "android": {"identifier": "cn.example.weather", "public_key": MODULUS, "fingerprint": MD5},
            "ios": {"identifier": "cn.example.weather", "public_key": MODULUS, "fingerprint": SHA1},
        },
        "administrator_is_leader": True, "administrator": None,
    }


def test_saved_answers_fill_the_form_again(context):
    f = form(VALID)
    assert f.validate()
    again = AppForm(formdata=None, data=AppForm.data_from(f.answers(), VERIFIED), verified=VERIFIED, leader=LEADER,
                    today=TODAY)
    assert again.answers() == f.answers()
    assert AppForm.data_from(None, VERIFIED) == {}


def test_another_administrator_is_checked_as_on_the_website_step(context):
    f = form({**VALID, **SUBJECT | {}, **ADMINISTRATOR, "administrator_email": LEADER["email"]})
    assert not f.validate()
    assert f.administrator_email.errors == [
        "The app administrator's email address must differ from the subject leader's"]
    f = form({**VALID, **ADMINISTRATOR})
    assert f.validate(), errors(f)
    assert f.answers()["administrator"]["name"] == "李雷"
    assert f.answers()["administrator_is_leader"] is False


@pytest.mark.parametrize("field, value, message", [
    ("android_package", "com.new.weather",
     "new is a Java keyword and cannot be part of a package name. Copy the name from applicationId in build.gradle"),
    ("android_public_key", "-----BEGIN CERTIFICATE-----\nMIIB",
     "This is the certificate or key in PEM or Base64. Give the modulus of its public key in hex instead: run "
     "openssl x509 -noout -modulus -in the certificate file and copy what follows Modulus="),
    ("ios_sha1", MD5, "This is the MD5 fingerprint (16 bytes); this field takes the SHA-1 one (20 bytes). "
                      "MIIT's field is labelled MD5, but for iOS it takes the SHA-1 fingerprint of the same "
                      "certificate: openssl x509 -inform der -in distribution.cer -noout -fingerprint -sha1, or "
                      "Keychain Access → the certificate → SHA-1."),
    ("ios_bundle_id", "com_example", "A Bundle ID holds only letters, digits, “-” and “.”. Copy it from Apple "
                                     "Developer → Identifiers"),
    ("sdk_offered", "", "Select whether the app offers an SDK to other apps"),
    ("language", "", "Select the app's main language"),
])
def test_each_invalid_field_gets_its_message(context, field, value, message):
    f = form({**VALID, field: value})
    assert not f.validate()
    assert message in f[field].errors, errors(f)


def test_an_unticked_platform_is_not_validated(context):
    f = form({**VALID, "harmonyos_bundle_name": "x", "harmonyos_public_key": "nonsense"})
    assert f.validate(), errors(f)
    assert "harmonyos" not in f.answers()["platforms"]


def test_a_ticked_platform_needs_its_three_values(context):
    f = form({**VALID, "platform_harmonyos": "y"})
    assert not f.validate()
    assert set(errors(f)) == {"harmonyos_bundle_name", "harmonyos_public_key", "harmonyos_fingerprint"}


def test_at_least_one_platform(context):
    data = {k: v for k, v in VALID.items() if not k.startswith("platform_")}
    f = form(data)
    assert not f.validate()
    assert f.platform_android.errors == [
        "Select at least one platform the app runs on. Mini programs and quick apps are not filed here"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_page_renders_with_every_platform_visible_without_javascript(app, language):
    from flask import render_template

    from icp import rules

    app.config["WTF_CSRF_ENABLED"] = False
    with app.test_request_context("/filings/x/app", headers={"Accept-Language": language}):
        f = AppForm(formdata=None, data=AppForm.data_from(None, VERIFIED), verified=VERIFIED, leader=LEADER,
                    today=TODAY)
        html = render_template("filings/app.html", form=f, rules=rules, individual=False,
                               filing={"id": "F1", "verified": VERIFIED}, back="/", action="/filings/x/app",
                               indicator={"steps": [{"title": "App", "url": None, "state": "current"}], "current": 1})
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("form", method="post")["action"] == "/filings/x/app"
    for field_id in ("android_package", "android_public_key", "android_md5", "ios_bundle_id", "ios_public_key",
                     "ios_sha1", "harmonyos_bundle_name", "harmonyos_public_key", "harmonyos_fingerprint"):
        element = soup.find(id=field_id)
        assert element is not None and not element.find_parent(attrs={"hidden": True}), field_id
    assert soup.find(id="android")["data-reveal-when"] == "platform_android=y"
    assert soup.find(id="android_public_key-hint")


@pytest.mark.parametrize("boxes, message", [
    ({}, "Enter the date the approval expires"),
    ({"approval_valid_until-day": "1", "approval_valid_until-month": "11", "approval_valid_until-year": "2026"},
     "expired on 2026-11-01"),
])
def test_a_declared_pre_approval_needs_its_term_as_on_the_website_step(context, boxes, message):
    f = form({**VALID, "preapproval_items": ["news"], "approval_number": "京网信〔2025〕1号",
              "approval_department": "北京市互联网信息办公室", **boxes})
    assert not f.validate()
    assert message in " ".join(errors(f)["approval_valid_until"])


def test_an_approval_ending_soon_warns_beside_its_date(context):
    f = form({**VALID, "preapproval_items": ["news"], "approval_number": "京网信〔2025〕1号",
              "approval_department": "北京市互联网信息办公室", "approval_valid_until-day": "1",
              "approval_valid_until-month": "1", "approval_valid_until-year": "2027"})
    assert f.validate(), errors(f)
    assert f.answers()["approval_valid_until"] == "2027-01-01"
    assert any("expires within 3 months" in w for w in f.approval_warnings)
