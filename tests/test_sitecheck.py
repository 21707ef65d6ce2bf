"""The subject's already filed websites: fetched from local HTTP servers, never from the internet (issue 7 C)."""
from __future__ import annotations

import re

import socket
from http.server import BaseHTTPRequestHandler

import pytest

from icp import registry, sitecheck
from icp.filing import filing_key
from icp.sitecheck import result_key
from tests.conftest import make_app, page
from tests.journey import SUBJECT, WEBSITE, bind_code, post_form, save, start, submit, upload_required
from tests.site_pages import CERTIFICATE, FAST, LOCAL, NUMBER, local_server, resolver, site

FOOTER_LINKED = f'<footer><a href="https://beian.miit.gov.cn/" target="_blank">{NUMBER}</a></footer>'

PAGES = {
    "/linked": (200, "text/html; charset=utf-8", f"<html><body><h1>旧站</h1>{FOOTER_LINKED}</body></html>"),
    "/http-link": (200, "text/html", f'<p>版权所有 <a href="http://beian.miit.gov.cn">京ICP备16059763号</a></p>'),
    "/unlinked": (200, "text/html; charset=utf-8", f"<html><body><footer>{NUMBER}</footer></body></html>"),
    "/linked-elsewhere": (200, "text/html", f'<footer><a href="https://example.com/">{NUMBER}</a></footer>'),
    "/missing": (200, "text/html; charset=utf-8", "<html><body><p>欢迎</p></body></html>"),
    "/in-script": (200, "text/html", f"<script>var n = '{NUMBER}';</script><p>欢迎</p>"),
    "/error": (500, "text/html", "<p>error</p>"),
    "/big": (200, "text/html", "<p>" + "填充" * 40_000 + f"</p>{FOOTER_LINKED}"),
}


class Handler(BaseHTTPRequestHandler):
    """Answers the pages above, and redirects: /to-linked, /loop, /to-private, /to-ftp."""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.server.paths.append(self.path)
        redirects = {"/to-linked": "/linked", "/loop": "/loop",
                     "/to-private": f"http://intranet.test:{self.server.server_port}/linked",
                     "/to-ftp": "ftp://files.example.com/"}
        if self.path in redirects:
            self.send_response(302)
            self.send_header("Location", redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/gbk":
            status, content_type, body = 200, "text/html; charset=gbk", f"<p>{FOOTER_LINKED}</p>".encode("gbk")
        else:
            status, content_type, text = PAGES.get(self.path, (404, "text/html", "not found"))
            body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A local HTTP server on 127.0.0.1 with the pages above; `server.paths` records what was asked."""
    with local_server(Handler) as httpd:
        yield httpd


@pytest.fixture
def silent_port():
    """A port that accepts connections (the kernel's backlog) but never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def check(url: str, *, allowed=LOCAL, resolve=None, policy=FAST, **kwargs) -> sitecheck.SiteResult:
    """Check one website at `url`."""
    resolve = resolve or resolver({"127.0.0.1": ["127.0.0.1"]})
    [result] = sitecheck.check_websites([site(url, **kwargs)], policy=policy, resolve=resolve,
                                        allowed_networks=allowed)
    return result


# ---- what the home page shows --------------------------------------------------------------------

@pytest.mark.parametrize("path, finding, shown, linked", [
    ("/linked", "ok", True, True),
    ("/http-link", "ok", True, True),              # the subject's number, linked over http, counts
    ("/gbk", "ok", True, True),                    # a GBK page is read in its own encoding
    ("/unlinked", "not_linked", True, False),
    ("/linked-elsewhere", "not_linked", True, False),
    ("/missing", "not_shown", False, False),
    ("/in-script", "not_shown", False, False),     # a number only inside a script is not shown to anyone
])
def test_the_home_page_is_read_for_the_number_and_its_link(server, path, finding, shown, linked):
    result = check(f"http://127.0.0.1:{server.server_port}{path}")
    assert (result.finding, result.reachable, result.number_shown, result.number_linked) == \
        (finding, True, shown, linked)


def test_a_redirect_is_followed_to_the_home_page(server):
    result = check(f"http://127.0.0.1:{server.server_port}/to-linked")
    assert result.finding == "ok" and result.final_url.endswith("/linked")


def test_a_redirect_loop_stops_at_the_limit(server):
    result = check(f"http://127.0.0.1:{server.server_port}/loop")
    assert result.finding == "redirects" and not result.reachable
    assert len(server.paths) == FAST.max_redirects + 1


def test_a_redirect_to_another_scheme_is_not_followed(server):
    assert check(f"http://127.0.0.1:{server.server_port}/to-ftp").finding == "scheme"


def test_an_error_status_is_not_reachable(server):
    result = check(f"http://127.0.0.1:{server.server_port}/error")
    assert result.finding == "status" and result.params["status"] == 500 and not result.reachable


def test_a_page_over_the_size_cap_is_cut_not_refused(server):
    result = check(f"http://127.0.0.1:{server.server_port}/big")
    assert result.reachable and result.truncated and result.finding == "not_shown"


# ---- addresses that must never be fetched ------------------------------------------------------------

def test_loopback_is_refused_without_the_explicit_test_setting(server):
    result = check(f"http://127.0.0.1:{server.server_port}/linked", allowed=())
    assert result.finding == "address" and server.paths == []


@pytest.mark.parametrize("addresses", [["10.1.2.3"], ["192.168.0.1"], ["169.254.169.254"], ["::1"], ["0.0.0.0"],
                                       ["fd00::1"], ["::ffff:127.0.0.1"], ["93.184.216.34", "127.0.0.1"]])
def test_every_address_of_a_name_must_be_public(addresses):
    # the last case: one public address does not excuse a private one beside it
    result = check("http://old-shop.cn/", allowed=(), resolve=resolver({"old-shop.cn": addresses}))
    assert result.finding == "address"


def test_the_address_is_checked_again_after_a_redirect(server):
    names = {"127.0.0.1": ["127.0.0.1"], "intranet.test": ["10.0.0.8"]}
    result = check(f"http://127.0.0.1:{server.server_port}/to-private", resolve=resolver(names))
    assert result.finding == "address" and result.params["host"] == "intranet.test"
    assert server.paths == ["/to-private"]


def test_an_unknown_name_says_so():
    assert check("http://old-shop.cn/", resolve=resolver({})).finding == "dns"


def test_any_failure_of_the_resolver_is_a_finding_not_an_error():
    def broken(host, port):
        raise RuntimeError("resolver crashed")
    assert check("http://old-shop.cn/", resolve=broken).finding == "dns"


# ---- time -------------------------------------------------------------------------------------------

def test_a_server_that_never_answers_times_out(silent_port):
    result = check(f"http://127.0.0.1:{silent_port}/")
    assert result.finding == "timeout" and not result.reachable


def test_websites_past_the_total_time_are_not_checked(server):
    class Clock:
        """Each reading is a second later, so the budget of 5 runs out during the first website."""

        def __init__(self):
            self.t = 0.0

        def __call__(self):
            self.t += 1.0
            return self.t

    websites = [site(f"http://127.0.0.1:{server.server_port}/linked", domain=f"site{i}.cn") for i in range(3)]
    results = sitecheck.check_websites(websites, policy=FAST, clock=Clock(), allowed_networks=LOCAL,
                                       resolve=resolver({"127.0.0.1": ["127.0.0.1"]}))
    assert [r.finding for r in results][1:] == ["not_checked", "not_checked"]


def test_without_a_recorded_home_page_the_domain_is_tried_with_and_without_www():
    asked = []

    def resolve(host, port):
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "unknown")
    [result] = sitecheck.check_websites([registry.RegistryDomain("old-shop.cn", NUMBER, CERTIFICATE)],
                                        policy=FAST, resolve=resolve)
    assert asked == ["old-shop.cn", "www.old-shop.cn"] and result.finding == "dns"


# ---- the pages ----------------------------------------------------------------------------------

@pytest.fixture
def checked_app(tmp_path, clock, server):
    """The app with 127.0.0.1 allowed (the explicit test setting) and a resolver that knows no other name."""
    app = make_app("local", tmp_path, clock, site_check_allowed_networks=LOCAL,
                   ICP_RESOLVER=resolver({"127.0.0.1": ["127.0.0.1"]}))
    registry.record_domain(app.extensions["icp_table"], site(f"http://127.0.0.1:{server.server_port}/unlinked"))
    return app


@pytest.fixture
def at_check(checked_app, clock):
    """The demo applicant with a Beijing order filled in up to the check page."""
    client = checked_app.test_client()
    post_form(client, "/log-in", {"email": "applicant@example.com", "password": "demo-password"})
    filing_id = start(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", SUBJECT)
    save(client, filing_id, "website", WEBSITE)
    upload_required(client, checked_app, filing_id)
    return client, filing_id


def test_the_check_page_lists_the_subjects_websites_before_checking(at_check):
    client, filing_id = at_check
    soup = page(client.get(f"/filings/{filing_id}/check"))
    section = soup.find(id="existing-websites")
    text = section.get_text(" ", strip=True)
    assert "Not checked yet" in text and "example-tech.cn" in text and "old-shop.cn" in text
    assert "simulator" in text and "do not exist on the internet" in text  # the demo sites say so plainly
    assert section.find("form")["action"].endswith(f"/filings/{filing_id}/check/existing-websites")


def test_checking_shows_each_website_and_never_blocks_submission(at_check, checked_app, server):
    client, filing_id = at_check
    response = post_form(client, f"/filings/{filing_id}/check/existing-websites", {})
    assert response.status_code == 302 and response.location.endswith("#existing-websites")
    soup = page(client.get(f"/filings/{filing_id}/check"))
    rows = {row.th.get_text(" ", strip=True).split()[0]: row.get_text(" ", strip=True)
            for row in soup.find(id="existing-websites").select("tbody tr")}
    assert "does not link it to https://beian.miit.gov.cn/" in rows["old-shop.cn"]
    assert "has no address in the DNS" in rows["example-tech.cn"]  # the demo site, offline
    assert "Checked" in soup.find(id="existing-websites").get_text()
    assert submit(client, filing_id).status_code == 302  # advice only: submission goes ahead


def test_the_verdict_never_says_nothing_was_found_above_websites_that_need_attention(at_check):
    """Issue 16 (8): "We found nothing that would get this filing rejected" sat right above "1 website needs
    attention"; the verdict now covers the filed websites' check, before and after it runs."""
    client, filing_id = at_check
    soup = page(client.get(f"/filings/{filing_id}/check"))
    verdict = soup.find(id="verdict").get_text(" ", strip=True)
    assert "We found nothing" not in verdict
    assert "Nothing in your answers would get this filing rejected" in verdict and "not checked yet" in verdict

    post_form(client, f"/filings/{filing_id}/check/existing-websites", {})
    soup = page(client.get(f"/filings/{filing_id}/check"))
    verdict = soup.find(id="verdict")
    text = verdict.get_text(" ", strip=True)
    assert "We found nothing" not in soup.get_text()
    assert "You can submit, but the filing could still be rejected" in text
    assert "2 of the subject's websites already filed need attention" in text
    assert "2 websites need attention before you submit." in soup.find(id="existing-websites").get_text(" ", strip=True)
    assert "notice--warning" in verdict["class"] and not soup.find(class_="error-summary")


def test_the_checked_line_reads_as_one_chinese_paragraph(at_check):
    # "检查时间：…。 提交前，有1个网站需要处理。": two messages put side by side took an ASCII space in Chinese
    client, filing_id = at_check
    post_form(client, f"/filings/{filing_id}/check/existing-websites", {})
    client.get("/language/zh")
    section = page(client.get(f"/filings/{filing_id}/check")).find(id="existing-websites")
    checked = next(p.get_text() for p in section.find_all("p") if p.get_text().startswith("检查时间"))
    assert "。提交前" in checked and not re.search(r"。\s", checked.strip()), checked


def test_the_verdict_is_the_error_summary_while_something_refuses(at_check, checked_app):
    client, filing_id = at_check
    post_form(client, f"/filings/{filing_id}/check/existing-websites", {})
    post_form(client, f"/filings/{filing_id}/documents/leader_id_front/remove", {})
    soup = page(client.get(f"/filings/{filing_id}/check"))
    summary = soup.find(class_="error-summary")
    text = summary.get_text(" ", strip=True)
    assert summary["id"] == "verdict" and "1 thing would get this filing rejected" in text
    assert "need attention" in text  # the filed websites are named in the same verdict
    assert "We found nothing" not in soup.get_text()


def test_reviewers_see_the_findings_and_check_again_without_changing_the_order(at_check, checked_app, server):
    client, filing_id = at_check
    submit(client, filing_id)
    table = checked_app.extensions["icp_table"]
    version = table.get(*filing_key(filing_id))["version"]
    reviewer = checked_app.test_client()
    post_form(reviewer, "/log-in", {"email": "reviewer@example.com", "password": "demo-password"})
    soup = page(reviewer.get(f"/review/{filing_id}"))
    assert "Not checked yet" in soup.find(id="existing-websites").get_text()
    response = post_form(reviewer, f"/review/{filing_id}/existing-websites", {})
    assert response.status_code == 302
    soup = page(reviewer.get(f"/review/{filing_id}"))
    assert "does not link it" in soup.find(id="existing-websites").get_text(" ", strip=True)
    assert table.get(*filing_key(filing_id))["version"] == version
    assert table.get(*result_key(filing_id))["checked_at"].startswith("2026-11-27")


def test_a_network_failure_is_never_a_server_error(at_check, checked_app, monkeypatch):
    client, filing_id = at_check

    def broken(*args, **kwargs):
        raise OSError("network is unreachable")
    monkeypatch.setattr(socket, "create_connection", broken)
    response = post_form(client, f"/filings/{filing_id}/check/existing-websites", {})
    assert response.status_code == 302
    text = page(client.get(f"/filings/{filing_id}/check")).find(id="existing-websites").get_text(" ", strip=True)
    assert "the connection to 127.0.0.1 failed" in text


def test_the_chinese_page_reads_the_findings_in_chinese(at_check):
    client, filing_id = at_check
    post_form(client, f"/filings/{filing_id}/check/existing-websites", {})
    text = client.get(f"/filings/{filing_id}/check", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "主体已备案的网站" in text and "未链接到https://beian.miit.gov.cn/" in text


def test_the_result_is_kept_beside_the_filing_on_both_backends(any_app, clock, server):
    table = any_app.extensions["icp_table"]
    registry.record_domain(table, site(f"http://127.0.0.1:{server.server_port}/linked"))
    filing = {"id": "F2345678", "verified": {"certificate_number": CERTIFICATE, "domain_ascii": "example-shop.cn"}}
    sitecheck.run(table, filing, now=clock(), policy=FAST, allowed_networks=LOCAL,
                  resolve=resolver({"127.0.0.1": ["127.0.0.1"]}))
    stored = sitecheck.load(table, "F2345678")
    findings = {s["domain"]: s["finding"] for s in stored["sites"]}
    assert findings == {"example-tech.cn": "dns", "old-shop.cn": "ok"}
    assert stored["checked_at"] == clock().isoformat(timespec="seconds")
    again = sitecheck.run(table, filing, now=clock.advance(hours=1), policy=FAST, allowed_networks=LOCAL,
                          resolve=resolver({}))
    assert again["version"] == 2 and {s["finding"] for s in sitecheck.load(table, "F2345678")["sites"]} == {"dns"}
