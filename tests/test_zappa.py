"""zappa_settings.json as Zappa reads it, and the Lambda package `make package` builds, run like Lambda runs it.

The fast tests load the settings through Zappa's own CLI class (offline: no credentials, no AWS calls) and check
what DESIGN.md's Deployment section asks of them, the function role's policy included. The slow tests build the
package once; one unzips it and calls the stage's packaged handler (app.lambda_handler, which hands each event to
Zappa's handler) in a fresh interpreter that sees only the package (no site-packages), against a moto server, with
requests through the function URL (payload 2.0) and the scheduled events Zappa's own scheduling would send; the
other runs `zappa deploy`, `unschedule`, `schedule` and `undeploy` against moto.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile

import pytest

from tests.package_sources import ROOT, SETTINGS_FILE, SOURCES, boto_services, packaged_sources

PACKAGE = ROOT / "dist" / "icp-filing-dev.zip"
STAGES = ("dev", "prod")
JOBS = {"icp.jobs.sweep_deadlines": "rate(15 minutes)", "icp.jobs.deliver_outbox": "rate(1 minute)"}
FAKE_ACCOUNT = "123456789012"
SESSION_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def load_stage(stage: str, monkeypatch):
    """Return Zappa's CLI object with the stage's settings loaded, offline."""
    from zappa.cli import ZappaCLI

    monkeypatch.chdir(ROOT)  # Zappa looks for the project (websocket handlers) in the working directory
    cli = ZappaCLI()
    cli.api_stage = stage
    cli.load_credentials = False  # as `zappa package` does: no boto session, no AWS call
    cli.load_settings(str(SETTINGS_FILE))
    return cli


def partition(region: str) -> str:
    """The ARN partition of a region: China's regions are a separate partition."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


@pytest.mark.parametrize("stage", STAGES)
def test_settings_load_through_zappa_and_meet_the_design(stage, monkeypatch):
    cli = load_stage(stage, monkeypatch)

    assert cli.app_function == "app.app"
    assert cli.stage_config["project_name"] == cli.project_name == "icp-filing"
    assert cli.lambda_name == f"icp-filing-{stage}"
    assert cli.runtime == f"python{sys.version_info.major}.{sys.version_info.minor}", "package with the runtime's Python"
    # Zappa's defaults (DEBUG, debug=True) log whole requests; this service holds personal data
    assert cli.log_level == "WARNING"
    assert cli.debug is False
    assert cli.stage_config.get("cloudwatch_data_trace", False) is False
    assert cli.aws_region and cli.aws_region == cli.stage_config["aws_region"]
    assert stage in cli.s3_bucket_name, "Zappa's own bucket (code uploads) is per stage"
    assert cli.s3_bucket_name != cli.aws_environment_variables["ICP_BUCKET"], "and is not the document bucket"
    # the package must build offline and hold everything in one zip
    assert cli.stage_config["use_precompiled_packages"] is False
    assert cli.stage_config["slim_handler"] is False
    assert 3 <= cli.timeout_seconds <= 900 and 128 <= cli.memory_size <= 10240

    generated = cli.get_zappa_settings_string()  # what the package's zappa_settings.py will hold
    assert "DEBUG=False" in generated and "LOG_LEVEL='WARNING'" in generated
    assert "APP_MODULE='app'" in generated and "APP_FUNCTION='app'" in generated
    # Lambda imports app.py first (the app built with the collector paused) and calls Zappa's handler through
    # views/lambda_entry.py, which leaves asyncio (ASGI), tarfile (slim handler) and durationpy unloaded; a WSGI
    # app said so, so the handler never asks asyncio what the app is
    assert cli.lambda_handler == "app.lambda_handler"
    assert "APP_TYPE='wsgi'" in generated


@pytest.mark.parametrize("stage", STAGES)
def test_every_job_is_scheduled_under_a_rule_name_zappa_can_dispatch(stage, monkeypatch):
    cli = load_stage(stage, monkeypatch)
    events = cli.stage_config["events"]
    assert {event["function"]: event["expression"] for event in events} == JOBS
    for event in events:
        rule = cli.zappa.get_scheduled_event_name(event, event["function"], cli.lambda_name)
        # the packaged handler finds the function from the rule name's last "-"-separated part
        assert rule.split("-")[-1] == event["function"], rule
        assert len(rule) <= 64


@pytest.mark.parametrize("stage", STAGES)
def test_every_event_function_imports_and_takes_event_and_context(stage, monkeypatch):
    cli = load_stage(stage, monkeypatch)
    for event in cli.stage_config["events"]:
        module_name, name = event["function"].rsplit(".", 1)
        function = getattr(importlib.import_module(module_name), name)
        assert callable(function)
        inspect.signature(function).bind({"detail-type": "Scheduled Event"}, object())


@pytest.mark.parametrize("stage", STAGES)
def test_configuration_is_in_the_lambda_environment_and_names_what_the_app_reads(stage, monkeypatch):
    from icp import settings as settings_module

    cli = load_stage(stage, monkeypatch)
    env = cli.aws_environment_variables
    assert not cli.environment_variables, "configuration goes to the Lambda environment, not into the zip"
    assert set(env) <= set(settings_module.ENVIRONMENT), "every variable is one the app reads"
    assert "AWS_REGION" not in env, "Lambda reserves AWS_REGION (Zappa sets it from aws_region)"
    assert all(isinstance(value, str) for value in env.values())

    settings = settings_module.from_environment(environ={**env, "AWS_REGION": cli.aws_region})
    assert settings.backend == "aws" and settings.notify_channel == "aws"
    assert settings.aws_region == cli.aws_region
    assert stage in settings.table_name and stage in settings.bucket_name
    assert settings.secret_key_parameter.startswith("/") and stage in settings.secret_key_parameter
    assert not settings.secret_key
    assert settings.public_url.startswith("https://")
    assert all(origin.startswith("https://") for origin in settings.upload_origins)


def test_stages_share_no_storage_or_secret(monkeypatch):
    dev, prod = (load_stage(stage, monkeypatch).aws_environment_variables for stage in STAGES)
    for name in ("ICP_TABLE", "ICP_BUCKET", "ICP_SECRET_KEY_PARAMETER", "ICP_PUBLIC_URL"):
        assert dev[name] != prod[name], name


SECRET_NAMES = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE|_KEY$|^KEY$", re.IGNORECASE)
# an AWS access key id, or a long opaque string with no separators (a key, a token, a password)
SECRET_VALUES = re.compile(r"(?:AKIA|ASIA)[0-9A-Z]{16}|[A-Za-z0-9+/=_]{32,}")


def strings(value, path=""):
    """Yield (path, string) for every key and string value in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}/{key}", key
            yield from strings(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}/{index}")
    elif isinstance(value, str):
        yield path, value


def test_no_secrets_in_the_settings_file(monkeypatch):
    document = json.loads(SETTINGS_FILE.read_text())
    found = [(path, text) for path, text in strings(document) if SECRET_VALUES.search(text)]
    assert not found, f"secret-looking values: {found}"
    for stage in STAGES:
        cli = load_stage(stage, monkeypatch)
        for variables in (cli.aws_environment_variables, cli.environment_variables):
            named = [name for name in variables if SECRET_NAMES.search(name) and not name.endswith("_PARAMETER")]
            assert not named, f"{stage}: secrets belong in SSM, not in variables {named}"
        assert cli.aws_environment_variables["ICP_SECRET_KEY_PARAMETER"].startswith("/"), "a parameter name"
        for key in ("aws_access_key_id", "aws_secret_access_key", "profile_name", "remote_env"):
            assert key not in cli.stage_config


def role_policy_the_service_needs(cli) -> dict:
    """The role policy a stage needs, derived from its settings: what the app calls, on this stage's resources."""
    from icp.store import INDEXES

    env, region, function = cli.aws_environment_variables, cli.aws_region, cli.lambda_name
    arn = f"arn:{partition(region)}"  # China's regions need arn:aws-cn:... or IAM matches nothing
    table = f"{arn}:dynamodb:{region}:*:table/{env['ICP_TABLE']}"
    bucket = f"{arn}:s3:::{env['ICP_BUCKET']}"
    log_group = f"{arn}:logs:{region}:*:log-group:/aws/lambda/{function}"
    sender = env["ICP_MAIL_SENDER"]
    statements = [
        ("Logs", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], [log_group, f"{log_group}:*"]),
        # icp.store.dynamodb: get_item, batch_get_item, query, update_item, and transactions of Put and Delete
        ("FilingTable", ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem",
                         "dynamodb:UpdateItem", "dynamodb:DeleteItem"], [table]),
        ("FilingTableIndexes", ["dynamodb:Query"], [f"{table}/index/{name}" for name in INDEXES]),
        # icp.store.s3: head/get (and presigned GET, copy source), put (and presigned POST, copy target, a multipart
        # upload's parts), delete; a multipart upload that fails half-way is aborted (put_stream)
        ("DocumentObjects", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion",
                             "s3:AbortMultipartUpload"],
         [f"{bucket}/*"]),
        # so a missing object answers 404 (KeyError, None) rather than 403
        ("DocumentBucket", ["s3:ListBucket", "s3:ListBucketVersions"], [bucket]),
        ("SecretKeyParameter", ["ssm:GetParameter"],
         [f"{arn}:ssm:{region}:*:parameter{env['ICP_SECRET_KEY_PARAMETER']}"]),
        ("MailFromSender", ["ses:SendEmail"],
         [f"{arn}:ses:{region}:*:identity/{sender}", f"{arn}:ses:{region}:*:identity/{sender.split('@')[1]}"]),
        # a text message to a phone number has no resource ARN: AWS accepts only "*" for it
        ("TextMessages", ["sns:Publish"], ["*"]),
    ]
    return {sid: {"Effect": "Allow", "Action": sorted(actions), "Resource": sorted(resources)}
            for sid, actions, resources in statements}


def by_sid(policy: dict) -> dict:
    """A policy document's statements keyed by Sid, with Action and Resource as sorted lists (Condition aside)."""
    statements = {}
    for statement in policy["Statement"]:
        assert statement["Sid"] not in statements, f"two statements named {statement['Sid']}"
        statements[statement["Sid"]] = {"Effect": statement["Effect"], "Action": as_list(statement["Action"]),
                                        "Resource": as_list(statement["Resource"])}
    return statements


def as_list(value: str | list[str]) -> list[str]:
    """A policy element (one string or a list) as a sorted list."""
    return sorted([value] if isinstance(value, str) else value)


@pytest.mark.parametrize("stage", STAGES)
def test_the_role_policy_grants_only_what_the_service_does_on_this_stage_resources(stage, monkeypatch):
    cli = load_stage(stage, monkeypatch)
    # Zappa's own default policy (s3:*, dynamodb:*, ... on every resource) is replaced, and nothing is appended
    assert cli.stage_config["attach_policy"] == f"zappa_policy_{stage}.json"
    assert not cli.zappa.extra_permissions
    assert cli.stage_config.get("manage_roles", True), "Zappa applies the file on every deploy and update"
    policy = json.loads(cli.zappa.attach_policy)

    assert by_sid(policy) == role_policy_the_service_needs(cli)
    for statement in policy["Statement"]:
        assert statement.keys() <= {"Sid", "Effect", "Action", "Resource", "Condition"}, statement
        assert not [action for action in as_list(statement["Action"]) if "*" in action], statement["Sid"]
        if "*" in as_list(statement["Resource"]):
            assert as_list(statement["Action"]) == ["sns:Publish"], f"{statement['Sid']}: '*' only for SMS"
    conditions = {s["Sid"]: s["Condition"] for s in policy["Statement"] if "Condition" in s}
    assert conditions == {"MailFromSender": {"StringEquals": {"ses:FromAddress": cli.aws_environment_variables[
        "ICP_MAIL_SENDER"]}}}


@pytest.mark.parametrize("stage", STAGES)
def test_the_function_url_serves_the_stage_without_api_gateway(stage, monkeypatch):
    cli = load_stage(stage, monkeypatch)
    # no REST API ($3.50 a million requests) and no HTTP API ($1.00): the function URL costs nothing
    assert cli.use_apigateway is False
    assert cli.use_function_url is True
    # public pages: Lambda authenticates no one, the app does (sessions, CSRF); same-origin pages need no CORS
    assert cli.function_url_config["authorizer"] == "NONE"
    assert not cli.function_url_config["cors"]
    assert not cli.function_url_domains, "a custom domain is CloudFront's, set up apart (README)"
    # the public may invoke the function only through its URL: the post callback narrows Zappa's grant
    assert cli.stage_config["callbacks"]["post"] == "icp.function_url.invoke_only_through_the_url"
    assert "icp/function_url.py" in cli.stage_config["exclude_glob"], "a deploy tool, not packaged"


# ---------------------------------------------------------------------------------------------------------
# the package


def imported_modules() -> dict[str, list[str]]:
    """Map every module the project's code imports (anywhere, also inside functions) to the names taken from it.

    Imports under `if TYPE_CHECKING:` and inside `try: ... except ImportError:` are optional and left out.
    """
    found: dict[str, set[str]] = {}

    def visit(node, package: str, optional: bool) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child, package, optional)
            return
        if isinstance(node, ast.Try):
            guarded = any("ImportError" in ast.unparse(h.type) for h in node.handlers if h.type is not None)
            for child in node.body:
                visit(child, package, optional or guarded)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, package, optional)
            return
        if not optional and isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault(alias.name, set())
        elif not optional and isinstance(node, ast.ImportFrom) and node.module != "__future__":
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            found.setdefault(module, set()).update(alias.name for alias in node.names if alias.name != "*")
        for child in ast.iter_child_nodes(node):
            visit(child, package, optional)

    for file in packaged_sources():
        relative = file.relative_to(ROOT).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        package = ".".join(relative.parts[:-1])
        found.setdefault(".".join(parts), set())
        visit(ast.parse(file.read_text(encoding="utf-8"), str(file)), package, False)
    return {module: sorted(names) for module, names in sorted(found.items())}


# Runs in a fresh interpreter with -S (no site-packages) and cwd = the unzipped package, as Lambda runs
# /var/task: whatever the package lacks fails here. Writes its findings as JSON to argv[1].
LAMBDA_SCRIPT = textwrap.dedent(
    r'''
    import importlib, importlib.util, io, json, os, sys, uuid, time
    sys.path.insert(0, os.getcwd())
    spec = json.loads(os.environ["TEST_SPEC"])
    # nothing from the build machine: no test tools, no Zappa CLI and its dependencies
    out = {"leaks": [m for m in ("moto", "pytest", "troposphere", "requests", "zappa.cli")
                     if importlib.util.find_spec(m) is not None]}

    class Context:
        function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        function_version = "$LATEST"
        memory_limit_in_mb = 512
        aws_request_id = str(uuid.uuid4())
        log_group_name = "/aws/lambda/" + function_name
        log_stream_name = "test"
        invoked_function_arn = spec["function_arn"]
        def get_remaining_time_in_millis(self):
            return 30000

    started = time.perf_counter()
    entry_module, entry_function = spec["lambda_handler"].rsplit(".", 1)
    lambda_handler = getattr(importlib.import_module(entry_module), entry_function)
    out["import_handler_s"] = round(time.perf_counter() - started, 3)

    out["pages"] = {}
    def call(event):
        started = time.perf_counter()
        response = lambda_handler(event, Context())
        return {
            "status": response.get("statusCode"), "headers": response.get("headers", {}),
            "cookies": response.get("cookies", []), "body": response.get("body", ""),
            "base64": response.get("isBase64Encoded", False), "seconds": round(time.perf_counter() - started, 3),
        }

    for language in ("en", "zh"):
        event = json.loads(json.dumps(spec["url_event"]))
        event["headers"]["accept-language"] = language
        out["pages"][language] = call(event)

    # a form through the URL: the page's cookie comes back in the event's "cookies", its token in the body
    import re, urllib.parse
    event = json.loads(json.dumps(spec["url_event"]))
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/log-in"
    form_page = call(event)
    out["log_in_page"] = {k: form_page[k] for k in ("status", "cookies")}
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form_page["body"])
    event["requestContext"]["http"]["method"] = "POST"
    event["cookies"] = [cookie.split(";")[0] for cookie in form_page["cookies"]]
    event["headers"]["content-type"] = "application/x-www-form-urlencoded"
    # over https Flask-WTF also wants the page's own address as the referrer, as a browser sends it
    event["headers"]["referer"] = "https://" + event["headers"]["host"] + "/log-in"
    event["body"] = urllib.parse.urlencode({"csrf_token": token.group(1) if token else "",
                                            "email": "nobody@example.com", "password": "not-the-password"})
    posted = call(event)
    out["log_in_post"] = {"status": posted["status"], "body": posted["body"][:20000]}

    out["jobs"] = {}
    for function, event in spec["scheduled_events"].items():
        try:
            out["jobs"][function] = {"result": repr(lambda_handler(event, Context()))}
        except Exception as error:
            import traceback
            out["jobs"][function] = {"error": traceback.format_exc()}

    # what the entry leaves unloaded stayed so through pages, a form and the jobs (a stand-in is no module)
    out["loaded_unused"] = [name for name in ("asyncio", "tarfile", "durationpy")
                            if type(sys.modules.get(name)).__name__ == "module"]

    out["imports"] = {}
    for module, names in spec["modules"].items():
        try:
            imported = importlib.import_module(module)
            for name in names:
                if not hasattr(imported, name):
                    importlib.import_module(module + "." + name)
        except Exception as error:
            out["imports"][module] = f"{type(error).__name__}: {error}"

    out["services"] = {}
    # the app's session reads only icp/store/botocore_data (botocore's own data is left out of the package)
    from icp.store.boto import boto_client
    for service in spec["services"]:
        try:
            boto_client(service, region=os.environ["AWS_REGION"])
        except Exception as error:
            out["services"][service] = f"{type(error).__name__}: {error}"

    # what the app decodes (JPEG, PNG) and formats (dates in each language, Beijing time) from trimmed libraries
    out["libraries"] = {}
    try:
        from PIL import Image
        for fmt in ("JPEG", "PNG"):
            buffer = io.BytesIO()
            Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, fmt)
            with Image.open(io.BytesIO(buffer.getvalue()), formats=[fmt]) as image:
                image.load()
                assert image.size == (64, 48), image.size
        import datetime, babel.dates, pytz
        moment = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=pytz.timezone("Asia/Shanghai"))
        for language in ("en", "zh"):
            babel.dates.format_datetime(moment, locale=language)
        import phonenumbers
        assert phonenumbers.is_valid_number(phonenumbers.parse("13912345678", "CN"))
        from stdnum.cn import ric
        ric.get_birth_place("11010519491231002X")
    except Exception:
        import traceback
        out["libraries"]["error"] = traceback.format_exc()

    with open(sys.argv[1], "w", encoding="utf-8") as handle:
        json.dump(out, handle)
    '''
)


def function_url_event(region: str, path: str = "/") -> dict:
    """A GET through the stage's Lambda function URL, as Lambda delivers it (payload format 2.0)."""
    url_id = "abcdefghijklmnopqrstuvwxyz012345"
    host = f"{url_id}.lambda-url.{region}.on.aws"
    return {
        "version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": "",
        "headers": {"host": host, "accept": "text/html", "user-agent": "Mozilla/5.0", "x-forwarded-proto": "https",
                    "x-forwarded-for": "203.0.113.7", "x-forwarded-port": "443", "x-amzn-trace-id": "Root=1-0-0"},
        "requestContext": {
            "accountId": "anonymous", "apiId": url_id, "domainName": host, "domainPrefix": url_id,
            "http": {"method": "GET", "path": path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7",
                     "userAgent": "Mozilla/5.0"},
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "routeKey": "$default", "stage": "$default",
            "time": "27/Nov/2026:09:00:00 +0000", "timeEpoch": 1764234000000,
        },
        "isBase64Encoded": False,
    }


def scheduled_event(cli, event: dict) -> dict:
    """The event EventBridge delivers for one of the stage's rules, through the input transformer Zappa sets up."""
    rule = cli.zappa.get_scheduled_event_name(event, event["function"], cli.lambda_name)
    region = cli.aws_region
    return {
        "time": "2026-11-27T09:00:00Z", "detail-type": "Scheduled Event", "source": "aws.events",
        "account": FAKE_ACCOUNT, "region": region, "detail": {}, "version": "0",
        "resources": [f"arn:{partition(region)}:events:{region}:{FAKE_ACCOUNT}:rule/{rule}"],
        "id": "cdc73f9d-aea9-11e3-9d5a-835b769c0d9c", "kwargs": event.get("kwargs", {}),
    }


def package_is_current() -> bool:
    """True when dist's zip is newer than everything `make package` builds it from, so it can be reused."""
    if not PACKAGE.exists():
        return False
    built = PACKAGE.stat().st_mtime
    inputs = [ROOT / "requirements.txt", SETTINGS_FILE, ROOT / ".venv-package" / ".installed"]
    for name in (*SOURCES, "templates", "static", "translations"):
        path = ROOT / name
        inputs += [path] if path.is_file() else [
            file for file in path.rglob("*") if file.is_file() and "__pycache__" not in file.parts]
    return all(path.exists() and path.stat().st_mtime < built for path in inputs)


@pytest.fixture(scope="session")
def package_build_seconds() -> float | None:
    """Run `make package` once per session unless its zip is current; return its seconds (None when reused)."""
    if package_is_current():
        return None  # Zappa zips afresh every time (~40 s on a busy machine): nothing it reads has changed
    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    result = subprocess.run(["make", "package"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return time.perf_counter() - started


@pytest.fixture
def moto_endpoint(monkeypatch):
    """A moto server on 127.0.0.1 with fake credentials; boto3 reaches it through AWS_ENDPOINT_URL."""
    from moto.server import ThreadedMotoServer

    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    try:
        yield url
    finally:
        server.stop()


FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


@pytest.mark.slow
def test_the_package_serves_a_page_and_runs_the_jobs_as_lambda_would(
    tmp_path, monkeypatch, moto_endpoint, capsys, package_build_seconds
):
    seconds = package_build_seconds
    size = PACKAGE.stat().st_size
    with capsys.disabled():
        built = "reused (nothing it is built from changed)" if seconds is None else f"built in {seconds:.1f} s"
        print(f"\n{PACKAGE.relative_to(ROOT)}: {size:,} bytes ({size / 2**20:.1f} MiB), {built}")
    assert size < 50 * 2**20, "Lambda refuses zips over 50 MB"

    # what is (not) in the zip
    with zipfile.ZipFile(PACKAGE) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "task")
    top = {name.split("/")[0] for name in names}
    assert {"handler.py", "zappa_settings.py", "app.py", "icp", "views", "forms", "templates", "static"} <= top
    for unwanted in ("tests", "instance", "dist", "bench", ".venv", ".venv-package", "node_modules", ".git",
                     "zappa_settings.json", "zappa_policy_dev.json", "troposphere", "pip", "setuptools"):
        assert unwanted not in top, unwanted
    assert not [n for n in names if n.endswith((".po", ".pot"))]
    # bytecode for the runtime's Python beside every module (icp/bytecode.py, Zappa's zip callback): unchecked
    # hash-based, because /var/task is read-only and the zip does not keep the times a timestamp pyc checks
    sources = [n for n in names if n.endswith(".py")]
    uncompiled = [n for n in sources if importlib.util.cache_from_source(n) not in names]
    assert len(uncompiled) <= len(sources) // 100, uncompiled[:20]
    with zipfile.ZipFile(PACKAGE) as archive:
        for module in ("app.py", "icp/store/__init__.py", "flask/app.py", "botocore/client.py"):
            header = archive.read(importlib.util.cache_from_source(module))[:8]
            assert header == importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little"), module
    assert not [n for n in names if n.startswith("tools/")], "`make run-aws` (moto, Zappa's CLI) is a laptop tool"
    for catalogue in ROOT.glob("translations/*/LC_MESSAGES/messages.po"):
        assert str(catalogue.relative_to(ROOT).with_suffix(".mo")) in names, "compiled catalogues are packaged"

    # the stage's storage, as `flask icp provision` and the README's SSM step create it
    cli = load_stage("dev", monkeypatch)
    region, env = cli.aws_region, cli.aws_environment_variables
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    import boto3
    from icp.provision import provision
    from icp.settings import from_environment

    provision(from_environment(environ={**env, "AWS_REGION": region}), sleep=lambda seconds: None)
    boto3.client("ssm", region_name=region).put_parameter(
        Name=env["ICP_SECRET_KEY_PARAMETER"], Value=secrets.token_hex(32), Type="SecureString")

    spec = {
        "function_arn": f"arn:{partition(region)}:lambda:{region}:{FAKE_ACCOUNT}:function:{cli.lambda_name}",
        "lambda_handler": cli.lambda_handler,
        "url_event": function_url_event(region),
        "scheduled_events": {event["function"]: scheduled_event(cli, event) for event in cli.stage_config["events"]},
        "modules": imported_modules(),
        "services": boto_services(),
    }
    assert {"dynamodb", "s3", "ssm"} <= set(spec["services"]), spec["services"]
    lambda_env = {
        **env,  # aws_environment_variables: what Zappa puts in the function's configuration
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_REGION": region, "AWS_DEFAULT_REGION": region,
        "AWS_LAMBDA_FUNCTION_NAME": cli.lambda_name, "AWS_EXECUTION_ENV": f"AWS_Lambda_{cli.runtime}",
        "LAMBDA_TASK_ROOT": str(tmp_path / "task"),
        "PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8", "HOME": str(tmp_path), "TZ": "UTC",
        "TEST_SPEC": json.dumps(spec),
    }
    before = sorted(p.relative_to(tmp_path / "task") for p in (tmp_path / "task").rglob("*"))
    result = subprocess.run(
        [sys.executable, "-S", "-E", "-B", "-c", LAMBDA_SCRIPT, str(tmp_path / "out.json")],
        cwd=tmp_path / "task", env=lambda_env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    out = json.loads((tmp_path / "out.json").read_text())

    assert not out["leaks"], f"the subprocess must see only the package, but found {out['leaks']}"
    for language, page in out["pages"].items():
        assert page["status"] == 200, (language, page["body"][:3000], result.stdout[-3000:])
        assert page["headers"]["Content-Type"].startswith("text/html"), page["headers"]
        assert not page["base64"]
        assert "<html" in page["body"].lower(), page["body"][:500]
        assert page["headers"].get("Cache-Control") == "no-store"
    # a form posted through the URL keeps its session cookie: refused for the password, not for the token
    assert out["log_in_page"]["status"] == 200 and out["log_in_page"]["cookies"], out["log_in_page"]
    assert out["log_in_post"]["status"] == 200, out["log_in_post"]["body"][:3000]
    assert 'name="password"' in out["log_in_post"]["body"] and "expired" not in out["log_in_post"]["body"]
    for function, outcome in out["jobs"].items():
        assert "error" not in outcome, f"{function}:\n{outcome['error']}"
    assert set(out["jobs"]) == set(JOBS)
    assert not out["loaded_unused"], f"loaded for nothing at a cold start: {out['loaded_unused']}"
    assert not out["imports"], f"modules the project imports but the package lacks: {out['imports']}"
    assert not out["services"], f"AWS services the package has no model for: {out['services']}"
    assert not out["libraries"], out["libraries"].get("error")
    after = sorted(p.relative_to(tmp_path / "task") for p in (tmp_path / "task").rglob("*"))
    assert after == before, f"Lambda's /var/task is read-only, but the handler wrote {set(after) - set(before)}"
    with capsys.disabled():
        pages = ", ".join(f"{lang} {page['seconds']} s" for lang, page in out["pages"].items())
        print(f"packaged handler: import {out['import_handler_s']} s; first pages {pages}")


# ---------------------------------------------------------------------------------------------------------
# deploying: Zappa's own commands against the moto server


@pytest.fixture
def zappa(tmp_path, monkeypatch, moto_endpoint, package_build_seconds):
    """Run `zappa <command> dev` in this process against the moto server, as `make zappa-run-aws` does."""
    from zappa.cli import ZappaCLI

    from tools import run_aws

    # the same environment (every client to moto, the internet out of reach) and settings (no "touch")
    for name, value in run_aws.zappa_environment(moto_endpoint).items():
        monkeypatch.setenv(name, value)
    overlay = run_aws.zappa_settings_for_moto(SETTINGS_FILE, tmp_path / "zappa_settings.json")
    run_aws.tolerate_what_moto_lacks(monkeypatch.setattr)
    run_aws.moto_policy_like_aws(monkeypatch.setattr)  # the moto server runs in this process

    def reuse_the_package(self, output=None, **kwargs):
        # The zip `make package` built is the one deploy would build (same create_package, same settings);
        # deploy deletes what it uploads, hence a copy.
        self.zip_path = str(tmp_path / PACKAGE.name)
        shutil.copyfile(PACKAGE, self.zip_path)

    monkeypatch.setattr(ZappaCLI, "create_package", reuse_the_package)
    monkeypatch.chdir(ROOT)  # attach_policy names a file relative to the project

    def run(command: str, *options: str) -> None:
        run_aws.run_zappa([command], overlay, "--json", "--disable_progress", *options)

    return run


def rules_of(events, lambda_name: str) -> dict[str, tuple[str, list[str]]]:
    """The stage's EventBridge rules: name -> (schedule expression, target ARNs)."""
    rules = events.list_rules(NamePrefix=f"{lambda_name}-")["Rules"]
    return {rule["Name"]: (rule.get("ScheduleExpression"),
                           [t["Arn"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]])
            for rule in rules if rule["State"] == "ENABLED"}


def function_policy(functions, name: str) -> list[dict]:
    """The statements of the function's resource policy: who may invoke it, and how."""
    try:
        return json.loads(functions.get_policy(FunctionName=name)["Policy"])["Statement"]
    except functions.exceptions.ResourceNotFoundException:
        return []


def event_invokers(functions, name: str) -> set[tuple[str, str]]:
    """(principal, source ARN) of each statement that lets an AWS service (EventBridge) invoke the function."""
    return {(s["Principal"]["Service"], s["Condition"]["ArnLike"]["AWS:SourceArn"])
            for s in function_policy(functions, name) if isinstance(s["Principal"], dict)
            and "Service" in s["Principal"]}


def public_invokers(functions, name: str) -> dict[str, tuple[str, dict]]:
    """Sid -> (action, condition) of each statement that lets everyone ("*") invoke the function."""
    return {s["Sid"]: (s["Action"], s.get("Condition", {})) for s in function_policy(functions, name)
            if s["Principal"] in ("*", {"AWS": "*"})}


# everyone may call the URL, and invoke the function only through it (icp.function_url narrows Zappa's grant)
THROUGH_THE_URL_ONLY = {
    "FunctionURLAllowPublicAccess": ("lambda:InvokeFunctionUrl",
                                     {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}),
    "FunctionURLAllowPublicAccessInvoke": ("lambda:InvokeFunction",
                                           {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}),
}


@pytest.mark.slow
def test_deploy_creates_the_least_privilege_role_function_schedule_and_url_and_undeploy_removes_them(
    zappa, monkeypatch
):
    import boto3

    cli = load_stage("dev", monkeypatch)
    region, name = cli.aws_region, cli.lambda_name
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    iam, functions = boto3.client("iam"), boto3.client("lambda")
    events, apis, http_apis = boto3.client("events"), boto3.client("apigateway"), boto3.client("apigatewayv2")
    cloudformation = boto3.client("cloudformation")
    function_arn = f"arn:aws:lambda:{region}:{FAKE_ACCOUNT}:function:{name}"
    role = f"{name}-ZappaLambdaExecutionRole"

    zappa("deploy")

    # the role: exactly the stage's policy file, nothing Zappa adds, nothing attached beside it
    assert iam.list_role_policies(RoleName=role)["PolicyNames"] == ["zappa-permissions"]
    assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []
    deployed = iam.get_role_policy(RoleName=role, PolicyName="zappa-permissions")["PolicyDocument"]
    assert deployed == json.loads(cli.zappa.attach_policy)
    assert by_sid(deployed) == role_policy_the_service_needs(cli)

    # the function
    function = functions.get_function_configuration(FunctionName=name)
    assert function["FunctionArn"] == function_arn
    assert function["Role"] == f"arn:aws:iam::{FAKE_ACCOUNT}:role/{role}"
    assert function["Runtime"] == cli.runtime == "python3.11"
    assert function["Handler"] == cli.lambda_handler == "app.lambda_handler"
    assert (function["MemorySize"], function["Timeout"]) == (cli.memory_size, cli.timeout_seconds) == (512, 60)
    assert function["Environment"]["Variables"] == cli.aws_environment_variables

    # the two scheduled jobs, each a rule whose one target is the function
    scheduled = {cli.zappa.get_scheduled_event_name(event, event["function"], name): (event["expression"],
                                                                                       [function_arn])
                 for event in cli.stage_config["events"]}
    assert {expression for expression, _ in scheduled.values()} == set(JOBS.values())
    assert rules_of(events, name) == scheduled
    # and each rule may invoke the function (moto answers 200 where Zappa expects 201: harmless error lines)
    rule_arns = {f"arn:aws:events:{region}:{FAKE_ACCOUNT}:rule/{rule}" for rule in scheduled}
    assert event_invokers(functions, name) == {("events.amazonaws.com", arn) for arn in rule_arns}

    # the function URL, public (the app authenticates), and the only way anyone but EventBridge invokes it
    url = functions.get_function_url_config(FunctionName=name)
    assert url["AuthType"] == "NONE" and url["FunctionUrl"].startswith("https://")
    assert url["FunctionArn"] == function_arn
    assert public_invokers(functions, name) == THROUGH_THE_URL_ONLY
    # and nothing else was made: one function, one role, no API Gateway (REST or HTTP), no stack
    assert [f["FunctionName"] for f in functions.list_functions()["Functions"]] == [name]
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == [role]
    assert apis.get_rest_apis()["items"] == [] and http_apis.get_apis()["Items"] == []
    assert cloudformation.describe_stacks()["Stacks"] == []
    # the one call of Zappa's moto cannot answer (tools.run_aws.tolerate_what_moto_lacks): once moto has
    # it, this fails, and the patch can go
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as lacking:
        functions.list_function_url_configs(FunctionName=name)
    assert lacking.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

    # `zappa update dev`: a new version of the same function, the role's policy applied again, the same URL
    # kept with its narrowed grant, and the schedule set again
    versions = [v["Version"] for v in functions.list_versions_by_function(FunctionName=name)["Versions"]]
    zappa("update")
    assert [v["Version"] for v in functions.list_versions_by_function(FunctionName=name)["Versions"]] == [
        *versions, str(int(versions[-1]) + 1)]
    updated = functions.get_function_configuration(FunctionName=name)
    assert {k: updated[k] for k in ("FunctionArn", "Role", "Runtime", "Handler", "Environment")} == {
        k: function[k] for k in ("FunctionArn", "Role", "Runtime", "Handler", "Environment")}
    assert [f["FunctionName"] for f in functions.list_functions()["Functions"]] == [name]
    assert iam.get_role_policy(RoleName=role, PolicyName="zappa-permissions")["PolicyDocument"] == deployed
    assert functions.get_function_url_config(FunctionName=name)["FunctionUrl"] == url["FunctionUrl"]
    assert public_invokers(functions, name) == THROUGH_THE_URL_ONLY
    assert apis.get_rest_apis()["items"] == [] and cloudformation.describe_stacks()["Stacks"] == []
    assert rules_of(events, name) == scheduled
    assert event_invokers(functions, name) == {("events.amazonaws.com", arn) for arn in rule_arns}

    zappa("unschedule")
    assert rules_of(events, name) == {}, "unschedule removes the rules"
    assert event_invokers(functions, name) == set(), "and their permissions to invoke the function"
    assert public_invokers(functions, name) == THROUGH_THE_URL_ONLY, "the URL's stay"
    assert functions.get_function_configuration(FunctionName=name)["FunctionArn"] == function_arn

    zappa("schedule")
    assert rules_of(events, name) == scheduled, "schedule restores them"
    assert event_invokers(functions, name) == {("events.amazonaws.com", arn) for arn in rule_arns}

    zappa("undeploy")
    assert rules_of(events, name) == {}
    with pytest.raises(functions.exceptions.ResourceNotFoundException):
        functions.get_function_configuration(FunctionName=name)
    with pytest.raises(functions.exceptions.ResourceNotFoundException):
        functions.get_function_url_config(FunctionName=name)  # the URL goes with its function
    # the role outlives undeploy (Zappa never deletes it); the README says how to remove it
    assert iam.get_role_policy(RoleName=role, PolicyName="zappa-permissions")["PolicyDocument"] == deployed
