"""Malformed input of every kind gets a 4xx or a message beside the field, never a server error."""
from __future__ import annotations

import pytest

from tests import journey
from tests.conftest import csrf_token, field_error, page
from views.safety import is_same_site_path

BAD_NEXT = ["/%0D%0Ax", "/%0Ax", "/%00", "//evil.example", "/\\evil.example", "/%5Cevil.example",
            "http://evil.example/", "javascript:alert(1)", "/ x", "evil"]


@pytest.mark.parametrize("target, safe", [
    ("/filings", True), ("/filings/AB12?return=check#x", True), ("/\r\nx", False), ("//evil", False),
    ("/\\evil", False), ("http://evil/", False), ("/[", True), ("http://[", False), (None, False), ("", False),
    ("/\x7f", False), ("/\tx", False),
])
def test_the_one_safe_redirect_check(target, safe):
    assert is_same_site_path(target) is safe


@pytest.mark.parametrize("target", BAD_NEXT)
def test_the_language_switch_never_follows_a_bad_next(client, target):
    response = client.get(f"/language/zh?next={target}")
    assert response.status_code == 302
    assert response.location == "/"


def test_the_language_switch_goes_back_to_a_page_of_ours(client):
    assert client.get("/language/zh?next=/terms").location == "/terms"


@pytest.mark.parametrize("target", BAD_NEXT)
def test_log_in_never_follows_a_bad_next(client, target):
    token = csrf_token(client, "/log-in")
    response = client.post(f"/log-in?next={target}", data={
        "csrf_token": token, "email": "applicant@example.com", "password": "demo-password"})
    assert response.status_code == 302
    assert response.location == "/"
    assert client.get("/filings").status_code == 200, "and the person is logged in"


def _on_website_step(client, auth) -> str:
    auth.login()
    filing_id = journey.start(client)
    journey.bind_code(client, filing_id)
    journey.save(client, filing_id, "subject", journey.SUBJECT)
    return filing_id


@pytest.mark.parametrize("home_url", ["[]", "http://[", "http://[::1", "https://[example]/",
                                      "http://www.example-shop.cn:99999/", "http://www.example-shop.cn:x/",
                                      "http://[::1]/"])
def test_a_home_page_address_that_does_not_parse_is_refused_beside_the_field(client, auth, home_url):
    filing_id = _on_website_step(client, auth)
    response = journey.post_form(client, f"/filings/{filing_id}/website", {**journey.WEBSITE, "home_url": home_url})
    soup = page(response)
    assert "on the verified domain example-shop.cn" in field_error(soup, "home_url")


def test_the_home_page_rule_lives_in_the_domain():
    from icp import identifiers

    assert identifiers.home_url(" www.example-shop.cn ", domain="example-shop.cn",
                                domain_ascii="example-shop.cn") == "www.example-shop.cn"
    with pytest.raises(identifiers.ValidationError):
        identifiers.home_url("ftp://www.example-shop.cn", domain="example-shop.cn", domain_ascii="example-shop.cn")


@pytest.mark.parametrize("query", ["filing_id=x", "_method=x", "_external=1&_scheme=javascript", "_anchor=%0D%0A"])
def test_a_mangled_query_on_a_step_is_ignored(client, auth, query):
    auth.login()
    filing_id = journey.start(client)
    assert client.get(f"/filings/{filing_id}/instance?{query}").status_code == 200
    response = journey.post_form(client, f"/filings/{filing_id}/instance?{query}",
                                 {"product_type": "alibaba_cloud", "service_code": "DEMO7K2M9QX4LP8A"})
    assert response.status_code == 302
    assert response.location == f"/filings/{filing_id}/instance"


def test_the_check_page_return_survives_on_a_step(client, auth):
    auth.login()
    filing_id = journey.start(client)
    response = journey.post_form(client, f"/filings/{filing_id}/instance?return=check",
                                 {"product_type": "alibaba_cloud", "service_code": "DEMO7K2M9QX4LP8A"})
    assert response.location == f"/filings/{filing_id}/instance?return=check"


@pytest.mark.parametrize("body", [b"province=\xff", b"province=%FF\xfe", b"\xc3(=1"])
def test_a_form_that_is_not_valid_utf8_is_refused_as_unreadable_not_expired(client, auth, body):
    auth.login()
    token = csrf_token(client, "/filings/new")
    response = client.post("/filings/new", data=b"csrf_token=" + token.encode() + b"&" + body,
                           content_type="application/x-www-form-urlencoded")
    soup = page(response, 400)
    assert soup.h1.get_text(strip=True) == "The form could not be read"
    assert "expired" not in soup.get_text()
    assert "Nothing was changed" in soup.get_text()


def test_the_unreadable_form_page_is_in_chinese_too(client, auth):
    auth.login()
    client.get("/language/zh")
    token = csrf_token(client, "/filings/new")
    response = client.post("/filings/new", data=b"csrf_token=" + token.encode() + b"&province=\xff",
                           content_type="application/x-www-form-urlencoded")
    assert page(response, 400).h1.get_text(strip=True) == "无法读取表单"


def test_a_broken_multipart_form_is_refused_as_unreadable(client, auth):
    auth.login()
    response = client.post("/filings/new", data=b"--b\r\nnot a part", content_type="multipart/form-data; boundary=b")
    assert page(response, 400).h1.get_text(strip=True) == "The form could not be read"


# ---- the service-codes page links each refusal to where it is explained ----

URL = "/console/service-codes"


def _summary_links(soup) -> list[str]:
    summary = soup.find(class_="error-summary")
    links = [a["href"] for a in summary.select("li a")]
    assert len(links) == len(summary("li")), "every refusal in the summary is a link"
    for href in links:
        assert soup.find(id=href.removeprefix("#")) is not None, f"{href} exists on the page"
    return links


def test_an_ineligible_instances_refusal_links_to_its_reasons(client, auth):
    auth.login()
    response = client.post(URL, data={"csrf_token": csrf_token(client, URL), "instance_id": "i-bp1demo0007",
                                      "count": "1"})
    assert _summary_links(page(response)) == ["#reasons-i-bp1demo0007"]


def test_a_made_up_instance_links_to_the_list_of_instances(client, auth):
    auth.login()
    response = client.post(URL, data={"csrf_token": csrf_token(client, URL), "instance_id": "i-nosuch", "count": "1"})
    assert _summary_links(page(response)) == ["#instances"]


def test_quota_used_meanwhile_links_to_the_instances_reasons(app, client, auth, monkeypatch):
    from icp import codes

    real = codes.apply_for_codes

    def after_another_tab(table, **kwargs):
        real(table, owner="applicant@example.com", instance_id="i-bp1demo0001", count=3, now=kwargs["now"])
        return real(table, **kwargs)

    monkeypatch.setattr("views.console.service_codes.apply_for_codes", after_another_tab)
    auth.login()
    response = client.post(URL, data={"csrf_token": csrf_token(client, URL), "instance_id": "i-bp1demo0001",
                                      "count": "1"})
    assert _summary_links(page(response)) == ["#reasons-i-bp1demo0001"]
