"""Page weight and third-party requests (DESIGN.md budget: no third-party requests; HTML+CSS+JS of a page < 60 KB).

Fetches the main pages through the test client (local backend, demo data): logged out (home, log in, register),
then as the demo applicant with one order walked through every step (tests/journey.py) so the step pages
show filled-in answers and the check page every section. For each page it adds the HTML to the stylesheets
(<link rel=stylesheet>) and scripts (<script src>) it loads, fetched the same way. Icons and images are
listed apart (not in the budget).

Third-party check: every absolute URL (http://, https://, //) in the HTML and the CSS whose host is not this
site. In an attribute that makes the browser fetch or send something (src, link href, form action, CSS url()),
it is a third-party request and over budget; in an <a href> or in the page's text (e.g. a website address
the applicant typed) it is only listed.

    python -m bench.pages
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bench import _support
from bench._support import Result, print_results

BUDGET = 60 * 1024
OWN_HOSTS = {"localhost", "127.0.0.1", ""}
_ABSOLUTE = re.compile(r"""(?:https?:)?//[a-z0-9\[][^\s"'<>)]*""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""", re.IGNORECASE)
# attributes whose URL the browser fetches or sends data to, by tag ("*" = any tag)
_FETCHING = {("*", "src"), ("*", "srcset"), ("link", "href"), ("form", "action"), ("*", "formaction"),
             ("object", "data"), ("video", "poster"), ("*", "background"), ("meta", "content")}


@dataclass
class Weight:
    name: str
    path: str
    status: int
    html: int = 0
    css: int = 0
    js: int = 0
    other: int = 0
    third_party_requests: list[str] = field(default_factory=list)
    third_party_mentions: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.html + self.css + self.js


def _host(url: str) -> str:
    return (urlsplit(url if "://" in url else "http:" + url).hostname or "").lower()


def _third_party(url: str) -> bool:
    return _host(url) not in OWN_HOSTS


def _fetch(client, url: str) -> bytes:
    parts = urlsplit(url)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    data = response.get_data()
    response.close()
    return data if response.status_code == 200 else b""


def weigh(client, name: str, path: str) -> Weight:
    from bs4 import BeautifulSoup

    response = client.get(path)
    html = response.get_data()
    weight = Weight(name, path, response.status_code, html=len(html))
    soup = BeautifulSoup(html.decode("utf-8", "replace"), "html.parser")
    base = "http://localhost" + path
    seen: set[str] = set()

    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            values = value if isinstance(value, list) else [value]
            for text in values:
                for url in _ABSOLUTE.findall(str(text)) if attr not in ("class",) else []:
                    if not _third_party(url):
                        continue
                    fetching = (tag.name, attr) in _FETCHING or ("*", attr) in _FETCHING
                    if tag.name == "meta" and attr == "content" and tag.get("http-equiv", "").lower() != "refresh":
                        fetching = False
                    where = f"<{tag.name} {attr}> {url}"
                    (weight.third_party_requests if fetching else weight.third_party_mentions).append(where)
    for text in soup.find_all(string=True):
        if text.parent and text.parent.name in ("script", "style"):
            for url in _ABSOLUTE.findall(str(text)):
                if _third_party(url):
                    weight.third_party_requests.append(f"inline <{text.parent.name}> {url}")
            continue
        for url in _ABSOLUTE.findall(str(text)):
            if _third_party(url):
                weight.third_party_mentions.append(f"text {url}")

    def add(kind: str, url: str) -> bytes:
        absolute = urljoin(base, url)
        if absolute in seen:
            return b""
        seen.add(absolute)
        if _third_party(absolute):
            weight.third_party_requests.append(f"{kind} {absolute}")
            return b""
        data = _fetch(client, absolute)
        setattr(weight, kind, getattr(weight, kind) + len(data))
        return data

    for link in soup.find_all("link", href=True):
        rels = [r.lower() for r in (link.get("rel") or [])]
        if "stylesheet" in rels:
            css = add("css", link["href"])
            _css_references(css.decode("utf-8", "replace"), urljoin(base, link["href"]), weight, add)
        elif {"icon", "apple-touch-icon", "preload", "manifest"} & set(rels):
            add("other", link["href"])
    for script in soup.find_all("script", src=True):
        add("js", script["src"])
    for image in soup.find_all("img", src=True):
        add("other", image["src"])
    for style in soup.find_all("style"):
        _css_references(style.get_text(), base, weight, add)
    return weight


def _css_references(css: str, base: str, weight: Weight, add) -> None:
    """Follow a stylesheet's @import and url() references (imports count as CSS, the rest as other)."""
    for url in _CSS_IMPORT.findall(css):
        data = add("css", urljoin(base, url))
        _css_references(data.decode("utf-8", "replace"), urljoin(base, url), weight, add)
    for url in _CSS_URL.findall(css):
        if url.startswith("data:"):
            continue
        add("other", urljoin(base, url))


def pages_to_weigh(app, clock) -> list[Weight]:
    """Weigh every main page: logged out, then as the demo applicant walking one order to submitted."""
    from tests.conftest import AuthActions
    from tests.journey import (
        ADMINISTRATOR,
        SUBJECT,
        WEBSITE,
        bind_code,
        save,
        start,
        submit,
        upload_required,
    )

    visitor = app.test_client()
    weights = [weigh(visitor, "home (logged out)", "/"), weigh(visitor, "log in", "/log-in"),
               weigh(visitor, "register", "/register")]
    client = app.test_client()
    assert AuthActions(client).login().status_code == 302
    weights += [weigh(client, "home (logged in)", "/"), weigh(client, "my filings (empty)", "/filings"),
                weigh(client, "step 1 filing type", "/filings/new")]
    filing_id = start(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", SUBJECT)
    save(client, filing_id, "website", {**WEBSITE, **ADMINISTRATOR})
    upload_required(client, app, filing_id)
    base = f"/filings/{filing_id}"
    weights += [
        weigh(client, "step 1 verified type", f"{base}/type"),
        weigh(client, "step 2 server", f"{base}/instance"),
        weigh(client, "step 3 subject", f"{base}/subject"),
        weigh(client, "step 4 website", f"{base}/website"),
        weigh(client, "step 5 documents", f"{base}/documents"),
        weigh(client, "step 6 check", f"{base}/check"),
        weigh(client, "order status (draft)", base),
    ]
    if "console.codes" in app.view_functions:
        weights.append(weigh(client, "console service codes", "/console/service-codes"))
    weights += [weigh(client, "document upload page", f"{base}/documents/subject_certificate"),
                weigh(client, "letter to print", f"{base}/documents/authenticity-statement"),
                weigh(client, "withdraw", f"{base}/withdraw"),
                weigh(client, "change password", "/account/password"),
                weigh(client, "terms explained", "/terms")]
    response = submit(client, filing_id)
    weights += [weigh(client, "submitted", urlsplit(response.location).path),
                weigh(client, "order status (submitted)", base),
                weigh(client, "my filings (one order)", "/filings")]
    return weights + staff_pages(app, client, clock, filing_id)


def staff_pages(app, applicant, clock, filing_id: str) -> list[Weight]:
    """Weigh the reviewer's and the administration's pages, with the submitted order in each queue."""
    from icp.workflow import review
    from tests.conftest import AuthActions
    from tests.workflow_helpers import ready_for_administration, stored

    reviewer = app.test_client()
    assert AuthActions(reviewer).login(email="reviewer@example.com").status_code == 302
    weights = [weigh(reviewer, "review queues", "/review"),
               weigh(reviewer, "review an order", f"/review/{filing_id}"),
               weigh(reviewer, "failed messages", "/staff/outbox/failed")]
    ready_for_administration(app, applicant, clock, filing_id)
    review.send_to_administration(app.extensions["icp_table"], stored(app, filing_id), actor="reviewer@example.com",
                                  now=clock())
    administration = app.test_client()
    assert AuthActions(administration).login(email="administration@example.com").status_code == 302
    return weights + [weigh(administration, "administration queue", "/administration"),
                      weigh(administration, "administration order", f"/administration/{filing_id}"),
                      weigh(applicant, "order status (administration)", f"/filings/{filing_id}")]


def run(out=sys.stdout) -> list[Result]:
    app, clock = _support.demo_app("pages")
    weights = pages_to_weigh(app, clock)
    p = lambda *a: print(*a, file=out)
    p(f"Page weight (HTML + CSS + JS as fetched; budget < {BUDGET // 1024} KB each; 'other' = icons/images,"
      f" not in the budget)")
    p(f"  {'page':<26} {'status':>6} {'HTML':>8} {'CSS':>8} {'JS':>8} {'total':>9} {'other':>7}")
    for w in weights:
        flag = "" if w.total < BUDGET else "  OVER"
        p(f"  {w.name:<26} {w.status:>6} {w.html:>8,} {w.css:>8,} {w.js:>8,} {w.total:>9,} {w.other:>7,}{flag}")
    heaviest = max(weights, key=lambda w: w.total)
    p(f"  max: {heaviest.name} {heaviest.total:,} bytes ({heaviest.total / 1024:.1f} KB; "
      f"{heaviest.total / BUDGET:.0%} of the budget)")
    bad_status = [w for w in weights if w.status != 200]
    if bad_status:
        p(f"  NOTE: not 200: {', '.join(f'{w.name} ({w.status})' for w in bad_status)}")
    requests = sorted({r for w in weights for r in w.third_party_requests})
    mentions = sorted({m for w in weights for m in w.third_party_mentions})
    p(f"  third-party requests (src/href/action/url() to another host): {len(requests)}")
    for r in requests:
        pages = [w.name for w in weights if r in w.third_party_requests]
        p(f"    {r}   on {', '.join(pages)}")
    p(f"  third-party URLs only mentioned (links, text): {len(mentions)}")
    for m in mentions:
        pages = [w.name for w in weights if m in w.third_party_mentions]
        p(f"    {m}   on {', '.join(pages)}")
    return [
        Result("pages: heaviest HTML+CSS+JS", f"{heaviest.total / 1024:.1f} KB ({heaviest.name})",
               f"< {BUDGET // 1024} KB", heaviest.total < BUDGET),
        Result("pages: third-party requests", str(len(requests)), "0", not requests),
    ]


if __name__ == "__main__":
    sys.exit(print_results(run))
