"""CPU per wizard step (DESIGN.md budget: at most 2x a bare Flask route that renders the same form after the same reads).

The app runs on the aws backend against a moto server in a *separate process* on 127.0.0.1, so the CPU this
process spends is the app's own (botocore's work included, as on Lambda), never moto's. A bare blueprint is
added to the same app (same extensions, same log-in, same table): its routes read what the step reads (the
session's account, the order) and render the step's WTForms form in a template that only loops over the
fields, or validate the same posted form and make the same conditional write. Requests alternate between
the step and its bare twin; each figure is the median CPU (time.process_time) per request over ROUNDS rounds
of BATCH requests, and the ratio is step / bare from this one run.

    python -m bench.step_cpu
"""
from __future__ import annotations

import socket
import subprocess
import sys
import time

from bench import _support
from bench._support import Result, median, print_results

BUDGET = 2.0
ROUNDS = 7
BATCH = 10

BARE_TEMPLATE = """<!doctype html><title>{{ title }}</title>
<form method="post" novalidate>{% for field in form %}{% if field.type in ("CSRFTokenField", "HiddenField") %}{{ field() }}
{% else %}<p>{{ field.label }} {{ field() }}{% for error in field.errors %} {{ error }}{% endfor %}</p>
{% endif %}{% endfor %}<button>Save</button></form>"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoProcess:
    """`moto_server` in a child process on 127.0.0.1 (its CPU is not this process's)."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        self.close()
        raise RuntimeError("moto_server did not start")

    def close(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=30)


def add_bare_routes(app) -> None:
    """The bare twins of steps 3 and 4: same reads, same form, a template that only loops over the fields."""
    from flask import Blueprint, redirect, render_template
    from flask_login import current_user, login_required

    from forms.subject import SubjectForm
    from forms.website import WebsiteForm
    from icp.workflow import drafting, load_filing
    from views import now, table

    # a template file like the app's, so Jinja compiles it once and caches it (render_template_string would
    # compile it on every request)
    folder = _support.scratch("step-cpu-templates")
    (folder / "bare_step.html").write_text(BARE_TEMPLATE, encoding="utf-8")
    bare = Blueprint("bare", __name__, template_folder=str(folder))

    @bare.route("/bare/<filing_id>/subject", methods=["GET", "POST"])
    @login_required
    def subject(filing_id):
        filing = load_filing(table(), filing_id, owner=current_user.email)
        form = SubjectForm(data=SubjectForm.data_from(filing.get("subject"), filing["verified"]),
                           verified=filing["verified"], today=now().date())
        if form.validate_on_submit():
            drafting.save_step(table(), filing, "subject", form.answers(), now=now())
            return redirect(f"/bare/{filing_id}/website")
        return render_template("bare_step.html", form=form, title="Subject")

    @bare.route("/bare/<filing_id>/website", methods=["GET", "POST"])
    @login_required
    def website(filing_id):
        filing = load_filing(table(), filing_id, owner=current_user.email)
        verified = filing["verified"]
        form = WebsiteForm(data=WebsiteForm.data_from(filing.get("website"), verified), verified=verified,
                           leader=filing["subject"]["leader"], today=now().date())
        if form.validate_on_submit():
            drafting.save_step(table(), filing, "website", form.answers(), now=now())
            return redirect(f"/bare/{filing_id}/check")
        return render_template("bare_step.html", form=form, title="Website")

    app.register_blueprint(bare)


def _cpu_per_request(fn) -> float:
    started = time.process_time()
    for _ in range(BATCH):
        fn()
    return (time.process_time() - started) / BATCH


def measure(app) -> list[tuple[str, float, float]]:
    """(label, step CPU s, bare CPU s) for each compared request."""
    from tests.journey import ADMINISTRATOR, SUBJECT, WEBSITE, post_form, ready_for_documents

    client, filing_id = ready_for_documents(app)
    step, bare = f"/filings/{filing_id}", f"/bare/{filing_id}"

    def get(url):
        def fn():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return fn

    def post(url, data):
        def fn():
            # the page's CSRF token is posted as a browser would; the GET is outside the timing
            response = post_form(client, url, data)
            assert response.status_code == 302, (url, response.status_code)
        return fn

    comparisons = [
        ("GET step 3 subject (render the form)", get(f"{step}/subject"), get(f"{bare}/subject")),
        ("GET step 4 website (render the form)", get(f"{step}/website"), get(f"{bare}/website")),
    ]
    rows = []
    for label, ours, twin in comparisons:
        ours(), twin()  # warm: templates compiled, clients made
        a, b = [], []
        for _ in range(ROUNDS):
            a.append(_cpu_per_request(ours))
            b.append(_cpu_per_request(twin))
        rows.append((label, median(a), median(b)))

    # a POST: the same validation and conditional write, then a redirect; timed without the GET that fetches
    # the token (post_form reads the page first), by subtracting that GET measured alongside
    for label, path, data in (("POST step 3 subject (validate, write)", "subject", SUBJECT),
                              ("POST step 4 website (validate, write)", "website", {**WEBSITE, **ADMINISTRATOR})):
        ours_post, twin_post = post(f"{step}/{path}", data), post(f"{bare}/{path}", data)
        ours_get, twin_get = get(f"{step}/{path}"), get(f"{bare}/{path}")
        ours_post(), twin_post()
        a, b = [], []
        for _ in range(ROUNDS):
            a.append(_cpu_per_request(ours_post) - _cpu_per_request(ours_get))
            b.append(_cpu_per_request(twin_post) - _cpu_per_request(twin_get))
        rows.append((label, median(a), median(b)))
    return rows


def run(out=sys.stdout) -> list[Result]:
    try:
        import moto.server  # noqa: F401
    except ImportError:
        print("step_cpu: moto is not installed; skipped", file=out)
        return []
    moto = MotoProcess()
    try:
        app, _clock = _support.demo_app("step-cpu", backend="aws", dynamodb_endpoint_url=moto.url,
                                        s3_endpoint_url=moto.url)
        add_bare_routes(app)
        rows = measure(app)
    finally:
        moto.close()
    p = lambda *a: print(*a, file=out)
    p(f"CPU per request, aws backend (moto in another process), median of {ROUNDS} x {BATCH}; budget step/bare <= "
      f"{BUDGET}")
    p(f"  {'request':<40} {'step':>8} {'bare':>8} {'ratio':>6}")
    results = []
    for label, ours, twin in rows:
        ratio = ours / twin
        p(f"  {label:<40} {ours * 1000:6.2f}ms {twin * 1000:6.2f}ms {ratio:6.2f}  {'ok' if ratio <= BUDGET else 'OVER'}")
        results.append(Result(f"CPU {label.split(' (')[0]} / bare route", f"{ratio:.2f} ({ours * 1000:.1f} ms / "
                              f"{twin * 1000:.1f} ms)", f"<= {BUDGET}", ratio <= BUDGET))
    return results


if __name__ == "__main__":
    sys.exit(print_results(run))
