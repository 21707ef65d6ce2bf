"""Demo data: MIIT registry subjects, a demo applicant with instances and codes, and staff accounts.

Everything here is listed in the README so a newcomer can try every path of the procedure.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from icp import accounts, codes, mobiles, registry
from icp.store import ABSENT, Conflict, Put
from icp.workflow import filed_subject

SEED_MARKER = ("SEED#DEMO", "META")

DEMO_PASSWORD = "demo-password"  # ten characters or more, like every password
DEMO_ACCOUNTS = [
    # (e-mail, role, mobile, name)
    ("applicant@example.com", "applicant", "13800138000", "Demo Applicant"),
    ("reviewer@example.com", "reviewer", "13900139000", "Demo Reviewer"),
    ("administration@example.com", "administration", "13700137000", "Demo Administration"),
]

# subjects already filed at MIIT (through another provider unless filed_with_us)
DEMO_SUBJECTS = [
    registry.RegistrySubject("91110108MA01ABCD0B", "business_licence", "enterprise", "beijing",
                             "北京示例科技有限公司", "京ICP备16059763号", websites=1),
    # with the demo applicant's approved orders (icp.seed_services) its services are -1, -2A, -3 and -4
    registry.RegistrySubject("91440101MA5CX8T10J", "business_licence", "enterprise", "guangdong",
                             "广州云帆网络有限公司", "粤ICP备18012345号", websites=2, filed_with_us=True),
    registry.RegistrySubject("91120116MA06QR7T0H", "business_licence", "enterprise", "tianjin",
                             "天津海河数据有限公司", "津ICP备20004567号", websites=1),
    registry.RegistrySubject("310101198503120049", "resident_id", "individual", "shanghai",
                             "张伟", "沪ICP备19076543号", websites=1),
    registry.RegistrySubject("460100199007150020", "resident_id", "individual", "hainan",
                             "李娜", "琼ICP备20001234号", websites=1),
    # an empty ("shell") subject: its two websites were cancelled, so a new one is explained, not taken
    registry.RegistrySubject("91640100MA76KE7L4G", "business_licence", "enterprise", "ningxia",
                             "宁夏贺兰山商贸有限公司", "宁ICP备19003456号", websites=2, shell=True),
]

# websites already filed: a new order for these domains is refused as "already filed"
DEMO_FILED_DOMAINS = [
    registry.RegistryDomain("example-tech.cn", "京ICP备16059763号-1", "91110108MA01ABCD0B"),
    registry.RegistryDomain("yunfan.com", "粤ICP备18012345号-1", "91440101MA5CX8T10J"),
    registry.RegistryDomain("zhangwei.net", "沪ICP备19076543号-1", "310101198503120049"),
]

# apps already filed: a new app order of the same name under the same subject is refused as "already filed"
DEMO_FILED_APPS = [
    registry.RegistryApp("云帆助手", "粤ICP备18012345号-2A", "91440101MA5CX8T10J"),
]

# what our records keep of the Guangdong subject's approved filing of yunfan.com by the demo applicant (a subject
# filed with us): a new order of it starts step 3 from these answers (icp.workflow.filed_subject)
DEMO_APPROVED_OWNER = "applicant@example.com"
DEMO_APPROVED_SUBJECT = filed_subject.entry(
    domain="yunfan.com", icp_number="粤ICP备18012345号-1", approved_at="2025-03-18T10:00:00+08:00",
    subject={"name": "广州云帆网络有限公司", "certificate_address": "广州市天河区天河路385号",
             "certificate_valid_until": "", "certificate_long_term": True,
             "mailing_address": "广州市天河区天河路385号太古汇一座2001室", "investor": "广州云帆网络有限公司",
             "leader": {"name": "陈静", "certificate_type": "resident_id", "certificate_number": "440106199208150064",
                        "certificate_valid_until": "2036-05-01", "certificate_long_term": False,
                        "mobile": "13922223333", "emergency_phone": "020-81234567", "email": "chen@yunfan.com"}})

# what the registrar answers about free domains: holder, real-name verification, registrar and the days left before
# the registration expires (counted from the day the demo data is loaded, so the demo never ages)
_ALIBABA, _ABROAD = "阿里云计算有限公司", "GoDaddy.com, LLC"
DEMO_DOMAIN_HOLDERS = [
    # (domain, holder, real-name verified, registrar, days left)
    ("example-shop.cn", "北京示例科技有限公司", True, _ALIBABA, 730),
    ("xn--fsq092h.xn--fiqs8s", "北京示例科技有限公司", True, _ALIBABA, 730),  # 示例.中国
    ("example-pending.cn", "北京示例科技有限公司", False, _ALIBABA, 730),
    # a registrar outside mainland China, and a registration that ends within 90 days: both refused at step 1
    ("example-abroad.com", "北京示例科技有限公司", True, _ABROAD, 730),
    ("example-expiring.cn", "北京示例科技有限公司", True, _ALIBABA, 45),
    # a mainland registrar missing from our copy of MIIT's list: warned, the order goes on
    ("example-registrar.cn", "北京示例科技有限公司", True, "北京中科三方网络技术有限公司", 730),
    ("yunfan-cloud.cn", "广州云帆网络有限公司", True, "北京新网数码信息技术有限公司", 400),
    ("haihe-data.cn", "天津海河数据有限公司", True, _ALIBABA, 730),
    ("zhangwei-blog.cn", "张伟", True, "腾讯云计算（北京）有限责任公司", 730),
    ("lina-notes.cn", "李娜", True, _ALIBABA, 730),
    ("someone-else.cn", "深圳别人有限公司", True, _ALIBABA, 730),
]


def demo_domain_holders(today: date) -> list[registry.DomainHolder]:
    """The registrar's demo answers, their expiry dates counted from `today`."""
    return [registry.DomainHolder(domain, holder, verified, registrar, (today + timedelta(days=days)).isoformat())
            for domain, holder, verified, registrar, days in DEMO_DOMAIN_HOLDERS]


# the demo applicant's instances: two eligible, one of each reason for refusal
DEMO_INSTANCES = [
    dict(instance_id="i-bp1demo0001", name="web-beijing", region="cn-beijing", public_ip="47.94.10.11",
         billing="subscription", subscription_months=12),
    dict(instance_id="i-uf6demo0002", name="web-shanghai", region="cn-shanghai", public_ip="106.14.20.22",
         billing="subscription", subscription_months=6),
    dict(instance_id="i-bp1demo0003", name="test-payg", region="cn-hangzhou", public_ip="120.55.30.33",
         billing="pay_as_you_go", subscription_months=0),
    dict(instance_id="i-j6cdemo0004", name="web-hongkong", region="cn-hongkong", public_ip="47.242.40.44",
         billing="subscription", subscription_months=12),
    dict(instance_id="i-bp1demo0005", name="db-private", region="cn-beijing", public_ip=None,
         billing="subscription", subscription_months=12),
    dict(instance_id="i-bp1demo0006", name="trial-1month", region="cn-shenzhen", public_ip="119.23.60.66",
         billing="subscription", subscription_months=1),
    dict(instance_id="i-bp1demo0007", name="stopped-box", region="cn-qingdao", public_ip="118.190.70.77",
         billing="subscription", subscription_months=12, status="stopped"),
]

# codes issued before the demo starts, so the journey can begin at once
DEMO_CODES = [("i-bp1demo0001", "DEMO7K2M9QX4LP8A"), ("i-bp1demo0001", "DEMO3H6T8RW5NB2C")]


def seed_demo(table, *, now: datetime, force: bool = False, services: bool = True) -> list[str]:
    """Load the demo data once (again with force); returns what it did, line by line. `services` adds the demo
    applicant's approved orders (Filed with us; most tests start without them)."""
    if table.get(*SEED_MARKER) and not force:
        return ["demo data already loaded (use --force to load it again)"]
    done = []
    for email, role, mobile, name in DEMO_ACCOUNTS:
        try:
            accounts.create_account(table, email=email, password=DEMO_PASSWORD, mobile=mobile, now=now,
                                    role=role, name=name)
            done.append(f"account {email} ({role})")
        except accounts.DuplicateAccount:
            done.append(f"account {email} exists")
    table.write([Put(registry.subject_item(s)) for s in DEMO_SUBJECTS])
    table.write([Put(item) for d in DEMO_FILED_DOMAINS for item in (registry.domain_item(d), registry.website_item(d))])
    table.write([Put(registry.holder_item(h)) for h in demo_domain_holders(now.date())])
    table.write([Put(registry.app_item(a)) for a in DEMO_FILED_APPS])
    done.append(f"{len(DEMO_SUBJECTS)} MIIT subjects, {len(DEMO_FILED_DOMAINS)} filed domains, "
                f"{len(DEMO_FILED_APPS)} filed app")
    table.write([Put(filed_subject.record_item("91440101MA5CX8T10J", {DEMO_APPROVED_OWNER: DEMO_APPROVED_SUBJECT}))])
    done.append(f"the approved filing of {DEMO_APPROVED_SUBJECT['domain']} by {DEMO_APPROVED_OWNER}")
    if services:
        from icp.seed_services import DEMO_SERVICES, demo_service_ops

        for op in demo_service_ops(now):
            table.write([op])
        done.append(f"{len(DEMO_SERVICES)} approved orders of {DEMO_APPROVED_OWNER} (Filed with us)")
    # the registry's record of that subject's leader's mobile (by hash): another subject giving it is warned
    table.write([Put(mobiles.index_item(DEMO_APPROVED_SUBJECT["answers"]["leader"]["mobile"], "91440101MA5CX8T10J",
                                        source="registry", at=DEMO_APPROVED_SUBJECT["approved_at"]))])
    owner = DEMO_ACCOUNTS[0][0]
    for spec in DEMO_INSTANCES:
        try:
            table.write([Put(codes.instance_item(owner=owner, **spec), expect_version=ABSENT)])
        except Conflict:
            continue
    done.append(f"{len(DEMO_INSTANCES)} instances for {owner}")
    created = now.isoformat(timespec="seconds")
    for instance_id, code in DEMO_CODES:
        instance = table.get(*codes.instance_key(instance_id))
        item = codes.code_item(code=code, owner=owner, instance_id=instance_id, created_at=now)
        try:
            table.write([Put(item, expect_version=ABSENT),
                         Put({**instance, "codes_issued": instance["codes_issued"] + 1,
                              "version": instance["version"] + 1}, expect_version=instance["version"])])
            done.append(f"service code {code}")
        except Conflict:
            pass
    table.write([Put({"pk": SEED_MARKER[0], "sk": SEED_MARKER[1], "version": 1, "at": created})])
    return done
