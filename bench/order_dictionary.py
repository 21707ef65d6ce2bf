"""Writes the preset dictionary orders are packed with (icp/store/packing.py): run once per new dictionary.

    .venv/bin/python -m bench.order_dictionary > icp/store/order-dictionary-N.txt

What it holds is what orders have in common, never what one applicant wrote: the attribute names and the shape
of orders of every type as the demo data and the measured walk leave them, with every free text blanked (names,
addresses, numbers, e-mails, domains), the enumerations the rules define (provinces, certificate types, natures,
service content, languages, statuses), every deadline policy's stamp, and the words Chinese company names and addresses are made of. Deflate
finds repeated strings within 32 KB before the text, so the most common come last.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timezone

_ENUM = re.compile(r"[a-z][a-z0-9_]{0,39}")
_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00")
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_HEX = re.compile(r"[0-9a-f]{32,}")

# the words Chinese company names and addresses are made of (not one applicant's: the common ones)
WORDS = (
    "有限责任公司", "股份有限公司", "有限公司", "分公司", "集团", "科技", "信息技术", "网络科技", "电子商务", "文化传媒",
    "贸易", "咨询", "管理", "服务", "发展", "实业", "软件", "数据", "智能", "教育", "商城", "官网", "博客", "平台",
    "自治区", "特别行政区", "省", "市", "区", "县", "镇", "乡", "村", "街道", "大街", "大道", "路", "街", "巷", "号",
    "号楼", "栋", "单元", "层", "楼", "室", "座", "园区", "科技园", "产业园", "开发区", "高新区", "新区", "中心",
    "大厦", "广场", "花园", "小区", "中关村", "海淀区", "朝阳区", "浦东新区", "南山区", "福田区", "天河区", "西湖区",
    "深圳市", "广州市", "杭州市", "南京市", "苏州市", "成都市", "武汉市", "西安市",
    "http://www.", "https://www.", ".com.cn", ".com", ".net", ".cn", "@qq.com", "@163.com", "@126.com",
    "ICP备", "号-1", "i-", "ecs", "cn-",
)


def _skeleton(value):
    """The value with everything one applicant wrote blanked, its shape and enumerations kept."""
    if isinstance(value, dict):
        return {("" if _HEX.fullmatch(k) else k): _skeleton(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_skeleton(v) for v in value]
    if isinstance(value, str):
        if _MOMENT.fullmatch(value):
            return "2026-01-01T00:00:00+00:00"
        if _DAY.fullmatch(value):
            return "2026-01-01"
        return value if _ENUM.fullmatch(value) else ""
    return value


def _orders() -> list[dict]:
    """Orders of every type as the demo data holds them and as the measured walk leaves one at APPROVED."""
    from moto import mock_aws

    from bench import _support, table_ops
    from icp.filing import flow_of  # noqa: F401  (the domain loads before the walk)

    with mock_aws():
        app, _clock = _support.demo_app("order-dictionary", backend="aws", demo_services=True)
        rec, stored = table_ops.walk(app, to_approval=True)
        table = rec.counter._inner
        orders = [stored]
        from icp import services

        orders += [table.get(e["pk"], "META") for e in services.owner_entries(table, "applicant@example.com")
                   if str(e.get("pk", "")).startswith("FILING#")]
    return [o for o in orders if o]


def _enumerations() -> list[str]:
    from icp import filing, rules

    words = [*rules.PROVINCES, *rules.CERTIFICATE_TYPES, *rules.NATURES, *rules.SERVICE_CONTENT,
             *rules.WEBSITE_LANGUAGES, *rules.FILING_TYPES, *rules.DOCUMENT_KINDS, *filing.STATUSES]
    words += [p.name_zh for p in rules.PROVINCES.values()]
    return words


def _policy_stamps() -> list[str]:
    """Every deadline policy's stamp as orders of a few provinces carry it (the verification method and the SMS
    check vary by province), so a service run on `current_practice` packs its orders as small as one on the seed."""
    from icp import filing, rules

    stamps = []
    for policy in rules.DEADLINE_POLICIES.values():
        for province in ("beijing", "shanghai", "guangdong", "tianjin"):
            text = json.dumps(filing.policy_stamp(policy, province), separators=(",", ":"), sort_keys=True)
            if text not in stamps:
                stamps.append(text)
    return stamps


def build() -> str:
    """The dictionary's text: the policy stamps, the words, the enumerations, then the orders' skeletons (the most
    common last)."""
    from icp.store.packing import CARD_FIELDS, PLAIN

    skeletons = []
    for order in _orders():
        # packed apart, as icp.store.packing.pack splits them: the body, then the card
        body = {k: v for k, v in order.items() if k not in PLAIN and k not in CARD_FIELDS}
        card = {k: v for k, v in order.items() if k in CARD_FIELDS}
        for part in (body, card):
            text = json.dumps(_skeleton(part), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            if text not in skeletons:
                skeletons.append(text)
    return ("".join(_policy_stamps()) + "".join(WORDS) + "".join(f'"{w}"' for w in _enumerations())
            + "".join(reversed(skeletons)))


if __name__ == "__main__":
    sys.stdout.write(build())
