"""The existing-websites check as pages show it: the check page (applicant) and the order page (reviewers)."""
from __future__ import annotations

from flask_babel import gettext

from icp import rules
from views import now, settings, table
from views.lazy import lazy_module

# the check's network code (sockets, TLS, an HTML parser, a thread pool) and the registry's records load when a
# page first shows the check (views/lazy.py)
sitecheck = lazy_module("icp.sitecheck")
registry = lazy_module("icp.registry")


def existing_websites(filing: dict) -> dict:
    """What the page shows: the subject's filed websites, the last check's findings (translated) and its time."""
    listed = registry.subject_websites(table(), filing["verified"]["certificate_number"])
    listed = [w for w in listed if w.domain != filing["verified"]["domain_ascii"]]
    result = sitecheck.load(table(), filing["id"])
    rows = []
    for site in (result or {}).get("sites", []):
        rows.append({**site, "message": gettext(rules.SITE_CHECK_FINDINGS[site["finding"]], **site["params"]),
                     "ok": site["finding"] == "ok"})
    return {"listed": listed, "checked_at": (result or {}).get("checked_at"), "rows": rows,
            "problems": sum(1 for row in rows if not row["ok"]), "simulated": registry.SIMULATED,
            "link": rules.SITE_CHECK.link_url}


def check_existing_websites(filing: dict) -> dict:
    """Run the check now (bounded by rules.SITE_CHECK.total_seconds) and keep its result beside the filing."""
    from flask import current_app

    # tests replace the resolver (ICP_RESOLVER), so nothing they run asks the real DNS
    resolve = current_app.config.get("ICP_RESOLVER") or sitecheck.system_resolve
    return sitecheck.run(table(), filing, now=now(), resolve=resolve,
                         allowed_networks=settings().site_check_allowed_networks)
