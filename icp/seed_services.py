"""Demo data for the orders after the number: websites and an app the demo applicant filed with us and got a
number for, so a newcomer can cancel access to one, cancel another and change a third (README, "After the
number"). They are records of orders approved before the demo starts, written as such (with their start and
approval in the history), like the registry's subjects; every later change goes through the engine."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from icp import filing as f
from icp import registry, rules, seed
from icp.store import Put
from icp.workflow import engine

OWNER = "applicant@example.com"
OWNER_MOBILE = "13800138000"
CERTIFICATE = "91440101MA5CX8T10J"   # 广州云帆网络有限公司, filed with us (icp.seed.DEMO_SUBJECTS)
SUBJECT_NUMBER = "粤ICP备18012345号"
APPROVED_AT = "2025-03-18T10:00:00+08:00"

_SUBJECT = {"name": "广州云帆网络有限公司", "certificate_address": "广州市天河区天河路385号", "mailing_address": "广州市天河区天河路385号太古汇一座2001室",
            "investor": "广州云帆网络有限公司", "certificate_long_term": True, "certificate_valid_until": "",
            "leader_is_legal_representative": True,
            "leader": {"name": "陈静", "certificate_type": "resident_id", "certificate_number": "440106199208150064",
                       "certificate_valid_until": "2036-05-01", "certificate_long_term": False,
                       "mobile": "13922223333", "emergency_phone": "020-81234567", "email": "chen@yunfan.com"}}

# (order id, domain or app name, serial, the website's or app's answers): yunfan.com and the app are in the
# registry already (icp.seed); the shop and the blog are added with them
DEMO_SERVICES = [
    ("YFWEBSITE1", "yunfan.com", "1", {"name": "云帆网络官方网站", "home_url": "https://www.yunfan.com/"}),
    ("YFAPPZHUSH", "云帆助手", "2A", {}),
    ("YFSHOPSITE", "yunfan-shop.cn", "3", {"name": "云帆商城", "home_url": "https://www.yunfan-shop.cn/"}),
    ("YFBLOGSITE", "yunfan-blog.cn", "4", {"name": "云帆技术博客", "home_url": "https://www.yunfan-blog.cn/"}),
]


def _order(order_id: str, service: str, serial: str, answers: dict) -> dict:
    app = serial.endswith("A")
    number = f"{SUBJECT_NUMBER}-{serial}"
    verified = {"province": "guangdong", "nature": "enterprise", "certificate_type": "business_licence",
                "certificate_number": CERTIFICATE,
                "filing_type": "add_app_elsewhere" if app else "add_website_elsewhere",
                "subject_name": "广州云帆网络有限公司", "subject_icp_number": SUBJECT_NUMBER,
                "domain": "" if app else service, "domain_ascii": "" if app else service}
    if app:
        verified.update(app_name=service, domains=["yunfan.com"])
        step = {"service_content": ["other"], "language": "zh_hans", "preapproval_items": [], "approval_number": "",
                "platforms": {"android": {"identifier": "com.yunfan.assistant", "public_key": "", "fingerprint": ""}},
                "sdk_offered": False, "third_party_sdks": "", "remarks": "", "administrator_is_leader": True}
    else:
        step = {**answers, "service_content": ["organisation_portal"], "languages": ["zh_hans"], "preapproval_items": [],
                "approval_number": "", "approval_department": "", "remarks": "", "administrator_is_leader": True}
    filing = {
        "pk": f.filing_key(order_id)[0], "sk": "META", "version": 2, "id": order_id, "owner": OWNER,
        "owner_mobile": OWNER_MOBILE, "language": "zh", "order_type": "app" if app else "website",
        "status": f.APPROVED, "status_since": APPROVED_AT, "created_at": "2025-02-20T09:00:00+08:00",
        "updated_at": APPROVED_AT, "submitted_at": "2025-02-21T09:00:00+08:00",
        "administration_since": "2025-03-04T09:00:00+08:00", "decided_at": APPROVED_AT,
        "verified": verified, "steps": {s: True for s in ("type", "instance", "subject", "app" if app else "website",
                                                          "documents", "check")},
        "service_code": None, "subject": _SUBJECT, ("app" if app else "website"): step, "returns": 0,
        "policy": f.policy_stamp(rules.deadline_policy("seed"), "guangdong"), "icp_number": number,
    }
    return filing


def demo_service_ops(now: datetime) -> list[Put]:
    """The demo applicant's approved orders with their history, the registry's records of the two websites it
    adds, and the subject's serial moved past them."""
    subject = next(s for s in seed.DEMO_SUBJECTS if s.certificate_number == CERTIFICATE)
    ops = [Put(registry.subject_item(replace(subject, websites=len(DEMO_SERVICES))))]
    for order_id, service, serial, answers in DEMO_SERVICES:
        order = _order(order_id, service, serial, answers)
        ops += engine.imported(order, [
            ("start", f.DRAFT, datetime.fromisoformat(order["created_at"]), ""),
            ("approve", f.APPROVED, datetime.fromisoformat(APPROVED_AT), order["icp_number"])], actor="demo data").ops
        if serial.endswith("A"):
            ops.append(Put({**registry.app_item(registry.RegistryApp(service, order["icp_number"], CERTIFICATE)),
                            "accessed_by_us": True}))
        else:
            domain = registry.RegistryDomain(service, order["icp_number"], CERTIFICATE)
            ops += [Put({**registry.domain_item(domain), "accessed_by_us": True}),
                    Put({**registry.website_item(domain), "accessed_by_us": True})]
    return ops
