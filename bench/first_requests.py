"""The first request to each page on a new instance, against the second: what a page loads on first use.

Cold start (cold_start.py) times `import app` and the home page. A Lambda instance's first request can be any
page, and each page imports what it alone needs when it is first asked for (forms, identifier checks,
Pillow, the QR code, the workday calendar, ...). Each page here is asked for in a fresh interpreter, after
`import app` and a log-in (not timed), twice: the first call's CPU minus the second's is what that page
adds to a cold start. This is how a first-use cost of 170 ms (the `holidays` package importing its 250
countries for the first deadline counted into 2027) was found; a page over FIRST_USE_NOTICE is marked.

The local backend, in a throwaway folder, with the demo applicant's order filled in to step 6 (what is
loaded on first use does not depend on the backend).

    python -m bench.first_requests
"""
from __future__ import annotations

import os
import subprocess
import sys

from bench import _support
from bench._support import Result, median

REPEATS = 3
FIRST_USE_NOTICE = 0.030  # seconds

CHILD = r"""
import sys, time
import app as module
from tests.conftest import AuthActions
client = module.app.test_client()
assert AuthActions(client).login().status_code == 302
path = sys.argv[1]
times = []
for _ in range(2):
    started = time.process_time()
    response = client.get(path)
    times.append(time.process_time() - started)
    assert response.status_code == 200, (path, response.status_code)
print(*times)
"""


def prepared_order() -> tuple[str, str]:
    """A data folder with the demo data and one order filled in to step 6; returns (folder, order number)."""
    from tests.journey import ready_to_submit

    app, _clock = _support.demo_app("first-requests")
    _client, filing_id = ready_to_submit(app)
    return app.config["ICP_SETTINGS"].data_dir, filing_id


def pages(filing_id: str) -> list[tuple[str, str]]:
    """(name, path) of the applicant's pages."""
    base = f"/filings/{filing_id}"
    return [("home", "/"), ("my filings", "/filings"), ("step 1 new order", "/filings/new"),
            ("step 1 verified type", f"{base}/type"), ("step 2 server", f"{base}/instance"),
            ("step 3 subject", f"{base}/subject"), ("step 4 website", f"{base}/website"),
            ("step 5 documents", f"{base}/documents"), ("step 6 check", f"{base}/check"),
            ("order status", base), ("service codes console", "/console/service-codes")]


def run(out=sys.stdout) -> list[Result]:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    data_dir, filing_id = prepared_order()
    env = {**os.environ, "ICP_DATA_DIR": data_dir, "PYTHONPATH": str(_support.ROOT), "TZ": ":UTC"}
    env.pop("ICP_BACKEND", None)
    rows = []
    for name, path in pages(filing_id):
        firsts, seconds = [], []
        for _ in range(REPEATS):
            result = subprocess.run([sys.executable, "-c", CHILD, path], cwd=_support.ROOT, env=env,
                                    capture_output=True, text=True, timeout=120)
            if result.returncode:
                raise RuntimeError(f"{path}: {result.stderr[-2000:]}")
            first, second = map(float, result.stdout.split())
            firsts.append(first)
            seconds.append(second)
        rows.append((name, median(firsts), median(seconds)))
    p(f"First request to each page in a fresh interpreter (after import and log-in), CPU, median of {REPEATS}:")
    p(f"  {'page':<24} {'first':>9} {'second':>9} {'first use':>10}")
    for name, first, second in rows:
        mark = "  <- over 30 ms" if first - second > FIRST_USE_NOTICE else ""
        p(f"  {name:<24} {first * 1000:7.1f}ms {second * 1000:7.1f}ms {(first - second) * 1000:8.1f}ms{mark}")
    worst = max(rows, key=lambda r: r[1] - r[2])
    return [Result("heaviest first use of a page (first - second request, CPU)",
                   f"{(worst[1] - worst[2]) * 1000:.0f} ms ({worst[0]})", "reported", None)]


if __name__ == "__main__":
    sys.exit(_support.print_results(run))
