"""Zappa's own handler, without the three modules it imports at its top for what this service never uses; what
Lambda calls is app.lambda_handler (zappa_settings.json "lambda_handler"), which imports this on its first call.

Zappa's `handler.py` imports asyncio (to run ASGI apps), tarfile (to unpack a slim handler's project archive)
and, through `zappa.utilities`, durationpy (time strings of the CLI's settings): 40 M instructions, 4% of a
cold start, for a WSGI app (the stages' "app_type": "wsgi") packed whole ("slim_handler": false). Each is left
unloaded until something uses it (`load_on_first_use`), so nothing breaks if one day something does.
Everything else is Zappa's: the events it answers (function URL requests, the scheduled jobs) and how.
"""
from __future__ import annotations

from views.lazy import load_on_first_use

for _module in ("asyncio", "tarfile", "durationpy"):
    load_on_first_use(_module)

# Zappa's handler.py, which `zappa package` puts at the top of the zip
from handler import lambda_handler  # noqa: E402,F401
