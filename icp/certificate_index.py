"""Which subjects gave a person's ID as a leader's or administrator's, by hash: one partition per person.

Tencent Cloud's 各省管局要求 names ten provinces whose administrations reject a filing whose people's "证件号码、手机
号码" another subject has filed with (负责人证件号码、手机号码不能为其他主体备案过: Shandong, Tianjin, Henan, Guangxi,
Xinjiang, Yunnan, Chongqing, Jiangxi, Hunan, Sichuan). The mobiles have their index (icp.mobiles); this is the same
for the people's certificates: a submitted order writes one item per person, subject and order,
`PERSONID#<sha256 of the certificate>` / `SUBJECT#<sha256 of the subject's certificate number>#ORDER#<order>`, so
"which other subjects gave this person" is one query of one partition, never a scan. The items go with the order's
personal data (icp.workflow.retention). Only hashes are stored; an ID number can be enumerated from its hash, so
the table stays personal data all the same.
"""
from __future__ import annotations

import hashlib

from icp.mobiles import other_subjects, people_values, subject_sort_key
from icp.store import Put

PERSON_PARTITION = "PERSONID#"


def person_hash(certificate_type: str, certificate_number: str) -> str:
    """The hash a person's certificate (its type and its number, upper-cased) is stored and compared by."""
    return hashlib.sha256(f"icp-person:{certificate_type}:{certificate_number.strip().upper()}".encode()).hexdigest()


def people_certificates(filing: dict) -> list[tuple[str, str, str]]:
    """(who, certificate type, number) for each person of the order: the subject leader, and a different
    administrator whose certificate is not the leader's."""
    return [(who, person.get("certificate_type", ""), person["certificate_number"])
            for who, person in people_values(filing, "certificate_number")]


def index_key(certificate_type: str, number: str, subject_certificate: str, filing_id: str) -> tuple[str, str]:
    """The (pk, sk) of the item saying this subject gave this person in order `filing_id`."""
    return PERSON_PARTITION + person_hash(certificate_type, number), subject_sort_key(subject_certificate, filing_id)


def index_ops(filing: dict, *, at: str) -> list[Put]:
    """The index writes of a submitted order, one per person (idempotent: a resubmission writes the same items)."""
    subject_certificate = filing["verified"]["certificate_number"]
    return [Put({"pk": pk, "sk": sk, "version": 1, "source": "order", "at": at})
            for pk, sk in (index_key(kind, number, subject_certificate, filing["id"])
                           for _who, kind, number in people_certificates(filing))]


def index_keys(filing: dict) -> list[tuple[str, str]]:
    """The keys of the items an order may have written (index_ops), from its answers: what its erasure deletes.
    Empty when the answers are gone already or name no subject."""
    subject_certificate = (filing.get("verified") or {}).get("certificate_number")
    if not subject_certificate:
        return []
    return [index_key(kind, number, subject_certificate, filing["id"])
            for _who, kind, number in people_certificates(filing)]


def used_by_other_subjects(table, certificate_type: str, number: str, subject_certificate: str) -> int:
    """How many other subjects gave this person in our orders: one query of the person's partition."""
    return other_subjects(table, PERSON_PARTITION + person_hash(certificate_type, number), subject_certificate)
