"""`make run-aws`: the production (aws) backend on a laptop, against a moto server, with no AWS account.

Starts moto on 127.0.0.1, points every AWS client at it with fake credentials, provisions the table and the
bucket as `flask icp provision` does, stores the session key in (moto's) SSM Parameter Store, loads the demo
data and serves the app on http://127.0.0.1:5000. The scheduled jobs run in a thread, as EventBridge would
run them. moto keeps everything in memory: each start begins again from the demo data.

`make zappa-run-aws` (with `make run-aws` running) runs `zappa deploy dev`, `update` and `schedule` against
the same moto server, from the package virtualenv: the function, its role, its function URL and its scheduled
rules are created there, not on AWS.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import threading
from datetime import datetime, timezone
from pathlib import Path

log = logging.getLogger(__name__)

REGION = "ap-southeast-1"
SECRET_KEY_PARAMETER = "/icp-filing/laptop/secret-key"
# moto accepts any credentials; fixed fake ones, and no profile, so a real account's keys are never read or sent
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


def environment(moto_url: str, site_url: str, data_dir: str) -> dict[str, str]:
    """Return the environment `make run-aws` serves the app with: the aws backend, every AWS call to moto_url."""
    return {
        "ICP_BACKEND": "aws",
        "ICP_TABLE": "icp-filing-laptop",
        "ICP_BUCKET": "icp-filing-laptop-documents",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "ICP_SECRET_KEY_PARAMETER": SECRET_KEY_PARAMETER,
        # the two stores' endpoints: the S3 one also goes into the CSP's form-action, where the browser posts
        "ICP_DYNAMODB_ENDPOINT": moto_url,
        "ICP_S3_ENDPOINT": moto_url,
        # every other client (SSM for the session key; SES and SNS under ICP_NOTIFY=aws): botocore >= 1.31
        "AWS_ENDPOINT_URL": moto_url,
        # the bucket's CORS rule lets the upload page's script post from the site's own origin
        "ICP_UPLOAD_ORIGINS": site_url,
        "ICP_PUBLIC_URL": site_url,
        # e-mails and text messages go to outbox.log in the data folder, where a tester can read the SMS codes
        "ICP_NOTIFY": "log",
        "ICP_DATA_DIR": data_dir,
        **FAKE_CREDENTIALS,
        # boto3 honours proxy variables: traffic to the moto server must not leave the machine
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }


def zappa_environment(moto_url: str) -> dict[str, str]:
    """Return the environment Zappa's commands run with: every AWS client to moto_url, nothing else reachable."""
    return {
        **FAKE_CREDENTIALS,
        # botocore >= 1.31 sends every client to this endpoint: Zappa's IAM, S3, Lambda, API Gateway,
        # CloudFormation, EventBridge and CloudWatch Logs clients alike
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_DEFAULT_REGION": REGION,
        # anything that still tried to reach the internet (an AWS host, an execute-api URL) fails at once
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }


def zappa_settings_for_moto(source: Path, target: Path) -> Path:
    """Write a copy of zappa_settings.json whose stages skip Zappa's "touch" (a GET of the real execute-api URL)."""
    settings = json.loads(source.read_text())
    for stage in settings.values():
        stage["touch"] = False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(settings, indent=4))
    return target


def tolerate_what_moto_lacks(patch=setattr) -> None:
    """Patch the one Zappa call moto cannot answer, so `zappa deploy` and `update` run to their end against moto.

    moto 5.2.5 has no lambda:ListFunctionUrlConfigs: its server answers 404 with an HTML "Not Found" page, and
    Zappa lists a function's URLs to update them (`zappa update`) or to delete those a stage does not use. On
    that exact error the list is read instead with lambda:GetFunctionUrlConfig, which moto has (a function has
    at most one unqualified URL); any other error still stops the command.
    """
    from botocore.exceptions import ClientError
    from zappa.core import Zappa

    if getattr(Zappa.update_lambda_function_url, "tolerates_moto", False):
        return

    def listing(client):
        real = client.list_function_url_configs

        def list_function_url_configs(**kwargs):
            try:
                return real(**kwargs)
            except ClientError as error:
                if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 404:
                    raise
            log.warning("moto lacks lambda:ListFunctionUrlConfigs; read with GetFunctionUrlConfig instead")
            try:
                config = client.get_function_url_config(FunctionName=kwargs["FunctionName"])
            except client.exceptions.ResourceNotFoundException:
                return {"FunctionUrlConfigs": []}
            return {"FunctionUrlConfigs": [{k: v for k, v in config.items() if k != "ResponseMetadata"}]}

        return list_function_url_configs

    def tolerant(method):
        def call(self, *args, **kwargs):
            # the Zappa object's own client, for this call only
            self.lambda_client.list_function_url_configs = listing(self.lambda_client)
            try:
                return method(self, *args, **kwargs)
            finally:
                del self.lambda_client.list_function_url_configs

        call.tolerates_moto = True
        return call

    for name in ("update_lambda_function_url", "delete_lambda_function_url"):
        patch(Zappa, name, tolerant(getattr(Zappa, name)))


def moto_policy_like_aws(patch=setattr) -> None:
    """Make moto's lambda:AddPermission write a function URL's conditions into the policy as AWS does.

    moto 5.2.5 copies `FunctionUrlAuthType` and `InvokedViaFunctionUrl` into the statement as they were sent;
    AWS turns them into the conditions `lambda:FunctionUrlAuthType` and `lambda:InvokedViaFunctionUrl`, which
    icp.function_url reads to know whether the public invoke statement is narrowed already. Patched in the
    process that runs the moto server.
    """
    from moto.awslambda.policy import Policy

    original = Policy.condition_merge
    if getattr(original, "like_aws", False):
        return

    def condition_merge(self, obj):
        original(self, obj)
        conditions = {}
        if "FunctionUrlAuthType" in obj:
            conditions["StringEquals"] = {"lambda:FunctionUrlAuthType": obj.pop("FunctionUrlAuthType")}
        if "InvokedViaFunctionUrl" in obj:
            value = obj.pop("InvokedViaFunctionUrl")
            conditions["Bool"] = {"lambda:InvokedViaFunctionUrl": str(value).lower()}
        if conditions:
            obj.setdefault("Condition", {}).update(conditions)

    condition_merge.like_aws = True
    patch(Policy, "condition_merge", condition_merge)


def run_zappa(commands: list[str], settings_file: Path, *options: str, stage: str = "dev") -> None:
    """Run `zappa <command> <stage>` for each command in this process (the environment already points at moto)."""
    from zappa.cli import ZappaCLI

    for command in commands:
        extra = ["--yes"] if command == "undeploy" else []
        try:
            ZappaCLI().handle([command, stage, "-s", str(settings_file), *options, *extra])
        except SystemExit as exit:
            if exit.code:
                raise


def prepare() -> list[str]:
    """Provision the table and bucket, store the session key in SSM and load the demo data (os.environ set)."""
    import boto3

    from icp.provision import provision
    from icp.seed import seed_demo
    from icp.settings import from_environment
    from icp.store import open_table

    settings = from_environment()
    lines = provision(settings)
    ssm = boto3.client("ssm", region_name=settings.aws_region)
    try:
        ssm.put_parameter(Name=settings.secret_key_parameter, Value=secrets.token_hex(32), Type="SecureString")
        lines.append(f"parameter {settings.secret_key_parameter}: created")
    except ssm.exceptions.ParameterAlreadyExists:
        lines.append(f"parameter {settings.secret_key_parameter}: exists")
    return lines + seed_demo(open_table(settings), now=datetime.now(timezone.utc))


def run_jobs(stop: threading.Event, period: float = 60.0) -> None:
    """Run the outbox every minute and the deadline sweep every 15 minutes, as the stage's schedule does."""
    from icp import jobs

    minutes = 0
    while not stop.wait(period):
        minutes += 1
        for job, every in ((jobs.deliver_outbox, 1), (jobs.sweep_deadlines, 15)):
            if minutes % every:
                continue
            try:
                job({"source": "run-aws"}, None)
            except Exception:  # noqa: BLE001 - a failed run is logged and tried again, as on Lambda
                log.exception("scheduled job %s failed", job.__name__)


def main(argv: list[str] | None = None) -> None:
    """Start moto, prepare it and serve the app until interrupted; or, given `zappa ...`, deploy to that moto."""
    parser = argparse.ArgumentParser(prog="python -m tools.run_aws", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5000, help="the site's port on 127.0.0.1")
    parser.add_argument("--moto-port", type=int, default=5001, help="the moto server's port on 127.0.0.1")
    parser.add_argument("--data-dir", default=os.path.join("instance", "run-aws"), help="where outbox.log goes")
    parser.add_argument("zappa", nargs="*", metavar="zappa COMMAND",
                        help="e.g. `zappa deploy update schedule`: run these Zappa commands on the dev stage "
                             "against the moto server of a running `make run-aws`")
    options = parser.parse_args(argv)
    moto_url = f"http://127.0.0.1:{options.moto_port}"
    if options.zappa:
        if options.zappa[0] != "zappa" or len(options.zappa) < 2:
            parser.error("expected `zappa COMMAND [COMMAND ...]`")
        root = Path(__file__).resolve().parent.parent
        settings_file = zappa_settings_for_moto(root / "zappa_settings.json",
                                                Path(options.data_dir).resolve() / "zappa_settings.json")
        os.environ.pop("AWS_PROFILE", None)
        os.environ.update(zappa_environment(moto_url))
        from zappa.cli import ZappaCLI

        # Zappa's version check asks PyPI, which the proxy guard above refuses: skip it rather than print an error
        ZappaCLI.check_for_update = lambda self: None
        tolerate_what_moto_lacks()
        run_zappa(options.zappa[1:], settings_file)
        return

    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from moto.server import ThreadedMotoServer

    # a line per moto request (seven per page) would drown the site's own request lines; errors still show
    MotoRequestHandler.log_request = lambda self, code="-", size="-": None
    moto_policy_like_aws()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=options.moto_port, verbose=False)
    server.start()
    site_url = f"http://127.0.0.1:{options.port}"
    stop = threading.Event()
    try:
        os.environ.pop("AWS_PROFILE", None)
        os.environ.update(environment(moto_url, site_url, os.path.abspath(options.data_dir)))
        for line in prepare():
            print(line)
        threading.Thread(target=run_jobs, args=(stop,), daemon=True, name="scheduled-jobs").start()
        print(f"moto server (DynamoDB, S3, SSM): {moto_url}; messages: {options.data_dir}/outbox.log")
        print(f"the aws backend: {site_url}  (log in as applicant@example.com / demo-password)")
        from app import app  # built now, from the environment above

        app.run(host="127.0.0.1", port=options.port, use_reloader=False)
    finally:
        stop.set()
        server.stop()


if __name__ == "__main__":
    main()
