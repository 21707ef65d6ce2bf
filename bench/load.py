"""A bounded load: N simulated applicants on 127.0.0.1 for T seconds; prints rps, p50/p95/p99 and errors (must be 0).

The app runs in a threaded WSGI server (werkzeug's, in this process) on a free port of 127.0.0.1, on the local
backend in a scratch folder, or with --backend aws on DynamoDB and S3 of a moto server in a child process.
Each simulated applicant registers its own account, then loops until the time is up over what an applicant
does before filing: the home page, My filings, step 1's form, step 1 posted with a wrong check digit in the
certificate number (validation, the page again with its errors), the service-code
console, log-out and log-in again (the password hash and its counters). Nothing leaves 127.0.0.1.

    python -m bench.load --users 10 --seconds 30 [--backend aws]
"""
from __future__ import annotations

import argparse
import re
import sys
import threading
import time

from bench import _support
from bench._support import Result, print_results

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "load-test-password"


class Server:
    """The app in werkzeug's threaded server on 127.0.0.1 (a free port), in a background thread."""

    def __init__(self, app):
        import logging

        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line a request otherwise

        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=30)


def applicant(base: str, number: int, until: float, latencies: list, errors: list) -> None:
    """One simulated applicant: register, then browse, post step 1, log out and in until `until`."""
    import requests

    http = requests.Session()
    http.trust_env = False  # 127.0.0.1 only, never through a proxy

    def call(method: str, path: str, data: dict | None = None, page: str | None = None) -> str:
        if data is not None:
            token = _CSRF.search(call("GET", page or path))
            data = {"csrf_token": token.group(1) if token else "", **data}
        started = time.perf_counter()
        try:
            response = http.request(method, base + path, data=data, allow_redirects=False, timeout=30)
        except requests.RequestException as error:
            errors.append(f"{method} {path}: {error}")
            return ""
        latencies.append(time.perf_counter() - started)
        if response.status_code >= 400 or (data is not None and path != "/filings/new"
                                           and response.status_code != 302):
            errors.append(f"{method} {path}: {response.status_code}")
        return response.text

    email = f"load{number}-{int(time.time() * 1000)}@example.com"
    call("POST", "/register", {"email": email, "password": PASSWORD, "confirm": PASSWORD,
                               "mobile": "13800138000", "accept_terms": "y"})
    while time.monotonic() < until:
        call("GET", "/")
        call("GET", "/filings")
        call("GET", "/filings/new")
        page = call("POST", "/filings/new", {"province": "beijing", "nature": "enterprise",
                                             "certificate_type": "business_licence",
                                             "certificate_number": "91110108MA01ABCD0B"[:-1] + "X",
                                             "domain": f"load-{number}.cn"})
        if "<html" not in page.lower():
            errors.append("POST /filings/new: no page")
        call("GET", "/console/service-codes")
        call("POST", "/log-out", {}, page="/filings")
        call("POST", "/log-in", {"email": email, "password": PASSWORD})


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(fraction * len(ordered))) - 1))]


def load(users: int, seconds: float, backend: str = "local", out=sys.stdout) -> dict:
    """Run the load and print its figures; returns them."""
    moto = None
    extra = {}
    if backend == "aws":
        from bench.step_cpu import MotoProcess

        moto = MotoProcess()
        extra = {"dynamodb_endpoint_url": moto.url, "s3_endpoint_url": moto.url}
    try:
        app, _clock = _support.demo_app(f"load-{backend}", backend=backend, **extra)
        app.config["TESTING"] = False
        server = Server(app)
        latencies: list[float] = []
        errors: list[str] = []
        until = time.monotonic() + seconds
        started = time.perf_counter()
        threads = [threading.Thread(target=applicant, args=(server.url, n, until, latencies, errors))
                   for n in range(users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        server.close()
    finally:
        if moto is not None:
            moto.close()
    figures = {"requests": len(latencies), "rps": len(latencies) / elapsed, "errors": len(errors),
               "p50": percentile(latencies, 0.50) if latencies else 0.0,
               "p95": percentile(latencies, 0.95) if latencies else 0.0,
               "p99": percentile(latencies, 0.99) if latencies else 0.0}
    print(f"Load: {users} simulated applicants for {seconds:.0f} s on 127.0.0.1 ({backend} backend, werkzeug "
          f"threaded server): {figures['requests']} requests, {figures['rps']:.1f} rps, p50 "
          f"{figures['p50'] * 1000:.0f} ms, p95 {figures['p95'] * 1000:.0f} ms, p99 {figures['p99'] * 1000:.0f} ms, "
          f"errors {figures['errors']}", file=out)
    for error in errors[:10]:
        print(f"  error: {error}", file=out)
    return figures


def run(out=sys.stdout) -> list[Result]:
    figures = load(users=4, seconds=10, out=out)
    return [Result("load: 4 applicants x 10 s, errors", f"{figures['errors']} ({figures['rps']:.0f} rps, p95 "
                   f"{figures['p95'] * 1000:.0f} ms)", "0", figures["errors"] == 0)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10, help="simulated applicants (threads)")
    parser.add_argument("--seconds", type=float, default=30, help="how long they keep going")
    parser.add_argument("--backend", choices=("local", "aws"), default="local")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or not 1 <= args.seconds <= 600:
        parser.error("keep it bounded: 1-200 users, 1-600 seconds")
    return 1 if load(args.users, args.seconds, args.backend)["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
