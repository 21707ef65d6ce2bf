"""Check the subject's already filed websites: reachable, showing the ICP number, linked to MIIT (DOMAIN.md §9).

The most common reason an added website is rejected is one of the subject's existing websites. Before
submission we fetch each one's home page and say, per website, whether it answers, shows its number and links
the number to https://beian.miit.gov.cn/. It is advice, never a refusal: the result is stored beside the filing
with the time it was taken, and shown on the check page and to reviewers.

Fetching an address someone else chose is dangerous for a server: every address a host resolves to (after each
redirect too) must be public, the connection goes to the address that was checked, only http and https are
followed, redirects and bytes are bounded, and every step has a timeout inside one total budget.
"""
from __future__ import annotations

import concurrent.futures
import http.client
import ipaddress
import logging
import re
import socket
import ssl
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit

from icp.records import record
from icp import rules
from icp.store import Put

log = logging.getLogger(__name__)

REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "icp-filing-site-check/1.0 (+ICP filing pre-submission check)"


@dataclass
class SiteResult:
    """What the check found on one website of the subject."""

    domain: str
    icp_number: str
    url: str                      # the address fetched first
    finding: str                  # a key of rules.SITE_CHECK_FINDINGS
    params: dict = field(default_factory=dict)
    final_url: str = ""           # where the redirects ended
    reachable: bool = False
    number_shown: bool = False
    number_linked: bool = False
    truncated: bool = False       # the page was longer than the cap: only its beginning was read
    number_in_footer: bool = False
    # content the website's filing may not cover: [{"code": a rules.SITE_CONTENT_TABLES code, "words": [...]}]
    advice: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing needs doing on this website."""
        return self.finding == "ok"


class Unreachable(Exception):
    """The home page could not be fetched; `finding` names why (a key of rules.SITE_CHECK_FINDINGS)."""

    def __init__(self, finding: str, **params):
        super().__init__(finding)
        self.finding, self.params = finding, params


@dataclass
class Page:
    """A fetched home page: where it ended up, its text and whether it was cut at the size cap."""

    url: str
    status: int
    body: bytes
    content_type: str
    truncated: bool


# --- addresses ----------------------------------------------------------------------------------

def _allowed(address: str, allowed_networks: Iterable[str]) -> bool:
    """True for a public unicast address, or one inside a network a test explicitly allows."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(ip in ipaddress.ip_network(n, strict=False) for n in allowed_networks):
        return True
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_loopback
                                 or ip.is_private or ip.is_unspecified)


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host:port (IPv4 and IPv6)."""
    return list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))


def _resolve(host: str, port: int, resolve, timeout: float) -> list[str]:
    """Resolve within the time left: getaddrinfo has no timeout of its own, so it runs beside us."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(resolve, host, port).result(timeout=max(timeout, 0.01))
    except concurrent.futures.TimeoutError:
        raise Unreachable("timeout", host=host) from None
    except Exception:  # whatever the resolver raises, the name gave no address we can use
        raise Unreachable("dns", host=host) from None
    finally:
        pool.shutdown(wait=False)


def _ascii_host(host: str) -> str:
    """The host as DNS knows it (IDNA 2008 for internationalised names)."""
    import idna

    try:
        return host if host.isascii() else idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        raise Unreachable("dns", host=host) from None


# --- fetching -------------------------------------------------------------------------------------

def fetch(url: str, *, policy: rules.SiteCheckPolicy = rules.SITE_CHECK, deadline: float,
          clock: Callable[[], float] = time.monotonic, resolve=system_resolve,
          allowed_networks: Iterable[str] = ()) -> Page:
    """Fetch a home page, following at most policy.max_redirects redirects; raises Unreachable.

    Every hop is resolved and each of its addresses checked before connecting to the first one; `deadline`
    (on `clock`) bounds the whole fetch, redirects included.
    """
    allowed_networks = tuple(allowed_networks)
    for _hop in range(policy.max_redirects + 1):
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            host = parts.hostname or ""
        except ValueError:
            raise Unreachable("scheme") from None
        if parts.scheme not in policy.schemes or not host:
            raise Unreachable("scheme")
        ascii_host = _ascii_host(host)
        if clock() >= deadline:
            raise Unreachable("not_checked")
        addresses = _resolve(ascii_host, port, resolve, deadline - clock())
        if not addresses:
            raise Unreachable("dns", host=host)
        if not all(_allowed(a, allowed_networks) for a in addresses):
            raise Unreachable("address", host=host)
        page = _get(parts.scheme, ascii_host, addresses[0], port, parts.path or "/", parts.query, policy=policy,
                    deadline=deadline, clock=clock, url=url)
        if page.status in REDIRECTS and page.url:
            url = page.url  # the Location, made absolute
            continue
        return page
    raise Unreachable("redirects", count=policy.max_redirects)


def _get(scheme: str, host: str, address: str, port: int, path: str, query: str, *, policy, deadline: float,
         clock, url: str) -> Page:
    """One GET to a checked address; a redirect comes back with its absolute Location as `url`."""
    def left(limit: float) -> float:
        remaining = deadline - clock()
        if remaining <= 0:
            raise Unreachable("timeout", host=host)
        return min(limit, remaining)

    connection = sock = None
    try:
        sock = socket.create_connection((address, port), timeout=left(policy.connect_timeout))
        if scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        sock.settimeout(left(policy.read_timeout))
        connection = http.client.HTTPConnection(host, port, timeout=policy.read_timeout)
        connection.sock = sock  # the address checked above, never a second resolution
        connection.request("GET", path + (f"?{query}" if query else ""), headers={
            "User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5", "Accept-Encoding": "identity"})
        response = connection.getresponse()
        if response.status in REDIRECTS:
            location = response.getheader("Location") or ""
            return Page(urljoin(url, location.strip()) if location else "", response.status, b"",
                        response.getheader("Content-Type") or "", False)
        chunks, size, truncated = [], 0, False
        while not response.isclosed():
            if sock.fileno() != -1:  # http.client closes a connection that ends with its response
                sock.settimeout(left(policy.read_timeout))
            chunk = response.read(min(64 * 1024, policy.max_bytes - size + 1))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > policy.max_bytes:
                truncated = True
                break
        body = b"".join(chunks)[:policy.max_bytes]
        return Page(url, response.status, body, response.getheader("Content-Type") or "", truncated)
    except Unreachable:
        raise
    except ssl.SSLError:
        raise Unreachable("tls", host=host) from None
    except (TimeoutError, socket.timeout):
        raise Unreachable("timeout", host=host) from None
    except (OSError, http.client.HTTPException, ValueError):
        raise Unreachable("connection", host=host) from None
    finally:
        if connection is not None:
            connection.close()
        elif sock is not None:
            sock.close()


# --- reading the page -----------------------------------------------------------------------------

# elements that never have an end tag, so they never open a footer
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})


class _Reader(HTMLParser):
    """The page's visible text, the text inside its footer (rules.FOOTER_RULE) and its links (href and text),
    scripts and styles left out."""

    def __init__(self, footer: rules.FooterRule = rules.FOOTER_RULE):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.footer_text: list[str] = []
        self.links: list[tuple[str, list[str]]] = []
        self._open_links: list[tuple[str, list[str]]] = []
        self._hidden = 0
        self._footer = footer
        self._footers: list[list] = []  # [tag, how many of that tag are open inside it]

    def _is_footer(self, tag: str, attrs) -> bool:
        if tag in self._footer.tags:
            return True
        names = " ".join(v or "" for k, v in attrs if k in ("id", "class")).lower()
        return any(word in names for word in self._footer.name_words)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        elif tag == "a":
            link = (dict(attrs).get("href") or "", [])
            self.links.append(link)
            self._open_links.append(link)
        if tag in _VOID:
            return
        if self._footers and self._footers[-1][0] == tag:
            self._footers[-1][1] += 1
        elif self._is_footer(tag, attrs):
            self._footers.append([tag, 1])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden = max(0, self._hidden - 1)
        elif tag == "a" and self._open_links:
            self._open_links.pop()
        if self._footers and self._footers[-1][0] == tag:
            self._footers[-1][1] -= 1
            if not self._footers[-1][1]:
                self._footers.pop()

    def handle_data(self, data):
        if self._hidden:
            return
        self.text.append(data)
        if self._footers:
            self.footer_text.append(data)
        for _href, text in self._open_links:
            text.append(data)


def _charset(page: Page) -> str:
    """The page's encoding: the header's, else the one a <meta> declares, else UTF-8."""
    found = re.search(r"charset=[\"']?([\w.-]+)", page.content_type, re.IGNORECASE) or \
        re.search(rb"<meta[^>]+charset=[\"']?([\w.-]+)", page.body[:4096], re.IGNORECASE)
    name = found.group(1) if found else "utf-8"
    name = name.decode("ascii", "replace") if isinstance(name, bytes) else name
    # GB2312 and GBK pages often hold characters only their superset has
    return "gb18030" if name.lower() in ("gb2312", "gbk", "x-gbk") else name


def _plain(text: str) -> str:
    """Text compared as a person reads it: full-width forms folded, spaces gone."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@record
class Reading:
    """What a home page shows: the subject's number anywhere, at its bottom and linked to MIIT, and its text."""

    shown: bool
    linked: bool
    in_footer: bool
    text: str


def read_page(page: Page, subject_number: str, policy: rules.SiteCheckPolicy = rules.SITE_CHECK) -> tuple[bool, bool]:
    """(shown, linked): whether the page shows the subject's ICP number (with or without its -N suffix) and
    whether a link to MIIT (policy.link_hosts) carries it."""
    reading = read_home_page(page, subject_number, policy)
    return reading.shown, reading.linked


def read_home_page(page: Page, subject_number: str, policy: rules.SiteCheckPolicy = rules.SITE_CHECK,
                   footer: rules.FooterRule = rules.FOOTER_RULE) -> Reading:
    """Read a home page for the subject's number: shown anywhere, shown in its footer (a footer element, else
    the last footer.tail_characters of its text), and carried by a link to MIIT (policy.link_hosts)."""
    try:
        html = page.body.decode(_charset(page), errors="replace")
    except LookupError:  # an encoding Python does not know
        html = page.body.decode("utf-8", errors="replace")
    reader = _Reader(footer)
    reader.feed(html)
    reader.close()
    number = _plain(subject_number)
    page_text = _plain("".join(reader.text))
    shown = number in page_text
    in_footer = shown and (number in _plain("".join(reader.footer_text))
                           or number in page_text[-(footer.tail_characters + len(number)):])
    linked = False
    for href, text in reader.links:
        try:
            target = urlsplit(urljoin(page.url, href.strip()))
            host = (target.hostname or "").lower()
        except ValueError:
            continue
        if target.scheme in ("http", "https") and host in policy.link_hosts and number in _plain("".join(text)):
            linked = True
            break
    return Reading(shown, linked, in_footer, page_text)


def content_advice(text: str, nature: str,
                   tables: tuple[rules.ContentTable, ...] = rules.SITE_CONTENT_TABLES) -> list[dict]:
    """The content tables a page's text hits, each with the first words found: content that needs a pre-approval
    or does not fit the subject (an individual's site naming a company). Advice, never a refusal."""
    folded = text.casefold()
    advice = []
    for table in tables:
        if table.natures is not None and nature not in table.natures:
            continue
        words = [w for w in table.words if _plain(w).casefold() in folded]
        if words:
            advice.append({"code": table.code, "words": words[:rules.SITE_CONTENT_WORDS_SHOWN]})
    return advice


# --- checking a subject's websites ----------------------------------------------------------------

def subject_number(website_number: str) -> str:
    """The subject's number from a website's (京ICP备16059763号-2 → 京ICP备16059763号)."""
    return re.sub(r"-\d+$", "", website_number.strip())


def home_pages(website) -> list[str]:
    """The addresses tried for a filed website: its recorded home page, else the domain with and without www."""
    if getattr(website, "home_url", ""):
        return [website.home_url]
    return [f"http://{website.domain}/", f"http://www.{website.domain}/"]


def check_website(website, *, policy: rules.SiteCheckPolicy, deadline: float, clock, resolve,
                  allowed_networks: Iterable[str], nature: str = "") -> SiteResult:
    """Fetch one filed website's home page (each address in turn until one answers) and read it."""
    params = {"number": website.icp_number, "link": policy.link_url}
    failure = None
    urls = home_pages(website)
    for url in urls:
        if clock() >= deadline:
            break
        try:
            page = fetch(url, policy=policy, deadline=deadline, clock=clock, resolve=resolve,
                         allowed_networks=allowed_networks)
        except Unreachable as problem:
            failure = failure or SiteResult(website.domain, website.icp_number, url, problem.finding,
                                            {**params, **problem.params})
            continue
        except Exception:  # a failure of the network or of a library must never become a 5xx
            log.exception("checking %s failed unexpectedly", url)
            failure = failure or SiteResult(website.domain, website.icp_number, url, "connection",
                                            {**params, "host": urlsplit(url).hostname or website.domain})
            continue
        if not 200 <= page.status < 300:
            failure = failure or SiteResult(website.domain, website.icp_number, url, "status",
                                            {**params, "status": page.status}, final_url=page.url)
            continue
        reading = read_home_page(page, subject_number(website.icp_number), policy)
        finding = ("not_shown" if not reading.shown else "not_in_footer" if not reading.in_footer
                   else "ok" if reading.linked else "not_linked")
        return SiteResult(website.domain, website.icp_number, url, finding, params, final_url=page.url,
                          reachable=True, number_shown=reading.shown, number_linked=reading.linked,
                          truncated=page.truncated, number_in_footer=reading.in_footer,
                          advice=content_advice(reading.text, nature))
    return failure or SiteResult(website.domain, website.icp_number, urls[0], "not_checked", params)


def check_websites(websites, *, policy: rules.SiteCheckPolicy = rules.SITE_CHECK,
                   clock: Callable[[], float] = time.monotonic, resolve=system_resolve,
                   allowed_networks: Iterable[str] = (), nature: str = "",
                   deadline: float | None = None) -> list[SiteResult]:
    """Check each website within policy.total_seconds in all; those the time did not reach are 'not_checked'.

    Never raises for the network: every failure is a finding.
    """
    deadline = clock() + policy.total_seconds if deadline is None else deadline
    results = []
    for website in list(websites)[:policy.max_websites]:
        if clock() >= deadline:
            results.append(SiteResult(website.domain, website.icp_number, home_pages(website)[0], "not_checked",
                                      {"number": website.icp_number, "link": policy.link_url}))
            continue
        results.append(check_website(website, policy=policy, deadline=deadline, clock=clock, resolve=resolve,
                                     allowed_networks=allowed_networks, nature=nature))
    return results


# --- the new domain: it must not serve before the number is granted ------------------------------------

def check_new_domain(ascii_domain: str, *, policy: rules.SiteCheckPolicy = rules.SITE_CHECK, deadline: float,
                     clock: Callable[[], float] = time.monotonic, resolve=system_resolve,
                     allowed_networks: Iterable[str] = (), fetch_page: Callable = fetch) -> dict:
    """Whether the new domain already answers (with or without www): {"serving", "url", "status"}. A page that
    answers below HTTP 400 is a website serving; a name without an address, a private address or a failed
    connection is not (the bounded, address-checked fetch of the filed websites' check; `fetch_page` is it,
    replaced only by tests that serve the domain from a local port)."""
    for url in (f"http://{ascii_domain}/", f"http://www.{ascii_domain}/"):
        if clock() >= deadline:
            break
        try:
            page = fetch_page(url, policy=policy, deadline=deadline, clock=clock, resolve=resolve,
                              allowed_networks=allowed_networks)
        except Unreachable:
            continue
        except Exception:  # a failure of the network or of a library must never become a 5xx
            log.exception("checking %s failed unexpectedly", url)
            continue
        if page.status < 400:
            return {"serving": True, "url": page.url, "status": page.status}
    return {"serving": False, "url": "", "status": 0}


# --- the result, kept beside the filing -------------------------------------------------------------

def result_key(filing_id: str) -> tuple[str, str]:
    """The (pk, sk) of a filing's last check: in the filing's partition, so it goes with the order."""
    from icp.filing import filing_partition

    return filing_partition(filing_id), "SITECHECK"


def load(table, filing_id: str) -> dict | None:
    """The last check of the filing's existing websites ({checked_at, sites: [SiteResult as dict]}), if any."""
    return table.get(*result_key(filing_id))


def domain_is_filed(filing: dict) -> bool:
    """Whether the order's domain is filed already (a change of a website filed with us, DOMAIN.md §14): then the
    website stays reachable through the change and is checked as one of the subject's filed websites (reachable,
    its number shown), not as a new domain that must not serve before its number."""
    from icp.order_types import order_type_of

    return order_type_of(filing).acts_on_service


def run(table, filing: dict, *, now: datetime, clock: Callable[[], float] = time.monotonic, resolve=system_resolve,
        allowed_networks: Iterable[str] = (), policy: rules.SiteCheckPolicy = rules.SITE_CHECK,
        fetch_page: Callable = fetch) -> dict:
    """Check the new domain (it must not serve yet) and the websites the registry lists for the filing's subject
    (with the order's own website when a change files it anew: domain_is_filed), and store the result with `now`.

    The result is its own item, not a field of the filing: checking again never moves the order's version,
    so it cannot make a reviewer's or the applicant's next action look stale.
    """
    from icp import registry

    verified = filing["verified"]
    websites = registry.subject_websites(table, verified["certificate_number"])
    filed = domain_is_filed(filing)
    if not filed:
        websites = [w for w in websites if w.domain != verified["domain_ascii"]]
    deadline = clock() + policy.total_seconds
    # the new domain first: one domain, and the one warning that concerns this order itself
    new_domain = None
    if verified.get("domain_ascii") and not filed:
        new_domain = {"domain": verified.get("domain") or verified["domain_ascii"], **check_new_domain(
            verified["domain_ascii"], policy=policy, deadline=deadline, clock=clock, resolve=resolve,
            allowed_networks=allowed_networks, fetch_page=fetch_page)}
    results = check_websites(websites, policy=policy, clock=clock, resolve=resolve,
                             allowed_networks=allowed_networks, nature=verified.get("nature", ""), deadline=deadline)
    previous = load(table, filing["id"])
    pk, sk = result_key(filing["id"])
    item = {"pk": pk, "sk": sk, "version": (previous or {}).get("version", 0) + 1,
            "checked_at": now.isoformat(timespec="seconds"), "sites": [asdict(r) for r in results],
            "new_domain": new_domain}
    table.write([Put(item)])
    return item
