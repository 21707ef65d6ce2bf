"""A subject already filed with us: what its last approved filing said about it, to pre-fill a new order's step 3.

At approval the administration's use case records the subject's answers (addresses and leader) as approved, with
where they came from, in one small item per subject (DOMAIN.md §1: "subject filed with us: continue, same wizard,
subject pre-filled"). The item is keyed by the certificate number alone, so step 1 reads it by key in the same
round trip as the session and the registry's items (the account is not known until the session is read); inside
it, each account that filed the subject with us has its own entry, and only the account's own entry is ever
offered. A new order carries that entry until step 3 is saved.
"""
from __future__ import annotations

from datetime import datetime

from icp.store import ABSENT, Put, read_key


def record_key(certificate_number: str) -> tuple[str, str]:
    """The (pk, sk) of what our approved filings of a subject said about it."""
    return f"APPROVED#SUBJECT#{certificate_number.upper()}", "META"


def lookup_keys(*, certificate_type: str, certificate_number: str) -> list[tuple[str, str]]:
    """The key step 1 reads for the answers as typed (normalised as the form does), to read it ahead with the
    session and the registry's items; none when the number is not valid."""
    from icp import identifiers

    if len(certificate_number) > 40:  # the form refuses these before any look-up
        return []
    try:
        number = identifiers.certificate_number(certificate_type, certificate_number)
    except (KeyError, ValueError):  # an unknown certificate type; identifiers.ValidationError
        return []
    return [record_key(number)]


def entry(*, subject: dict, domain: str, icp_number: str, approved_at: str, filing_id: str = "") -> dict:
    """One account's last approved filing of the subject: its answers, and the filing they come from."""
    return {"answers": subject, "filing_id": filing_id, "domain": domain, "icp_number": icp_number,
            "approved_at": approved_at}


def record_item(certificate_number: str, by_owner: dict, *, version: int = 1) -> dict:
    """The item that keeps, for each account that filed the subject with us, its last approved answers."""
    pk, sk = record_key(certificate_number)
    return {"pk": pk, "sk": sk, "version": version, "by_owner": by_owner}


def approval_ops(table, filing: dict, *, icp_number: str, now: datetime) -> list[Put]:
    """What an approval records for the account's next order of the subject (one read, one conditional write: a
    concurrent approval of the same subject fails with Conflict and the approval tries again)."""
    verified = filing["verified"]
    stored = table.get(*record_key(verified["certificate_number"]))
    by_owner = dict((stored or {}).get("by_owner") or {})
    from icp.order_types import service_name

    # "domain" names the service the answers were approved with: a website's domain, or an app's name
    by_owner[filing["owner"].lower()] = entry(subject=filing["subject"], domain=service_name(filing),
                                              icp_number=icp_number, approved_at=now.isoformat(timespec="seconds"),
                                              filing_id=filing["id"])
    if stored is None:
        return [Put(record_item(verified["certificate_number"], by_owner), expect_version=ABSENT)]
    return [Put(record_item(verified["certificate_number"], by_owner, version=stored["version"] + 1),
                expect_version=stored["version"])]


def last_approved(table, *, certificate_number: str, owner: str, prefetched: dict | None = None) -> dict | None:
    """What this account's last approved filing of the subject said, as a new order carries it; None if none
    (another account's approvals are never offered)."""
    item = read_key(table, record_key(certificate_number), prefetched)
    found = ((item or {}).get("by_owner") or {}).get(owner.lower())
    return dict(found) if found and found.get("answers") else None


def erasure_ops(table, filing: dict) -> list:
    """What erasing an approved order (one no longer the record of a service of ours) changes here: when the
    account's entry came from that order, the account's latest standing approved order of the subject takes its
    place, or, with none, the entry goes (its answers are the erased order's personal data). Nothing otherwise."""
    from icp import filing as f
    from icp import retention
    from icp.order_types import service_name

    number = (filing.get("verified") or {}).get("certificate_number")
    owner = (filing.get("owner") or "").lower()
    record = table.get(*record_key(number)) if number and owner else None
    mine = ((record or {}).get("by_owner") or {}).get(owner)
    if not mine or mine.get("filing_id") != filing["id"]:
        return []
    from icp.services import owner_entries

    keys = [(e["pk"], e["sk"]) for e in owner_entries(table, filing["owner"])
            if e.get("status") == f.APPROVED and e.get("id") != filing["id"]
            and (e.get("verified") or {}).get("certificate_number") == number]
    found = table.get_many(keys) if keys else {}
    standing = sorted((o for o in found.values() if not f.is_closed(o) and not retention.is_erased(o)),
                      key=lambda o: o.get("status_since", ""))
    by_owner = {k: v for k, v in record["by_owner"].items() if k != owner}
    if standing:
        last = standing[-1]
        by_owner[owner] = entry(subject=last.get("subject"), domain=service_name(last),
                                icp_number=last.get("icp_number", ""), approved_at=last.get("status_since", ""),
                                filing_id=last["id"])
    return [Put(record_item(number, by_owner, version=record["version"] + 1), expect_version=record["version"])]
