"""Table operations per wizard step (DESIGN.md budget: one read and one atomic write of the table per step).

Walks the whole procedure through HTTP with tests/journey.py as the demo applicant (local backend), with a
counting proxy in front of the app's Table. Every request is listed with its reads (get/query/query_index)
and writes (write/increment, with the items in each write); the `get` Flask-Login makes to load the session's
account is counted apart ("session"). The GET requests that only render a form page are shown too, marked
"page"; the budget applies to the requests that do a step's work ("step").

    python -m bench.table_ops
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from bench import _support
from bench._support import Op, Result, print_results, summarise

# the requests that do a step's work: the browser's POST, and the confirmation storage redirects to
_STEP = re.compile(r"^(POST |GET /filings/<id>/documents/[a-z_]+/confirm)")


@dataclass
class Request:
    phase: str
    method: str
    path: str
    status: int
    ops: list[Op] = field(default_factory=list)

    @property
    def is_step(self) -> bool:
        return bool(_STEP.match(f"{self.method} {self.path}")) and not self.path.startswith("/local-upload")

    @property
    def kind(self) -> str:
        if self.path.startswith("/local-upload"):
            return "storage"  # stands in for S3 in the local backend: the browser posts the file here
        return "step" if self.is_step else "page"


class Recorder:
    """Wraps a test client: records every request with the table operations made while it ran."""

    def __init__(self, client, counter):
        self.client, self.counter = client, counter
        self.requests: list[Request] = []
        self.phase = ""
        self.filing_id = ""
        plain_open = type(client).open

        def recording_open(*args, **kwargs):
            mark = counter.mark()
            response = plain_open(client, *args, **kwargs)
            path = args[0] if args and isinstance(args[0], str) else kwargs.get("path", "?")
            self.requests.append(Request(self.phase, kwargs.get("method", "GET"), self._tidy(path),
                                         response.status_code, counter.since(mark)))
            return response

        client.open = recording_open

    def _tidy(self, path: str) -> str:
        path = path.split("?", 1)[0]
        path = re.sub(r"^https?://[^/]+", "", path)
        return path.replace(self.filing_id, "<id>") if self.filing_id else path


def walk(app):
    """The demo applicant logs in and takes one order from step 1 to submitted; returns the Recorder."""
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

    counter = _support.install_counter(app)
    client = app.test_client()
    rec = Recorder(client, counter)
    rec.phase = "log in"
    assert AuthActions(client).login().status_code == 302
    rec.phase = "1 type"
    filing_id = start(client)
    rec.filing_id = filing_id
    rec.phase = "2 server"
    bind_code(client, filing_id)
    rec.phase = "3 subject"
    save(client, filing_id, "subject", SUBJECT)
    rec.phase = "4 website"
    save(client, filing_id, "website", {**WEBSITE, **ADMINISTRATOR})
    rec.phase = "5 documents"
    upload_required(client, app, filing_id)
    rec.phase = "6 check"
    response = submit(client, filing_id)
    assert response.status_code == 302 and response.location.endswith("/submitted"), response.status_code
    rec.phase = "submitted"
    client.get(response.location)
    stored = counter._inner.get(f"FILING#{filing_id}", "META")
    return rec, stored


def run(out=sys.stdout) -> list[Result]:
    app, _clock = _support.demo_app("table-ops")
    rec, stored = walk(app)
    p = lambda *a: print(*a, file=out)

    p("Table operations per request (demo applicant, local backend; budget per step: 1 read + 1 atomic write)")
    p(f"  {'phase':<12} {'kind':<7} {'request':<58} {'reads':>5} {'writes':>6} {'items':>5} {'sess':>4}  over")
    over: list[tuple[Request, dict]] = []
    for r in rec.requests:
        s = summarise(r.ops)
        flag = ""
        if r.kind == "step" and r.phase not in ("log in",) and (s["reads"] > 1 or s["writes"] > 1):
            flag = "OVER"
            over.append((r, s))
        p(f"  {r.phase:<12} {r.kind:<7} {r.method + ' ' + r.path:<58} {s['reads']:>5} {s['writes']:>6} "
          f"{s['items_written']:>5} {s['session_reads']:>4}  {flag}")

    # per step: the work requests, then everything the step took including its pages
    p("")
    p("Per wizard step (step = the request(s) that do the work; all = with the form pages fetched around them)")
    p(f"  {'step':<12} {'step reqs':>9} {'reads':>5} {'writes':>6} {'items':>5}   "
      f"{'all reqs':>8} {'reads':>5} {'writes':>6} {'session gets':>12}")
    phases = [ph for ph in dict.fromkeys(r.phase for r in rec.requests) if ph != "log in"]
    for phase in phases:
        reqs = [r for r in rec.requests if r.phase == phase]
        steps = [r for r in reqs if r.kind == "step"]
        st = summarise([op for r in steps for op in r.ops])
        al = summarise([op for r in reqs for op in r.ops])
        p(f"  {phase:<12} {len(steps):>9} {st['reads']:>5} {st['writes']:>6} {st['items_written']:>5}   "
          f"{len(reqs):>8} {al['reads']:>5} {al['writes']:>6} {al['session_reads']:>12}")

    filing_reqs = [r for r in rec.requests if r.phase != "log in"]
    step_reqs = [r for r in filing_reqs if r.kind == "step"]
    total_steps = summarise([op for r in step_reqs for op in r.ops])
    total_all = summarise([op for r in filing_reqs for op in r.ops])
    p("")
    p(f"Whole filing, start -> {stored['status']} (the submitted page included; later phases extend to APPROVED):")
    p(f"  step requests: {len(step_reqs)}, table reads {total_steps['reads']}, writes {total_steps['writes']} "
      f"({total_steps['items_written']} items), session gets {total_steps['session_reads']}")
    p(f"  all requests:  {len(filing_reqs)}, table reads {total_all['reads']}, writes {total_all['writes']} "
      f"({total_all['items_written']} items), session gets {total_all['session_reads']}")
    p(f"  requests whose session loading took other than exactly 1 get: "
      f"{sum(1 for r in filing_reqs if summarise(r.ops)['session_reads'] != 1)}")

    if over:
        p("")
        p("Steps over budget, with every table operation in order (caller in brackets):")
        for r, s in over:
            p(f"  {r.phase} {r.method} {r.path}: {s['reads']} reads, {s['writes']} writes")
            for op in r.ops:
                if op.session:
                    continue
                what = f"{op.method}({op.key})" if op.is_read else f"{op.method}[{op.items} items]({op.key})"
                p(f"      {what:<34} [{op.caller}]")
    results = [
        Result("table ops: steps over 1 read + 1 write", f"{len(over)} of {len(step_reqs)} step requests",
               "0", not over),
        Result("table ops: whole filing start->submitted (step requests)",
               f"{total_steps['reads']} reads, {total_steps['writes']} writes ({total_steps['items_written']} items)",
               "count and publish", None),
        Result("table ops: whole filing incl. page views",
               f"{total_all['reads']} reads (+{total_all['session_reads']} session), {total_all['writes']} writes,"
               f" {len(filing_reqs)} reqs", "count and publish", None),
    ]
    return results


if __name__ == "__main__":
    sys.exit(print_results(run))
