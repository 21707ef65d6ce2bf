"""Table operations per wizard step (DESIGN.md budget: one read and one atomic write of the table per step).

Walks the whole procedure through HTTP with tests/journey.py as the demo applicant (aws backend on moto), with
a counting proxy in front of the app's Table. Every request is listed with its reads (get/get_many/query/
query_index) and writes (write/increment, with the items in each write); a `get` Flask-Login makes to load the
session is counted apart ("session": the session read ahead with the step's items is not one) and counts
against the budget like any read. The GET requests that only render a form page are shown too, marked "page";
the budget applies to the requests that do a step's work ("step").

    python -m bench.table_ops
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import timedelta

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
    """Wraps test clients: records every request with the table operations made while it ran."""

    def __init__(self, client, counter):
        self.counter = counter
        self.requests: list[Request] = []
        self.messages: dict[str, int] = {}
        self.phase = ""
        self.filing_id = ""
        self.wrap(client)

    def wrap(self, client):
        """Record this client's requests too (each person of the procedure has their own)."""
        plain_open = type(client).open
        counter = self.counter

        def recording_open(*args, **kwargs):
            self._tick()
            mark = counter.mark()
            response = plain_open(client, *args, **kwargs)
            path = args[0] if args and isinstance(args[0], str) else kwargs.get("path", "?")
            self.requests.append(Request(self.phase, kwargs.get("method", "GET"), self._tidy(path),
                                         response.status_code, counter.since(mark)))
            return response

        client.open = recording_open
        return client

    def _tick(self) -> None:
        """Move the app's clock on before each request by an uneven 20-97 seconds (a person reading and typing),
        so the order's dates differ as they do in life: dates that are all one moment pack smaller than real ones
        (icp.store.packing), and the units would flatter the order."""
        clock = getattr(self, "clock", None)
        if clock is not None and hasattr(clock, "advance"):
            self._ticks = getattr(self, "_ticks", 0) + 1
            clock.advance(seconds=20 + (self._ticks * 37) % 78)

    def _tidy(self, path: str) -> str:
        path = path.split("?", 1)[0]
        path = re.sub(r"^https?://[^/]+", "", path)
        return path.replace(self.filing_id, "<id>") if self.filing_id else path


def walk(app, *, to_approval: bool = False):
    """The demo applicant logs in and takes one order from step 1 to submitted (and on to APPROVED: our review,
    the backdrop photo, the administration's approval); returns the Recorder and the order as stored."""
    from tests.conftest import AuthActions
    from tests.journey import (
        ADMINISTRATOR,
        SUBJECT,
        WEBSITE,
        bind_code,
        save,
        start,
        upload_required,
    )

    counter = _support.install_counter(app)
    client = app.test_client()
    rec = Recorder(client, counter)
    rec.clock = app.config.get("ICP_CLOCK")
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
    response = submit_like_a_browser(client, filing_id)
    assert response.status_code == 302 and response.location.endswith("/submitted"), response.status_code
    rec.phase = "submitted"
    client.get(response.location)
    if to_approval:
        _approve(app, rec, client, filing_id)
        _deliver_outbox(app, rec, filing_id)
    from icp.filing import filing_key

    stored = counter._inner.get(*filing_key(filing_id))
    return rec, stored


def _deliver_outbox(app, rec: Recorder, filing_id: str) -> None:
    """The scheduled job sends every notification the order queued (claim, send each channel through the log
    sender, delete: nothing lists sent messages on the aws backend); recorded as one pseudo-request "job outbox"
    with the messages counted by channel."""
    from icp import notify
    from icp.jobs import run_outbox

    counter = rec.counter
    queued = [m for m in notify.pending_messages(counter._inner, limit=1000)
              if (m.get("params") or {}).get("reference") == filing_id]
    rec.messages = {channel: sum(m["channel"] == channel for m in queued) for channel in ("email", "sms")}
    rec.phase = "outbox job"
    mark = counter.mark()
    with app.app_context():
        run_outbox(counter, app.config["ICP_SETTINGS"], now=app.config["ICP_CLOCK"]() + timedelta(minutes=1))
    rec.requests.append(Request(rec.phase, "JOB", "icp.jobs.deliver_outbox", 0, counter.since(mark)))


def submit_like_a_browser(client, filing_id: str):
    """Press Submit on the check page, posting every field of its form (tests/journey.submit posts the token only)."""
    from bs4 import BeautifulSoup

    path = f"/filings/{filing_id}/check"
    soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    form = next(f for f in soup.find_all("form", method="post") if (f.get("action") or "").endswith(path))
    return client.post(path, data={i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")})


def _approve(app, rec: Recorder, applicant, filing_id: str) -> None:
    """After submission: our review passes, backdrop applied for and mailed, photo uploaded and passed,
    sent to the administration, approved (tests/test_workflow.py's path, without the return)."""
    from tests.conftest import AuthActions
    from tests.journey import post_form
    from tests.workflow_helpers import admin_act, photo_uploaded, review_act

    def staff(email):
        client = rec.wrap(app.test_client())
        assert AuthActions(client).login(email=email).status_code == 302
        return client

    rec.phase = "staff log in"
    reviewer, administration = staff("reviewer@example.com"), staff("administration@example.com")
    rec.phase = "review pass"
    assert review_act(reviewer, filing_id, "pass").status_code == 302
    rec.phase = "backdrop"
    assert post_form(applicant, f"/filings/{filing_id}/backdrop", {
        "recipient": "王芳", "address": "北京市海淀区中关村大街1号", "phone": "13911112222"}).status_code == 302
    assert review_act(reviewer, filing_id, "backdrop-mailed", {"tracking": "SF1234567890"}).status_code == 302
    rec.phase = "photo"
    photo_uploaded(app, applicant, filing_id)
    assert review_act(reviewer, filing_id, "photo/pass").status_code == 302
    rec.phase = "send"
    assert review_act(reviewer, filing_id, "send").status_code == 302
    rec.phase = "approve"
    assert admin_act(administration, filing_id, "approve").status_code == 302


WIZARD = ("1 type", "2 server", "3 subject", "4 website", "5 documents", "6 check")
TO_SUBMISSION = ("log in", *WIZARD, "submitted")


def _units(s: dict) -> str:
    return f"{s['rcu']:>5.1f} {s['wcu']:>5.0f} {s['index_wcu']:>5.0f}"


def run(out=sys.stdout) -> list[Result]:
    """The walk on the aws backend (DynamoDB under moto, in this process), to APPROVED."""
    try:
        from moto import mock_aws
    except ImportError:
        print("table_ops: moto is not installed; skipped", file=out)
        return []
    with mock_aws():
        app, _clock = _support.demo_app("table-ops", backend="aws")
        rec, stored = walk(app, to_approval=True)
    return report(rec, stored, out)


def report(rec: Recorder, stored: dict, out) -> list[Result]:
    p = lambda *a: print(*a, file=out)
    p("Table round trips and DynamoDB capacity units per request (demo applicant and staff, aws backend on moto;")
    p("  budget per wizard step: 1 read + 1 write round trip; RCU strongly consistent, index queries eventually;")
    p("  WCU = the table's, idx = the index entries written; a transaction bills 2x)")
    p(f"  {'phase':<12} {'kind':<7} {'request':<54} {'reads':>5} {'writes':>6} {'items':>5} {'sess':>4} "
      f"{'RCU':>5} {'WCU':>5} {'idx':>5}  over")
    over: list[tuple[Request, dict]] = []
    for r in rec.requests:
        s = summarise(r.ops)
        flag = ""
        # the budget counts the session check: a session get beside another read is a second round trip
        if r.kind == "step" and r.phase in WIZARD and (s["reads"] + s["session_reads"] > 1 or s["writes"] > 1):
            flag = "OVER"
            over.append((r, s))
        p(f"  {r.phase:<12} {r.kind:<7} {r.method + ' ' + r.path:<54} {s['reads']:>5} {s['writes']:>6} "
          f"{s['items_written']:>5} {s['session_reads']:>4} {_units(s)}  {flag}")

    p("")
    p("Per phase (step = the request(s) that do the work; all = with the pages fetched around them)")
    p(f"  {'phase':<12} {'step reqs':>9} {'reads':>5} {'writes':>6} {'RCU':>5} {'WCU':>5} {'idx':>5}   "
      f"{'all reqs':>8} {'reads':>5} {'writes':>6} {'sess':>4} {'RCU':>5} {'WCU':>5} {'idx':>5}")
    for phase in dict.fromkeys(r.phase for r in rec.requests):
        reqs = [r for r in rec.requests if r.phase == phase]
        steps = [r for r in reqs if r.kind == "step"]
        st = summarise([op for r in steps for op in r.ops])
        al = summarise([op for r in reqs for op in r.ops])
        p(f"  {phase:<12} {len(steps):>9} {st['reads']:>5} {st['writes']:>6} {_units(st)}   "
          f"{len(reqs):>8} {al['reads']:>5} {al['writes']:>6} {al['session_reads']:>4} {_units(al)}")

    def total(phases) -> tuple[int, dict]:
        reqs = [r for r in rec.requests if r.phase in phases]
        return len(reqs), summarise([op for r in reqs for op in r.ops])

    n_sub, sub = total(TO_SUBMISSION)
    n_all, whole = total({r.phase for r in rec.requests})
    p("")
    for label, n, s in (("to submission (log-in, wizard, confirmation page)", n_sub, sub),
                        (f"to {stored['status']} (everyone's requests, staff log-ins included)", n_all, whole)):
        p(f"Whole filing {label}: {n} requests, {s['reads']} reads (+{s['session_reads']} session gets), "
          f"{s['writes']} writes ({s['items_written']} items); RCU {s['rcu']:.1f}, WCU {s['wcu']:.0f} "
          f"+ index WCU {s['index_wcu']:.0f} = {s['wcu'] + s['index_wcu']:.0f}")

    p("")
    p("Write units of the whole walk by item kind (pk and sk prefixes; table WCU, each index's WCU):")
    kinds: dict[str, dict] = {}
    from icp.store import INDEXES

    for r in rec.requests:
        for op in r.ops:
            for kind, table_units, by_index in op.by_item:
                row = kinds.setdefault(kind, {"items": 0, "in_tx": 0, "table": 0.0, **{i: 0.0 for i in INDEXES}})
                row["items"] += 1
                row["in_tx"] += len(op.by_item) > 1
                row["table"] += table_units
                for index, units in by_index:
                    row[index] += units
    p(f"  {'item kind':<22} {'writes':>6} {'in tx':>5} {'table':>6} " + " ".join(f"{i:>8}" for i in INDEXES)
      + f" {'total':>6}")
    for kind, row in sorted(kinds.items(), key=lambda kv: -(kv[1]["table"] + sum(kv[1][i] for i in INDEXES))):
        p(f"  {kind:<22} {row['items']:>6} {row['in_tx']:>5} {row['table']:>6.0f} "
          + " ".join(f"{row[i]:>8.0f}" for i in INDEXES) + f" {row['table'] + sum(row[i] for i in INDEXES):>6.0f}")

    stored_size, plain_size = rec.counter.largest_order
    if stored_size:
        p(f"The largest order written: {stored_size} bytes as DynamoDB stores it (icp.store.packing), "
          f"{plain_size} unpacked; under 1,024 it is one write unit")
    if rec.messages:
        p(f"Messages the order sent: {rec.messages.get('email', 0)} e-mails, {rec.messages.get('sms', 0)} text messages")

    if over:
        p("")
        p("Steps over budget, with every table operation in order (caller in brackets):")
        for r, s in over:
            p(f"  {r.phase} {r.method} {r.path}: {s['reads']} reads (+{s['session_reads']} session gets), "
              f"{s['writes']} writes")
            for op in r.ops:
                what = f"{op.method}({op.key})" if op.is_read else f"{op.method}[{op.items} items]({op.key})"
                p(f"      {what:<34} [{op.caller}]")
    wizard_steps = [r for r in rec.requests if r.phase in WIZARD and r.kind == "step"]
    return [
        Result("table ops (DynamoDB): wizard steps over 1 read + 1 write", f"{len(over)} of {len(wizard_steps)}",
               "0", not over),
        Result("units, whole filing to submission", f"RCU {sub['rcu']:.1f}, WCU {sub['wcu']:.0f} + index "
               f"{sub['index_wcu']:.0f}", "count and publish", None),
        Result(f"units, whole filing to {stored['status']}", f"RCU {whole['rcu']:.1f}, WCU {whole['wcu']:.0f} + index "
               f"{whole['index_wcu']:.0f}", "count and publish", None),
    ]


if __name__ == "__main__":
    sys.exit(print_results(run))
