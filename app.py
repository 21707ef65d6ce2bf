"""The ICP filing service: `create_app()` builds the Flask app; `app` is what Zappa and `flask --app app` run."""
from __future__ import annotations

import gc

# start-up makes hundreds of thousands of objects that live as long as the process (modules, templates,
# botocore's models); collecting them while they are made is wasted work, so the collector waits until the
# app is built (see the end of this module), and then leaves them out of every later collection (gc.freeze)
gc.disable()

from flask import Flask, request  # noqa: E402

from icp import settings as settings_module  # noqa: E402
from views.extensions import (  # noqa: E402
    TEMPLATE_BYTECODE,
    PackagedTemplateCache,
    babel,
    csrf,
    login_manager,
    select_locale,
)

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def content_security_policy(upload_origin: str = "") -> str:
    """Everything a page needs comes from this origin; forms and uploads may also go to the document bucket, staff
    see document images from it (through a link signed when the image is asked for), and a phone shows the photo
    just chosen from the file itself (blob:) before sending it."""
    extra = f" {upload_origin}" if upload_origin else ""
    return (f"default-src 'self'; img-src 'self' blob:{extra}; connect-src 'self'{extra}; form-action 'self'{extra}; "
            "frame-ancestors 'none'; base-uri 'self'; object-src 'none'")


IMMUTABLE = "public, max-age=31536000, immutable"


def content_hasher(folder: str | None):
    """A function from a file name under `folder` to a short hash of its content ("" when there is no such file).

    Hashes are kept per file and modification time: each file is read once while it stays the same.
    """
    import hashlib
    import os

    known: dict[tuple[str, int], str] = {}

    def version(filename: str) -> str:
        path = os.path.join(folder or "", filename)
        try:
            mtime = os.stat(path).st_mtime_ns
        except (OSError, ValueError):
            return ""
        if (filename, mtime) not in known:
            with open(path, "rb") as handle:
                known[(filename, mtime)] = hashlib.sha256(handle.read()).hexdigest()[:12]
        return known[(filename, mtime)]

    return version


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides settings read from the environment (tests pass it)."""
    config = dict(config or {})
    from icp import logs

    # before anything logs: no signed URL, certificate number, phone number or password in any log line
    logs.install()
    settings = settings_module.from_environment(overrides=config)
    # read once at start-up: outside local from SSM Parameter Store (in a thread while the views import),
    # refusing to start without it
    from icp.secret_key import start_loading_secret_key

    secret_key = start_loading_secret_key(settings)
    app = Flask(__name__)
    from views.safety import ServiceRequest

    # a form that is not valid text is refused with its own message, not read as empty (see views/safety.py)
    app.request_class = ServiceRequest
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.served_over_https,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=settings.served_over_https,
        # the browser posts documents to object storage, never to us; keep our own requests small
        MAX_CONTENT_LENGTH=64 * 1024 if not settings.is_local else 12 * 1024 * 1024,
        BABEL_DEFAULT_LOCALE="en",
        # dates and deadlines are shown in China Standard Time, where the administration works
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        BABEL_TRANSLATION_DIRECTORIES=str(settings_module.PROJECT_ROOT / "translations"),
        WTF_CSRF_TIME_LIMIT=None,
        ICP_SETTINGS=settings,
    )
    app.config.update({k: v for k, v in config.items() if k.isupper()})

    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.log_in"
    login_manager.login_message = None

    from views import register_blueprints
    from views.routing import LazilyBuiltRule

    # URL builders compiled when first used, not for every route at start-up (views/routing.py)
    app.url_rule_class = LazilyBuiltRule
    register_blueprints(app)
    if TEMPLATE_BYTECODE.is_dir():
        app.jinja_env.bytecode_cache = PackagedTemplateCache(TEMPLATE_BYTECODE)

    settings.secret_key = secret_key()
    app.config["SECRET_KEY"] = config.get("SECRET_KEY", settings.secret_key)

    from icp.store import open_blobs, open_table

    app.extensions["icp_table"] = open_table(settings)
    app.extensions["icp_blobs"] = open_blobs(settings)
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": content_security_policy(
        getattr(app.extensions["icp_blobs"], "upload_origin", ""))}

    from views.cli import icp_cli

    app.cli.add_command(icp_cli)

    from views import day, when

    # every date and time on every page goes through these two (tests/test_dates.py checks the templates)
    app.add_template_filter(when, "when")
    app.add_template_filter(day, "day")

    def count_filter(unit):
        def written_out(number):
            """A count of the policy in words, in the person's language ("1 workday", "45 days")."""
            from flask_babel import ngettext

            from icp import rules

            return ngettext(*rules.COUNTS[unit], number)
        return written_out

    for unit in ("workdays", "days", "hours", "months", "minutes"):
        # prose takes every number of the regulator from the policy data: {{ policy.x|workdays }}
        app.add_template_filter(count_filter(unit), unit)

    from flask_babel import get_locale

    from views import text

    app.add_template_filter(text.chinese, "zh")
    app.add_template_filter(text.icp_number, "icp_number")
    from icp.order_types import order_type_of, service_name

    # what an order files, as pages name it: a website's domain or an app's name (icp.order_types)
    app.add_template_filter(service_name, "service")
    app.add_template_filter(order_type_of, "order_type")
    app.add_template_filter(text.role, "role")
    from icp.documents import label_of

    # a document's name as this order calls it: `kind|document_label(filing)` (an app's administrator's ID…)
    app.add_template_filter(lambda code, filing: label_of(filing, code), "document_label")
    # macros imported without context (components/field.html) ask for the language too
    from icp import history

    app.jinja_env.globals.update(aside=text.aside, labelled=text.labelled, join_list=text.join_list, term=text.term,
                                 say=text.say, time_left=text.time_left, sentences=text.sentences, get_locale=get_locale,
                                 history_rows=history.rows)

    @app.context_processor
    def template_helpers():
        from flask_babel import get_locale, ngettext

        from icp import filing, rules

        from icp.order import Order

        return {"has_endpoint": lambda name: name in app.view_functions, "get_locale": get_locale,
                # what an order's status means for it (the status table): templates ask it, never compare statuses
                "order_of": Order,
                # the deadline policy new orders are stamped with, for pages about no order in particular
                "policy_in_force": rules.deadline_policy(settings.deadline_policy), "rules": rules,
                "counted": lambda params: rules.counted(params, ngettext),
                "event_labels": filing.EVENT_LABELS, "status_labels": filing.STATUS_LABELS,
                "verification_labels": filing.VERIFICATION_LABELS, "photo_reasons": rules.PHOTO_REJECTION_REASONS,
                "document_labels": {**{k: d.label for k, d in rules.DOCUMENT_KINDS.items()},
                                    rules.ADMINISTRATOR_PHOTO.code: rules.ADMINISTRATOR_PHOTO.label}}

    static_version = content_hasher(app.static_folder)

    @app.url_defaults
    def hashed_static_urls(endpoint, values):
        # a static file's URL names its content, so browsers may keep it for a year and never ask again
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = static_version(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def add_security_headers(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if settings.served_over_https:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static":
            # pages can hold personal data: never keep them in shared caches
            response.headers.setdefault("Cache-Control", "no-store")
        elif response.status_code == 200 and request.args.get("v") and \
                request.args["v"] == static_version((request.view_args or {}).get("filename", "")):
            response.headers["Cache-Control"] = IMMUTABLE
        else:
            # an old or missing version: the browser asks again each time (an old page may still name it)
            response.headers["Cache-Control"] = "no-cache"
        return response

    return app


def lambda_handler(event, context):
    """What Lambda calls (zappa_settings.json "lambda_handler"): Zappa's handler (views/lambda_entry.py).

    Lambda imports this module when it starts an instance, so the app below is built then, with the collector
    paused from this module's first line; Zappa's handler, imported first, would load Flask and boto3 with it
    running (38 M instructions more, 4% of a cold start). Zappa's handler then finds the app loaded.
    """
    from views.lambda_entry import lambda_handler as zappa_handler

    return zappa_handler(event, context)


try:
    app = create_app()
finally:
    gc.freeze()
    gc.enable()
