"""Confirming the order's mobiles before submission: a one-time code texted to each (through the outbox), entered
on the check page. Each send and each entry is a same-status event of the order, written through the engine."""
from __future__ import annotations

from datetime import datetime, timedelta

from icp import mobiles, notify, rules
from icp.order_types import order_type_of, service_name
from icp.store import Put
from icp.workflow import engine


def _mobile_of(filing: dict, who: str) -> str:
    """The mobile of `who` (leader or administrator) on this order; KeyError when the order has none for them."""
    return dict(mobiles.people_mobiles(filing))[who]


def send_code(table, filing: dict, who: str, *, now: datetime) -> dict:
    """Text a new code to the mobile of `who`, counting it against the resend limit; returns the order.

    Raises mobiles.CodeRefused (confirmed already, no sends left), KeyError (no such person), or Conflict.
    """
    mobile = _mobile_of(filing, who)
    codes, plain = mobiles.new_code(filing, mobile, now=now)
    change = engine.record(filing, "send_mobile_code", role="applicant", actor=filing["owner"], now=now, note=who,
                           fields={"mobile_codes": codes})
    lifetime = int(rules.MOBILE_CODE.lifetime / timedelta(minutes=1))
    messages = notify.message_items(
        template="mobile_code", email=None, mobile=mobile, language=filing.get("language", "zh"), channels=("sms",),
        now=now, params={"reference": filing["id"], "domain": service_name(filing), "code": plain,
                         "role": order_type_of(filing).role, "lifetime_minutes": lifetime})
    table.write([*change.ops, *(Put(item) for item in messages)])
    return change.filing


def enter_code(table, filing: dict, who: str, code: str, *, now: datetime) -> dict:
    """Check the code entered for the mobile of `who`; returns the order with the mobile confirmed.

    A wrong code is counted on the order (written) and raises mobiles.CodeRefused("wrong"); other refusals
    (no code sent, expired, too many wrong codes) write nothing.
    """
    mobile = _mobile_of(filing, who)
    try:
        codes = mobiles.checked_code(filing, mobile, code, now=now)
    except mobiles.CodeRefused as refused:
        if refused.outcome == "wrong":
            change = engine.record(filing, "enter_mobile_code", role="applicant", actor=filing["owner"], now=now,
                                   note=f"{who}:wrong", fields={"mobile_codes": refused.params.pop("codes")})
            table.write(change.ops)
        raise
    if mobiles.is_confirmed(filing, mobile):
        return filing
    change = engine.record(filing, "enter_mobile_code", role="applicant", actor=filing["owner"], now=now,
                           note=f"{who}:confirmed", fields={"mobile_codes": codes})
    table.write(change.ops)
    return change.filing
