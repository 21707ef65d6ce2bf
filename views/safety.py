"""Reading what a request brings defensively: one safe-redirect check for every `next`, and forms that cannot be read."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.formparser import FormDataParser


def is_same_site_path(target) -> bool:
    """True when target is a path on this site that is safe to put in a Location header."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    # control characters and spaces would split or corrupt the header; a backslash reads as a slash in browsers
    if any(ord(c) < 33 or ord(c) == 127 or c == "\\" for c in target):
        return False
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. an unclosed "[" reads as a broken IPv6 host
        return False
    return not parts.scheme and not parts.netloc


def safe_next(target, default_endpoint: str = "main.home") -> str:
    """Return target when it is a path on this site, else the URL of default_endpoint (no open redirects)."""
    return target if is_same_site_path(target) else url_for(default_endpoint)


class UnreadableForm(BadRequest):
    """The request's form could not be read (not valid UTF-8 text, or a broken multipart body)."""

    description = _l("The form could not be read")
    advice = _l("It held characters that are not text this service can read. Nothing was changed. "
                "Go back, retype what you copied and pasted, and submit the form again.")


class _StrictFormDataParser(FormDataParser):
    """Werkzeug's parser, except that a form it cannot read is refused instead of read as empty.

    Read as empty, the form would lose its CSRF token and the person would be told the form had expired.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "silent": False})

    def parse(self, *args, **kwargs):
        """Parse the form; raise UnreadableForm on a body that is not valid text."""
        try:
            return super().parse(*args, **kwargs)
        except ValueError as error:  # UnicodeDecodeError included
            raise UnreadableForm() from error


class ServiceRequest(Request):
    """The request class of the service: forms are read strictly (see _StrictFormDataParser)."""

    form_data_parser_class = _StrictFormDataParser
