"""Orders as stored in any status, under either policy, with one or two people texted: for tests of what pages and
messages say about a status (no journey needed to reach each one)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from icp import deadlines, rules
from icp import filing as f
from icp.filing import filing_partition

START = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
LEADER = {"name": "王海", "mobile": "13911112222", "certificate_type": "resident_id",
          "certificate_number": "11010519491231002X", "certificate_valid_until": "2035-01-01",
          "certificate_long_term": False, "emergency_phone": "010-62345678", "email": "wang@example-shop.cn"}
ADMINISTRATOR = {**LEADER, "name": "李雷", "mobile": "13722223333", "certificate_number": "440106199208150064",
                 "email": "li@example-shop.cn"}
# a province per route: MIIT texts codes in Tianjin under both policies, in Beijing only under current practice;
# Shanghai verifies in the app
PROVINCES = {"sms_both": "tianjin", "sms_current_only": "beijing", "app": "shanghai"}


def order_in(status: str, *, policy: str = "seed", province: str = "tianjin", two_people: bool = True,
             backdrop: str = "mailed", filing_id: str = "F7K2M9Q4XA", owner: str = "applicant@example.com",
             now: datetime = START) -> dict:
    """An order item in `status` as the workflow leaves it (deadline, dates, answers), stamped with `policy`.

    `backdrop` (none, applied, mailed) is how far the backdrop got, for a backdrop order waiting for its photo.
    """
    stamp = f.policy_stamp(rules.deadline_policy(policy), province)
    at = now.isoformat(timespec="seconds")
    filing = {
        "pk": filing_partition(filing_id), "sk": "META", "version": 7, "id": filing_id, "owner": owner,
        "owner_mobile": "13955556666", "language": "en", "status": status, "status_since": at,
        "created_at": (now - timedelta(days=3)).isoformat(timespec="seconds"), "updated_at": at,
        "verified": {"province": province, "nature": "enterprise", "certificate_type": "business_licence",
                     "certificate_number": "91120116MA06QR7T0H", "domain": "haihe-data.cn",
                     "domain_ascii": "haihe-data.cn", "filing_type": "new_website", "subject_name": "天津海河数据有限公司",
                     "subject_icp_number": "津ICP备12345678号"},
        "steps": {s: True for s in ("type", "instance", "subject", "website", "documents")},
        "service_code": {"code": "DEMO7K2M9QX4LP8A"}, "returns": 0, "policy": stamp,
        "subject": {"leader": LEADER, "certificate_long_term": True, "certificate_valid_until": ""}, "website": {"administrator_is_leader": not two_people,
                                                   **({"administrator": ADMINISTRATOR} if two_people else {})},
    }
    if status != f.DRAFT:
        filing["submitted_at"] = filing["first_submitted_at"] = at
    if status in f.EDITABLE:
        filing["deadline"] = deadlines.start(filing, "draft", now=now)
        filing["discard_at"] = filing["deadline"]["ends_at"]
    if status == f.RETURNED:
        filing["comments"] = [{"target": "", "text": "请补充网站备注。"}]
        filing["returns"] = 1
    if status == f.PROVIDER_REVIEW:
        filing["deadline"] = deadlines.start(filing, "provider_review", now=now)
    if status == f.PHOTO_REVIEW:
        filing["deadline"] = deadlines.start(filing, "photo_review", now=now)
    if status == f.PHOTO_PENDING and stamp["verification"] == "backdrop" and backdrop != "none":
        filing["backdrop"] = {"recipient": "王海", "address": "天津市滨海新区海河路1号2号楼301室", "phone": "13911112222",
                              "applied_at": at}
        if backdrop == "mailed":
            filing["backdrop"].update(tracking="SF1234567890", mailed_at=at)
    if status == f.SMS_PENDING:
        filing["deadline"] = deadlines.start(filing, "sms", now=now)
        filing["sms"] = {"codes": [], "wrong": 1, "resends": 0, "sent_at": at}
    if status == f.ADMINISTRATION_REVIEW:
        filing["administration_since"] = at
        filing["deadline"] = deadlines.start(filing, "administration", now=now)
    if status == f.APPROVED:
        filing["icp_number"] = "津ICP备12345678号-2"
    if status == f.REJECTED:
        filing["rejection_reason"] = "网站名称与主体不符"
    filing.update(f.index_fields(filing))
    filing.update(deadlines.index_fields(filing.get("deadline")))
    return filing
