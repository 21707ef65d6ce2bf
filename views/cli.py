"""`flask icp ...`: provision storage, load demo data, create staff accounts, run the scheduled jobs by hand."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from views import blobs, now, settings, table

icp_cli = AppGroup("icp", help="Manage the ICP filing service.")


@icp_cli.command("provision")
def provision_command():
    """Create the table (with its indexes) and the document store; safe to run again."""
    from icp.provision import provision

    for line in provision(settings()):
        click.echo(line)


@icp_cli.command("backup")
@click.argument("folder", type=click.Path(file_okay=False))
def backup_command(folder):
    """Back up the embedded store (table and documents) into a new folder, while the server keeps serving."""
    from icp.backup import BackupRefused, backup

    if not settings().is_local:
        raise click.ClickException("backup is for ICP_BACKEND=local; the aws backend relies on point-in-time "
                                   "recovery and bucket versioning (README, \"Backups and recovery\")")
    try:
        manifest = backup(settings(), folder, now=now())
    except BackupRefused as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backed up {manifest['table']['items']} items and {manifest['documents']['count']} documents "
               f"({manifest['documents']['bytes']} bytes) into {folder}")
    if manifest["documents_missing"]:
        click.echo(f"warning: {len(manifest['documents_missing'])} documents were replaced while the backup ran "
                   "and are not in it; run the backup again at a quieter moment")


@icp_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--force", is_flag=True, help="Replace a store that already holds data (stop the server first).")
def restore_command(folder, force):
    """Restore the embedded store from a backup, after checking every file against its manifest."""
    from icp.backup import BackupRefused, restore

    if not settings().is_local:
        raise click.ClickException("restore is for ICP_BACKEND=local")
    try:
        manifest = restore(settings(), folder, force=force)
    except BackupRefused as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored {manifest['table']['items']} items and {manifest['documents']['count']} documents from "
               f"the backup of {manifest['created_at']}")


@icp_cli.command("seed-demo")
@click.option("--force", is_flag=True, help="Load the demo data again even if it is there.")
def seed_demo_command(force):
    """Load demo registry records, the demo applicant with instances, and staff accounts."""
    from icp.seed import seed_demo

    for line in seed_demo(table(), now=now(), force=force):
        click.echo(line)


@icp_cli.command("create-user")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["applicant", "reviewer", "administration"]), required=True)
@click.option("--mobile", default="", help="Mainland mobile number for text messages.")
@click.option("--name", default="")
@click.password_option(help="At least 10 characters; asked for when not given.")
def create_user_command(email, role, mobile, name, password):
    """Create an account; staff accounts (reviewer, administration) exist only through this command."""
    from icp import accounts, identifiers

    try:
        email = identifiers.email(email)
        mobile = identifiers.mobile(mobile) if mobile else ""
    except identifiers.ValidationError as error:
        raise click.BadParameter(error.message % error.params) from error
    if len(password) < accounts.MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"the password must have at least {accounts.MIN_PASSWORD_LENGTH} characters")
    try:
        accounts.create_account(table(), email=email, password=password, mobile=mobile, now=now(),
                                role=role, name=name)
    except accounts.DuplicateAccount as error:
        raise click.ClickException(f"an account for {email} exists already") from error
    click.echo(f"created {role} account {email}")


@icp_cli.command("add-instance")
@click.option("--owner", required=True, help="E-mail address of the account that owns the instance.")
@click.option("--region", default="cn-beijing", show_default=True)
@click.option("--public-ip", default="47.94.200.1", show_default=True, help="Empty for none.")
@click.option("--billing", type=click.Choice(["subscription", "pay_as_you_go"]), default="subscription",
              show_default=True)
@click.option("--months", default=12, show_default=True, help="Subscription length in months.")
@click.option("--name", default="web-server", show_default=True)
def add_instance_command(owner, region, public_ip, billing, months, name):
    """Simulate the cloud's inventory: give an account an instance, so a new account can get service codes."""
    import secrets

    from icp import accounts, codes
    from icp.store import ABSENT, Put

    if accounts.get_account(table(), owner) is None:
        raise click.ClickException(f"there is no account {owner}")
    instance_id = f"i-{secrets.token_hex(6)}"
    table().write([Put(codes.instance_item(instance_id=instance_id, owner=owner.strip().lower(), name=name,
                                           region=region, public_ip=public_ip or None, billing=billing,
                                           subscription_months=months), expect_version=ABSENT)])
    click.echo(f"instance {instance_id} ({region}, {billing}, {months} months) now belongs to {owner}")


@icp_cli.command("sweep-deadlines")
def sweep_command():
    """Act on due deadlines now (the scheduled job does this every 15 minutes)."""
    from icp.jobs import run_sweep

    click.echo(run_sweep(table(), now=now(), public_url=settings().public_url))


@icp_cli.command("sweep-retention")
def retention_command():
    """Delete the documents and personal answers of ended orders kept past their period (run with the deadline
    sweep by its schedule)."""
    from icp.jobs import run_retention

    click.echo(run_retention(table(), blobs(), now=now()))


@icp_cli.command("retention-backfill")
def retention_backfill_command():
    """Start the retention period of orders that ended before retention existed (once, after upgrading)."""
    from icp.workflow.retention import backfill

    click.echo(backfill(table()))


@icp_cli.command("deliver-outbox")
def outbox_command():
    """Send the e-mails and text messages due now (locally: written to outbox.log in the data folder)."""
    from icp.jobs import run_outbox

    result = run_outbox(table(), settings(), now=now())
    click.echo(f"sent {result.sent}, to retry later {result.retried}, failed {result.failed}")


@icp_cli.command("show-order")
@click.argument("number")
def show_order_command(number):
    """Print an order as the service reads it (JSON): on DynamoDB an order is stored packed (icp.store.packing),
    its answers and dates in binary attributes the AWS console cannot show."""
    import json

    from icp.filing import filing_key

    number = number.strip().upper()
    order = table().get(*filing_key(number)) if number.isalnum() else None
    if order is None:
        raise click.ClickException(f"no order {number!r}")
    click.echo(json.dumps(order, ensure_ascii=False, indent=1, sort_keys=True))


@icp_cli.command("run-jobs")
@click.option("--now", "at", default=None, help="Run as if it were this time (ISO 8601, e.g. 2026-12-03T10:00:00+08:00).")
def run_jobs_command(at):
    """Run every scheduled job once (the deadline sweep, the retention sweep, then the outbox), optionally at a
    given moment."""
    from datetime import datetime, timezone

    from icp.jobs import run_outbox, run_retention, run_sweep

    moment = now()
    if at:
        try:
            moment = datetime.fromisoformat(at)
        except ValueError as error:
            raise click.BadParameter(f"{at!r} is not an ISO 8601 time") from error
        if moment.tzinfo is None:
            raise click.BadParameter("give the time zone too, e.g. +08:00 for China time")
    moment = moment.astimezone(timezone.utc)
    click.echo(f"sweep at {moment.isoformat()}: {run_sweep(table(), now=moment, public_url=settings().public_url)}")
    click.echo(f"retention: {run_retention(table(), blobs(), now=moment)}")
    click.echo(f"outbox: {run_outbox(table(), settings(), now=moment)}")


@icp_cli.command("compile-templates")
@click.option("--into", type=click.Path(file_okay=False), default=None,
              help="Folder for the bytecode (default: templates/_bytecode, which the deploy package carries).")
def compile_templates_command(into):
    """Compile every template to Jinja bytecode, so a cold start renders its first page without compiling."""
    from pathlib import Path

    from views.extensions import TEMPLATE_BYTECODE, PackagedTemplateCache

    folder = Path(into) if into else TEMPLATE_BYTECODE
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.cache"):
        old.unlink()  # entries of templates since renamed or removed
    environment = current_app.jinja_env
    environment.bytecode_cache = PackagedTemplateCache(folder, writable=True)
    if environment.cache is not None:
        environment.cache.clear()  # so every template is compiled (and written) here, none taken from memory
    names = environment.list_templates(extensions=["html"])
    for name in names:
        environment.get_template(name)
    click.echo(f"{len(names)} templates compiled into {folder}")


@icp_cli.command("prepare-local")
def prepare_local_command():
    """Provision the embedded store and load the demo data the first time (what `make run` does)."""
    from icp.provision import provision
    from icp.seed import seed_demo

    if not settings().is_local:
        raise click.ClickException("prepare-local is for ICP_BACKEND=local")
    for line in provision(settings()) + seed_demo(table(), now=now()):
        click.echo(line)
    current_app.logger.info("local store ready")
