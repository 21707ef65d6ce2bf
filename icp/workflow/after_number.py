"""The orders after the number (DOMAIN.md §14): cancel access (取消接入) and cancel a website or app (注销), each
started from a service this account filed with us and run on the engine by its order type's flow.

Cancel access is confirmed by a code texted to the account's mobile and goes straight to the administration; a
cancellation is confirmed twice, then MIIT texts the subject leader and the administrator (24 hours), then the
administration decides. The simulated administration applies either at once in some provinces
(rules.CANCELLATION_AT_ONCE_PROVINCES); the console decides the others. Approval changes the registry: access
cancelled leaves the number with MIIT, a cancellation retires it.
"""
from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from icp import filing as f
from icp import notify, registry, rules
from icp.order_types import ORDER_TYPES, OrderType, order_type_of, service_name
from icp.store import Put
from icp.workflow import engine
from icp.workflow.common import stamp

# who the simulated administration acts as when it applies a cancellation at once
AT_ONCE_ACTOR = "administration (simulated, at once)"


class NotAService(Exception):
    """The order named is not an approved service of this account, or the service cannot take this order now."""


class CodeRefused(Exception):
    """The account holder's code was not accepted; `outcome`: none, wrong, expired, too_many, no_sends_left."""

    def __init__(self, outcome: str, *, tries_left: int | None = None):
        super().__init__(outcome)
        self.outcome, self.tries_left = outcome, tries_left


def order_stamp(policy: rules.DeadlinePolicy, province: str, order_type: OrderType) -> dict:
    """The policy stamped on an order: a new website's or app's from `policy`; a cancellation's with nobody to
    verify, MIIT's 24-hour SMS check for a 注销 (none for cancel access), and the administration's time by
    province (0 workdays where it applies them at once)."""
    stamped = f.policy_stamp(policy, province)
    if order_type.flow == "filing":
        return stamped
    at_once = province in rules.CANCELLATION_AT_ONCE_PROVINCES
    stamped.update(
        verification="none", sms=order_type.flow == "cancel",
        sms_window_minutes=int(rules.CANCELLATION_SMS_WINDOW.total_seconds() // 60),
        sms_reminders_before_minutes=[int(r.total_seconds() // 60) for r in rules.CANCELLATION_SMS_REMINDERS_BEFORE],
        administration_review_workdays=[0, 0] if at_once else list(rules.CANCELLATION_REVIEW_WORKDAYS))
    return stamped


def applies_at_once(order: dict) -> bool:
    """Whether the simulated administration applies this cancellation as soon as it reaches it."""
    return list(f.policy_of(order)["administration_review_workdays"]) == [0, 0]


def start_service_order(table, service: dict, order_type_code: str, *, owner: str, owner_mobile: str,
                        language: str, now: datetime, policy: rules.DeadlinePolicy | None = None) -> dict:
    """Create a draft of an order after the number on `service` (the latest approved order of a service this
    account filed with us): its verified facts, subject and service answers copied, the service's order and
    number named in `verified`; raises NotAService, or drafting.OrderInFlight while the subject has an order."""
    from icp.workflow.drafting import create_draft

    order_type = ORDER_TYPES[order_type_code]
    if (service.get("owner") != owner or service.get("status") != f.APPROVED or not service.get("icp_number")
            or order_type_of(service).service_step != order_type.service_step):
        raise NotAService(service.get("id", ""))
    policy = policy or rules.deadline_policy()
    filing_id = f.new_filing_id()
    verified = {**service["verified"], "service_id": service["id"], "service_number": service["icp_number"]}
    filing = {
        "pk": f.filing_key(filing_id)[0], "sk": "META", "version": 1,
        "id": filing_id, "owner": owner, "owner_mobile": owner_mobile, "language": language,
        "order_type": order_type.code, "status": f.DRAFT, "status_since": stamp(now), "created_at": stamp(now),
        "updated_at": stamp(now), "verified": verified, "steps": {},
        "service_code": None, "subject": service.get("subject"),
        order_type.service_step: service.get(order_type.service_step), "returns": 0,
        "policy": order_stamp(policy, verified["province"], order_type),
    }
    return create_draft(table, filing, now=now, note=f"{order_type.code} {service['icp_number']}")


# --- cancel access: the account holder's code ----------------------------------------------------------------

def send_account_code(table, order: dict, *, now: datetime) -> dict:
    """Text a fresh code to the account's mobile to confirm cancelling access (it voids the last one); raises
    CodeRefused("no_sends_left") after rules.ACCOUNT_CODE_SENDS codes."""
    from icp.workflow.sms import hash_code

    sent = (order.get("account_code") or {}).get("sends", 0)
    if sent >= rules.ACCOUNT_CODE_SENDS:
        raise CodeRefused("no_sends_left")
    code = "".join(secrets.choice("0123456789") for _ in range(rules.ACCOUNT_CODE_DIGITS))
    salt = secrets.token_hex(16)
    expires_at = stamp(now + rules.ACCOUNT_CODE_VALID)
    fields = {"account_code": {"hash": hash_code(code, salt), "salt": salt, "sent_at": stamp(now),
                               "expires_at": expires_at, "wrong": 0, "sends": sent + 1}}
    change = engine.record(order, "send_account_code", role="applicant", actor=order["owner"], now=now,
                           fields=fields)
    texts = notify.message_items(
        template="account_code", email=None, mobile=order.get("owner_mobile"), language=order.get("language", "zh"),
        channels=("sms",), now=now,
        params={"reference": order["id"], "domain": service_name(order), "code": code, "expires_at": expires_at})
    table.write([*change.ops, *(Put(item) for item in texts)])
    return change.filing


def account_code_sends_left(order: dict) -> int:
    """How many more codes the account holder may ask for on this order."""
    return max(rules.ACCOUNT_CODE_SENDS - (order.get("account_code") or {}).get("sends", 0), 0)


def _check_account_code(table, order: dict, code: str, *, now: datetime) -> None:
    """Accept the account holder's code or raise CodeRefused (a wrong code is counted on the order)."""
    from icp.workflow.sms import hash_code

    state = order.get("account_code")
    if not state:
        raise CodeRefused("none")
    if state["wrong"] >= rules.ACCOUNT_CODE_TRIES:
        raise CodeRefused("too_many")
    if now >= datetime.fromisoformat(state["expires_at"]):
        raise CodeRefused("expired")
    if hmac.compare_digest(hash_code((code or "").strip(), state["salt"]), state["hash"]):
        return
    wrong = state["wrong"] + 1
    table.write(engine.record(order, "wrong_account_code", role="applicant", actor=order["owner"], now=now,
                              fields={"account_code": {**state, "wrong": wrong}}).ops)
    raise CodeRefused("wrong" if wrong < rules.ACCOUNT_CODE_TRIES else "too_many",
                      tries_left=rules.ACCOUNT_CODE_TRIES - wrong)


def submit_cancel_access(table, order: dict, *, code: str, now: datetime, public_url: str = "") -> dict:
    """Send a confirmed cancel-access order straight to the administration (it cannot be withdrawn then); the
    simulated administration applies it at once where the province does. Raises CodeRefused."""
    _check_account_code(table, order, code, now=now)
    workdays = f.policy_of(order)["administration_review_workdays"]
    order = engine.apply(table, order, "submit", role="applicant", actor=order["owner"], now=now, public_url=public_url,
                         fields={"submitted_at": stamp(now), "sent_at": stamp(now), "administration_since": stamp(now),
                                 "account_code": None, "steps": {"confirm": True}},
                         params={"low": workdays[0], "high": workdays[1]})
    return settle_at_once(table, order, now=now, public_url=public_url)


# --- cancel a website or app: asked twice, then MIIT's SMS check -------------------------------------------

def submit_cancellation(table, order: dict, *, now: datetime, public_url: str = "") -> dict:
    """Send a cancellation (the applicant confirmed it twice): MIIT texts a code to the subject leader and one to
    the administrator (one when they are the same person), to enter within 24 hours."""
    from icp import deadlines
    from icp.workflow import sms

    codes, plain = sms.new_codes(order)
    fields = {"submitted_at": stamp(now), "sent_at": stamp(now), "steps": {"confirm": True},
              "sms": {"codes": codes, "wrong": 0, "resends": 0, "sent_at": stamp(now)}}
    ends_at = deadlines.start(order, "sms", now=now)["ends_at"]  # the window the engine starts
    change = engine.transition(table, order, "submit", role="applicant", actor=order["owner"], now=now,
                               fields=fields, params={"deadline_at": ends_at}, public_url=public_url)
    change.ops += sms.code_messages(change.filing, plain, now=now)
    table.write(change.ops)
    return change.filing


# --- the administration's decision ---------------------------------------------------------------------------

def settle_at_once(table, order: dict, *, now: datetime, public_url: str = "") -> dict:
    """Where the simulated administration applies cancellations at once, approve the order now it reached it."""
    if order["status"] == f.ADMINISTRATION_REVIEW and applies_at_once(order):
        from icp.workflow import administration

        return administration.approve(table, order, actor=AT_ONCE_ACTOR, now=now, public_url=public_url)
    return order


def approval_records(table, order: dict, *, now: datetime) -> tuple[str, list]:
    """What applying an order after the number records (icp.workflow.administration.approve writes it with the
    transition): the registry takes the domain off our access list (cancel access) or retires the number (cancel);
    the order names the service's number for its pages and messages; and every approved order of that number is
    closed (close_ops), so its retention period starts with the service's end."""
    verified = order["verified"]
    number = verified["service_number"]
    leaves = order_type_of(order).leaves
    where = {"certificate_number": verified["certificate_number"], "ascii_domain": verified.get("domain_ascii", ""),
             "app_name": verified.get("app_name", "")}
    ops = (registry.cancel_access_ops(table, **where) if leaves == "access_cancelled"
           else registry.cancellation_ops(table, number=number, **where))
    return number, ops + close_ops(table, order, leaves, now=now)


def close_ops(table, order: dict, leaves: str, *, now: datetime) -> list:
    """The writes that close each approved order of the service `order` acts on (its first filing, its approved
    changes, earlier orders after the number), along the transition for what the service became (`leaves`: a row
    of rules.RETENTION_AFTER_SERVICE): each keeps its answers and documents for that row's period, then the
    retention sweep erases it. Orders closed or erased already keep the period they have. The service's orders
    are the owner's (start_service_order checks it), found through the owner index; each is read whole for its
    version, so a concurrent change of one fails the approval's write and the approval tries again."""
    from icp import retention

    number = order["verified"]["service_number"]
    from icp.services import owner_entries

    keys = [(e["pk"], e["sk"]) for e in owner_entries(table, order.get("owner"))
            if e.get("sk") == "META" and e.get("status") == f.APPROVED and e.get("icp_number") == number
            and e.get("id") != order["id"]]
    found = table.get_many(keys) if keys else {}
    ops = []
    for key in keys:
        service = found.get(key)
        if service is None or f.is_closed(service) or retention.is_erased(service):
            continue
        ops += engine.transition(table, service, f.CLOSE_ACTIONS[leaves], role="system", actor="system", now=now,
                                 note=order["id"]).ops
    return ops


def confirms_service(order: dict, typed: str) -> bool:
    """Whether the applicant typed the service being cancelled (its domain, in either spelling, or the app's
    name): the second of the two asks before an irreversible cancellation."""
    import unicodedata

    def norm(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text or "").casefold().split())

    verified = order["verified"]
    return bool(typed) and norm(typed) in {norm(v) for v in (service_name(order), verified.get("domain_ascii", ""))
                                           if v}


# --- a filed service that no longer resolves to our servers (DOMAIN.md §14) --------------------------------

class AccessNotOurs(Exception):
    """The service is not accessed through us now (access cancelled, cancelled): there is nothing to warn about."""


def warn_access(table, service: dict, reason: str, *, actor: str, now: datetime, public_url: str = "") -> dict:
    """Warn the applicant that a filed service's domain must resolve to our servers again by a deadline
    (rules.ACCESS_WARNING_PERIOD); the sweep cancels its access when the deadline passes unanswered."""
    if reason not in rules.ACCESS_WARNING_REASONS:
        raise ValueError(reason)
    if service.get("access_warning"):
        raise f.TransitionNotAllowed(f"{service['id']} is warned already")
    if not _accessed(table, service):
        raise AccessNotOurs(service["id"])
    return engine.apply(table, service, "warn_access", role="reviewer", actor=actor, now=now, note=reason,
                        fields={"access_warning": {"reason": reason, "warned_at": stamp(now)}},
                        params={"reason_code": reason, "deadline_at": stamp(now + rules.ACCESS_WARNING_PERIOD)},
                        public_url=public_url)


def clear_access_warning(table, service: dict, *, role: str, actor: str, now: datetime) -> dict:
    """The domain resolves to our servers again: the warning and its deadline end (a reviewer may warn again)."""
    if not service.get("access_warning"):
        raise f.TransitionNotAllowed(f"{service['id']} has no warning")
    return engine.apply(table, service, "clear_access_warning", role=role, actor=actor, now=now,
                        fields={"access_warning": None})


def end_access(table, service: dict, *, now: datetime, public_url: str = "") -> dict:
    """The warning's deadline passed unanswered: we start and send the cancellation of access ourselves (no
    account code: it is the provider's own order), and note it on the service. Returns the new order; raises
    drafting.OrderInFlight while the subject has an order (the deadline stays due and the next sweep tries
    again)."""
    if not _accessed(table, service):  # access was cancelled meanwhile: nothing to send, the warning ends
        engine.apply(table, service, "end_access", role="system", actor="system", now=now,
                     fields={"access_warning": None})
        return service
    order = start_service_order(table, service, f"cancel_access_{order_type_of(service).service_step}",
                                owner=service["owner"], owner_mobile=service.get("owner_mobile", ""),
                                language=service.get("language", "zh"), now=now)
    workdays = f.policy_of(order)["administration_review_workdays"]
    order = engine.apply(table, order, "submit", role="system", actor="system", now=now, public_url=public_url,
                         note=(service.get("access_warning") or {}).get("reason", ""),
                         fields={"submitted_at": stamp(now), "sent_at": stamp(now),
                                 "administration_since": stamp(now), "steps": {"confirm": True},
                                 "started_by": "provider"},
                         params={"low": workdays[0], "high": workdays[1]})
    engine.apply(table, service, "end_access", role="system", actor="system", now=now, note=order["id"],
                 fields={"access_warning": None})
    return settle_at_once(table, order, now=now, public_url=public_url)


def _accessed(table, service: dict) -> bool:
    """Whether the service is accessed through us now, as the account's orders say (icp.services)."""
    from icp.services import filed_services, owner_entries

    orders = owner_entries(table, service["owner"])
    return any(s.order["id"] == service["id"] and s.state == "accessed" for s in filed_services(orders))
