"""The new domain's registration (issue 20, item 3): an approved registrar (one outside mainland China refused, one we
cannot place warned) and more than 90 days left (180 in Shanghai), from the simulator or from RDAP answered by a
local server on 127.0.0.1 (never the internet)."""
from __future__ import annotations

import json
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler

import pytest

from icp import checks, registrar, registry, rules
from icp.filing import filing_key
from tests.conftest import AuthActions, field_error, make_app, page
from tests.journey import BEIJING_ENTERPRISE, post_form, ready_to_submit, submit
from tests.workflow_helpers import staff
from tests.site_pages import local_server

TODAY = date(2026, 11, 27)


def holder(registrar_name: str = "阿里云计算有限公司", expires: str = "2028-01-01") -> registry.DomainHolder:
    return registry.DomainHolder("example-shop.cn", "北京示例科技有限公司", True, registrar_name, expires)


# ---- the rules --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["阿里云计算有限公司", "Alibaba Cloud Computing (Beijing) Co., Ltd.",
                                  "alibaba cloud computing (beijing) co ltd", "DNSPod, Inc.", "ｅＮａｍｅ Technology Co., Ltd."])
def test_an_approved_registrar_is_recognised_however_the_registry_spells_it(name):
    assert rules.registrar_approved(name)


@pytest.mark.parametrize("name", ["GoDaddy.com, LLC", "NameCheap, Inc.", "阿里云", "北京中科三方网络技术有限公司"])
def test_a_registrar_not_on_the_list_is_not_approved(name):
    assert not rules.registrar_approved(name)


@pytest.mark.parametrize("name, standing", [
    ("阿里云计算有限公司", rules.APPROVED), ("GoDaddy.com, LLC", rules.FOREIGN), ("godaddy.com llc", rules.FOREIGN),
    ("NAMECHEAP, INC.", rules.FOREIGN), ("北京中科三方网络技术有限公司", rules.UNCONFIRMED), ("阿里云", rules.UNCONFIRMED),
])
def test_a_registrar_is_approved_foreign_or_unconfirmed(name, standing):
    assert rules.registrar_standing(name) == standing


def test_a_registrar_outside_mainland_china_refuses_with_the_domain_and_the_registrar():
    [problem] = registrar.registration_problems(holder("GoDaddy.com, LLC"), "example-shop.cn", today=TODAY,
                                                province="beijing")
    assert problem.code == "registrar_not_approved" and problem.severity == rules.REFUSE
    assert problem.params["registrar"] == "GoDaddy.com, LLC" and problem.params["domain"] == "example-shop.cn"


def test_a_registrar_we_cannot_place_warns_and_names_miits_list():
    [problem] = registrar.registration_problems(holder("北京中科三方网络技术有限公司"), "example-shop.cn", today=TODAY,
                                                province="beijing")
    assert problem.code == "registrar_not_confirmed" and problem.severity == rules.WARN
    assert "domain.miit.gov.cn" in problem.message


@pytest.mark.parametrize("province, expires, code", [
    ("beijing", "2027-02-24", "domain_expires_too_soon"),   # 89 days left
    ("beijing", "2027-02-25", "domain_expires_too_soon"),   # exactly 90: more than 90 are asked
    ("beijing", "2027-02-26", None),                        # 91 days
    ("shanghai", "2027-02-26", "domain_expires_too_soon"),  # Shanghai asks for more than 180
    ("shanghai", "2027-05-26", "domain_expires_too_soon"),  # 180 days: still short
    ("shanghai", "2027-05-27", None),                       # 181 days
    ("beijing", "2026-11-01", "domain_expired"),            # already expired
    ("beijing", "", None),                                  # not known: never refused
])
def test_a_domain_needs_more_days_left_than_its_province_asks(province, expires, code):
    problems = registrar.registration_problems(holder(expires=expires), "example-shop.cn", today=TODAY,
                                               province=province)
    assert [p.code for p in problems] == ([code] if code else [])
    assert all(p.severity == rules.REFUSE for p in problems)


def test_the_margin_is_the_provinces_or_ninety_days():
    assert rules.domain_expiry_margin_days("shanghai") == 180
    assert rules.domain_expiry_margin_days("beijing") == rules.DOMAIN_EXPIRY_MARGIN_DAYS == 90


def test_no_registrar_answer_refuses_nothing():
    assert registrar.registration_problems(None, "example-shop.cn", today=TODAY, province="beijing") == []


# ---- the RDAP port against a local server ----------------------------------------------------------

RDAP_ANSWER = {
    "objectClassName": "domain", "ldhName": "example-abroad.com",
    "events": [{"eventAction": "registration", "eventDate": "2020-01-05T00:00:00Z"},
               {"eventAction": "expiration", "eventDate": "2027-01-05T04:00:00Z"}],
    "entities": [{"objectClassName": "entity", "roles": ["registrant"], "vcardArray": ["vcard", [["fn", {}, "text", "REDACTED"]]]},
                 {"objectClassName": "entity", "roles": ["registrar"], "handle": "146",
                  "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "GoDaddy.com, LLC"]]]}],
}


class RdapHandler(BaseHTTPRequestHandler):
    """/domain/<name>: the answer above for example-abroad.com, 404 for others; /redirect/… sends to /…"""

    def do_GET(self):  # noqa: N802
        self.server.paths.append(self.path)
        if self.path.startswith("/redirect/"):
            self.send_response(302)
            self.send_header("Location", self.path.removeprefix("/redirect"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/domain/example-abroad.com":
            status, body = 200, json.dumps(RDAP_ANSWER).encode()
        elif self.path == "/domain/garbled.cn":
            status, body = 200, b"<html>not json</html>"
        else:
            status, body = 404, b'{"errorCode": 404}'
        self.send_response(status)
        self.send_header("Content-Type", "application/rdap+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def rdap_server():
    """An RDAP server on 127.0.0.1; `rdap_server.url` is its base."""
    with local_server(RdapHandler) as httpd:
        yield httpd


def test_rdap_gives_the_registrar_and_the_expiry(rdap_server):
    found = registrar.rdap_lookup("example-abroad.com", base_url=rdap_server.url)
    assert found == registrar.Registration("GoDaddy.com, LLC", "2027-01-05")
    assert rdap_server.paths == ["/domain/example-abroad.com"]


def test_rdap_redirects_are_followed(rdap_server):
    found = registrar.rdap_lookup("example-abroad.com", base_url=rdap_server.url + "/redirect")
    assert found.registrar == "GoDaddy.com, LLC"


@pytest.mark.parametrize("domain", ["unknown.cn", "garbled.cn"])
def test_an_rdap_failure_is_no_answer(rdap_server, domain):
    assert registrar.rdap_lookup(domain, base_url=rdap_server.url) is None


def test_an_rdap_server_that_is_down_is_no_answer():
    assert registrar.rdap_lookup("example.cn", base_url="http://127.0.0.1:9", timeout=0.5) is None


def test_an_rdap_answer_is_recorded_beside_the_simulators_holder(app, rdap_server):
    table = app.extensions["icp_table"]
    registrar.refresh(table, "example-abroad.com", port=registrar.RDAP, base_url=rdap_server.url)
    recorded = registry.find_domain_holder(table, "example-abroad.com")
    # the holder and real-name facts of the simulator's record are kept
    assert (recorded.holder_name, recorded.real_name_verified) == ("北京示例科技有限公司", True)
    assert (recorded.registrar, recorded.expires) == ("GoDaddy.com, LLC", "2027-01-05")


def test_an_rdap_answer_for_an_unknown_domain_makes_a_record_without_a_holder(any_app):
    table = any_app.extensions["icp_table"]
    registrar.record_registration(table, "new-one.cn", registrar.Registration("DNSPod, Inc.", "2030-01-01"))
    recorded = registry.find_domain_holder(table, "new-one.cn")
    assert (recorded.holder_name, recorded.real_name_verified, recorded.registrar) == ("", None, "DNSPod, Inc.")


def test_the_simulator_port_looks_nothing_up(app, rdap_server):
    assert registrar.refresh(app.extensions["icp_table"], "example-abroad.com", port=registrar.SIMULATOR,
                             base_url=rdap_server.url) is None
    assert rdap_server.paths == []


def test_configuration_selects_the_port():
    from icp.settings import ConfigurationError, from_environment

    assert from_environment({}).registrar == "simulator"
    chosen = from_environment({"ICP_REGISTRAR": "rdap", "ICP_RDAP_URL": "https://rdap.example"})
    assert (chosen.registrar, chosen.rdap_url) == ("rdap", "https://rdap.example")
    with pytest.raises(ConfigurationError):
        from_environment({"ICP_REGISTRAR": "whois"})


# ---- step 1 and the check page ---------------------------------------------------------------------

@pytest.fixture
def applicant(client, auth):
    auth.login()
    return client


@pytest.mark.parametrize("domain, message", [
    ("example-abroad.com", "not on MIIT's list of approved domain registrars"),
    ("example-expiring.cn", "more than 90 days left"),
])
def test_step_one_refuses_the_demo_domains_at_the_domain_field(applicant, domain, message):
    soup = page(post_form(applicant, "/filings/new", {**BEIJING_ENTERPRISE, "domain": domain}))
    assert message in field_error(soup, "domain")


def test_step_one_says_it_in_chinese(applicant):
    applicant.get("/language/zh")
    soup = page(post_form(applicant, "/filings/new", {**BEIJING_ENTERPRISE, "domain": "example-abroad.com"}))
    error = field_error(soup, "domain")
    assert "工信部" in error and "GoDaddy.com, LLC" in error


def test_step_one_with_rdap_configured_asks_rdap(tmp_path, clock, rdap_server):
    app = make_app("local", tmp_path, clock, registrar="rdap", rdap_url=rdap_server.url)
    client = app.test_client()
    AuthActions(client).login()
    # the simulator says nothing of example-shop.cn's registrar expiring; RDAP (404 here) neither: it passes
    response = post_form(client, "/filings/new", BEIJING_ENTERPRISE)
    assert response.status_code == 302
    assert rdap_server.paths == ["/domain/example-shop.cn"]


def test_the_check_page_and_the_reviewer_see_a_registration_that_became_too_short(app, clock):
    client, filing_id = ready_to_submit(app)
    table = app.extensions["icp_table"]
    key = registry.holder_key("example-shop.cn")
    item = table.get(*key)
    soon = (clock().date() + timedelta(days=20)).isoformat()
    from icp.store import Put
    table.write([Put({**item, "expires": soon, "version": item["version"] + 1})])
    soup = page(client.get(f"/filings/{filing_id}/check"))
    summary = soup.find(id="verdict").get_text(" ", strip=True)
    assert "renew the domain" in summary and soon in summary
    filing = table.get(*filing_key(filing_id))
    problems = checks.submission_problems(table, filing, {"x": 1}, today=clock().date())
    assert any(p.field == "domain" and p.params["expires"] == soon for p in problems)


def test_step_one_starts_the_order_with_a_registrar_we_cannot_place_and_says_why(applicant):
    response = post_form(applicant, "/filings/new", {**BEIJING_ENTERPRISE, "domain": "example-registrar.cn"})
    assert response.status_code == 302
    text = page(applicant.get(response.headers["Location"])).get_text(" ", strip=True)
    assert "北京中科三方网络技术有限公司" in text and "domain.miit.gov.cn" in text


def test_the_check_page_and_the_reviewer_see_a_registrar_we_cannot_place_as_a_warning(app, clock):
    client, filing_id = ready_to_submit(app)
    table = app.extensions["icp_table"]
    item = table.get(*registry.holder_key("example-shop.cn"))
    from icp.store import Put
    table.write([Put({**item, "registrar": "北京中科三方网络技术有限公司", "version": item["version"] + 1})])
    filing = table.get(*filing_key(filing_id))
    today = clock().date()
    assert not [p for p in checks.submission_problems(table, filing, {"x": 1}, today=today) if p.field == "domain"]
    [warning] = [w for w in checks.submission_warnings(table, filing, {}, today=today) if w.field == "domain"]
    assert warning.params["registrar"] == "北京中科三方网络技术有限公司"
    soup = page(client.get(f"/filings/{filing_id}/check"))
    assert "domain.miit.gov.cn" in soup.get_text(" ", strip=True)
    # a warning: the order is submitted, and our reviewer's order page says it
    assert submit(client, filing_id).status_code == 302
    reviewer_page = page(staff(app, "reviewer@example.com").get(f"/review/{filing_id}")).get_text(" ", strip=True)
    assert "北京中科三方网络技术有限公司" in reviewer_page and "domain.miit.gov.cn" in reviewer_page


# ---- a suffix the province's administration does not list (QingCloud's list for Beijing) ----------------------

@pytest.mark.parametrize("province, domain, suffix", [
    ("beijing", "example-shop.org", "org"), ("beijing", "example-shop.asia", "asia"),
    ("beijing", "example-shop.com", None), ("beijing", "example-shop.com.cn", None),  # .cn covers .com.cn
    ("beijing", "例子.中国", None), ("guangdong", "example-shop.org", None),  # no list published for Guangdong
])
def test_a_suffix_beijing_does_not_list_warns(province, domain, suffix):
    found = rules.province_suffix_problem(province, domain)
    assert (found and found.params["suffix"]) == suffix
    if found:
        assert found.severity == rules.WARN and found.code == "suffix_not_listed"
        # said whoever the registrar is, even when it does not answer for the domain
        assert registrar.registration_problems(None, domain, today=TODAY, province=province) == [found]


def test_every_listed_suffix_is_one_miit_approved():
    for province, suffixes in rules.PROVINCE_SUFFIXES.items():
        assert province in rules.PROVINCES and suffixes <= rules.APPROVED_TLDS, suffixes - rules.APPROVED_TLDS


def test_step_one_starts_a_beijing_order_under_org_and_says_the_suffix_is_not_listed(applicant):
    response = post_form(applicant, "/filings/new", {**BEIJING_ENTERPRISE, "domain": "example-shop.org"})
    assert response.status_code == 302
    text = page(applicant.get(response.headers["Location"])).get_text(" ", strip=True)
    assert "ends in .org" in text and "may change" in text
