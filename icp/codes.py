"""Cloud instances and the ICP filing service codes applied for on them (DOMAIN.md §2)."""
from __future__ import annotations

import re
import secrets
from datetime import datetime

from icp.records import record
from icp import rules
from icp.store import ABSENT, Conflict, Put, read_key
from icp.rules import _  # the one marker pybabel extracts; translated where shown

AVAILABLE, BOUND, CONSUMED = "available", "bound", "consumed"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# what an instance id or a code can look like; anything else is not looked up (keys have a size limit)
INSTANCE_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
CODE_PATTERN = re.compile(r"[A-Za-z0-9]{1,32}")



class CodeRefused(Exception):
    """A service code cannot be used or issued; `message` (with `params`) says why."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


@record
class Refusal:
    """Why an instance cannot get codes; `message % params` reads in full."""

    code: str
    message: str
    params: dict


def instance_key(instance_id: str) -> tuple[str, str]:
    """The (pk, sk) of an instance item."""
    return f"INSTANCE#{instance_id}", "META"


def code_key(code: str) -> tuple[str, str]:
    """The (pk, sk) of a service code item."""
    return f"CODE#{code.upper()}", "META"


def instance_item(*, instance_id: str, owner: str, name: str, region: str, public_ip: str | None,
                  billing: str, subscription_months: int, status: str = "running", product: str = "ecs") -> dict:
    """A cloud instance owned by an account (the seed and the console's sync create these)."""
    pk, sk = instance_key(instance_id)
    return {
        "pk": pk, "sk": sk, "version": 1, "instance_id": instance_id, "owner": owner,
        "owner_sort": f"INSTANCE#{instance_id}", "name": name, "region": region, "public_ip": public_ip or "",
        "billing": billing, "subscription_months": subscription_months, "status": status, "product": product,
        "codes_issued": 0,
    }


def code_item(*, code: str, owner: str, instance_id: str, created_at: datetime) -> dict:
    """A newly issued, available service code of `owner` on an instance."""
    created = created_at.isoformat(timespec="seconds")
    return {
        "pk": code_key(code)[0], "sk": "META", "version": 1, "code": code, "owner": owner,
        # newest first in the console: the owner index sorts codes by issue time
        "owner_sort": f"CODE#{created}#{code}", "instance_id": instance_id, "state": AVAILABLE,
        "filing_id": "", "created_at": created,
    }


def eligibility_refusals(instance: dict) -> list[Refusal]:
    """Every reason this instance cannot get service codes; empty when it can."""
    policy = rules.SERVICE_CODE_POLICY
    reasons = []
    if instance["status"] != "running":
        reasons.append(("not_running", {}))
    if instance["region"] not in policy.mainland_regions:
        reasons.append(("outside_mainland", {"region": instance["region"]}))
    if not instance.get("public_ip"):
        reasons.append(("no_public_ip", {}))
    if instance["billing"] != policy.billing:
        reasons.append(("pay_as_you_go", {}))
    elif instance["subscription_months"] < policy.min_subscription_months:
        reasons.append(("under_three_months", {"months": policy.min_subscription_months}))
    if instance.get("codes_issued", 0) >= policy.quota_per_instance:
        reasons.append(("quota_used", {"quota": policy.quota_per_instance}))
    return [Refusal(code, rules.SERVICE_CODE_REFUSALS[code].message, params) for code, params in reasons]


def codes_left(instance: dict) -> int:
    """How many more codes this instance's quota allows (renewing adds none)."""
    return max(0, rules.SERVICE_CODE_POLICY.quota_per_instance - instance.get("codes_issued", 0))


def list_instances(table, owner: str) -> list[dict]:
    """The account's instances, by id."""
    return table.query_index("owner", owner, lower_bound="INSTANCE#", upper_bound="INSTANCE#\uffff", limit=1000)


def list_codes(table, owner: str) -> list[dict]:
    """The account's service codes, newest first."""
    return table.query_index("owner", owner, lower_bound="CODE#", upper_bound="CODE#\uffff", descending=True,
                             limit=5000)


def owned_instance(table, *, owner: str, instance_id: str) -> dict:
    """The instance if `owner` owns it; raises CodeRefused as if it did not exist otherwise."""
    instance = None
    if isinstance(instance_id, str) and INSTANCE_ID_PATTERN.fullmatch(instance_id):
        instance = table.get(*instance_key(instance_id))
    # someone else's instance is reported as missing: the answer must not reveal that it exists
    if instance is None or instance["owner"] != owner:
        raise CodeRefused(_("There is no instance %(instance)s in your account."), instance=str(instance_id)[:64])
    return instance


def new_code() -> str:
    """A random 16-character service code, without look-alike characters."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))


def apply_for_codes(table, *, owner: str, instance_id: str, count: int, now: datetime) -> list[str]:
    """Issue `count` codes on an eligible instance of `owner`, within its quota; raises CodeRefused."""
    quota = rules.SERVICE_CODE_POLICY.quota_per_instance
    # each conflict means another application was written, so after `quota` of them the quota is used up
    for _attempt in range(quota + 1):
        instance = owned_instance(table, owner=owner, instance_id=instance_id)
        refusals = eligibility_refusals(instance)
        if refusals:
            raise CodeRefused(refusals[0].message, **refusals[0].params)
        left = codes_left(instance)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise CodeRefused(_("Enter how many codes you need, from 1 to %(left)d"), left=left)
        if count > left:
            raise CodeRefused(_("This instance can get %(left)d more code(s): the quota is %(quota)d per instance."),
                              left=left, quota=quota)
        codes = [new_code() for _ in range(count)]
        items = [code_item(code=code, owner=owner, instance_id=instance["instance_id"], created_at=now)
                 for code in codes]
        updated = {**instance, "codes_issued": instance.get("codes_issued", 0) + count,
                   "version": instance["version"] + 1}
        try:
            table.write([Put(updated, expect_version=instance["version"]),
                         *[Put(item, expect_version=ABSENT) for item in items]])
        except Conflict:
            # someone applied at the same moment: re-read the quota rather than guess it
            continue
        return codes
    raise CodeRefused(_("Codes were applied for on this instance at the same moment. Try again."))


def check_code(table, *, code: str, owner: str, filing_id: str,
               prefetched: dict | None = None) -> tuple[dict, dict]:
    """Return (code item, instance) if the code can serve this filing; raises CodeRefused naming the reason.

    `prefetched` maps (pk, sk) keys to items already read (None: known to be absent), so a caller that read
    the code and its instance together with other items in one Table.get_many does not read them again. Only
    the instance the code item itself names is used: any other instance in `prefetched` is left alone, and
    when the code's own instance is not there it is read.
    """
    code = code.strip() if isinstance(code, str) else ""
    item = read_key(table, code_key(code), prefetched) if CODE_PATTERN.fullmatch(code) else None
    # another account's code is reported as unknown: the answer must not reveal that it exists
    if item is None or item["owner"] != owner:
        raise CodeRefused(_("There is no service code %(code)s in your account. Check it in the console."),
                          code=code.upper()[:32])
    # a code consumed by this very order (at its approval) is its own, not a problem of it
    if item["state"] == CONSUMED and item.get("filing_id") != filing_id:
        raise CodeRefused(_("Service code %(code)s has been used by an approved filing. Apply for a new one."),
                          code=item["code"])
    if item["state"] == BOUND and item["filing_id"] != filing_id:
        raise CodeRefused(_("Service code %(code)s is already used by order %(order)s. Use another code, "
                            "or withdraw that order first."), code=item["code"], order=item["filing_id"])
    instance = read_key(table, instance_key(item["instance_id"]), prefetched)
    if instance is None:
        raise CodeRefused(_("The instance of this code no longer exists. Apply for a code on another instance."))
    # a used-up quota stops new codes, not the ones already issued
    blocking = [r for r in eligibility_refusals(instance) if r.code != "quota_used"]
    if blocking:
        raise CodeRefused(blocking[0].message, **blocking[0].params)
    return item, instance


def bound_code(item: dict, filing_id: str) -> dict:
    """The code item bound to a filing (the caller writes it with the filing, conditionally)."""
    return {**item, "state": BOUND, "filing_id": filing_id, "version": item["version"] + 1}


def released_code(item: dict) -> dict:
    """The code item freed again (order withdrawn, discarded or rejected before approval)."""
    return {**item, "state": AVAILABLE, "filing_id": "", "version": item["version"] + 1}


def consumed_code(item: dict) -> dict:
    """The code item used up for good by an approved filing."""
    return {**item, "state": CONSUMED, "version": item["version"] + 1}


def access_information(instance: dict) -> dict:
    """What verifying a code fills in for the website: provider, product, region and public IP."""
    return {"provider": "Alibaba Cloud", "product": instance["product"], "instance_id": instance["instance_id"],
            "region": instance["region"], "public_ip": instance["public_ip"]}


@record
class Choice:
    """A service code the applicant can pick on step 2, with the instance and region it verifies."""

    code: str
    instance_id: str
    instance_name: str
    region: str


def choosable_codes(table, *, owner: str, filing_id: str, instances: list[dict] | None = None) -> list[Choice]:
    """The account's codes that would pass check_code for this filing: available, or already bound to it,
    on an instance that may still serve a filing; newest first. `instances`: the account's, if already read."""
    instances = {i["instance_id"]: i for i in (list_instances(table, owner) if instances is None else instances)}
    choices = []
    for item in list_codes(table, owner):
        usable = item["state"] == AVAILABLE or (item["state"] == BOUND and item["filing_id"] == filing_id)
        instance = instances.get(item["instance_id"])
        if not usable or instance is None:
            continue
        # the same test as check_code: a used-up quota stops new codes, not the ones already issued
        if any(r.code != "quota_used" for r in eligibility_refusals(instance)):
            continue
        choices.append(Choice(item["code"], instance["instance_id"], instance["name"], instance["region"]))
    return choices


def instances_for_new_codes(table, *, owner: str, instances: list[dict] | None = None) -> list[dict]:
    """The account's instances that may get a new code now (eligible, quota left), by id."""
    return [i for i in (list_instances(table, owner) if instances is None else instances)
            if not eligibility_refusals(i)]
