"""What the site-check tests share: the subject's number, short limits, a resolver that knows only given names."""
from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from dataclasses import replace
from http.server import ThreadingHTTPServer

from icp import registry, rules

NUMBER = "京ICP备16059763号-2"
CERTIFICATE = "91110108MA01ABCD0B"
# short limits, so a silent server costs a fraction of a second
FAST = replace(rules.SITE_CHECK, connect_timeout=0.5, read_timeout=0.5, total_seconds=5.0, max_bytes=64 * 1024)
LOCAL = ("127.0.0.0/8",)


def site(url: str, number: str = NUMBER, domain: str = "old-shop.cn") -> registry.RegistryDomain:
    """A filed website whose home page is `url`."""
    return registry.RegistryDomain(domain, number, CERTIFICATE, home_url=url)


def resolver(names: dict[str, list[str]]):
    """A resolver that knows only these names (nothing here asks the real DNS)."""
    def resolve(host, port):
        if host in names:
            return names[host]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return resolve


@contextmanager
def local_server(handler):
    """An HTTP server on 127.0.0.1 answering with `handler` (never the internet); `.paths` records what was asked,
    `.url` is its base."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.paths = []
    httpd.url = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
