"""Issue 20, items 2 and 6: the new domain must not serve yet; the filed websites' number sits in the footer, and
their content fits the subject. Every page comes from a local server on 127.0.0.1, never the internet."""
from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from icp import checks, registry, rules, sitecheck
from tests.conftest import make_app, page
from tests.journey import SUBJECT, WEBSITE, bind_code, post_form, save, start, upload_required
from tests.site_pages import CERTIFICATE, FAST, LOCAL, NUMBER, local_server, resolver, site

LINK = f'<a href="https://beian.miit.gov.cn/">{NUMBER}</a>'
FILLER = "<p>" + "产品介绍" * 200 + "</p>"

PAGES = {
    "/": f"<html><body><h1>新站上线</h1>{FILLER}<footer>{LINK}</footer></body></html>",
    "/header-only": f"<html><body><header>{LINK}</header>{FILLER}</body></html>",
    "/named-footer": f'<html><body>{FILLER}<div class="site-bottom"><div><p>{LINK}</p></div></div><p>友情链接</p>'
                     f"{FILLER}</body></html>",
    "/tail": f"<html><body>{FILLER}<p>版权所有 {LINK}</p></body></html>",
    "/games": f"<html><body><h1>热门手游 网络游戏 排行</h1><p>游戏充值</p><footer>{LINK}</footer></body></html>",
    "/company": f"<html><body><h1>张伟的博客</h1><p>北京示例科技有限公司 提供支持</p><footer>{LINK}</footer></body></html>",
    "/forum": f"<html><body><h1>技术论坛</h1><p>发帖 回帖</p><footer>{LINK}</footer></body></html>",
}


class Handler(BaseHTTPRequestHandler):
    """The pages above, 200 each; anything else 404."""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.server.paths.append(self.path)
        text = PAGES.get(self.path)
        body = (text or "not found").encode("utf-8")
        self.send_response(200 if text else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A local HTTP server with the pages above."""
    with local_server(Handler) as httpd:
        yield httpd


def check(url: str, nature: str = "enterprise") -> sitecheck.SiteResult:
    [result] = sitecheck.check_websites([site(url)], policy=FAST, resolve=resolver({"127.0.0.1": ["127.0.0.1"]}),
                                        allowed_networks=LOCAL, nature=nature)
    return result


# ---- item 6: the number in the footer ---------------------------------------------------------------

@pytest.mark.parametrize("path, finding, in_footer", [
    ("/", "ok", True),                       # a <footer> element
    ("/named-footer", "ok", True),           # an element named as a footer, the number deep inside it
    ("/tail", "ok", True),                   # no footer element: the last characters of the page count
    ("/header-only", "not_in_footer", False),  # shown and linked, but at the top of the page
])
def test_the_number_must_be_at_the_bottom_of_the_home_page(server, path, finding, in_footer):
    result = check(f"http://127.0.0.1:{server.server_port}{path}")
    assert (result.finding, result.number_in_footer, result.number_shown) == (finding, in_footer, True)


def test_a_number_not_in_the_footer_is_advice_never_a_refusal(server):
    assert "not_in_footer" in rules.SITE_CHECK_REACHED
    result = check(f"http://127.0.0.1:{server.server_port}/header-only")
    assert result.reachable and not result.ok


# ---- item 6: the content -------------------------------------------------------------------------------

@pytest.mark.parametrize("path, nature, codes", [
    ("/games", "enterprise", ["games"]),
    ("/forum", "enterprise", ["forums"]),
    ("/company", "individual", ["company_on_individual"]),
    ("/company", "enterprise", []),           # a company's own name on its site is what it should show
    ("/", "enterprise", []),
])
def test_the_home_page_is_scanned_for_content_its_filing_may_not_cover(server, path, nature, codes):
    result = check(f"http://127.0.0.1:{server.server_port}{path}", nature=nature)
    assert [a["code"] for a in result.advice] == codes


def test_the_advice_names_at_most_three_words_found():
    [advice] = sitecheck.content_advice("热门手游网络游戏游戏下载游戏充值网游", "enterprise")
    assert advice["code"] == "games" and len(advice["words"]) == rules.SITE_CONTENT_WORDS_SHOWN


def test_every_content_table_has_a_message_with_its_words():
    for table in rules.SITE_CONTENT_TABLES:
        assert "%(words)s" in table.advice and table.words


# ---- item 2: the new domain ----------------------------------------------------------------------------

def local_fetch(port: int):
    """The bounded fetch, with the new domain's port 80 moved to the local server's port."""
    def fetch_page(url, **kwargs):
        for host in ("example-shop.cn", "www.example-shop.cn"):
            url = url.replace(f"//{host}/", f"//{host}:{port}/")
        return sitecheck.fetch(url, **kwargs)
    return fetch_page


def test_a_new_domain_that_answers_is_serving(server):
    found = sitecheck.check_new_domain("example-shop.cn", policy=FAST, deadline=float("inf"),
                                       resolve=resolver({"example-shop.cn": ["127.0.0.1"]}), allowed_networks=LOCAL,
                                       fetch_page=local_fetch(server.server_port))
    assert found["serving"] and found["status"] == 200 and "example-shop.cn" in found["url"]


def test_a_new_domain_without_an_address_is_not_serving(server):
    found = sitecheck.check_new_domain("example-shop.cn", policy=FAST, deadline=float("inf"), resolve=resolver({}),
                                       allowed_networks=LOCAL, fetch_page=local_fetch(server.server_port))
    assert found == {"serving": False, "url": "", "status": 0}
    assert server.paths == []


def test_a_new_domain_on_a_private_address_is_never_fetched(server):
    found = sitecheck.check_new_domain("example-shop.cn", policy=FAST, deadline=float("inf"),
                                       resolve=resolver({"example-shop.cn": ["127.0.0.1"]}),
                                       fetch_page=local_fetch(server.server_port))  # 127.0.0.1 not allowed
    assert not found["serving"] and server.paths == []


def test_serving_is_a_warning_at_the_domain():
    [warning] = checks.serving_warnings({"new_domain": {"domain": "示例.中国", "serving": True,
                                                        "url": "http://xn--fsq092h.xn--fiqs8s/", "status": 200}})
    assert (warning.step, warning.field, warning.severity) == ("type", "domain", rules.WARN)
    assert checks.serving_warnings({"new_domain": {"domain": "a.cn", "serving": False}}) == []
    assert checks.serving_warnings(None) == []


# ---- the pages -----------------------------------------------------------------------------------------

@pytest.fixture
def served_app(tmp_path, clock, server):
    """The app with 127.0.0.1 allowed, example-shop.cn served by the local server, and one filed website of the
    subject showing online games and its number only at the top."""
    app = make_app("local", tmp_path, clock, site_check_allowed_networks=LOCAL,
                   ICP_RESOLVER=resolver({"127.0.0.1": ["127.0.0.1"], "example-shop.cn": ["127.0.0.1"],
                                          "www.example-shop.cn": ["127.0.0.1"]}),
                   ICP_FETCH=local_fetch(server.server_port))
    table = app.extensions["icp_table"]
    registry.record_domain(table, registry.RegistryDomain(
        "old-games.cn", NUMBER, CERTIFICATE, home_url=f"http://127.0.0.1:{server.server_port}/games"))
    registry.record_domain(table, registry.RegistryDomain(
        "old-top.cn", "京ICP备16059763号-3", CERTIFICATE,
        home_url=f"http://127.0.0.1:{server.server_port}/header-only"))
    return app


@pytest.fixture
def checked(served_app):
    """The demo applicant's Beijing order at the check page, after pressing the check button."""
    client = served_app.test_client()
    post_form(client, "/log-in", {"email": "applicant@example.com", "password": "demo-password"})
    filing_id = start(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", SUBJECT)
    save(client, filing_id, "website", WEBSITE)
    upload_required(client, served_app, filing_id)
    check_page = f"/filings/{filing_id}/check"
    post_form(client, f"{check_page}/existing-websites", {})
    return client, filing_id


def test_the_check_page_warns_that_the_new_domain_already_serves(checked):
    client, filing_id = checked
    soup = page(client.get(f"/filings/{filing_id}/check"))
    warnings = soup.find(id="warnings-title").find_parent("div").get_text(" ", strip=True)
    assert "example-shop.cn already answers" in warnings and "until the ICP number is granted" in warnings
    assert soup.find(id="verdict").find("h2").get_text(strip=True) != "We found nothing that would get this filing rejected."
    assert "already answers" in soup.find(id="existing-websites").get_text(" ", strip=True)
    # a warning: Submit is still offered and accepted
    assert soup.find("button", string=lambda s: s and "Submit" in s)


def test_the_check_page_shows_footer_and_content_advice_per_website(checked):
    client, filing_id = checked
    soup = page(client.get(f"/filings/{filing_id}/check"))
    rows = {row.th.get_text(" ", strip=True).split()[0]: row.get_text(" ", strip=True)
            for row in soup.find(id="existing-websites").find_all("tr")[1:]}
    assert "online games" in rows["old-games.cn"] and "网络游戏" in rows["old-games.cn"]
    assert "not at its bottom" in rows["old-top.cn"]


def test_the_chinese_check_page_reads_the_advice_in_chinese(checked):
    client, filing_id = checked
    text = client.get(f"/filings/{filing_id}/check", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "取得ICP备案号前" in text and "网络文化经营许可证" in text and "页面底部" in text


def test_the_reviewer_sees_the_warning_and_the_advice(checked, served_app):
    from tests.conftest import AuthActions
    from tests.journey import submit

    client, filing_id = checked
    assert submit(client, filing_id).status_code == 302
    reviewer = served_app.test_client()
    AuthActions(reviewer).login("reviewer@example.com")
    soup = page(reviewer.get(f"/review/{filing_id}"))
    text = soup.get_text(" ", strip=True)
    assert "example-shop.cn already answers" in text and "online games" in text


def test_before_the_check_the_page_says_the_new_domain_will_be_asked(served_app):
    client = served_app.test_client()
    post_form(client, "/log-in", {"email": "applicant@example.com", "password": "demo-password"})
    filing_id = start(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", SUBJECT)
    save(client, filing_id, "website", WEBSITE)
    soup = page(client.get(f"/filings/{filing_id}/check"))
    assert "already answers" in soup.find(id="existing-websites").get_text(" ", strip=True)
    assert soup.find(id="warnings-title") is None or "already answers" not in soup.find(
        id="warnings-title").find_parent("div").get_text()
