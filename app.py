"""The ICP filing service: `create_app()` builds the Flask app; `app` is what Zappa and `flask --app app` run."""
from __future__ import annotations

from flask import Flask, request

from icp import settings as settings_module
from views.extensions import babel, csrf, login_manager, select_locale

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def content_security_policy(upload_origin: str = "") -> str:
    """Everything a page needs comes from this origin; forms and uploads may also go to the document bucket."""
    extra = f" {upload_origin}" if upload_origin else ""
    return (f"default-src 'self'; connect-src 'self'{extra}; form-action 'self'{extra}; "
            "frame-ancestors 'none'; base-uri 'self'; object-src 'none'")


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides settings read from the environment (tests pass it)."""
    config = dict(config or {})
    settings = settings_module.from_environment(overrides=config)
    # read once at start-up: outside local from SSM Parameter Store, refusing to start without it
    settings.secret_key = settings_module.load_secret_key(settings)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
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

    from icp.store import open_blobs, open_table

    app.extensions["icp_table"] = open_table(settings)
    app.extensions["icp_blobs"] = open_blobs(settings)
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": content_security_policy(
        getattr(app.extensions["icp_blobs"], "upload_origin", ""))}

    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.log_in"
    login_manager.login_message = None

    from views import register_blueprints

    register_blueprints(app)

    from views.cli import icp_cli

    app.cli.add_command(icp_cli)

    @app.template_filter("when")
    def when(value):
        """Show a stored ISO time as a date and time in the person's language (China Standard Time)."""
        from datetime import datetime

        from flask_babel import format_datetime

        return format_datetime(datetime.fromisoformat(value), "medium") if value else ""

    @app.context_processor
    def template_helpers():
        from flask_babel import get_locale

        from icp import filing, rules

        return {"has_endpoint": lambda name: name in app.view_functions, "get_locale": get_locale,
                "event_labels": filing.EVENT_LABELS, "status_labels": filing.STATUS_LABELS,
                "verification_labels": filing.VERIFICATION_LABELS, "photo_reasons": rules.PHOTO_REJECTION_REASONS,
                "document_labels": {**{k: d.label for k, d in rules.DOCUMENT_KINDS.items()},
                                    rules.ADMINISTRATOR_PHOTO.code: rules.ADMINISTRATOR_PHOTO.label}}

    @app.after_request
    def add_security_headers(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if settings.served_over_https:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static":
            # pages can hold personal data: never keep them in shared caches
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


app = create_app()
