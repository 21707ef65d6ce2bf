"""The existing-websites check as pages show it: the check page (applicant) and the order page (reviewers)."""
from __future__ import annotations

from flask_babel import gettext

from forms.base import rule_message
from icp import rules
from views import now, settings, table
from views.lazy import lazy_module

# the check's network code (sockets, TLS, an HTML parser, a thread pool) and the registry's records load when a
# page first shows the check (views/lazy.py)
sitecheck = lazy_module("icp.sitecheck")
registry = lazy_module("icp.registry")
checks = lazy_module("icp.checks")


def existing_websites(filing: dict) -> dict:
    """What the page shows: the subject's filed websites, the last check's findings (translated) and its time."""
    listed = registry.subject_websites(table(), filing["verified"]["certificate_number"])
    filed = sitecheck.domain_is_filed(filing)  # a change: its website is one of the filed ones, not a new domain
    if not filed:
        listed = [w for w in listed if w.domain != filing["verified"]["domain_ascii"]]
    result = sitecheck.load(table(), filing["id"])
    rows = []
    advice_messages = {table.code: table.advice for table in rules.SITE_CONTENT_TABLES}
    for site in (result or {}).get("sites", []):
        advice = [rule_message(advice_messages[a["code"]], {"words": tuple(a["words"])})
                  for a in site.get("advice") or [] if a["code"] in advice_messages]
        rows.append({**site, "message": gettext(rules.SITE_CHECK_FINDINGS[site["finding"]], **site["params"]),
                     "ok": site["finding"] == "ok" and not advice, "advice": advice})
    new_domain = (result or {}).get("new_domain")
    return {"listed": listed, "checked_at": (result or {}).get("checked_at"), "rows": rows,
            "problems": sum(1 for row in rows if not row["ok"]), "simulated": registry.SIMULATED,
            "link": rules.SITE_CHECK.link_url, "result": result,
            # the new domain (a website order's): whether the last check found it already serving
            "new_domain": "" if filed else filing["verified"].get("domain") or "",
            "serving": [rule_message(p.message, p.params) for p in checks.serving_warnings(result)],
            "new_domain_checked": new_domain is not None}


def check_existing_websites(filing: dict) -> dict:
    """Run the check now (bounded by rules.SITE_CHECK.total_seconds) and keep its result beside the filing."""
    from flask import current_app

    # tests replace the resolver (ICP_RESOLVER), so nothing they run asks the real DNS
    resolve = current_app.config.get("ICP_RESOLVER") or sitecheck.system_resolve
    # and may serve the new domain from a local port (ICP_FETCH wraps the same bounded fetch)
    fetch_page = current_app.config.get("ICP_FETCH") or sitecheck.fetch
    return sitecheck.run(table(), filing, now=now(), resolve=resolve,
                         allowed_networks=settings().site_check_allowed_networks, fetch_page=fetch_page)
