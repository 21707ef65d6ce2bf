"""Drafting an order: start it from a verified filing type, then save each step's answers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from icp import filing as f
from icp import rules
from icp.order_types import order_type_of
from icp.store import ABSENT, Conflict, Put, read_key
from icp.workflow.common import changed, put_changed, stamp

class OrderInFlight(Exception):
    """The subject or the domain already has an order in progress."""

    def __init__(self, filing_id: str, owner: str, what: str):
        super().__init__(filing_id)
        self.filing_id, self.owner, self.what = filing_id, owner, what


class NotEditable(Exception):
    """The filing is past the point where its answers can change."""


class StalePage(Exception):
    """The page was shown before the order's last change; `filing` is the order as it is now."""

    def __init__(self, filing: dict):
        super().__init__(filing["id"])
        self.filing = filing


@dataclass(frozen=True)
class VerifiedType:
    """The inputs of step 1 after the registry confirmed them; fixed for the life of the order."""

    province: str
    nature: str
    certificate_type: str
    certificate_number: str
    domain: str            # a website's domain ("" for an app)
    domain_ascii: str
    filing_type: str
    subject_name: str
    subject_icp_number: str
    app_name: str = ""     # an app's name and the bare domains it calls (DOMAIN.md §13)
    domains: tuple = ()
    subject_websites: int = 0  # the subject's services MIIT numbered before this one (rules.WEBSITE_PLAN_RULES)

    def stored(self) -> dict:
        """As the order keeps it: an app's fields only on an app order."""
        kept = {k: v for k, v in self.__dict__.items() if k not in ("app_name", "domains")}
        if self.app_name:
            kept.update(app_name=self.app_name, domains=list(self.domains))
        return kept


def start_filing(table, *, owner: str, owner_mobile: str, verified: VerifiedType, language: str,
                 now: datetime, filing_id: str | None = None, policy: rules.DeadlinePolicy | None = None,
                 subject_prefill: dict | None = None, order_type: str = "website") -> dict:
    """Create a draft order of `order_type` (icp.order_types) from a verified filing type; raises OrderInFlight
    when one is open already for the subject or the domain.

    `policy` is the deadline policy in force (the seed's when not given); it is stamped on the order.
    `subject_prefill` is the subject as this account's last approved filing of it had it
    (filed_subject.last_approved): step 3 offers it until the step is saved.
    """
    filing_id = filing_id or f.new_filing_id()
    policy = policy or rules.deadline_policy()
    filing = {
        "pk": f.filing_key(filing_id)[0], "sk": "META", "version": 1,
        "id": filing_id, "owner": owner, "owner_mobile": owner_mobile, "language": language,
        "order_type": order_type, "status": f.DRAFT, "status_since": stamp(now), "created_at": stamp(now), "updated_at": stamp(now),
        "verified": verified.stored(), "steps": {"type": True},
        "service_code": None, "subject": None, order_type_of({"order_type": order_type}).service_step: None,
        "returns": 0,
        "policy": f.policy_stamp(policy, verified.province),
        # its documents by kind and version (icp.workflow.documents.DOCUMENT_VERSIONS): none yet
        "document_versions": {},
    }
    if subject_prefill:
        filing["subject_prefill"] = subject_prefill
    return create_draft(table, filing, now=now, note=verified.filing_type)


def create_draft(table, filing: dict, *, now: datetime, note: str) -> dict:
    """Write a new draft order with its "start" event and the in-flight locks of its subject (and domain), in one
    write conditioned on their absence; raises OrderInFlight naming the order that holds a lock."""
    from icp.workflow import engine

    filing_id, owner = filing["id"], filing["owner"]
    change = engine.started(filing, actor=owner, now=now, note=note)
    filing = change.filing
    lock = {"filing_id": filing_id, "owner": owner, "version": 1}
    locks = f.lock_keys(filing["verified"])
    try:
        table.write([
            Put(filing, expect_version=ABSENT),
            *(Put({"pk": pk, "sk": sk, **lock}, expect_version=ABSENT) for (pk, sk), _what in locks),
            *change.ops[1:],
        ])
    except Conflict:
        for (pk, sk), what in locks:
            existing = table.get(pk, sk)
            if existing:
                raise OrderInFlight(existing["filing_id"], existing["owner"], what) from None
        raise
    return filing


def save_step(table, filing: dict, step: str, answers: dict, *, now: datetime) -> dict:
    """Save one step's answers (one conditional write) and mark the step done; returns the new filing."""
    if filing["status"] not in f.EDITABLE:
        raise NotEditable(filing["id"])
    if step not in {s.saves for s in order_type_of(filing).answer_steps}:
        raise ValueError(step)
    updated = changed(filing, now=now, **{step: answers, "steps": {**filing["steps"], step: True}})
    if step == "subject":
        updated.pop("subject_prefill", None)  # confirmed or changed: the saved answers are the order's own now
    table.write([put_changed(filing, updated)])
    return updated


def first_incomplete_step(filing: dict, documents_complete: bool) -> str:
    """The earliest step not yet done; a later step's URL sends the person here instead."""
    order_type = order_type_of(filing)
    if len(order_type.steps) == 1:  # a cancellation: its one page asks everything
        return order_type.step_codes[0]
    for step in order_type.step_codes[:-2]:
        if not filing["steps"].get(step):
            return step
    return "check" if documents_complete else "documents"


def step_allowed(filing: dict, step: str) -> bool:
    """True when every step before `step` is done (steps cannot be skipped by editing the URL).

    Documents are not a gate for the check page: it lists missing documents as problems instead.
    """
    steps = order_type_of(filing).step_codes
    needed = steps[:steps.index(step)]
    return all(filing["steps"].get(s) for s in needed if s != "documents")


def bind_service_code(table, filing: dict, code_item: dict, instance: dict, *, now: datetime,
                      prefetched: dict | None = None) -> dict:
    """Bind a checked service code to the order and fill in the access information, in one write.

    A code bound to this order before is released in the same write, so no code is ever left bound to
    an order that no longer uses it (read from `prefetched` when it holds that code's key).
    """
    from icp import codes

    if filing["status"] not in f.EDITABLE:
        raise NotEditable(filing["id"])
    ops = []
    previous = (filing.get("service_code") or {}).get("code")
    if previous and previous != code_item["code"]:
        old = read_key(table, codes.code_key(previous), prefetched)
        if old and old.get("filing_id") == filing["id"] and old["state"] == codes.BOUND:
            ops.append(Put(codes.released_code(old), expect_version=old["version"]))
    if code_item["state"] != codes.BOUND:
        ops.append(Put(codes.bound_code(code_item, filing["id"]), expect_version=code_item["version"]))
    access = {"code": code_item["code"], **codes.access_information(instance)}
    from icp.workflow import engine

    change = engine.record(filing, "bind_service_code", role="applicant", actor=filing["owner"], now=now,
                           note=code_item["code"],
                           fields={"service_code": access, "steps": {**filing["steps"], "instance": True}})
    table.write([*ops, *change.ops])
    return change.filing


def bind_hint(filing: dict, choices) -> str:
    """What step 2's page tells its form to send back (bind_keys reads it): each code offered with the
    instance it verifies ("CODE:instance-id"), and the code bound to the order now ("*CODE")."""
    bound = (filing.get("service_code") or {}).get("code")
    return " ".join([f"{choice.code}:{choice.instance_id}" for choice in choices] + ([f"*{bound}"] if bound else []))


def bind_keys(filing_id: str, *, code: str, hint: str) -> list[tuple[str, str]]:
    """The keys binding `code` to the order reads, guessed from the posted form: the order, the code, the
    instance the page said the code is on and the code bound now (bind_hint), to read in one round trip.

    Only a guess: verify_and_bind uses the instance the code item names and the code the order names, so a
    stale or forged hint costs one more read, and an item it names that the bind does not use is never used.
    """
    from icp import codes

    keys = [f.filing_key(filing_id)]
    code = code.strip().upper() if isinstance(code, str) else ""
    if not codes.CODE_PATTERN.fullmatch(code):
        return keys
    keys.append(codes.code_key(code))
    instances, bound = {}, None
    for token in hint.split() if isinstance(hint, str) else ():
        if token.startswith("*"):
            bound = token[1:].upper()
        else:
            named, _sep, instance_id = token.partition(":")
            instances[named.upper()] = instance_id
    instance_id = instances.get(code, "")
    if codes.INSTANCE_ID_PATTERN.fullmatch(instance_id):
        keys.append(codes.instance_key(instance_id))
    if bound and bound != code and codes.CODE_PATTERN.fullmatch(bound):
        keys.append(codes.code_key(bound))
    return keys


def verify_and_bind(table, filing: dict, *, code: str, now: datetime, shown_version: str | None = None,
                    prefetched: dict | None = None) -> dict:
    """Step 2: check the code for this order and bind it, in one write.

    `filing` is the order as read (its owner checked by the caller); `shown_version` the order's version the
    page was shown with (None: already merged with the order now). The code, its instance and a code bound
    before are taken from `prefetched` when it holds their keys (bind_keys: read with the order in one round
    trip), else read. Raises NotEditable, StalePage, codes.CodeRefused or Conflict.
    """
    from icp import codes

    if filing["status"] not in f.EDITABLE:
        raise NotEditable(filing["id"])
    if shown_version is not None and shown_version != str(filing["version"]):
        raise StalePage(filing)
    item, instance = codes.check_code(table, code=code, owner=filing["owner"], filing_id=filing["id"],
                                      prefetched=prefetched)
    return bind_service_code(table, filing, item, instance, now=now, prefetched=prefetched)
