"""What an account filed with us: each approved website or app, what later orders made of it (access cancelled,
cancelled, changed), and which orders after the number it may start now (DOMAIN.md §14).

Derived from the account's orders as My filings lists them (the owner index): an approved order names its
number; a later approved order of the same number (a change, a cancellation) says what the service is now. No
second record is kept, so the list cannot disagree with the orders.
"""
from __future__ import annotations

from icp.records import record
from icp import filing as f
from icp.order_types import AFTER_NUMBER, order_type_of, service_name
from icp.rules import _  # the one marker pybabel extracts; translated where shown

# what a filed service is, as My filings says it
STATE_LABELS = {
    "accessed": _("Filed, accessed through us"),
    "access_cancelled": _("Access cancelled: the number stays with MIIT"),
    "cancelled": _("Cancelled: the number is retired"),
}


@record
class FiledService:
    """One website or app this account filed with us, as it stands now."""

    number: str
    kind: str             # website | app
    name: str             # the domain or the app's name
    state: str            # a key of STATE_LABELS
    order: dict           # the approved order that holds its answers now (its first filing, or its last change)
    in_progress: dict | None = None   # this account's order of the same subject that is not finished

    @property
    def state_label(self) -> str:
        """What the service is now (msgid)."""
        return STATE_LABELS[self.state]

    @property
    def warned(self) -> bool:
        """Whether we warned that it no longer resolves to our servers (its status page says by when to fix it)."""
        return bool(self.order.get("access_warning") or (self.order.get("glance") or {}).get("warned"))

    def actions(self) -> list[str]:
        """The orders after the number it may start now (keys of icp.order_types.AFTER_NUMBER[kind]): none while
        its subject has an order in progress (never two orders of one subject at once), none once access is
        cancelled or it is cancelled."""
        if self.state != "accessed" or self.in_progress:
            return []
        return list(AFTER_NUMBER[self.kind])


def approval_order(order: dict) -> tuple:
    """The sort key that puts a number's approved orders in the order they were approved."""
    # an approved order's status began when it was approved; at the same second, an order after the number comes
    # after the order it acted on
    return (order.get("status_since") or order.get("updated_at") or "", order_type_of(order).acts_on_service)



def filed_services(orders: list[dict]) -> list[FiledService]:
    """The services among an account's orders (My filings' entries or whole orders), newest number first."""
    approved: dict[str, list[dict]] = {}
    for order in orders:
        if order.get("status") == f.APPROVED and order.get("icp_number"):
            approved.setdefault(order["icp_number"], []).append(order)
    running = [o for o in orders if o.get("status") not in f.FINAL and o.get("verified")]
    services = []
    for number, history in approved.items():
        history.sort(key=approval_order)
        last = history[-1]
        state = order_type_of(last).leaves
        holding = [o for o in history if order_type_of(o).leaves == "accessed"][-1:] or [last]
        subject = (last.get("verified") or {}).get("certificate_number")
        busy = next((o for o in running if o["verified"].get("certificate_number") == subject), None)
        services.append(FiledService(number, order_type_of(last).service_step, service_name(last), state,
                                     holding[0], busy))
    return sorted(services, key=lambda s: approval_order(s.order), reverse=True)


def find_service(orders: list[dict], service_id: str) -> FiledService | None:
    """The filed service whose current approved order is `service_id`, among an account's orders."""
    return next((s for s in filed_services(orders) if s.order["id"] == service_id), None)


def owner_entries(table, owner: str | None) -> list[dict]:
    """Every order entry of an account in the owner index, oldest first (paged: an account may hold many orders);
    each entry holds what the index projects (icp.store.INDEX_PROJECTIONS), not the whole order."""
    if not owner:
        return []
    lower, upper = f.owner_sort_bounds()
    entries: dict[str, dict] = {}
    while True:
        page = table.query_index("owner", owner, lower_bound=lower, upper_bound=upper, limit=1000)
        for entry in page:
            entries.setdefault(entry["pk"], entry)
        if len(page) < 1000:
            return list(entries.values())
        lower = page[-1]["owner_sort"]  # the bound is inclusive: the last entry comes again, and is known
