"""The filing's mobiles: which other subjects gave the same mobile (compared by hash), and the one-time code
that proves each mobile works before the order is submitted.

A mobile is never stored in the clear here: its index key and the order's code records carry a hash. The index
holds one item per (mobile, subject, order), `MOBILE#<hash>` / `SUBJECT#<hash>#ORDER#<order>`, written with the
submission that gives it (and one per (mobile, subject), `SUBJECT#<hash>`, by the seed for the demo registry), so
"who else gave this mobile" is one query of one partition on either backend, never a scan. An order's items go
when the order's personal data is erased (icp.workflow.retention.erase, through index_keys), so an item lives
exactly as long as the order that justifies it: the mobile index has no retention period of its own.

The hash is unkeyed SHA-256 of a domain-separated text: it keeps the numbers out of the table's plain view, but
11-digit mobiles can be enumerated, so a copy of the table must be guarded as personal data all the same.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from icp import rules
from icp.store import Put

MOBILE_PARTITION = "MOBILE#"


def mobile_hash(mobile: str) -> str:
    """The hash a normalised mobile (11 digits) is compared and stored by."""
    return hashlib.sha256(f"icp-mobile:{mobile}".encode()).hexdigest()


def subject_hash(certificate_number: str) -> str:
    """The hash a subject (its certificate number) is stored by in the mobile index."""
    return hashlib.sha256(f"icp-subject:{certificate_number}".encode()).hexdigest()


def subject_sort_key(certificate_number: str, filing_id: str = "") -> str:
    """The sort key of a people index item (a mobile's here, a certificate's in icp.certificate_index): the subject
    that gave the mobile or person, and the order it gave it in (none: the registry, or an order submitted before
    orders had their own items)."""
    return "SUBJECT#" + subject_hash(certificate_number) + (f"#ORDER#{filing_id}" if filing_id else "")


def index_key(mobile: str, certificate_number: str, filing_id: str = "") -> tuple[str, str]:
    """The (pk, sk) of the index item saying this subject gave this mobile in order `filing_id` (in the registry,
    or in an order submitted before orders had their own items, when `filing_id` is empty)."""
    return MOBILE_PARTITION + mobile_hash(mobile), subject_sort_key(certificate_number, filing_id)


def index_item(mobile: str, certificate_number: str, *, source: str, at: str, filing_id: str = "") -> dict:
    """The index item saying this subject gave this mobile (`source`: "order", with the order's number, or
    "registry")."""
    pk, sk = index_key(mobile, certificate_number, filing_id)
    return {"pk": pk, "sk": sk, "version": 1, "source": source, "at": at}


def people_values(filing: dict, field: str) -> list[tuple[str, dict]]:
    """(who, person) for each person of the order who gave `field`: the subject leader, and a different
    administrator whose `field` is not the leader's."""
    from icp.order_types import administrator, administrator_is_leader

    people = []
    leader = (filing.get("subject") or {}).get("leader") or {}
    if leader.get(field):
        people.append(("leader", leader))
    if not administrator_is_leader(filing):
        other = administrator(filing) or {}
        if other.get(field) and other[field] != leader.get(field):
            people.append(("administrator", other))
    return people


def people_mobiles(filing: dict) -> list[tuple[str, str]]:
    """(who, mobile) for each person of the order with a mobile: the subject leader, and a different administrator."""
    return [(who, person["mobile"]) for who, person in people_values(filing, "mobile")]


def index_ops(filing: dict, *, at: str) -> list[Put]:
    """The index writes of a submitted order: each of its mobiles given by its subject in this order (idempotent
    puts: a resubmission writes the same items)."""
    number = filing["verified"]["certificate_number"]
    return [Put(index_item(mobile, number, source="order", at=at, filing_id=filing["id"]))
            for _who, mobile in people_mobiles(filing)]


def index_keys(filing: dict) -> list[tuple[str, str]]:
    """The keys of the index items an order may have written (index_ops), read from its answers: what its
    erasure deletes. Empty when the answers are gone already (an erased order) or name no subject."""
    number = (filing.get("verified") or {}).get("certificate_number")
    if not number:
        return []
    return [index_key(mobile, number, filing["id"]) for _who, mobile in people_mobiles(filing)]


def legacy_keys(filing: dict) -> list[tuple[str, str]]:
    """The keys of the one-per-(mobile, subject) items orders wrote before each order had its own: an erasure
    deletes those whose source is "order" (never the registry's), and retention-backfill gives the orders still
    kept their own items first."""
    number = (filing.get("verified") or {}).get("certificate_number")
    if not number:
        return []
    return [index_key(mobile, number) for _who, mobile in people_mobiles(filing)]


def _subject_of(sk: str) -> str:
    # "SUBJECT#<hash>" or "SUBJECT#<hash>#ORDER#<order>": the subject's hash
    return sk.split("#")[1]


def other_subjects(table, partition: str, certificate_number: str) -> int:
    """How many subjects other than this one a people index partition (a mobile's, a certificate's) names: one
    query."""
    return len({_subject_of(item["sk"]) for item in table.query(partition)} - {subject_hash(certificate_number)})


def used_by_other_subjects(table, mobile: str, certificate_number: str) -> int:
    """How many other subjects gave this mobile, in our orders or the registry: one query of its partition."""
    return other_subjects(table, MOBILE_PARTITION + mobile_hash(mobile), certificate_number)


# --- one-time codes -------------------------------------------------------------------------------------------

def _code_hash(code: str, salt: str) -> str:
    # a six-digit code lives ten minutes: a salted hash keeps it out of the table's plain view, no more is needed
    return hashlib.sha256(bytes.fromhex(salt) + code.encode()).hexdigest()


# how many hex digits of a mobile's hash name its code record in an order: 64 bits tell an order's two or three
# mobiles apart (and a changed number from the old one) as surely as 256, and every write of the order, packed
# under one kilobyte (icp.store.packing), copies them
RECORD_KEY_DIGITS = 16


def _record_key(mobile: str) -> str:
    return mobile_hash(mobile)[:RECORD_KEY_DIGITS]


def code_record(filing: dict, mobile: str) -> dict:
    """This order's code record for a mobile (empty when no code was sent to it)."""
    codes = filing.get("mobile_codes") or {}
    # an order written before the records had short keys keeps its whole-hash key until its next code
    return codes.get(_record_key(mobile)) or codes.get(mobile_hash(mobile), {})


def _with_record(filing: dict, mobile: str, record: dict) -> dict:
    """The order's mobile_codes with this mobile's record replaced (under its short key)."""
    codes = {key: value for key, value in (filing.get("mobile_codes") or {}).items() if key != mobile_hash(mobile)}
    return {**codes, _record_key(mobile): record}


def is_confirmed(filing: dict, mobile: str) -> bool:
    """Whether a code sent to this mobile for this order was entered right."""
    return bool(code_record(filing, mobile).get("confirmed_at"))


def unconfirmed(filing: dict) -> list[tuple[str, str]]:
    """(who, mobile) of the order's mobiles not yet confirmed by a code."""
    return [(who, mobile) for who, mobile in people_mobiles(filing) if not is_confirmed(filing, mobile)]


def sends_left(filing: dict, mobile: str) -> int:
    """How many more codes this mobile may be sent for this order."""
    return max(0, rules.MOBILE_CODE.sends - code_record(filing, mobile).get("sent", 0))


class CodeRefused(Exception):
    """A code was not sent or not accepted; `outcome` says why: no_sends_left, not_sent, expired, wrong, too_many."""

    def __init__(self, outcome: str, **params):
        super().__init__(outcome)
        self.outcome, self.params = outcome, params


def new_code(filing: dict, mobile: str, *, now: datetime) -> tuple[dict, str]:
    """A fresh code for a mobile: (the order's mobile_codes with its record, the plain code to text once)."""
    record = code_record(filing, mobile)
    if record.get("confirmed_at"):
        raise CodeRefused("confirmed")
    if sends_left(filing, mobile) == 0:
        raise CodeRefused("no_sends_left", sends=rules.MOBILE_CODE.sends)
    code = "".join(secrets.choice("0123456789") for _ in range(rules.MOBILE_CODE.digits))
    salt = secrets.token_hex(16)
    updated = {"salt": salt, "hash": _code_hash(code, salt), "sent": record.get("sent", 0) + 1,
               "sent_at": now.isoformat(timespec="seconds"), "wrong": 0}
    return _with_record(filing, mobile, updated), code


def checked_code(filing: dict, mobile: str, code: str, *, now: datetime) -> dict:
    """The order's mobile_codes after `code` is entered for a mobile: confirmed, or one more wrong code counted.

    Raises CodeRefused("wrong") with the record to keep (its count of wrong codes) in `params["codes"]`, or
    another outcome when nothing changes (no code sent, expired, too many wrong codes).
    """
    record = code_record(filing, mobile)
    if not record:
        raise CodeRefused("not_sent")
    if record.get("confirmed_at"):
        return filing["mobile_codes"]
    policy = rules.MOBILE_CODE
    if record["wrong"] >= policy.wrong_attempts:
        raise CodeRefused("too_many", attempts=policy.wrong_attempts)
    if now - datetime.fromisoformat(record["sent_at"]) > policy.lifetime:
        raise CodeRefused("expired", lifetime_minutes=int(policy.lifetime / timedelta(minutes=1)))
    entered = "".join(ch for ch in (code or "") if ch.isdigit())
    if hmac.compare_digest(_code_hash(entered, record["salt"]), record["hash"]):
        # a confirmed mobile needs no code any more: its salt and hash go (a third of the order's codes' bytes,
        # which every later write of the order would copy, twice in a transaction)
        kept = {key: value for key, value in record.items() if key not in ("salt", "hash")}
        return _with_record(filing, mobile, {**kept, "confirmed_at": now.isoformat(timespec="seconds")})
    codes = _with_record(filing, mobile, {**record, "wrong": record["wrong"] + 1})
    raise CodeRefused("wrong", codes=codes, attempts_left=policy.wrong_attempts - record["wrong"] - 1)
