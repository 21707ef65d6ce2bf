"""The app filing's rules (icp/apps.py, data in icp/rules.py): each accepts the good and refuses the bad with its message."""
from __future__ import annotations

import pytest

from icp import apps, rules
from icp.identifiers import IcpNumber, ValidationError, icp_number

MODULUS = "C1" * 256  # a 2048-bit RSA modulus
MD5 = "55:9F:F7:FA:4A:0E:11:22:9E:E5:59:C9:9A:3A:08:8E"
SHA1 = "15:3E:C8:9D:A7:0E:11:22:33:59:DF:46:F1:53:AF:84:C9:BF:D0:61"
SHA256 = ":".join(["AB"] * 32)


def refusal(parse, *args) -> str:
    """The message a validator refuses the value with."""
    with pytest.raises(ValidationError) as caught:
        parse(*args)
    return str(caught.value)


def codes(name: str, **kwargs) -> dict[str, dict]:
    """The rules an app name breaks, by code, with their parameters."""
    options = {"province": "beijing", "nature": "enterprise", "subject_name": "北京示例科技有限公司"} | kwargs
    return {p.code: dict(p.params) for p in apps.app_name_problems(name, **options)}


# --- the data ---

def test_platforms_are_operating_systems_with_where_to_find_each_value():
    assert list(rules.APP_PLATFORMS) == ["android", "ios", "harmonyos"]
    assert {p.fingerprint for p in rules.APP_PLATFORMS.values()} <= set(rules.FINGERPRINT_DIGESTS)
    assert rules.APP_PLATFORMS["ios"].fingerprint == "sha1" and rules.APP_PLATFORMS["android"].fingerprint == "md5"
    assert "keytool -printcert -jarfile app.apk" in rules.APP_PLATFORMS["android"].public_key_hint
    assert "Apple Developer → Certificates" in rules.APP_PLATFORMS["ios"].public_key_hint
    assert "AppGallery Connect" in rules.APP_PLATFORMS["harmonyos"].public_key_hint
    assert not any(store.lower() in {p.label.lower() for p in rules.APP_PLATFORMS.values()}
                   for store in rules.APP_STORE_NAMES)


def test_the_other_app_facts_are_data():
    assert rules.APP_SERVICE_TYPE == "APP应用"
    assert set(rules.APP_KINDS_NOT_OFFERED) == {"mini_program", "quick_app"}
    assert "platform that runs them" in rules.APP_KINDS_NOT_OFFERED_REASON
    assert rules.APP_ICON_POLICY.max_bytes == 100 * 1024 and rules.APP_ICON_POLICY.square
    assert set(rules.APP_SDK_QUESTIONS) == {"sdk_offered", "third_party_sdks"}


def test_every_website_name_rule_an_app_follows_has_an_app_message():
    website_codes = {rule.code for rule in rules.NAME_RULES}
    assert set(rules.APP_NAME_MESSAGES) <= website_codes
    assert all("website" not in rule.message.lower() for rule in rules.APP_NAME_RULES)


# --- the name ---

def test_a_good_name_breaks_no_rule():
    assert codes("青松天气") == {}
    assert codes("青松天气", other_app_names=["青松笔记"]) == {}


@pytest.mark.parametrize("name, code, params", [
    ("天气", "app_name_generic", {"words": ("天气",)}),
    ("浏览器APP", "app_name_generic", {"words": ("浏览器",)}),
    ("计算器 应用", "app_name_generic", {"words": ("计算器",)}),
    ("微信", "app_name_popular", {"words": ("微信",)}),
    ("微信助手", "app_name_popular", {"words": ("微信",)}),
    ("WeChat助手", "app_name_popular", {"words": ("WeChat",)}),
    ("QQ音乐", "app_name_popular", {"words": ("QQ",)}),
    ("B站看片", "app_name_popular", {"words": ("B站",)}),
    ("青松天气😀", "app_name_emoji", {"characters": ("😀",)}),
    ("青松天气☀️", "app_name_emoji", {"characters": ("☀",)}),
    ("测试应用", "app_name_placeholder", {"words": ("测试",)}),
    ("青松demo", "app_name_placeholder", {"words": ("demo",)}),
    ("未命名天气", "app_name_placeholder", {"words": ("未命名",)}),
    ("青松123", "app_name_placeholder_pattern", {"words": ("123",)}),
    ("青松xxx", "app_name_placeholder", {"words": ("xxx",)}),
    ("免费青松天气", "app_name_marketing", {"words": ("免费",)}),
    ("青松限时特价", "app_name_marketing", {"words": ("限时", "特价")}),
    ("青松天气9.9元", "app_name_price", {"words": ("9.9元",)}),
    ("青松天气￥6", "app_name_price", {"words": ("¥6",)}),
    ("青松应用宝", "app_name_store", {"words": ("应用宝",)}),
    # the website's rules that apply to an app, with the app's message
    ("中国青松天气", "name_national_prefix", {"prefix": ("中国",)}),
    ("123456789", "name_only_digits", {}),
    ("青松!天气", "name_characters", {"characters": ("!",)}),
])
def test_each_bad_name_is_refused_by_its_rule(name, code, params):
    found = codes(name)
    assert found.get(code) == params, found


def test_the_website_rules_bind_by_nature_and_province():
    assert "name_individual_organisation_word" in codes("青松论坛助手", nature="individual")
    assert "name_individual_organisation_word" not in codes("青松论坛助手")
    assert "name_henan_national_word" in codes("青松中国天气", province="henan")


def test_an_emoji_is_named_once():
    found = codes("青松天气😀")
    assert "name_characters" not in found


@pytest.mark.parametrize("other", ["青松天气", "青松天气 ", "ＱＩＮＧ天气", "qing天气"])
def test_a_name_another_app_of_the_subject_has_is_refused_ignoring_case_and_width(other):
    assert "app_name_taken" in codes("Qing天气" if "ＱＩＮＧ" in other or "qing" in other else "青松天气",
                                      other_app_names=[other])


def test_messages_are_instructions():
    (problem,) = [p for p in apps.app_name_problems("微信助手", province="beijing", nature="enterprise",
                                                    subject_name="x") if p.severity == rules.REFUSE]
    assert problem.message % {"words": "“微信”"} == (
        "Remove “微信” from the app name: the names and nicknames of other popular apps are refused")


def test_a_short_name_only_warns_an_organisation():
    (problem,) = apps.app_name_problems("青松", province="beijing", nature="enterprise", subject_name="x")
    assert problem.severity == rules.WARN


# --- the platforms' identifiers ---

@pytest.mark.parametrize("value", ["com.example.shop", "cn.example.my_app", "a.b", "Com.Example.App2"])
def test_android_package_names(value):
    assert apps.android_package(value) == value


@pytest.mark.parametrize("value, message", [
    ("", "Enter the package name: the package attribute in AndroidManifest.xml or applicationId in build.gradle, "
         "like com.example.shop"),
    ("shop", "Enter the whole package name, with dots between its parts, like com.example.shop: copy it from "
             "applicationId in build.gradle"),
    ("com..shop", "Enter the whole package name, with dots between its parts, like com.example.shop: copy it from "
                  "applicationId in build.gradle"),
    ("com.1shop", "Each part of a package name starts with a letter and holds only letters, digits and “_”; 1shop "
                  "does not. Copy the name from applicationId in build.gradle"),
    ("com.ex-ample", "Each part of a package name starts with a letter and holds only letters, digits and “_”; "
                     "ex-ample does not. Copy the name from applicationId in build.gradle"),
    ("com.class.shop", "class is a Java keyword and cannot be part of a package name. Copy the name from "
                       "applicationId in build.gradle"),
    ("a." * 128, "A package name has at most 255 characters; you entered 256"),
])
def test_android_package_names_refused(value, message):
    assert refusal(apps.android_package, value) == message


@pytest.mark.parametrize("value", ["com.example.shop", "com.example.my-app", "COM.Example.App"])
def test_ios_bundle_ids(value):
    assert apps.ios_bundle_id(value) == value


@pytest.mark.parametrize("value, message", [
    ("", "Enter the Bundle ID, like com.example.shop: it is in Xcode under the target's General → Identity, and "
         "in Apple Developer → Identifiers"),
    ("com.example_shop", "A Bundle ID holds only letters, digits, “-” and “.”. Copy it from Apple Developer → "
                         "Identifiers"),
    ("shop", "Enter the whole Bundle ID, with dots between its parts, like com.example.shop: copy it from Apple "
             "Developer → Identifiers"),
    ("c." * 78, "A Bundle ID has at most 155 characters; you entered 156"),
])
def test_ios_bundle_ids_refused(value, message):
    assert refusal(apps.ios_bundle_id, value) == message


@pytest.mark.parametrize("value", ["com.example.shop", "com.example_co.app", "cn.ex.a"])
def test_harmonyos_bundle_names(value):
    assert apps.harmonyos_bundle_name(value) == value


@pytest.mark.parametrize("value, message", [
    ("", "Enter the bundle name: bundleName in AppScope/app.json5, like com.example.shop"),
    ("com.ex", "A bundle name has 7 to 128 characters; you entered 6. Copy it from bundleName in "
               "AppScope/app.json5"),
    ("1com.example", "A bundle name starts with a letter and holds only letters, digits, “_” and “.”. Copy it from "
                     "bundleName in AppScope/app.json5"),
    ("com.exam-ple", "A bundle name starts with a letter and holds only letters, digits, “_” and “.”. Copy it from "
                     "bundleName in AppScope/app.json5"),
    ("comexample", "Enter the whole bundle name, with dots between its parts, like com.example.shop: copy it from "
                   "bundleName in AppScope/app.json5"),
])
def test_harmonyos_bundle_names_refused(value, message):
    assert refusal(apps.harmonyos_bundle_name, value) == message


def test_identifier_dispatches_by_platform():
    assert apps.identifier("ios", "com.example.my-app") == "com.example.my-app"
    with pytest.raises(ValidationError):
        apps.identifier("android", "com.example.my-app")


# --- public keys ---

@pytest.mark.parametrize("value", [
    MODULUS, MODULUS.lower(), "Modulus=" + MODULUS, ":".join(MODULUS[i:i + 2] for i in range(0, 512, 2)),
    "\n".join(MODULUS[i:i + 64] for i in range(0, 512, 64)), "00" + MODULUS,
])
def test_public_keys_are_normalised_to_plain_upper_case_hex(value):
    assert apps.public_key(value, "android") == MODULUS


def test_an_elliptic_curve_point_is_a_public_key():
    assert apps.public_key("04" + "ab" * 64, "ios") == "04" + "AB" * 64


@pytest.mark.parametrize("value, message", [
    ("", "Enter the public key of the Android signing certificate: the hex of its modulus, which openssl x509 "
         "-noout -modulus prints"),
    ("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
     "This is the certificate or key in PEM or Base64. Give the modulus of its public key in hex instead: run openssl "
     "x509 -noout -modulus -in the certificate file and copy what follows Modulus="),
    ("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
     "This is the certificate or key in PEM or Base64. Give the modulus of its public key in hex instead: run openssl "
     "x509 -noout -modulus -in the certificate file and copy what follows Modulus="),
    ("ABC", "A public key in hex has an even number of digits; one is missing or one too many. Copy it again from "
            "openssl x509 -noout -modulus"),
    ("AB" * 64, "This public key is 512 bits long; an app's signing key has 1024 to 4096 bits. Check that you "
                "copied the whole modulus from openssl x509 -noout -modulus"),
    ("AB" * 513, "This public key is 4104 bits long; an app's signing key has 1024 to 4096 bits. Check that you "
                 "copied the whole modulus from openssl x509 -noout -modulus"),
])
def test_public_keys_refused(value, message):
    assert refusal(apps.public_key, value, "android") == message


# --- fingerprints ---

@pytest.mark.parametrize("platform, value, normalised", [
    ("android", MD5.lower(), MD5),
    ("android", MD5.replace(":", ""), MD5),
    ("android", MD5.replace(":", " "), MD5),
    ("android", "md5 Fingerprint=" + MD5, MD5),
    ("android", "MD5: " + MD5, MD5),
    ("ios", SHA1.lower(), SHA1),
    ("ios", "SHA1 Fingerprint=" + SHA1, SHA1),
    ("harmonyos", MD5, MD5),
])
def test_fingerprints_are_normalised_to_colon_pairs(platform, value, normalised):
    assert apps.fingerprint(value, platform) == normalised


@pytest.mark.parametrize("platform, value, start", [
    ("android", SHA256, "This is the SHA-256 fingerprint (32 bytes); this field takes the MD5 one (16 bytes). The MD5 "
                        "fingerprint of the signing certificate: openssl x509"),
    ("android", SHA1, "This is the SHA-1 fingerprint (20 bytes); this field takes the MD5 one (16 bytes)."),
    ("ios", MD5, "This is the MD5 fingerprint (16 bytes); this field takes the SHA-1 one (20 bytes). MIIT's field is "
                 "labelled MD5, but for iOS it takes the SHA-1 fingerprint"),
    ("android", MD5[:-3], "A MD5 fingerprint has 16 bytes (32 hex digits); you entered 30 digits."),
    ("android", MD5.replace("F", "G"), "A fingerprint holds only the digits 0 to 9 and the letters A to F, in pairs."),
    ("android", "", "Enter the certificate's MD5 fingerprint: The MD5 fingerprint of the signing certificate"),
])
def test_fingerprints_refused_say_which_one_the_field_wants(platform, value, start):
    assert refusal(apps.fingerprint, value, platform).startswith(start)


# --- domains ---

@pytest.mark.parametrize("value, domain", [
    ("example.com", "example.com"),
    ("Example.COM", "example.com"),
    ("https://example.com/api/v1", "example.com"),
    ("example.cn/path?q=1", "example.cn"),
    ("示例.中国", "xn--fsq092h.xn--fiqs8s"),
])
def test_app_domain(value, domain):
    assert apps.app_domain(value) == domain


@pytest.mark.parametrize("value, message", [
    ("www.example.com", "MIIT's system refuses www. for an app: give the domain itself, like example.com"),
    ("https://www.example.com/", "MIIT's system refuses www. for an app: give the domain itself, like example.com"),
    ("api.example.com", "Enter the domain you registered, example.com, not a subdomain of it"),
    ("example.io", "Domains ending in .io cannot be filed: MIIT has not approved that top-level domain"),
])
def test_app_domain_refused(value, message):
    assert refusal(apps.app_domain, value) == message


def test_app_domains_one_a_line_or_separated_by_commas():
    assert apps.app_domains("example.com, example.cn\n\n示例.中国") == [
        "example.com", "example.cn", "xn--fsq092h.xn--fiqs8s"]
    assert apps.app_domains(["example.com", "example.cn"]) == ["example.com", "example.cn"]


@pytest.mark.parametrize("value, message", [
    ("", "Enter the domains the app uses to reach its servers, one a line, like example.com"),
    ("example.com\nEXAMPLE.com", "example.com is listed twice: enter each domain once"),
    (",".join(f"a{i}.com" for i in range(rules.APP_DOMAINS_MAX + 1)),
     f"Enter at most {rules.APP_DOMAINS_MAX} domains; you entered {rules.APP_DOMAINS_MAX + 1}"),
])
def test_app_domains_refused(value, message):
    assert refusal(apps.app_domains, value) == message


# --- platforms ---

def test_at_least_one_platform():
    assert apps.platforms(["ios", "android"]) == ["android", "ios"]
    assert refusal(apps.platforms, []).startswith("Select at least one platform the app runs on")


# --- the number ---

def test_app_number():
    assert apps.app_number("京ICP备16059763号", 2) == "京ICP备16059763号-2A"
    assert apps.app_number(IcpNumber("sichuan", "123456"), 1) == "蜀ICP备123456号-1A"
    with pytest.raises(ValueError):
        apps.app_number("京ICP备16059763号-1", 2)
    with pytest.raises(ValueError):
        apps.app_number("京ICP备16059763号", 0)


@pytest.mark.parametrize("text, number, written", [
    ("京ICP备16059763号-2A", IcpNumber("beijing", "16059763", 2, "app"), "京ICP备16059763号-2A"),
    ("京icp备16059763号-2a", IcpNumber("beijing", "16059763", 2, "app"), "京ICP备16059763号-2A"),
    ("粤ICP备123456号-12A", IcpNumber("guangdong", "123456", 12, "app"), "粤ICP备123456号-12A"),
    ("京ICP备16059763号-2", IcpNumber("beijing", "16059763", 2), "京ICP备16059763号-2"),
])
def test_icp_numbers_accept_the_apps_a_suffix(text, number, written):
    parsed = icp_number(text)
    assert parsed == number
    assert str(parsed) == written


@pytest.mark.parametrize("text", ["京ICP备16059763号-A", "京ICP备16059763号A", "京ICP备16059763号-2B",
                                  "京ICP备16059763号-02A"])
def test_icp_numbers_refuse_a_misplaced_suffix(text):
    with pytest.raises(ValidationError):
        icp_number(text)
