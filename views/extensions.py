"""The Flask extensions, created once and attached to each app by create_app."""
from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

LANGUAGES = ("zh", "en")
LANGUAGE_COOKIE = "lang"

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


def select_locale() -> str:
    """Use the language the person chose, else Chinese when the browser prefers it, else English."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default="en")
