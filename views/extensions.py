"""The Flask extensions, created once and attached to each app by create_app."""
from __future__ import annotations

from pathlib import Path

from flask import request

from views.lazy import load_on_first_use

# Flask-Login imports its test client at import, and with it Flask's and Click's testing modules, which import
# pdb (and with it code, codeop, bdb, cmd, glob) to patch pdb.Pdb when a test runs: ~3 ms of every cold start.
# pdb runs the first time anything uses it (a breakpoint, a test's CliRunner), not before
load_on_first_use("pdb")
# babel.support, which every translated page needs, takes four formatters from babel.dates at its import, and
# babel.dates reads the machine's time zone at its own; most first requests show no date (the home page,
# log-in): babel.dates loads with the first date shown (14 M instructions, 1.5% of a cold start)
load_on_first_use("babel.dates", functions=("format_date", "format_datetime", "format_time", "format_timedelta"))

from flask_babel import Babel  # noqa: E402
from flask_login import LoginManager  # noqa: E402
from flask_wtf.csrf import CSRFProtect  # noqa: E402
from jinja2 import FileSystemBytecodeCache  # noqa: E402

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


# Jinja bytecode of every template, compiled when the deploy package is built (`flask icp compile-templates`,
# run by `make package`): compiling the first page's templates costs a cold start ~40 ms of CPU
TEMPLATE_BYTECODE = Path(__file__).resolve().parent.parent / "templates" / "_bytecode"


class PackagedTemplateCache(FileSystemBytecodeCache):
    """Jinja bytecode kept in a folder, by template name; read-only unless `writable` (the build writes it).

    Jinja checks each entry against its template's source (a checksum) and its Python version, so a template
    edited since, or another Python, only means compiling as if there were no cache.
    """

    def __init__(self, directory: Path, *, writable: bool = False):
        super().__init__(str(directory))
        self.writable = writable

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """Key by the template's name only: the build's path differs from /var/task's."""
        return super().get_cache_key(name)

    def dump_bytecode(self, bucket) -> None:
        """Write only when building; /var/task is read-only."""
        if self.writable:
            super().dump_bytecode(bucket)
