"""Cold start (DESIGN.md budget: importing `app` costs at most 1.3x importing flask + wtforms + boto3 alone).

Each measurement is a fresh interpreter that times its own import (interpreter start-up excluded), run
REPEATS times alternately; the medians are compared. `import app` also builds the app (create_app), on the
local backend in a throwaway ICP_DATA_DIR. Then `python -X importtime -c "import app"` (3 runs, median per
module) lists the modules that are not loaded by the baseline, by cumulative import time: the candidates
to import lazily.

    python -m bench.cold_start
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict

from bench import _support
from bench._support import Result, median, print_results

REPEATS = 7
IMPORTTIME_RUNS = 3
TOP = 10
BUDGET = 1.3

BASELINE = "import flask, wtforms, boto3"
APP = "import app"
# for reference only: the web stack without boto3, which the local backend never imports
WEB_ONLY = "import flask, wtforms"
# for reference only, an estimate of the aws backend's start (which cannot run here: create_app reads the
# secret key from SSM): the local app plus the modules the aws adapters import and the SSM client create_app
# builds from the app's session (no request is made; fake credentials come from the environment)
AWS_IMPORTS = "import app, boto3, boto3.dynamodb.types, botocore.exceptions, botocore.config"
AWS_ESTIMATE = AWS_IMPORTS + "; from icp.store.boto import boto_client; boto_client('ssm', region='cn-north-1')"

# Lambda's runtime sets TZ=:UTC for every function; without it Babel (imported by the first page) searches the
# machine's zone files for the local time zone at import, ~10 ms that Lambda never pays
LAMBDA_ENVIRONMENT = {"TZ": ":UTC"}

_TIMER = ("import time; t, c = time.perf_counter(), time.process_time(); exec({stmt!r}); "
          "print(time.perf_counter() - t, time.process_time() - c)")

# the first request as Zappa hands it to the app: a WSGI call (what the function URL's GET / becomes)
FIRST_REQUEST = """
import io, sys, app
environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "QUERY_STRING": "", "SERVER_NAME": "example.com",
           "SERVER_PORT": "443", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "https", "wsgi.input": io.BytesIO(),
           "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
           "HTTP_HOST": "example.com", "HTTP_ACCEPT_LANGUAGE": "zh", "REMOTE_ADDR": "203.0.113.7"}
status = []
body = b"".join(app.app(environ, lambda s, h, e=None: status.append(s)))
assert status == ["200 OK"] and b"<html" in body.lower(), (status, body[:300])
"""


def _env() -> dict:
    env = dict(os.environ)
    env["ICP_DATA_DIR"] = str(_support.scratch("cold-start"))
    env.pop("ICP_BACKEND", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(_support.ROOT)
    return env


def _python(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=_support.ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True)


def time_both(stmt: str, env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds) a fresh interpreter spends on `stmt`."""
    wall, cpu = _python(["-c", _TIMER.format(stmt=stmt)], env).stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def time_import(stmt: str, env: dict) -> float:
    """Seconds a fresh interpreter spends on `stmt`."""
    return time_both(stmt, env)[0]


def loaded_modules(stmt: str, env: dict) -> set[str]:
    """The modules in sys.modules after `stmt` in a fresh interpreter."""
    out = _python(["-c", f"import sys; {stmt}; print('\\n'.join(sys.modules))"], env).stdout
    return set(out.split())


def importtime(stmt: str, env: dict) -> list[tuple[str, int, int, int]]:
    """(module, self us, cumulative us, depth) per line of -X importtime, in the order printed."""
    err = _python(["-X", "importtime", "-c", stmt], env).stderr
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        parts = line.split("|")
        self_us = int(parts[0].split(":")[1])
        cumulative = int(parts[1])
        raw = parts[2]
        depth = (len(raw) - len(raw.lstrip(" ")) - 1) // 2
        rows.append((raw.strip(), self_us, cumulative, depth))
    return rows


def importers(rows) -> dict[str, str]:
    """For each module, the module whose import pulled it in (the next shallower line in importtime's order)."""
    parent: dict[str, str] = {}
    for i, (name, _s, _c, depth) in enumerate(rows):
        for later, _s2, _c2, later_depth in rows[i + 1:]:
            if later_depth < depth:
                parent[name] = later
                break
        else:
            parent[name] = "-"
    return parent


def run_aws(out=sys.stdout) -> list[Result]:
    """The aws backend against a moto server: `import app` (secret from SSM) and then the first GET /."""
    p = lambda *a: print(*a, file=out)
    with _support.MotoStack("cold-start") as stack:
        env = {**stack.env, **LAMBDA_ENVIRONMENT}
        statements = (BASELINE, APP, FIRST_REQUEST)
        for stmt in statements:
            time_both(stmt, env)
        times: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for _ in range(REPEATS):
            for stmt in statements:
                times[stmt].append(time_both(stmt, env))
    wall = {s: median([w for w, _c in times[s]]) for s in statements}
    cpu = {s: median([c for _w, c in times[s]]) for s in statements}
    p(f"Cold start on the aws backend (DynamoDB, S3, SSM on a moto server at 127.0.0.1), median of {REPEATS}:")
    p(f"  {'':<44} {'wall':>9} {'ratio':>6} {'CPU':>9} {'ratio':>6}")
    rows = (("baseline `" + BASELINE + "`", BASELINE), ("`import app` (secret read from SSM)", APP),
            ("`import app` + first GET / (WSGI call)", FIRST_REQUEST))
    for label, stmt in rows:
        p(f"  {label:<44} {wall[stmt] * 1000:7.1f}ms {wall[stmt] / wall[BASELINE]:6.2f} "
          f"{cpu[stmt] * 1000:7.1f}ms {cpu[stmt] / cpu[BASELINE]:6.2f}")
    first = wall[FIRST_REQUEST] / wall[BASELINE]
    p(f"  budget: import + first request <= {BUDGET} x baseline: {first:.2f}  {'ok' if first <= BUDGET else 'OVER'}")
    return [Result("cold start aws: import app / baseline", f"{wall[APP] / wall[BASELINE]:.2f} "
                   f"({wall[APP] * 1000:.0f} ms / {wall[BASELINE] * 1000:.0f} ms)", f"<= {BUDGET}",
                   wall[APP] / wall[BASELINE] <= BUDGET),
            Result("cold start aws: import app + first GET / / baseline", f"{first:.2f} "
                   f"({wall[FIRST_REQUEST] * 1000:.0f} ms; CPU {cpu[FIRST_REQUEST] / cpu[BASELINE]:.2f})",
                   f"<= {BUDGET}", first <= BUDGET)]


# the packaged handler as Lambda runs it: `python -S` in the unzipped package, the stage's handler (LAMBDA_HANDLER,
# prepended by stage_handler_call: Zappa's handler through views/lambda_entry.py) given a GET / through the
# stage's function URL (payload format 2.0) and a context; the child prints its wall and CPU seconds
HANDLER_FIRST_CALL = """
import importlib, sys, os
sys.path.insert(0, os.getcwd())
module, function = LAMBDA_HANDLER.rsplit(".", 1)
lambda_handler = getattr(importlib.import_module(module), function)
host = "abcdefghijklmnopqrstuvwxyz012345.lambda-url.ap-southeast-1.on.aws"
event = {"version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "", "isBase64Encoded": False,
         "headers": {"host": host, "accept": "text/html", "accept-language": "zh", "x-forwarded-proto": "https",
                     "x-forwarded-for": "203.0.113.7", "x-forwarded-port": "443"},
         "requestContext": {"accountId": "anonymous", "apiId": "bench", "domainName": host, "stage": "$default",
                            "http": {"method": "GET", "path": "/", "protocol": "HTTP/1.1",
                                     "sourceIp": "203.0.113.7", "userAgent": "bench"},
                            "requestId": "bench", "routeKey": "$default", "timeEpoch": 1764234000000}}
class Context:
    function_name = "icp-filing-dev"; aws_request_id = "bench"; memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:ap-southeast-1:123456789012:function:icp-filing-dev"
    def get_remaining_time_in_millis(self): return 30000
response = lambda_handler(event, Context())
assert response["statusCode"] == 200, response
"""


def stage_handler_call() -> str:
    """HANDLER_FIRST_CALL with the function the dev stage has Lambda call (zappa_settings.json "lambda_handler")."""
    import json

    stage = json.loads((_support.ROOT / "zappa_settings.json").read_text())["dev"]
    return f"LAMBDA_HANDLER = {stage.get('lambda_handler', 'handler.lambda_handler')!r}\n" + HANDLER_FIRST_CALL
PACKAGE_BASELINE = "import sys, os; sys.path.insert(0, os.getcwd()); import flask, wtforms, boto3"


def run_package(out=sys.stdout) -> list[Result]:
    """The zip `make package` built: its handler's first call against a moto server, with and without bytecode."""
    import shutil
    import zipfile

    from bench.package_size import PACKAGE

    p = lambda *a: print(*a, file=out)
    if not PACKAGE.exists():
        p(f"Packaged handler: {PACKAGE.name} not built (run `make package`); skipped")
        return [Result("packaged handler first call / baseline", "not built", f"<= {BUDGET}", None)]
    compiled = _support.scratch("package-task")
    with zipfile.ZipFile(PACKAGE) as archive:
        archive.extractall(compiled)
    sources = _support.scratch("package-task-sources")
    shutil.copytree(compiled, sources, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    with _support.MotoStack("package") as stack:
        env = {k: v for k, v in stack.env.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env.update(LAMBDA_ENVIRONMENT)
        env.update(AWS_LAMBDA_FUNCTION_NAME="icp-filing-dev", AWS_EXECUTION_ENV="AWS_Lambda_python3.11",
                   ICP_TABLE=stack.env["ICP_TABLE"], ICP_BUCKET=stack.env["ICP_BUCKET"])
        env.pop("ICP_DATA_DIR", None)
        first_call = stage_handler_call()
        cases = (("baseline", PACKAGE_BASELINE, compiled), ("with bytecode", first_call, compiled),
                 ("sources only", first_call, sources))
        times: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for _ in range(REPEATS):
            for label, stmt, task in cases:
                # -S: no site-packages, -E: no PYTHON* variables, -B: nothing written (/var/task is read-only)
                result = subprocess.run([sys.executable, "-S", "-E", "-B", "-c", _TIMER.format(stmt=stmt)], cwd=task,
                                        env=env, capture_output=True, text=True, timeout=120)
                if result.returncode:
                    raise RuntimeError(result.stderr[-3000:])
                wall, cpu = result.stdout.strip().splitlines()[-1].split()
                times[label].append((float(wall), float(cpu)))
    wall = {k: median([w for w, _c in v]) for k, v in times.items()}
    cpu = {k: median([c for _w, c in v]) for k, v in times.items()}
    size = PACKAGE.stat().st_size
    p(f"Packaged handler ({PACKAGE.name}, {size / 2**20:.1f} MiB zipped), python -S in the unzipped package, moto "
      f"on 127.0.0.1; median of {REPEATS}:")
    p(f"  {'':<52} {'wall':>9} {'ratio':>6} {'CPU':>9} {'ratio':>6}")
    for label, what in (("baseline", "`import flask, wtforms, boto3` from the package"),
                        ("with bytecode", "import handler + first GET / (bytecode as packed)"),
                        ("sources only", "the same without the __pycache__ folders")):
        p(f"  {what:<52} {wall[label] * 1000:7.1f}ms {wall[label] / wall['baseline']:6.2f} "
          f"{cpu[label] * 1000:7.1f}ms {cpu[label] / cpu['baseline']:6.2f}")
    ratio = cpu["with bytecode"] / cpu["baseline"]
    return [Result("packaged handler first call CPU / baseline", f"{ratio:.2f} (wall "
                   f"{wall['with bytecode'] / wall['baseline']:.2f}; sources only: CPU "
                   f"{cpu['sources only'] / cpu['baseline']:.2f})", f"<= {BUDGET}", ratio <= BUDGET),
            Result("packaged handler: CPU without / with bytecode",
                   f"{cpu['sources only'] / cpu['with bytecode']:.2f}", "reported", None),
            Result("deploy package (zipped)", f"{size / 2**20:.2f} MiB", "as small as possible", None)]


def run(out=sys.stdout) -> list[Result]:
    return run_aws(out) + run_package(out) + run_local(out)


def run_local(out=sys.stdout) -> list[Result]:
    env = _env()
    # one warm-up each, so .pyc files exist and the first measured run is not the one that compiles
    statements = (BASELINE, APP, WEB_ONLY, AWS_IMPORTS, AWS_ESTIMATE)
    for stmt in statements:
        time_import(stmt, env)
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(REPEATS):
        for stmt in statements:
            times[stmt].append(time_import(stmt, env))
    base, app, web, aws_imports, aws = (median(times[s]) for s in statements)
    ratio = app / base
    p = lambda *a: print(*a, file=out)
    p(f"Cold start: median of {REPEATS} fresh interpreters each (import time only, interpreter start excluded)")
    p(f"  baseline `{BASELINE}`: {base * 1000:7.1f} ms")
    p(f"  `{APP}` (imports + create_app, local backend): {app * 1000:7.1f} ms")
    p(f"  ratio app / baseline: {ratio:.2f}   (budget <= {BUDGET})  {'ok' if ratio <= BUDGET else 'OVER'}")
    p(f"  for reference, `{WEB_ONLY}`: {web * 1000:.1f} ms; app / that = {app / web:.2f}")
    p(f"  for reference, aws backend estimate (app + boto3 adapters' imports + creating the SSM client): "
      f"{aws * 1000:.1f} ms; / baseline = {aws / base:.2f}")
    p(f"    of which the boto3 imports {(aws_imports - app) * 1000:.1f} ms, creating the SSM client "
      f"{(aws - aws_imports) * 1000:.1f} ms; without the client: / baseline = {aws_imports / base:.2f}")

    baseline_modules = loaded_modules(BASELINE, env)
    app_modules = loaded_modules(APP, env)
    extra = app_modules - baseline_modules
    p(f"  modules loaded by `import app`: {len(app_modules)}, of which not loaded by the baseline: {len(extra)}"
      f"; boto3 loaded by app: {'yes' if 'boto3' in app_modules else 'no'}")

    runs = [importtime(APP, env) for _ in range(IMPORTTIME_RUNS)]
    cumulative: dict[str, list[int]] = defaultdict(list)
    own: dict[str, list[int]] = defaultdict(list)
    for rows in runs:
        for name, self_us, cum_us, _depth in rows:
            cumulative[name].append(cum_us)
            own[name].append(self_us)
    parent = importers(runs[0])
    candidates = sorted((n for n in cumulative if n not in baseline_modules and n != "app"),
                        key=lambda n: median(cumulative[n]), reverse=True)
    p(f"  top {TOP} modules not in the baseline, by cumulative import time (median of {IMPORTTIME_RUNS}"
      f" -X importtime runs; nested modules are part of their importer's time):")
    p(f"    {'cumulative':>10} {'self':>8}  {'module':<34} imported by")
    for name in candidates[:TOP]:
        p(f"    {median(cumulative[name]) / 1000:8.1f}ms {median(own[name]) / 1000:6.1f}ms  {name:<34} "
          f"{parent.get(name, '?')}")
    if "app" in own:
        p(f"  `app` module's own time (create_app and module body, without imports): {median(own['app']) / 1000:.1f} ms")
    return [Result("cold start: import app / import flask+wtforms+boto3", f"{ratio:.2f} "
                   f"({app * 1000:.0f} ms / {base * 1000:.0f} ms)", f"<= {BUDGET}", ratio <= BUDGET),
            Result("cold start, aws estimate / baseline (reference)", f"{aws / base:.2f} ({aws * 1000:.0f} ms)",
                   f"<= {BUDGET}", None)]


if __name__ == "__main__":
    sys.exit(print_results(run))
