"""The MIIT SMS check (simulated): codes texted to the subject leader and the website administrator, entered
by the applicant within the window the order's stamped policy gives, with its limits on wrong codes and re-sends."""
from __future__ import annotations

from icp.order_types import order_type_of, service_name
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from icp import deadlines, notify, rules
from icp import filing as f
from icp.store import Put
from icp.workflow import engine
from icp.workflow.common import stamp

# the code is hashed slowly with its own salt, so a copy of the table does not give the codes away
_ITERATIONS = 60_000


class CodesRefused(Exception):
    """The codes were not accepted; `outcome` says why (wrong, paused, expired, too_many, no_resends_left).

    `paused_until` is set when the form waits after too many wrong codes in a row (outcome "paused", or
    "wrong" for the entry that started the pause).
    """

    def __init__(self, outcome: str, *, wrong: tuple = (), attempts_left: int | None = None,
                 paused_until: datetime | None = None):
        super().__init__(outcome)
        self.outcome, self.wrong, self.attempts_left = outcome, wrong, attempts_left
        self.paused_until = paused_until


def hash_code(code: str, salt: str) -> str:
    """A code as stored: slowly hashed with its own salt (hex)."""
    return hashlib.pbkdf2_hmac("sha256", code.encode(), bytes.fromhex(salt), _ITERATIONS).hex()


def recipients(filing: dict) -> list[tuple[str, str]]:
    """(who, mobile) MIIT texts: the subject leader, and the website administrator when another person."""
    from icp.order_types import administrator, administrator_is_leader

    people = [("leader", filing["subject"]["leader"]["mobile"])]
    if not administrator_is_leader(filing):
        people.append(("administrator", administrator(filing)["mobile"]))
    return people


def new_codes(filing: dict) -> tuple[list[dict], dict]:
    """Fresh codes for each recipient: (what is stored, hashed; the plain codes by who, to text once)."""
    stored, plain = [], {}
    for who, mobile in recipients(filing):
        code = "".join(secrets.choice("0123456789") for _ in range(rules.SMS_CODE_DIGITS))
        salt = secrets.token_hex(16)
        stored.append({"who": who, "mobile": mobile, "salt": salt, "hash": hash_code(code, salt)})
        plain[who] = code
    return stored, plain


def code_messages(filing: dict, plain: dict, *, now: datetime) -> list[Put]:
    """The simulated MIIT's text messages, one to each recipient's mobile (through the outbox)."""
    from icp.order import Order

    deadline_at = filing["deadline"]["ends_at"]
    # the code's text says what wrong codes lead to under this order's policy, as the status page does
    text, rule_params = Order(filing).wrong_code_rule()
    ops = []
    for who, mobile in recipients(filing):
        for item in notify.message_items(
                template=f"sms_code_{who}", email=None, mobile=mobile, language=filing.get("language", "zh"),
                channels=("sms",),
                now=now, params={"reference": filing["id"], "domain": service_name(filing),
                                 "role": order_type_of(filing).role,
                                 "code": plain[who], "deadline_at": deadline_at,
                                 "rule": {"text": text, "params": rule_params}}):
            ops.append(Put(item))
    return ops


def paused_until(filing: dict, now: datetime) -> datetime | None:
    """When the codes form opens again after too many wrong codes in a row, or None if it is open now."""
    stored = (filing.get("sms") or {}).get("paused_until")
    until = datetime.fromisoformat(stored) if stored else None
    return until if until and until > now else None


def _pause_rule(stamped: dict) -> tuple[int, int]:
    # orders stamped before the pause existed get today's rule: a guard, not a term of their policy
    return (stamped.get("wrong_code_pause_after", rules.WRONG_CODE_PAUSE_AFTER),
            stamped.get("wrong_code_pause_minutes", int(rules.WRONG_CODE_PAUSE.total_seconds() // 60)))


def verify_codes(table, filing: dict, entered: dict, *, now: datetime, public_url: str = "") -> dict:
    """Check the codes entered (by who); on success the order goes to the administration's review.

    Raises CodesRefused: "expired" (the window has closed, even if no sweep has run: the order is rejected
    now), "too_many" (the policy's limit of wrong codes was reached: rejected), "paused" (too many wrong
    codes in a row: the codes are not even compared until the pause ends), "wrong" (try again).
    """
    stamped = f.policy_of(filing)
    if deadlines.passed(filing.get("deadline"), now):
        engine.apply(table, filing, "expire_sms", role="applicant", actor=filing["owner"], now=now,
                     public_url=public_url)
        raise CodesRefused("expired")
    state = filing["sms"]
    limit = stamped["wrong_code_limit"]
    if limit is not None and state["wrong"] >= limit:
        engine.apply(table, filing, "too_many_wrong_codes", role="applicant", actor=filing["owner"], now=now,
                     public_url=public_url)
        raise CodesRefused("too_many")
    until = paused_until(filing, now)
    if until:
        raise CodesRefused("paused", paused_until=until)
    wrong = tuple(c["who"] for c in state["codes"]
                  if not hmac.compare_digest(hash_code((entered.get(c["who"]) or "").strip(), c["salt"]), c["hash"]))
    if not wrong:
        low, high = stamped["administration_review_workdays"]
        verified = engine.apply(table, filing, "verify_sms", role="applicant", actor=filing["owner"], now=now,
                                fields={"sms": {**state, "codes": [], "verified_at": stamp(now)},
                                        "administration_since": stamp(now)},
                                params={"low": low, "high": high}, public_url=public_url)
        if order_type_of(filing).flow == "cancel":  # the simulated administration may apply it at once
            from icp.workflow import after_number

            return after_number.settle_at_once(table, verified, now=now, public_url=public_url)
        return verified
    count = state["wrong"] + 1
    pause_after, pause_minutes = _pause_rule(stamped)
    # the limit's last wrong code rejects on the next attempt, so a pause there would only delay that
    pause = count % pause_after == 0 and (limit is None or count < limit)
    until = now + timedelta(minutes=pause_minutes) if pause else None
    engine.apply(table, filing, "wrong_code", role="applicant", actor=filing["owner"], now=now,
                 note=",".join(wrong),
                 fields={"sms": {**state, "wrong": count, "paused_until": stamp(until) if until else None}})
    raise CodesRefused("wrong", wrong=wrong, attempts_left=None if limit is None else max(limit - count, 0),
                       paused_until=until)


def resends_left(filing: dict) -> int:
    """How many more times the applicant may ask for new codes."""
    return max(f.policy_of(filing)["code_resends"] - filing["sms"]["resends"], 0)


def resend_codes(table, filing: dict, *, now: datetime) -> dict:
    """Text new codes (the old ones stop working); the window does not move. Raises CodesRefused."""
    if deadlines.passed(filing.get("deadline"), now):
        raise CodesRefused("expired")
    if not resends_left(filing):
        raise CodesRefused("no_resends_left")
    codes, plain = new_codes(filing)
    state = {**filing["sms"], "codes": codes, "resends": filing["sms"]["resends"] + 1}
    change = engine.transition(table, filing, "resend_codes", role="applicant", actor=filing["owner"], now=now,
                               fields={"sms": state})
    change.ops += code_messages(change.filing, plain, now=now)
    table.write(change.ops)
    return change.filing
