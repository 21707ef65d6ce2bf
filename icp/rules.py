"""The regulator's rules as data: provinces, natures, filing types, name rules, documents, deadlines.

Every rule is a row with a comment naming where it comes from (DOMAIN.md section or the seed
procedure), so a change by the regulator is a change of data here, not of code elsewhere.
Nothing in this module imports Flask.
"""

from __future__ import annotations

import calendar
from dataclasses import field, replace
from datetime import date, timedelta
from typing import Any, Mapping

from icp.records import record


def _(s: str) -> str:
    """Mark a user-facing string for extraction; it is translated at render time."""
    return s


def _p(context: str, s: str) -> str:
    """Mark a user-facing string whose English is used in another sense elsewhere; the place that shows it
    translates it with `pgettext(context, s)`, so each sense has its own catalogue entry (msgctxt)."""
    return s


def _n(singular: str, plural: str) -> tuple[str, str]:
    """Mark a user-facing text and its plural for extraction; the count chooses between them at render time."""
    return singular, plural


# how a count of the policy reads in prose ("1 workday", "45 days"); the number itself always comes from the
# policy data, never from the sentence, so a change of rule is a change of data (issue 7)
COUNTS: dict[str, tuple[str, str]] = {
    "workdays": _n("%(num)d workday", "%(num)d workdays"),
    "days": _n("%(num)d day", "%(num)d days"),
    "hours": _n("%(num)d hour", "%(num)d hours"),
    "months": _n("%(num)d month", "%(num)d months"),
    "minutes": _n("%(num)d minute", "%(num)d minutes"),
}


def counted(params: Mapping[str, Any], ngettext) -> dict:
    """Parameters with each count named `<something>_<unit>` (a unit of COUNTS) written out in words by
    `ngettext(singular, plural, n)`: {"review_workdays": 1} gives {"review_workdays": "1 workday"}."""
    result = dict(params)
    for name, value in params.items():
        unit = name.rsplit("_", 1)[-1]
        if "_" in name and unit in COUNTS and isinstance(value, int) and not isinstance(value, bool):
            singular, plural = COUNTS[unit]
            result[name] = ngettext(singular, plural, value) % {"num": value}
    return result


@record
class RuleViolation:
    """A broken rule: its code, the English message (a translation key) and its parameters."""

    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: str = "refuse"  # REFUSE blocks submission; WARN is shown to the applicant and the reviewer


# a broken rule either blocks the order (the administration rejects it) or warns: the applicant may go on,
# and the reviewer sees the warning with its reason
REFUSE = "refuse"
WARN = "warn"
SEVERITIES = (REFUSE, WARN)


# --- provinces ----------------------------------------------------------------------------------

@record
class Province:
    """A mainland province-level division and the abbreviation that begins its ICP numbers."""

    code: str
    name_en: str
    name_zh: str
    icp_abbr: str


# source: DOMAIN.md §8 (Sichuan 蜀 not 川, Yunnan 滇 not 云, Gansu 陇 not 甘)
PROVINCES: dict[str, Province] = {p.code: p for p in (
    Province("beijing", _("Beijing"), "北京市", "京"),
    Province("tianjin", _("Tianjin"), "天津市", "津"),
    Province("hebei", _("Hebei"), "河北省", "冀"),
    Province("shanxi", _("Shanxi"), "山西省", "晋"),
    Province("inner_mongolia", _("Inner Mongolia"), "内蒙古自治区", "蒙"),
    Province("liaoning", _("Liaoning"), "辽宁省", "辽"),
    Province("jilin", _("Jilin"), "吉林省", "吉"),
    Province("heilongjiang", _("Heilongjiang"), "黑龙江省", "黑"),
    Province("shanghai", _("Shanghai"), "上海市", "沪"),
    Province("jiangsu", _("Jiangsu"), "江苏省", "苏"),
    Province("zhejiang", _("Zhejiang"), "浙江省", "浙"),
    Province("anhui", _("Anhui"), "安徽省", "皖"),
    Province("fujian", _("Fujian"), "福建省", "闽"),
    Province("jiangxi", _("Jiangxi"), "江西省", "赣"),
    Province("shandong", _("Shandong"), "山东省", "鲁"),
    Province("henan", _("Henan"), "河南省", "豫"),
    Province("hubei", _("Hubei"), "湖北省", "鄂"),
    Province("hunan", _("Hunan"), "湖南省", "湘"),
    Province("guangdong", _("Guangdong"), "广东省", "粤"),
    Province("guangxi", _("Guangxi"), "广西壮族自治区", "桂"),
    Province("hainan", _("Hainan"), "海南省", "琼"),
    Province("chongqing", _("Chongqing"), "重庆市", "渝"),
    Province("sichuan", _("Sichuan"), "四川省", "蜀"),
    Province("guizhou", _("Guizhou"), "贵州省", "黔"),
    Province("yunnan", _("Yunnan"), "云南省", "滇"),
    Province("tibet", _("Tibet"), "西藏自治区", "藏"),
    Province("shaanxi", _("Shaanxi"), "陕西省", "陕"),
    Province("gansu", _("Gansu"), "甘肃省", "陇"),
    Province("qinghai", _("Qinghai"), "青海省", "青"),
    Province("ningxia", _("Ningxia"), "宁夏回族自治区", "宁"),
    Province("xinjiang", _("Xinjiang"), "新疆维吾尔自治区", "新"),
)}

PROVINCE_BY_ICP_ABBR: dict[str, Province] = {p.icp_abbr: p for p in PROVINCES.values()}

# abbreviations people type by mistake (the everyday short names), mapped to the province they mean.
# source: DOMAIN.md §8 "(not 川)", "(not 云)", "(not 甘)"
ICP_ABBR_MISTAKES: dict[str, str] = {"川": "sichuan", "云": "yunnan", "甘": "gansu"}


# --- subject natures and certificates -----------------------------------------------------------

@record
class CertificateType:
    """A kind of certificate and the name of the identifier validator for its number."""

    code: str
    label: str
    validator: str


# source: DOMAIN.md §3 (natures and certificate types table)
CERTIFICATE_TYPES: dict[str, CertificateType] = {c.code: c for c in (
    CertificateType("business_licence", _("Business licence (unified social credit code)"), "uscc"),
    CertificateType("organisation_code", _("Organisation code certificate"), "organisation_code"),
    CertificateType("resident_id", _("Resident identity card"), "resident_id"),
    CertificateType("passport", _("Passport"), "passport"),
    CertificateType("hmt_permit",
                    _("Mainland travel permit for Hong Kong, Macao and Taiwan residents"), "hmt_permit"),
    CertificateType("foreign_permanent_id", _("Foreign permanent resident ID card"), "foreign_permanent_id"),
    CertificateType("government_certificate",
                    _("Unified social credit code certificate of a government body"), "registration_certificate"),
    CertificateType("public_institution_certificate",
                    _("Public institution legal person certificate"), "registration_certificate"),
    CertificateType("social_organisation_certificate",
                    _("Social organisation legal person registration certificate"), "registration_certificate"),
    CertificateType("private_non_enterprise_certificate",
                    _("Private non-enterprise unit registration certificate"), "registration_certificate"),
)}

# the certificates a person (subject leader or website administrator) may hold.
# source: DOMAIN.md §3 (individual row; leaders and administrators are people)
PERSON_CERTIFICATE_TYPES: tuple[str, ...] = ("resident_id", "passport", "hmt_permit", "foreign_permanent_id")


@record
class Nature:
    """A subject nature and the certificate types such a subject may file with."""

    code: str
    label: str
    is_individual: bool
    certificate_types: tuple[str, ...]


# source: DOMAIN.md §3 (each nature allows only its certificate types)
NATURES: dict[str, Nature] = {n.code: n for n in (
    Nature("enterprise", _("Enterprise"), False, ("business_licence", "organisation_code")),
    Nature("individual", _("Individual"), True, PERSON_CERTIFICATE_TYPES),
    Nature("government", _("Government body"), False, ("government_certificate",)),
    Nature("public_institution", _("Public institution"), False, ("public_institution_certificate",)),
    Nature("social_organisation", _("Social organisation"), False, ("social_organisation_certificate",)),
    Nature("private_non_enterprise", _("Private non-enterprise unit"), False,
           ("private_non_enterprise_certificate",)),
)}


# --- domains ------------------------------------------------------------------------------------

# top-level domains (and registry second-level domains) approved by MIIT for filing, in Unicode.
# the longest suffix that matches wins, so "example.com.cn" has the suffix "com.cn" and "example.政务.cn" has "政务.cn".
# source: MIIT's published list of approved domain registries and their suffixes (domain.miit.gov.cn), which is not
# reachable from here; it is rebuilt from copies of it, read on 2026-11-30:
#   [M] a copy of MIIT's list of English suffixes and .cn second-level domains (gist yueim/70dcbaa5ec5a13f2841893dfcf60a826,
#       undated; its brand suffixes .baidu .citic .sohu .unicom .chase .jpmorgan are MIIT approvals);
#   [Z] MIIT's Chinese-script suffixes as copied in v2fly/domain-list-community data/tld-cn ("Reference:
#       https://domain.miit.gov.cn"; .香港 left out there and here: not the mainland);
#   [Q] QingCloud's list of suffixes the Beijing administration accepts (yunify/qingcloud-docs,
#       site/record/intro/limit.md), which also names the second-level registries .政务.cn and .公益.cn.
# DOMAIN.md §1 names at least .cn .com .net .org .中国 .公司 .网络 .gov.cn. Issue 10 found asia band fans games guru host
# kim market mba media name news org pet press pub red sale school software space studio website in neither provider
# list; all but name, org and software are in [M], so they stay; name and software are in no copy, so they go;
# org is in no copy either but DOMAIN.md §1 names it, so it stays until MIIT's own list says otherwise.
APPROVED_TLDS: frozenset[str] = frozenset({
    # country code and its registry's second-level domains [M] [Q]; 政务.cn and 公益.cn are the second-level
    # registries for government bodies and public-interest organisations [Q]
    "cn", "com.cn", "net.cn", "org.cn", "gov.cn", "ac.cn", "edu.cn", "mil.cn", "政务.cn", "公益.cn",
    # CNNIC provincial second-level domains [M]
    "bj.cn", "tj.cn", "he.cn", "sx.cn", "nm.cn", "ln.cn", "jl.cn", "hl.cn", "sh.cn", "js.cn", "zj.cn",
    "ah.cn", "fj.cn", "jx.cn", "sd.cn", "ha.cn", "hb.cn", "hn.cn", "gd.cn", "gx.cn", "hi.cn", "cq.cn",
    "sc.cn", "gz.cn", "yn.cn", "xz.cn", "sn.cn", "gs.cn", "qh.cn", "nx.cn", "xj.cn", "tw.cn", "hk.cn", "mo.cn",
    # Chinese-script top-level domains [Z]
    "中国", "中國", "政务", "公益", "公司", "网络", "网址", "商城", "网店", "中信", "商标", "广东", "佛山", "信息",
    "手机", "在线", "中文网", "集团", "我爱你", "商店", "企业", "娱乐", "游戏", "购物", "餐厅", "招聘", "时尚", "移动",
    "网站", "联通", "世界", "健康",
    # generic top-level domains [M]
    "archi", "art", "asia", "auto", "baby", "baidu", "band", "beer", "bio", "biz", "black", "blue", "bond", "cab",
    "cafe", "cash", "cc", "center", "chase", "chat", "citic", "city", "cloud", "club", "co", "college", "com",
    "company", "cool", "cyou", "design", "email", "fan", "fans", "fashion", "fit", "fun", "fund", "fyi", "games",
    "gold", "green", "group", "guru", "host", "icu", "info", "ink", "jpmorgan", "kim", "law", "life", "link", "live",
    "lotto", "love", "ltd", "luxe", "market", "mba", "media", "mobi", "monster", "net", "news", "online", "organic",
    "pet", "pink", "plus", "poker", "press", "pro", "promo", "protection", "pub", "red", "ren", "rent", "run", "sale",
    "school", "security", "shop", "shopping", "show", "site", "ski", "social", "sohu", "space", "storage", "store",
    "studio", "tax", "team", "tech", "technology", "theatre", "today", "top", "tv", "unicom", "uno", "video", "vin",
    "vip", "vote", "voto", "wang", "website", "wiki", "work", "world", "xin", "xyz", "yoga", "zone",
    # DOMAIN.md §1 (see above)
    "org",
})


# source: DOMAIN.md §9 (a domain's real-name record takes 3 to 5 days to reach MIIT)
DOMAIN_REAL_NAME_SYNC_DAYS = (3, 5)


# --- the domain's registration: its registrar and its expiry (issue 20, item 3) -------------------

@record
class ApprovedRegistrar:
    """A domain registration service body licensed by MIIT, with the names registries' answers give it."""

    name_zh: str
    aliases: tuple[str, ...]  # English names and brands, as RDAP and WHOIS answers spell them


# source: MIIT's list of licensed domain registration service bodies (工业和信息化部 域名注册服务机构审批情况,
# domain.miit.gov.cn), which the providers send applicants to: QingCloud 域名核验规则 (yunify/qingcloud-docs,
# content/services/record/policy/domain_check.md, read 2026-12-06: "3.域名的注册管理商通过中国工信部批复。如果您的域名
# 注册商未获工信部批复，需在备案前将域名转入已获批复的域名服务机构管理"), Alibaba Cloud's 检查域名注册商是否已获工信部批复
# (the same list, "域名注册服务机构审批情况"). An excerpt: the registrars most customers use, copied on
# APPROVED_REGISTRARS_AS_OF from the providers' own names. A registrar in neither this list nor FOREIGN_REGISTRARS
# warns (REGISTRAR_NOT_CONFIRMED) instead of refusing: the excerpt is not the whole list, and refusing a licensed
# registrar we did not copy would refuse a filing the administration accepts.
APPROVED_REGISTRARS_AS_OF = "2026-12-06"
APPROVED_REGISTRARS: tuple[ApprovedRegistrar, ...] = (
    ApprovedRegistrar("阿里云计算有限公司", ("Alibaba Cloud Computing Co., Ltd.",
                                             "Alibaba Cloud Computing (Beijing) Co., Ltd.", "HiChina Zhicheng Technology Ltd.",
                                             "万网", "阿里云计算有限公司（万网）")),
    ApprovedRegistrar("腾讯云计算（北京）有限责任公司", ("Tencent Cloud Computing (Beijing) Limited Liability Company",
                                                     "DNSPod, Inc.")),
    ApprovedRegistrar("北京新网数码信息技术有限公司", ("Xin Net Technology Corporation", "新网")),
    ApprovedRegistrar("厦门易名科技股份有限公司", ("eName Technology Co., Ltd.", "易名中国")),
    ApprovedRegistrar("成都西维数码科技有限公司", ("Chengdu West Dimension Digital Technology Co., Ltd.", "西部数码")),
    ApprovedRegistrar("广东时代互联科技有限公司", ("Todaynic.com, Inc.", "时代互联")),
    ApprovedRegistrar("厦门三五互联科技股份有限公司", ("Xiamen 35.Com Technology Co., Ltd.", "三五互联")),
    ApprovedRegistrar("商中在线科技股份有限公司", ("Bizcn.com, Inc.",)),
    ApprovedRegistrar("中企动力科技股份有限公司", ("CE Dongli Technology Co., Ltd.",)),
    ApprovedRegistrar("华为云计算技术有限公司", ("Huawei Cloud Computing Technology Co., Ltd.",)),
)

# source: Tencent Cloud, 备案域名准备说明 (待备案的域名要求, a copy read 2026-12-06 in errata-ai/vale
# fixtures/i18n/zh.md: "境外注册商所注册的域名不能直接备案：请转入境内有资质的服务商"); Alibaba Cloud, ICP filing
# regulations for Chongqing ("You can apply for an ICP filing only with the domain name registered with a Chinese
# registrar") and Inner Mongolia ("Domain names registered outside China cannot be used"); Tencent Cloud, 各省管局要求
# (Beijing, Hunan: "不支持境外注册域名备案"). Registrars established outside mainland China, as registries' RDAP answers name them (their vCard
# "fn"): refused, with the transfer to ask for. Retail registrars customers bring domains from; add rows as found.
FOREIGN_REGISTRARS: tuple[str, ...] = (
    "GoDaddy.com, LLC", "NameCheap, Inc.", "Cloudflare, Inc.", "Porkbun LLC", "Name.com, Inc.", "Dynadot LLC",
    "NameSilo, LLC", "Gandi SAS", "OVH sas", "IONOS SE", "Squarespace Domains II LLC", "Google LLC",
    "Network Solutions, LLC", "Tucows Domains Inc.", "eNom, LLC",
)

APPROVED, FOREIGN, UNCONFIRMED = "approved", "foreign", "unconfirmed"


def _registrar_key(name: str) -> str:
    """A registrar's name as compared: width and case folded, spaces and punctuation ignored."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKC", name).casefold() if c.isalnum())


def registrar_approved(name: str) -> bool:
    """Say whether a registrar, named as a registry answers, is on MIIT's list (APPROVED_REGISTRARS)."""
    key = _registrar_key(name)
    return any(key == _registrar_key(candidate) for registrar in APPROVED_REGISTRARS
               for candidate in (registrar.name_zh, *registrar.aliases))


def registrar_standing(name: str) -> str:
    """APPROVED (on our copy of MIIT's list), FOREIGN (a registrar outside mainland China: refused) or UNCONFIRMED
    (neither: the applicant is asked to check MIIT's list)."""
    if registrar_approved(name):
        return APPROVED
    key = _registrar_key(name)
    return FOREIGN if any(key == _registrar_key(foreign) for foreign in FOREIGN_REGISTRARS) else UNCONFIRMED


# source: Alibaba Cloud's ICP filing regulations for each province (Hebei, Heilongjiang, Hainan, Shandong, Shaanxi,
# Chongqing …: "The domain name must be valid for more than three months"); QingCloud 域名核验规则 (above: "域名需在
# 有效期内，（上海地区备案：域名距离到期日期需大于180天。非上海地区备案：域名距离到期日期需大于90天。）"); Tencent Cloud,
# 各省管局要求 (Shanghai "域名有效期大于6个月"; Henan, Anhui more than 3 months; Jilin only advises a month). Days left
# after today, which must be MORE than this; Tencent Cloud asks only that the domain has not expired, so the stricter
# published figure holds: an administration that reads it rejects the filing.
DOMAIN_EXPIRY_MARGIN_DAYS = 90
DOMAIN_EXPIRY_MARGIN_DAYS_BY_PROVINCE: dict[str, int] = {"shanghai": 180}


def domain_expiry_margin_days(province: str) -> int:
    """The days a domain must have left, more than this, when its filing is submitted in this province."""
    return DOMAIN_EXPIRY_MARGIN_DAYS_BY_PROVINCE.get(province, DOMAIN_EXPIRY_MARGIN_DAYS)


REGISTRAR_NOT_APPROVED = RuleViolation("registrar_not_approved", _(
    "%(domain)s is registered with %(registrar)s, a registrar outside mainland China that is not on MIIT's list "
    "of approved domain registrars. Transfer the domain to an approved registrar (such as %(example)s), then file"))
REGISTRAR_NOT_CONFIRMED = RuleViolation("registrar_not_confirmed", _(
    "%(domain)s is registered with %(registrar)s, which we could not find among the approved registrars we know. "
    "Look for it on MIIT's list (domain.miit.gov.cn, 域名注册服务机构审批情况): if it is not there, transfer the "
    "domain to an approved registrar before the review, or the filing will be rejected"), severity=WARN)
DOMAIN_EXPIRED = RuleViolation("domain_expired", _(
    "%(domain)s expired on %(expires)s. Renew the domain with its registrar, then file"))
DOMAIN_EXPIRES_TOO_SOON = RuleViolation("domain_expires_too_soon", _(
    "%(domain)s expires on %(expires)s, %(left)s days from today. The communications administration asks for "
    "more than %(days)s days left: renew the domain with its registrar, then file"))


# the suffixes a province's communications administration files, where a provider publishes its own list. Beijing:
# QingCloud, 备案限制 (yunify/qingcloud-docs, content/site/record/intro/limit.md): "北京市目前支持备案的域名类型有：…"
# (the list below; its ".furu" and ".bee" read as .guru and .beer, both approved suffixes) and "北京管局支持备案的
# 域名随时可能发生变动，此处信息仅供参考". WARN: one provider's list, said to change. MIIT-approved suffixes missing from it
# include .org, .asia, .kim, .space, .website, .host, .icu. ".cn" covers its second-level suffixes (.com.cn, .bj.cn …).
PROVINCE_SUFFIXES: dict[str, frozenset[str]] = {
    "beijing": frozenset({
        "cloud", "pro", "zone", "yoga", "world", "wiki", "video", "team", "today", "show", "social", "run", "plus",
        "live", "life", "info", "ink", "group", "guru", "gold", "fit", "fashion", "fund", "email", "design", "cool",
        "company", "city", "chat", "center", "beer", "auto", "xin", "top", "mobi", "wang", "ren", "com", "cn",
        "net", "shop", "vip", "ltd", "biz", "club", "site", "xyz", "fun", "online", "tech", "store", "citic", "sohu",
        "link", "luxe", "love", "co", "law", "work", "art", "cc", "tv", "中国", "公司", "网络", "政务", "公益",
        "政务.cn", "公益.cn", "网址", "商城", "网店", "中信", "商标", "信息", "广东", "佛山", "集团", "我爱你", "手机",
        "购物", "在线", "中文网", "游戏", "企业", "娱乐", "商店"}),
}
SUFFIX_NOT_LISTED = RuleViolation("suffix_not_listed", _(
    "%(domain)s ends in .%(suffix)s, which is not on the list of suffixes the communications administration of "
    "%(province)s files (a provider's list, which may change): ask us before you go on, or file a domain under .cn "
    "or .com"), severity=WARN)


def province_suffix_problem(province: str, domain_unicode: str) -> RuleViolation | None:
    """A domain whose approved suffix is not on the province's published list (PROVINCE_SUFFIXES), or None."""
    listed = PROVINCE_SUFFIXES.get(province)
    suffix = approved_suffix(domain_unicode) if listed else None
    if suffix is None or suffix in listed or (suffix.endswith(".cn") and "cn" in listed):
        return None
    return RuleViolation(SUFFIX_NOT_LISTED.code, SUFFIX_NOT_LISTED.message,
                         {"domain": domain_unicode, "suffix": suffix, "province": PROVINCES[province].name_en},
                         SUFFIX_NOT_LISTED.severity)


def approved_suffix(domain_unicode: str) -> str | None:
    """Return the longest approved suffix of a Unicode domain that leaves at least one label, or None."""
    labels = domain_unicode.split(".")
    for i in range(1, len(labels)):
        candidate = ".".join(labels[i:])
        if candidate in APPROVED_TLDS:
            return candidate
    return None


@record
class SuffixReservation:
    """Suffixes only subjects of some natures may file a website under, and what to tell anyone else."""

    suffixes: frozenset[str]
    natures: frozenset[str]
    message: str


# sources: the State Council's guideline for government websites (《政府网站发展指引》, 国办发〔2017〕47号: "政府网站
# 应使用以.gov.cn为后缀的英文域名和符合要求的中文域名"), so .gov.cn is a government body's; the Central Institutional
# Organisation Commission's rules for online names (《党政机关、事业单位和社会组织网上名称管理暂行办法》): .政务 (and the
# registry's 政务.cn) for Party and government bodies, .公益 (and 公益.cn) for public institutions and social
# organisations (which include private non-enterprise units); issue 20, item 5. .edu.cn and .mil.cn are left out:
# their registries check the registrant themselves
DOMAIN_SUFFIX_RESERVATIONS: tuple[SuffixReservation, ...] = (
    SuffixReservation(frozenset({"gov.cn", "政务", "政务.cn"}), frozenset({"government"}), _(
        "Domains ending in %(suffix)s are for government bodies only: enter a domain of the subject under another "
        "suffix, such as .cn or .com")),
    SuffixReservation(frozenset({"公益", "公益.cn"}),
                      frozenset({"public_institution", "social_organisation", "private_non_enterprise"}), _(
        "Domains ending in %(suffix)s are for public institutions and social organisations only: enter a domain of "
        "the subject under another suffix, such as .cn or .com")),
)

# the suffixes a subject of these natures must file its websites under, and the message when it does not.
# source: 《政府网站发展指引》 (above: a government website uses .gov.cn or a Chinese domain, i.e. .政务); issue 20, item 5
NATURE_REQUIRED_SUFFIXES: dict[str, tuple[frozenset[str], str]] = {
    "government": (frozenset({"gov.cn", "政务", "政务.cn"}), _(
        "A government body's website must use a domain ending in .gov.cn or .政务: enter the website's domain "
        "under one of them")),
}


def nature_domain_problem(nature: str, suffix: str) -> RuleViolation | None:
    """The refusal when a subject of this nature may not file a website under this approved suffix, else None."""
    required = NATURE_REQUIRED_SUFFIXES.get(nature)
    if required is not None and suffix not in required[0]:
        return RuleViolation("domain_suffix_for_nature", required[1], {"suffix": ("." + suffix,)})
    for reservation in DOMAIN_SUFFIX_RESERVATIONS:
        if suffix in reservation.suffixes and nature not in reservation.natures:
            return RuleViolation("domain_suffix_reserved", reservation.message, {"suffix": ("." + suffix,)})
    return None


# --- filing type --------------------------------------------------------------------------------

@record
class FilingType:
    """What the registry look-up means for the applicant, and whether this flow continues."""

    code: str
    label: str
    continue_in_this_flow: bool
    explanation: str


# source: DOMAIN.md §1 (filing type table)
FILING_TYPES: dict[str, FilingType] = {t.code: t for t in (
    FilingType(
        "first_filing", _("First filing"), False,
        _("MIIT has no filing for this subject, so this would be a first filing, which this service does "
          "not offer. If the subject is already filed, check that the province, certificate type and "
          "certificate number match the MIIT record exactly.")),
    FilingType(
        "add_website_elsewhere", _("Add a website (subject filed with another provider)"), True,
        _("The subject is filed with MIIT through another provider. You can add this website with us.")),
    FilingType(
        "add_website_with_us", _("Add a website (subject filed with us)"), True,
        _("The subject is already filed with us. You can add this website; the subject's details are "
          "filled in for you.")),
    # an app for a subject already filed (DOMAIN.md §13): the same procedure as a website
    FilingType(
        "add_app_elsewhere", _("Add an app (subject filed with another provider)"), True,
        _("The subject is filed with MIIT through another provider. You can add this app with us.")),
    FilingType(
        "add_app_with_us", _("Add an app (subject filed with us)"), True,
        _("The subject is already filed with us. You can add this app; the subject's details are filled in "
          "for you.")),
    FilingType(
        "app_already_filed", _("App already filed"), False,
        _("The subject already has an app filed under this name. An app's name is unique within its subject: "
          "one name on several platforms is one filing, and adding a platform is a change of that filing, "
          "which this service does not take yet. If you meant another app, check the name you entered.")),
    # an empty subject (DOMAIN.md §14: cancelling the last service leaves an empty subject, which administrations
    # clean up); what to do in the subject's province is SHELL_SUBJECT_ADVICE below
    FilingType(
        "shell_subject", _("Subject with no website or app in force"), False,
        _("MIIT has this subject on record, but every website and app filed under it has been cancelled, so it is "
          "an empty (“shell”) subject. An empty subject cannot take a new website or app as an addition.")),
    FilingType(
        "already_filed", _("Domain already filed"), False,
        _("This domain already has an ICP filing, so it must not be filed again. To host it on our "
          "servers, the existing filing needs add access instead, which this service does not take yet. If "
          "the filing is not yours, check the domain you entered.")),
)}


@record
class FilingTypeRow:
    """One row of the decision table; None means the input does not matter."""

    subject_in_registry: bool | None
    filed_with_us: bool | None
    domain_in_registry: bool | None
    filing_type: str
    subject_is_shell: bool | None = None  # every service of the subject cancelled (DOMAIN.md §14)


# source: DOMAIN.md §1 (rows in the order of the table; "–" is None); the first row: DOMAIN.md §14 (an empty
# subject, issue 20 item 4), before the rows that would take it as a subject filed; a domain filed by someone stays
# "already filed"
FILING_TYPE_TABLE: tuple[FilingTypeRow, ...] = (
    FilingTypeRow(True, None, False, "shell_subject", subject_is_shell=True),
    FilingTypeRow(False, None, False, "first_filing"),
    FilingTypeRow(True, False, False, "add_website_elsewhere"),
    FilingTypeRow(True, True, False, "add_website_with_us"),
    FilingTypeRow(None, None, True, "already_filed"),
)


# source: DOMAIN.md §13 (a subject already filed adds the app; the name is unique within the subject); rows as
# FILING_TYPE_TABLE's, the third column being "the subject has an app of this name"
APP_FILING_TYPE_TABLE: tuple[FilingTypeRow, ...] = (
    FilingTypeRow(True, None, None, "shell_subject", subject_is_shell=True),
    FilingTypeRow(False, None, None, "first_filing"),
    FilingTypeRow(None, None, True, "app_already_filed"),
    FilingTypeRow(True, False, False, "add_app_elsewhere"),
    FilingTypeRow(True, True, False, "add_app_with_us"),
)


def decide_app_filing_type(subject_found: bool, filed_with_us: bool, app_found: bool, *,
                           subject_is_shell: bool = False) -> FilingType:
    """An app order's filing type: the first APP_FILING_TYPE_TABLE row that matches the look-up results."""
    return decide_filing_type(subject_found, filed_with_us, app_found, table=APP_FILING_TYPE_TABLE,
                              subject_is_shell=subject_is_shell)


def decide_filing_type(subject_found: bool, filed_with_us: bool, domain_found: bool,
                       table: tuple[FilingTypeRow, ...] = FILING_TYPE_TABLE, *,
                       subject_is_shell: bool = False) -> FilingType:
    """Return the filing type of the first table row that matches the look-up results."""
    facts = (subject_found, filed_with_us, domain_found, subject_is_shell)
    for row in table:
        wanted = (row.subject_in_registry, row.filed_with_us, row.domain_in_registry, row.subject_is_shell)
        if all(w is None or w == f for w, f in zip(wanted, facts)):
            return FILING_TYPES[row.filing_type]
    raise LookupError(f"no filing type row matches {facts}")


# what an empty subject does next, by province; provinces not listed get the default.
# sources: DOMAIN.md §14 (cancelling the last service leaves an empty subject; administrations cancel empty
# websites and subjects in clean-ups); the Ningxia Communications Administration's notice of shell-data clean-up
# (2024-08), which cancels empty subjects itself; providers' FAQs as DOMAIN.md §14 lists them (a new service
# for an empty subject is filed as a first filing again)
SHELL_SUBJECT_DEFAULT_ADVICE = _(
    "Most communications administrations take a website or app for an empty subject only as a first filing again. "
    "Ask the provider that filed the subject, or the administration, to cancel the empty subject, then file it "
    "anew as a first filing, which this service does not offer yet.")
SHELL_SUBJECT_ADVICE: dict[str, str] = {
    "ningxia": _(
        "The Ningxia communications administration cancels empty subjects in its clean-ups of shell data (notice of "
        "August 2024). Wait for the cancellation or ask the administration for it, then file the subject anew as a "
        "first filing, which this service does not offer yet."),
}


def shell_subject_advice(province: str) -> str:
    """What an empty subject in this province does next (SHELL_SUBJECT_ADVICE, else the default)."""
    return SHELL_SUBJECT_ADVICE.get(province, SHELL_SUBJECT_DEFAULT_ADVICE)


# --- website information ------------------------------------------------------------------------

@record
class ServiceContent:
    """A website service content option; individuals may choose only some."""

    code: str
    label: str
    individual_allowed: bool


# source: DOMAIN.md §3 (individuals: "blog / personal space" and "other" only)
SERVICE_CONTENT: dict[str, ServiceContent] = {s.code: s for s in (
    ServiceContent("organisation_portal", _("Company or organisation website"), False),
    ServiceContent("general_portal", _("General portal"), False),
    ServiceContent("online_shop", _("Online shop"), False),
    ServiceContent("search_engine", _("Search engine"), False),
    ServiceContent("forum", _("Forum or community"), False),
    ServiceContent("online_games", _("Online games"), False),
    ServiceContent("online_advertising", _("Online advertising"), False),
    ServiceContent("email_service", _("Email service"), False),
    ServiceContent("software_download", _("Software download"), False),
    ServiceContent("blog", _("Blog / personal space"), True),
    ServiceContent("other", _("Other"), True),
)}


# source: DOMAIN.md §3 (website languages)
WEBSITE_LANGUAGES: dict[str, str] = {
    "zh_hans": _("Chinese (simplified)"),
    "zh_hant": _("Chinese (traditional)"),
    "en": _("English"),
    "ja": _("Japanese"),
    "ko": _("Korean"),
    "fr": _("French"),
    "de": _("German"),
    "es": _("Spanish"),
    "ru": _("Russian"),
    "ar": _("Arabic"),
    "other": _("Other"),
}


@record
class PreapprovalItem:
    """A pre-approval item; declaring one requires its approval number and approving department."""

    code: str
    label: str
    approver_hint: str


# source: DOMAIN.md §3 (pre-approval list) and seed step 5 (optional; number and department if declared)
PREAPPROVAL_ITEMS: dict[str, PreapprovalItem] = {p.code: p for p in (
    PreapprovalItem("news", _("News"), _("Usually the cyberspace administration")),
    PreapprovalItem("publishing", _("Publishing"), _("Usually the press and publication administration")),
    PreapprovalItem("education", _("Education"), _("Usually the education department")),
    PreapprovalItem("medical", _("Medical and health care"), _("Usually the health commission")),
    PreapprovalItem("drugs_devices", _("Drugs and medical devices"),
                    _("Usually the medical products administration")),
    PreapprovalItem("culture", _("Culture"), _("Usually the culture and tourism department")),
    PreapprovalItem("broadcast", _("Radio, film and TV programmes"),
                    _("Usually the radio and television administration")),
    PreapprovalItem("internet_finance", _("Internet finance"), _("Usually the financial regulator")),
)}


# --- website name rules -------------------------------------------------------------------------

@record
class NameRule:
    """A website name rule: evaluated by the evaluator of its kind, for the natures and provinces it binds."""

    code: str
    message: str
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    natures: frozenset[str] | None = None  # None: binds every nature
    exempt_natures: frozenset[str] = frozenset()
    severity: str = REFUSE
    provinces: frozenset[str] | None = None  # None: binds every province; else only orders in these provinces


# characters a name may hold, judged after NFKC normalisation (so fullwidth （）－ and Ａ１ count as
# their ASCII forms): Han ideographs (basic, extension A, B-F, G-H, compatibility), 〇, Latin letters,
# digits, spaces and the symbols ( ) -
NAME_ALLOWED_CHARACTERS = (
    r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f"
    r"A-Za-z0-9 ()\-]"
)

# symbols and spaces that do not make a name more than digits or more than Latin letters
_NEUTRAL = r" ()\-"

NAME_FORBIDDEN_PREFIXES: tuple[str, ...] = ("中国", "中华", "中央", "全国", "国家", "人民", "人大")

# words suggesting an organisation or a service, forbidden in individuals' site names; Latin words
# match as whole words, Chinese words anywhere.
# source: DOMAIN.md §3 (博客 … 导航); 俱乐部 团体 协会 交流: issue 10 (某某俱乐部, 某某团体, 卡米雷特设计分享交流
# refused by the administration); 社团 热线 网址 网络 搜索 交流: Xinnet's naming requirements for individuals
# (xinnet.com/service/cjwt/icp/zbnr/2009.html, "禁止使用导航、工作室、论坛、平台、热线、社区、社团、网络、网站、网址、
# 主页、资讯") and Alibaba Cloud's, as copied by applicants ("网址、技术、信息、爱好者、家园、作品展示、工作室、平台、主页、
# 热线、社团、导航、搜索"); QingCloud (yunify/qingcloud-docs, site/record/intro/limit.md: "备案主体为个人时，网站名称
# 禁止涉及博客、论坛、在线、社区、交流等字样")
NAME_ORGANISATION_WORDS: tuple[str, ...] = (
    "博客", "论坛", "在线", "社区", "平台", "网站", "官网", "官方", "商城", "企业", "公司", "集团", "门户",
    "资讯", "工作室", "导航", "俱乐部", "团体", "协会", "社团", "交流", "热线", "网址", "网络", "搜索",
    "blog", "forum", "bbs", "online", "community", "platform", "website", "official", "mall", "shop",
    "enterprise", "company", "portal", "studio", "navigation", "club", "association",
    # source: issue 20, item 7 (理财 彩票 股票 服务 中心 refused for individuals: finance and lottery read as a
    # business, 服务 and 中心 as an organisation); Xinnet (individuals: "禁止涉及行业信息、企业信息、产品信息")
    "理财", "彩票", "股票", "证券", "基金", "服务", "中心",
)

# industry words that make an individual's site read as a company's.
# source: issue 10 (博田地产, 舒天阔装饰设计, 金桥建材 refused for individuals); DOMAIN.md §3 ("地产 装饰 设计 建材 …");
# Xinnet (individuals: "禁止涉及行业信息、企业信息、产品信息"); 房产: Xinnet's "行业信息", the same trade as 地产
NAME_INDUSTRY_WORDS: tuple[str, ...] = ("地产", "房产", "装饰", "设计", "建材")

# sensitive words refused in any subject's site name, by the category the providers name
NAME_SENSITIVE_WORDS: dict[str, tuple[str, ...]] = {
    # source: Xinnet ("禁止涉及敏感信息（如反腐、赌博、廉政、色情等）"); issue 10 (赌场娱乐 refused)
    "gambling": ("赌博", "赌场", "博彩", "casino", "gambling"),
    # source: issue 10 and DOMAIN.md §3 (军事论坛 refused: "the military")
    "military": ("军事",),
    # source: Xinnet ("反腐、廉政")
    "politics": ("反腐", "廉政"),
    # source: Xinnet ("色情"); Huawei Cloud's naming review ("侮辱、暴力、色情")
    "pornography": ("色情", "porn"),
    # source: Huawei Cloud's naming review ("侮辱、暴力、色情")
    "violence": ("暴力",),
}

# public-affairs words that only a government body (or a body it authorises) may name a website with.
# source: a provider's filing FAQ (zsmendian.cn/news/shownews.php?id=171: "主办单位性质为非政府机构或非政府授权机构的
# 网站，不得以“某某市人民政府”、“某某监察”等公共事务关键字命名；主办单位性质为非国家级单位的网站，不得以“中国”“中华”
# “维权”等字头命名"); issue 20, item 7 (纪检 监察 信访 维权 投诉 among the published rejection reasons); 举报:
# the same kind of public-affairs channel as 信访 and 投诉
NAME_PUBLIC_AFFAIRS_WORDS: tuple[str, ...] = ("纪检", "监察", "信访", "维权", "投诉", "举报", "人民政府")

# absolute terms the Advertising Law forbids; a website name is not an advertisement, so these warn.
# source: 《中华人民共和国广告法》第九条第三项 ("使用‘国家级’、‘最高级’、‘最佳’等用语"); issue 20, item 7
NAME_ADVERTISING_ABSOLUTES: tuple[str, ...] = (
    "国家级", "最高级", "最高", "最佳", "最好", "最强", "最大", "第一", "顶级", "极品", "唯一", "首选", "王牌",
)

# words of a trade that needs a pre-approval, with the item that lifts them, for organisations: the same pre-approval
# items an individual's rules ask for (name_individual_news …), plus the trades the providers name for enterprises.
# source: DOMAIN.md §3 (pre-approval list); inhv.cn's filing guide ("不齐备前置审批手续的单位不得以相关领域名称命名，
# 比如新闻出版，教育，医疗，药品"); zsmendian.cn (above: 新闻 出版 教育 卫生 药监 文化 广电 "不得以相关领域关键词命名");
# issue 20, item 7 (游戏 → culture, 理财/金融 → finance)
NAME_PREAPPROVAL_WORDS: dict[str, tuple[str, ...]] = {
    "news": ("新闻", "news"),
    "publishing": ("出版", "publishing"),
    "education": ("教育", "education"),
    "medical": ("医疗", "医院", "卫生", "medical"),
    "drugs_devices": ("药品", "药", "医疗器械", "drugs", "drug"),
    "culture": ("游戏", "网游", "games", "game"),
    "broadcast": ("广播", "电视", "影视"),
    "internet_finance": ("理财", "金融", "finance"),
}

# place names an individual's site may not hold in Hainan: the province-level divisions and Hainan's own cities and
# counties. source: PROVINCES above (short names) and Hainan's administrative divisions (MCA codes 4601–4690);
# 东方 (a county-level city) is left out because it is an everyday word ("east") far more often than the city
NAME_PLACE_NAMES: tuple[str, ...] = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西",
    "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾",
    "海口", "三亚", "三沙", "儋州", "五指山", "琼海", "文昌", "万宁", "定安", "屯昌", "澄迈", "临高", "白沙", "昌江",
    "乐东", "陵水", "保亭", "琼中",
)

NAME_RULES: tuple[NameRule, ...] = (
    # source: DOMAIN.md §3 (website information: name); a blank name is reported alone
    NameRule("name_required", _("Enter the website name"), "required"),
    # source: DOMAIN.md §3 "at least 3 characters", which Xinnet's naming requirements spell out as Chinese
    # characters ("网站名称需大于3个及3个以上汉字"): so only Han characters count ("AB1" and "小王 Blog" fall short);
    # refused for individuals
    NameRule("name_too_short", _("Website name must have at least %(min)s Chinese characters"),
             "min_length", {"min": 3, "count": "han"}, natures=frozenset({"individual"})),
    # source: DOMAIN.md §3 and issue 10: MIIT's records hold enterprise sites with two-character brand names (知乎,
    # 百度), so for organisations "at least 3 characters" is a provider's habit, not the administration's rule
    NameRule("name_short_for_organisation",
             _("Website name has fewer than %(min)s Chinese characters. Providers usually ask for at least %(min)s, but "
               "MIIT's records hold shorter brand names such as 知乎 (Zhihu) and 百度 (Baidu), so you can go on; our reviewer will "
               "see this note"),
             "min_length", {"min": 3, "count": "han"}, exempt_natures=frozenset({"individual"}), severity=WARN),
    # source: DOMAIN.md §3 "not only digits" (a name of digits and symbols alone has no words either)
    NameRule("name_only_digits", _("Website name must not be only digits"),
             "not_fullmatch", {"pattern": rf"[0-9{_NEUTRAL}]+"}),
    # source: DOMAIN.md §3 "not only Latin letters"
    NameRule("name_only_latin", _("Website name must not be only Latin letters: add Chinese characters"),
             "not_fullmatch", {"pattern": rf"[{_NEUTRAL}]*[A-Za-z][A-Za-z{_NEUTRAL}]*"}),
    # source: DOMAIN.md §3 "not the domain" (with or without www., with or without the suffix)
    NameRule("name_is_domain", _("Website name must not be the domain: describe the website instead"),
             "not_domain"),
    # source: DOMAIN.md §3 "no special symbols except ( ) -"
    NameRule("name_characters",
             _("Website name must not contain %(characters)s. Use only Chinese characters, Latin letters, "
               "digits, spaces and the symbols “(”, “)” and “-”"),
             "allowed_characters", {"pattern": NAME_ALLOWED_CHARACTERS}),
    # source: DOMAIN.md §3 "names of non-national bodies may not begin with ...". national bodies do not
    # file through a cloud provider, so no nature in this flow is exempt; list one in exempt_natures to exempt it
    NameRule("name_national_prefix",
             _("Website name must not begin with %(prefix)s: that is reserved for national bodies"),
             "forbidden_prefix", {"prefixes": NAME_FORBIDDEN_PREFIXES}, exempt_natures=frozenset()),
    # source: DOMAIN.md §3 (Henan: 中国/中华 nowhere in the name), from Tencent Cloud's list of each
    # administration's requirements as issue 10 reports it
    NameRule("name_henan_national_word",
             _("Remove %(words)s from the website name: the Henan communications administration refuses 中国 "
               "(China) and 中华 (Chinese nation) anywhere in a website name"),
             "forbidden_words", {"words": ("中国", "中华")}, provinces=frozenset({"henan"})),
    # source: NAME_PUBLIC_AFFAIRS_WORDS above; a government body may use them
    NameRule("name_public_affairs_word",
             _("Remove %(words)s from the website name: words of public affairs such as discipline inspection, "
               "supervision, petitions, rights protection and complaints are reserved for government bodies"),
             "forbidden_words", {"words": NAME_PUBLIC_AFFAIRS_WORDS}, exempt_natures=frozenset({"government"})),
    # source: NAME_ADVERTISING_ABSOLUTES above
    NameRule("name_advertising_absolute",
             _("%(words)s is an absolute term the Advertising Law (article 9) forbids in advertising. Administrations "
               "often refuse such names: consider removing it; you can go on, and our reviewer will see this note"),
             "forbidden_words", {"words": NAME_ADVERTISING_ABSOLUTES}, severity=WARN),
    # source: NAME_SENSITIVE_WORDS above (each category's source beside it)
    NameRule("name_sensitive_word",
             _("Remove %(words)s from the website name: names with words of gambling, the military, pornography, "
               "violence or other sensitive content are refused"),
             "forbidden_words", {"words": tuple(w for words in NAME_SENSITIVE_WORDS.values() for w in words)}),
    # source: DOMAIN.md §3 "individuals may not use words that suggest an organisation or a service"
    NameRule("name_individual_organisation_word",
             _("Remove %(words)s from the website name: an individual's website name must not suggest an "
               "organisation or a service"),
             "forbidden_words", {"words": NAME_ORGANISATION_WORDS}, natures=frozenset({"individual"})),
    # source: NAME_INDUSTRY_WORDS above
    NameRule("name_individual_industry_word",
             _("Remove %(words)s from the website name: an individual's website name must not name a trade or "
               "industry, which reads as a company's"),
             "forbidden_words", {"words": NAME_INDUSTRY_WORDS}, natures=frozenset({"individual"})),
    # source: DOMAIN.md §3 (Henan: no personal names), from Tencent Cloud's list of each administration's
    # requirements as issue 10 reports it
    NameRule("name_henan_personal_name",
             _("Remove %(person)s from the website name: the Henan communications administration refuses "
               "personal names in a website name"),
             "no_personal_name", provinces=frozenset({"henan"})),
    # source: Xinnet (individuals: "不可使用人物名称、地点名称等内容作为网站名称") and Alibaba Cloud ("个人网站名称请勿涉及
    # 个人姓名、地名"): a provider's advice outside Henan, so it warns; Henan refuses it (the row above)
    NameRule("name_individual_personal_name",
             _("%(person)s is a personal name. Providers advise against personal names in an individual's website "
               "name and some administrations refuse them; you can go on, and our reviewer will see this note"),
             "no_personal_name", natures=frozenset({"individual"}), severity=WARN,
             provinces=frozenset(PROVINCES) - {"henan"}),
    # source: DOMAIN.md §3 (Hainan: no place names for individuals), from Tencent Cloud's list of each
    # administration's requirements as issue 10 reports it
    NameRule("name_hainan_place_name",
             _("Remove %(words)s from the website name: the Hainan communications administration refuses place "
               "names in an individual's website name"),
             "forbidden_words", {"words": NAME_PLACE_NAMES}, natures=frozenset({"individual"}),
             provinces=frozenset({"hainan"})),
    # source: Xinnet ("广东省备案，网站名称需要是公司名称全称或简称并在其后添加“官网”两个字"): one provider's
    # account, so it warns rather than refuses
    NameRule("name_guangdong_enterprise_suffix",
             _("The Guangdong communications administration asks for an enterprise's website name to be the "
               "company's full or short name followed by %(suffix)s, like 示例科技%(suffix)s"),
             "required_suffix", {"suffix": "官网"}, natures=frozenset({"enterprise"}), severity=WARN,
             provinces=frozenset({"guangdong"})),
    # source: DOMAIN.md §3 "nor 新闻 出版 教育 医疗 药品 unless the matching pre-approval is declared"
    NameRule("name_individual_news",
             _("Remove %(words)s from the website name, or declare the news pre-approval"),
             "words_need_preapproval", {"words": ("新闻", "news"), "preapproval": "news"},
             natures=frozenset({"individual"})),
    NameRule("name_individual_publishing",
             _("Remove %(words)s from the website name, or declare the publishing pre-approval"),
             "words_need_preapproval", {"words": ("出版", "publishing"), "preapproval": "publishing"},
             natures=frozenset({"individual"})),
    NameRule("name_individual_education",
             _("Remove %(words)s from the website name, or declare the education pre-approval"),
             "words_need_preapproval", {"words": ("教育", "education"), "preapproval": "education"},
             natures=frozenset({"individual"})),
    NameRule("name_individual_medical",
             _("Remove %(words)s from the website name, or declare the medical and health care pre-approval"),
             "words_need_preapproval", {"words": ("医疗", "medical"), "preapproval": "medical"},
             natures=frozenset({"individual"})),
    NameRule("name_individual_drugs",
             _("Remove %(words)s from the website name, or declare the drugs and medical devices pre-approval"),
             "words_need_preapproval", {"words": ("药品", "drugs", "drug"), "preapproval": "drugs_devices"},
             natures=frozenset({"individual"})),
    # source: NAME_PREAPPROVAL_WORDS above: an organisation's name with a trade's word asks for that trade's
    # pre-approval, as an individual's does, but warns (the trade may be only the company's name)
    *(NameRule(f"name_organisation_preapproval_{item}",
               _("%(words)s names a trade that needs a pre-approval: tick the matching item under “Pre-approval "
                 "items” and give its approval, or remove the word; you can go on, and our reviewer will see this "
                 "note"),
               "words_need_preapproval", {"words": words, "preapproval": item},
               exempt_natures=frozenset({"individual"}), severity=WARN)
      for item, words in NAME_PREAPPROVAL_WORDS.items()),
)


# --- documents ----------------------------------------------------------------------------------

@record
class DocumentKind:
    """A kind of document to upload; `required` is set per filing by required_documents()."""

    code: str
    label: str
    hint: str
    required: bool = True


# source: DOMAIN.md §4 (documents)
DOCUMENT_KINDS: dict[str, DocumentKind] = {d.code: d for d in (
    DocumentKind("subject_certificate", _("Subject certificate"),
                 _("A colour photo or scan of the original business licence or registration certificate")),
    DocumentKind("leader_id_front", _("Subject leader's ID, front"),
                 _("The side with the photo; for a passport, the photo page")),
    DocumentKind("leader_id_back", _("Subject leader's ID, back"),
                 _("The side with the period of validity; for a passport, the signature page")),
    DocumentKind("admin_id_front", _("Website administrator's ID, front"),
                 _("The side with the photo; for a passport, the photo page")),
    DocumentKind("admin_id_back", _("Website administrator's ID, back"),
                 _("The side with the period of validity; for a passport, the signature page")),
    DocumentKind("authorisation_letter", _("Authorisation letter"),
                 _("Signed by the subject leader (and stamped by an organisation), authorising the website "
                   "administrator to handle this filing")),
    DocumentKind("authenticity_statement", _("Authenticity statement"),
                 _("Print the filled-in statement, sign and date it (an organisation also stamps it) and upload a "
                   "photo or scan")),
    DocumentKind("commitment_letter", _("Filing commitment letter"),
                 _("Required by the communications administration of your province: print the filled-in letter, "
                   "sign and date it and upload a photo or scan")),
    DocumentKind("domain_certificate", _("Domain certificate"),
                 _("The certificate from your registrar showing the subject as the domain holder")),
    # source: DOMAIN.md §3 (a declared pre-approval needs its approval) and issue 20, item 10; providers' materials
    # lists (e.g. 66moju.cn/support/2023.html: "涉及前置审批网站需要提供前置审批文件")
    DocumentKind("preapproval_certificate", _("Pre-approval certificate"),
                 _("The approval of the pre-approval item you ticked, showing its number, the department that gave it "
                   "and its period of validity")),
    DocumentKind("no_preapproval_commitment", _("Commitment that no pre-approval is needed"),
                 _("The name or service content uses a word of a trade that needs a pre-approval, and none is "
                   "declared: print a letter committing that the service offers no such content, sign it (an "
                   "organisation also stamps it) and upload a photo or scan")),
    DocumentKind("residence_permit", _("Residence permit"),
                 _("The subject leader's ID was issued in another province: upload the residence permit (居住证) "
                   "issued in the filing province, both sides")),
    DocumentKind("website_plan", _("Website construction plan"),
                 _("The communications administration of your province asks for a plan (网站建设方案书) once the "
                   "subject files more websites than its limit: what the website is for, its sections and who "
                   "maintains it, signed (an organisation also stamps it)")),
    # source: DOMAIN.md §13 (an app filing uploads the app's icon: an image under 100 KB; APP_ICON_POLICY)
    DocumentKind("app_icon", _("App icon"),
                 _("The icon shown on the phone's home screen, square, as a JPEG or PNG under 100 KB: not a "
                   "system icon, and with no badge that could mislead")),
)}

# how an app order names the documents whose website wording speaks of the website administrator (the same person
# is the app administrator, DOMAIN.md §13): the kind's code, then its label and hint for an app
APP_DOCUMENT_WORDING: dict[str, tuple[str, str]] = {
    "admin_id_front": (_("App administrator's ID, front"),
                       _("The side with the photo; for a passport, the photo page")),
    "admin_id_back": (_("App administrator's ID, back"),
                      _("The side with the period of validity; for a passport, the signature page")),
    "administrator_photo": (_("Photo of the app administrator"),
                            _("Taken for this filing, as the rules on the page say")),
    "authorisation_letter": (_("Authorisation letter"),
                             _("Signed by the subject leader (and stamped by an organisation), authorising the app "
                               "administrator to handle this filing")),
}


@record
class DocumentRequirement:
    """When a document is asked for: None in a condition means any value."""

    kind: str
    subject: str | None = None                 # "individual", "organisation" or None
    administrator_differs: bool | None = None  # True: only when the administrator is not the leader
    provinces: frozenset[str] | None = None
    required: bool = True
    order_types: frozenset[str] | None = None  # the order types that ask for it (icp.order_types); None: all
    when: str | None = None                    # a condition of the order's answers (DOCUMENT_CONDITIONS)
    unless: str | None = None                  # a condition that leaves the row out (another row asks instead)
    hint: str | None = None                    # the hint, where it differs from the kind's


COMMITMENT_LETTER_PROVINCES = frozenset({"guangdong", "shanghai"})

# the conditions a document row may name, decided from the order's answers by icp.documents
DOCUMENT_CONDITIONS = frozenset({"preapproval_declared", "preapproval_words_undeclared", "residence_permit_required",
                                 "residence_permit_optional", "website_plan_required", "website_plan_optional",
                                 "domain_certificate_required"})

# an individual whose resident ID is of another province gives a residence permit of the filing province where
# NON_LOCAL_INDIVIDUAL (below, with its sources) says "permit": required or optional by that row's severity, as
# icp.residence decides for the check and the documents step alike

@record
class CountRule:
    """A document a province asks for once the subject reaches a number of websites: from the subject's
    `from_website`-th website (counting the one filed now; 1: every website), for `subject` ("individual",
    "organisation" or None: both), required or optional, with its sources' keys."""

    from_website: int
    subject: str | None
    required: bool
    source: str


# a website construction plan (网站建设方案书) past a number of websites. Sources: the people section's [TC] [JD]
# (below), read 2026-12-06, and zun.com/help/article/225.html ("广东省个人备案超过5个网站的…需提供网站建设方案书")
WEBSITE_PLAN_RULES: dict[str, tuple[CountRule, ...]] = {
    # [TC 广东] "个人不同前缀域名超过5个（不含5个）…需提供…网站建设方案书原件"; "单位不同前缀域名超过31个（不含31个）";
    # [JD Guangdong] "when the cumulative quantity of domain name's prefix exceeds 31, the construction scheme of
    # website … must be provided" (one domain per website here, so websites stand for prefixes)
    "guangdong": (CountRule(6, "individual", True, "TC, zun.com"), CountRule(32, "organisation", True, "TC, JD")),
    # [TC 重庆] "一个备案主体接入网站累计超过5个，需提供每个域名的建设方案，同时主体需提供保证书"
    "chongqing": (CountRule(6, None, True, "TC"),),
    # [JD Hunan] "If an entity has been filed, please provide Website Construction Scheme"; [TC 湖南] asks for one
    # only past 5 websites at once: optional
    "hunan": (CountRule(2, None, False, "JD; TC only past 5 at once"),),
}

# the domain certificate (域名证书), optional elsewhere, required: [TC 江苏 重庆 贵州 湖南] "每个域名都必须提供域名证书"
# ([JD Hunan] "All color pictures of domain-name certificate involved in this filing"); [TC 河南 陕西] "主体信息下若有五
# 个或以上的域名，需提供域名证书" ([JD Shaanxi] "when the cumulative quantity of subject's filing is ≥5")
DOMAIN_CERTIFICATE_RULES: dict[str, CountRule] = {
    "jiangsu": CountRule(1, None, True, "TC"),
    "chongqing": CountRule(1, None, True, "TC"),
    "guizhou": CountRule(1, None, True, "TC"),
    "hunan": CountRule(1, None, True, "TC, JD"),
    "henan": CountRule(5, None, True, "TC"),
    "shaanxi": CountRule(5, None, True, "TC, JD"),
}
DOMAIN_CERTIFICATE_REQUIRED_HINT = _("Required by the communications administration of your province: the "
                                     "certificate from your registrar showing the subject as the domain holder")

# the first two digits of a resident ID: the province-level region that issued it (GB/T 2260)
PROVINCE_REGION_CODES: dict[str, str] = {
    "beijing": "11", "tianjin": "12", "hebei": "13", "shanxi": "14", "inner_mongolia": "15", "liaoning": "21",
    "jilin": "22", "heilongjiang": "23", "shanghai": "31", "jiangsu": "32", "zhejiang": "33", "anhui": "34",
    "fujian": "35", "jiangxi": "36", "shandong": "37", "henan": "41", "hubei": "42", "hunan": "43",
    "guangdong": "44", "guangxi": "45", "hainan": "46", "chongqing": "50", "sichuan": "51", "guizhou": "52",
    "yunnan": "53", "tibet": "54", "shaanxi": "61", "gansu": "62", "qinghai": "63", "ningxia": "64",
    "xinjiang": "65",
}

# service content that is a trade needing a pre-approval, as NAME_PREAPPROVAL_WORDS names it for a name.
# source: DOMAIN.md §3 (pre-approval list: culture covers online games, 网络文化经营许可证); issue 20, item 10
SERVICE_CONTENT_PREAPPROVALS: dict[str, str] = {"online_games": "culture"}

# a declared pre-approval's approval: its period of validity, like a certificate's (refused when it has passed;
# a warning when it ends within CERTIFICATE_VALIDITY_MARGIN_MONTHS). source: DOMAIN.md §3 and §9 (a document
# expiring within 3 months is a common rejection), issue 20, item 10
APPROVAL_EXPIRED = _("The approval expired on %(day)s. Renew it with the department that gave it, then file")
APPROVAL_EXPIRES_SOON = _(
    "The approval expires within %(months)s months (on %(day)s). Renew it soon: an approval that lapses during "
    "the review gets the filing rejected; you can go on, and our reviewer will see this note")

# rows in the order documents are shown.
# source: DOMAIN.md §4 (documents table); §3 "when the administrator is not the subject leader, an
# authorisation letter is required", which binds individuals too
REQUIRED_DOCUMENTS: tuple[DocumentRequirement, ...] = (
    DocumentRequirement("subject_certificate", subject="organisation"),
    DocumentRequirement("leader_id_front"),
    DocumentRequirement("leader_id_back"),
    DocumentRequirement("admin_id_front", administrator_differs=True),
    DocumentRequirement("admin_id_back", administrator_differs=True),
    DocumentRequirement("authorisation_letter", administrator_differs=True),
    DocumentRequirement("authenticity_statement"),
    DocumentRequirement("commitment_letter", provinces=COMMITMENT_LETTER_PROVINCES),
    # issue 20, item 10: documents that depend on the answers (DOCUMENT_CONDITIONS) and the province's extras
    DocumentRequirement("preapproval_certificate", when="preapproval_declared"),
    DocumentRequirement("no_preapproval_commitment", when="preapproval_words_undeclared"),
    DocumentRequirement("residence_permit", subject="individual", when="residence_permit_required"),
    DocumentRequirement("residence_permit", subject="individual", required=False, when="residence_permit_optional"),
    DocumentRequirement("website_plan", order_types=frozenset({"website"}), when="website_plan_required"),
    DocumentRequirement("website_plan", required=False, order_types=frozenset({"website"}),
                        when="website_plan_optional"),
    # a change of a website asks for a website's documents again (FIXED_ON_CHANGE below says why)
    DocumentRequirement("domain_certificate", order_types=frozenset({"website", "change_website"}),
                        when="domain_certificate_required", hint=DOMAIN_CERTIFICATE_REQUIRED_HINT),
    DocumentRequirement("domain_certificate", required=False, order_types=frozenset({"website", "change_website"}),
                        unless="domain_certificate_required"),
    DocumentRequirement("app_icon", order_types=frozenset({"app"})),
)


def required_documents(nature: str, administrator_is_leader: bool, province: str,
                       order_type: str = "website", conditions: frozenset[str] = frozenset()) -> list[DocumentKind]:
    """Return the documents to upload for a filing of `order_type`, in order, optional ones with required=False;
    an app's are worded for its app administrator (APP_DOCUMENT_WORDING). `conditions` are those of
    DOCUMENT_CONDITIONS the order's answers meet (icp.documents decides them)."""
    if province not in PROVINCES:
        raise KeyError(province)
    subject = "individual" if NATURES[nature].is_individual else "organisation"
    documents = []
    for row in REQUIRED_DOCUMENTS:
        if row.subject is not None and row.subject != subject:
            continue
        if row.administrator_differs is not None and row.administrator_differs == administrator_is_leader:
            continue
        if row.provinces is not None and province not in row.provinces:
            continue
        if row.order_types is not None and order_type not in row.order_types:
            continue
        if row.when is not None and row.when not in conditions:
            continue
        if row.unless is not None and row.unless in conditions:
            continue
        kind = replace(DOCUMENT_KINDS[row.kind], required=row.required, hint=row.hint or DOCUMENT_KINDS[row.kind].hint)
        if order_type == "app" and row.kind in APP_DOCUMENT_WORDING:
            label, hint = APP_DOCUMENT_WORDING[row.kind]
            kind = replace(kind, label=label, hint=hint)
        documents.append(kind)
    return documents


# --- change a website (变更网站), DOMAIN.md §14 -------------------------------------------------------------

# what a change of a filed website may not change, as the start page and the check page name it.
# source: DOMAIN.md §14, MIIT's 工信管函〔2019〕633号 (in force since 2019-04-22): a change keeps the filing's
# province, the subject's certificate number and a single-domain website's domain (a multi-domain website may only
# keep or remove domains; every website filed through this service has one domain, so its domain is fixed)
FIXED_ON_CHANGE: dict[str, str] = {
    "province": _("Province"),
    "certificate_number": _("Certificate number"),
    "domain": _("Domain"),
}
FIXED_ON_CHANGE_SOURCE = "工信管函〔2019〕633号"
FIXED_ON_CHANGE_SINCE = date(2019, 4, 22)
# source: DOMAIN.md §14, MIIT Order 33 art. 14: a change of the filed information is filed 30 days ahead
CHANGE_NOTICE_DAYS = 30
# The documents are uploaded again, as for a new website (rules.REQUIRED_DOCUMENTS): product decision. The
# authenticity statement is signed for the answers it lists (the changed ones), the certificates may have been
# renewed since the approval, and the administration reviews a change as a new website (DOMAIN.md §14).


@record
class UploadPolicy:
    """What an uploaded document image must be; checked on the content, not the file name."""

    max_bytes: int
    content_types: tuple[str, ...]
    min_width: int
    min_height: int
    max_width: int
    max_height: int
    either_orientation: bool         # True: the minimum may be met turned on its side (portrait photos)
    greyscale_modes: frozenset[str]  # Pillow modes that are not colour

    @property
    def min_long_side(self) -> int:
        """The smallest the longer side may be."""
        return max(self.min_width, self.min_height)

    @property
    def min_short_side(self) -> int:
        """The smallest the shorter side may be."""
        return min(self.min_width, self.min_height)

    def dimensions_allowed(self, width: int, height: int) -> bool:
        """Say whether an image of this many pixels fits the bounds."""
        if width > self.max_width or height > self.max_height:
            return False
        fits = width >= self.min_width and height >= self.min_height
        turned = height >= self.min_width and width >= self.min_height
        return fits or (self.either_orientation and turned)

    def is_colour(self, mode: str) -> bool:
        """Say whether a Pillow image mode counts as colour."""
        return mode not in self.greyscale_modes


# source: DOMAIN.md §4 (JPEG or PNG by content, 5 MB, between 500×300 and 5000×5000, colour).
# a phone photo of a card is often portrait, so 300×500 counts as meeting 500×300
UPLOAD_POLICY = UploadPolicy(
    max_bytes=5 * 1024 * 1024,
    content_types=("image/jpeg", "image/png"),
    min_width=500,
    min_height=300,
    max_width=5000,
    max_height=5000,
    either_orientation=True,
    greyscale_modes=frozenset({"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"}),
)


# What a machine can see in a document image before a reviewer does (issue 20, item 11): too dark, too bright
# (washed out), too blurred to read, or nearly greyscale though saved in colour. The providers reject documents
# for exactly these: "证件照片模糊/过暗/反光" (Tencent Cloud, 备案常见驳回原因; Huawei Cloud, 备案材料咨询), so
# these refuse the upload rather than leave it to a reviewer's rejection days later. The measures are taken on a
# copy whose long side is `long_side` pixels, so the cost is bounded: confirming a 12-megapixel photo takes 0.16 s
# without them and 0.25 s with them (measured on the 2-core development machine), on luminance 0-255:
#   paper:  the level the brightest `paper_share` of pixels reach (the paper, the card's background)
#   ink:    the level the darkest `ink_share` of pixels stay under (the print)
#   edges:  the edge strength (Pillow's FIND_EDGES) the strongest `edge_share` of pixels reach
#   chroma: the spread (standard deviation) of the more varied of the two colour channels Cb, Cr; a tint
#           (yellowed paper, a scanner's cast) shifts them without spreading them, so it does not count as colour
# The mean brightness is not used: a flatbed scan of white paper and a washed-out photo both measure 225-235.
# How the thresholds were chosen (tests/images.py makes the samples; tests/test_image_quality.py measures them,
# saved as JPEG): a sharp 1600 × 1200 "scan" (text strokes on a pale blue card, a portrait, a red seal)
# measures paper 227, ink 20, edges 255, chroma 12.8 (on white paper: paper 254, chroma 10.6).
#   darkened (brightness × f):     f 0.45 paper 102 (still legible); f 0.35 paper 80 (800 × 600: 83)
#   washed out (blended with white by a): a 0.5 ink 136 (legible); a 0.6 ink 158 (800 × 600: 155)
#   sparse print (4 or 12 lines of small text on a 1200 × 900 white page): ink 86 and 37, edges 255, legible;
#                                  blurred by r 1 edges 103, by r 1.5 (illegible) 44 and 65. Hence "ink" and "edges"
#                                  are the extreme 0.1%: over the extreme 1% that page measures ink 243-248 and
#                                  edges 5, as if blank
#   blurred (GaussianBlur radius r): r 1 edges 255, r 2 edges 157 (legible); r 3 edges 87; at 800 × 600 (not
#                                    scaled down) r 1 edges 212, r 2 edges 71
#   desaturated (colour × f):      f 0.2 chroma 2.5; f 0.1 chroma 1.4; f 0 and a grey copy on tinted paper 0.0
# Each threshold lies between the last legible sample and the first that is not.
# Which documents: every document but the app's icon is checked for dark, bright and blurred; the icon is a
# drawing, where a black or white background and flat colour are the designer's choice (APP_ICON_POLICY). Nearly
# greyscale refuses the IDs and the subject certificate only, which the rules already require in colour
# (UPLOAD_POLICY.greyscale_modes): a colour file of a black-and-white copy is the same rejection. Letters and
# statements signed in black ink on white paper, the registrar's domain certificate and the administrator's
# photo (a face against a white or grey backdrop) can be nearly grey and still right, so they are not
@record
class ImageQuality:
    """Where a document image is too dark, too bright, too blurred or too grey to accept."""

    long_side: int          # the measures are taken on a copy this many pixels on its long side
    paper_share: float      # the brightest share of pixels that makes "paper"
    ink_share: float        # the darkest share of pixels that makes "ink"
    edge_share: float       # the strongest share of edge pixels that makes "edges"
    min_paper: int          # paper below this: too dark
    max_ink: int            # ink above this: too bright, the print washed out
    min_edges: int          # edges below this: too blurred
    min_chroma: float       # chroma below this: nearly greyscale
    unchecked_kinds: frozenset[str]  # document kinds not checked at all
    colour_kinds: frozenset[str]     # document kinds that must also be in colour


IMAGE_QUALITY = ImageQuality(
    long_side=1000,
    paper_share=0.01,
    ink_share=0.001,
    edge_share=0.001,
    min_paper=90,
    max_ink=150,
    min_edges=100,
    min_chroma=2.0,
    unchecked_kinds=frozenset({"app_icon"}),
    colour_kinds=frozenset({"subject_certificate", "leader_id_front", "leader_id_back", "admin_id_front",
                            "admin_id_back"}),
)


# How a confirmed document is stored (DESIGN.md, Security): re-encoded from its decoded pixels, so that what
# reviewers and the administration open is the picture and nothing else. Phone photos of ID cards carry the
# place they were taken (Exif GPS), a JPEG comment or a PNG text chunk can carry a web page, and bytes after
# the image's end can carry anything; none of it survives a re-encode. The pixels keep the upload's format:
# PNG stays lossless, JPEG is written again at a quality at which a scan's small print and red seals stay
# legible, with colour at full resolution (4:4:4), because the seal's red is colour detail
@record
class CleanCopyRules:
    """How the clean copy of an accepted document is written."""

    jpeg_quality: int         # Pillow's 1-95 scale
    jpeg_subsampling: int     # Pillow's 0 = 4:4:4 (no chroma subsampling), 2 = 4:2:0
    # a header declaring more pixels than this is a decompression bomb, refused before any decoding: twice
    # the largest allowed image, so an image a little too large is still told its own dimensions
    max_decoded_pixels: int


CLEAN_COPY = CleanCopyRules(
    jpeg_quality=90,
    jpeg_subsampling=0,
    max_decoded_pixels=2 * UPLOAD_POLICY.max_width * UPLOAD_POLICY.max_height,
)


# --- the release APK an applicant may upload to have its characteristic information read (DOMAIN.md §13) -----

@record
class ApkPolicy:
    """What the upload of a release APK may be, and how much of it reading its facts may fetch."""

    max_bytes: int                    # the presigned POST's content-length-range ceiling
    content_type_prefix: str          # the presigned POST's Content-Type condition
    content_types: tuple[str, ...]    # what browsers send for a .apk (the content is what is checked)
    max_central_directory: int        # bytes of ZIP central directory read at most
    max_signing_block: int            # bytes of APK Signing Block read at most
    max_manifest: int                 # bytes of AndroidManifest.xml (uncompressed) read at most
    max_v1_signature: int             # bytes of one META-INF/*.RSA|DSA|EC block read at most
    max_read: int                     # all ranged reads of one APK together, a last guard


# An APK is a ZIP without ZIP64, so Android's ceiling is 4 GB; one presigned POST carries up to 5 GB. Apps
# are rarely past 1 GiB (Google Play caps the base APK at 200 MB and puts the rest in asset packs), so 2 GiB
# lets every real release through while keeping a forgotten upload's cost bounded; the object is deleted as
# soon as it has been read. Browsers send the type they know for .apk: Android's own, or a generic one
# (octet-stream, zip) on systems that do not know the extension; all three start with "application/".
# The read bounds: a central directory takes ~80 bytes an entry, so 8 MiB is 100,000 entries (large games
# have ~20,000); a signing block is a few KiB (16 MiB allows any number of rotations and padding); a
# manifest is rarely past 100 KiB uncompressed (8 MiB for the largest apps'); a PKCS#7 signature file
# holds a certificate chain of a few KiB
APK_POLICY = ApkPolicy(
    max_bytes=2 * 1024 ** 3,
    content_type_prefix="application/",
    content_types=("application/vnd.android.package-archive", "application/octet-stream", "application/zip"),
    max_central_directory=8 * 1024 * 1024,
    max_signing_block=16 * 1024 * 1024,
    max_manifest=8 * 1024 * 1024,
    max_v1_signature=1024 * 1024,
    max_read=48 * 1024 * 1024,
)


# --- deadlines ----------------------------------------------------------------------------------

@record
class DeadlinePolicy:
    """Which provinces check mobiles by SMS, how long applicants have, and the other time limits."""

    name: str
    sms_verification_provinces: frozenset[str]
    sms_window: timedelta
    wrong_code_limit: int | None  # None: wrong codes do not reject the application
    draft_discard_after: timedelta
    draft_reminders_after: tuple[timedelta, ...]
    app_verification_provinces: frozenset[str]
    administration_review_workdays: tuple[int, int]
    photo_review_workdays: int
    # how the website administrator is verified outside the app provinces: "backdrop" or "phone"
    administrator_verification: str = "backdrop"
    # reminders before the SMS window closes, counted back from its end
    sms_reminders_before: tuple[timedelta, ...] = ()
    # how many times the applicant may ask MIIT to send the codes again (each new code voids the last)
    code_resends: int = 2
    # after this many wrong codes in a row the form waits `wrong_code_pause` (a guard against guessing)
    wrong_code_pause_after: int = 5
    wrong_code_pause: timedelta = timedelta(minutes=15)
    # our own first review's target (PROVIDER_REVIEW_WORKDAYS below)
    provider_review_workdays: int = 1

    def sms_verification_required(self, province: str) -> bool:
        """Say whether MIIT texts the leader and administrator of a filing in this province."""
        return province in self.sms_verification_provinces


# source: seed step 7 and DOMAIN.md §5 (Shanghai verifies in the communications administration's app)
APP_VERIFICATION_PROVINCES = frozenset({"shanghai"})
# source: DOMAIN.md §6 (current practice: never-submitted orders deleted 45 days after creation; reminders)
DRAFT_DISCARD_AFTER = timedelta(days=45)
DRAFT_REMINDERS_AFTER = (timedelta(days=30), timedelta(days=40))
# source: seed, after step 8 and DOMAIN.md §6 (3 to 20 workdays)
ADMINISTRATION_REVIEW_WORKDAYS = (3, 20)
# source: DOMAIN.md §5 (our photo review: target within one workday)
PHOTO_REVIEW_WORKDAYS = 1
# source: product target, the same as the photo review's (the seed gives no figure for our first review)
PROVIDER_REVIEW_WORKDAYS = 1
# source: product decision (no provider publishes one): remind half-way through the window and near its end
SMS_REMINDERS_BEFORE = (timedelta(hours=12), timedelta(hours=2))
# source: DOMAIN.md §6 (current practice: the code can be re-sent at most twice)
CODE_RESENDS = 2
# source: product decision (the seed sets no limit on wrong codes, so a six-digit code could be guessed by
# trying): after every 5 wrong entries the form waits 15 minutes, so a 48-hour window allows at most
# 960 guesses at a pair of codes out of 10^12
WRONG_CODE_PAUSE_AFTER = 5
WRONG_CODE_PAUSE = timedelta(minutes=15)
# source: product target (no provider publishes one): a verified order goes to the administration within a
# workday, like our other reviews; the status page and the messages give the applicant this day
SEND_TO_ADMINISTRATION_WORKDAYS = 1
# source: product target and carrier practice (SF Express's next-day-to-3-day mainland service): we post a
# backdrop within a workday of the application, and it usually arrives within 3 days of posting
BACKDROP_MAIL_WORKDAYS = 1
BACKDROP_DELIVERY_DAYS = 3
# source: DOMAIN.md §5 (verification methods; seed: backdrop photo, current practice: the provider's phone app)
VERIFICATION_METHODS = ("backdrop", "phone", "app")

DEADLINE_POLICIES: dict[str, DeadlinePolicy] = {p.name: p for p in (
    # source: seed step 8 (seven provinces, 48 hours, then rejected)
    DeadlinePolicy(
        name="seed",
        sms_verification_provinces=frozenset(
            {"tianjin", "gansu", "tibet", "ningxia", "hainan", "xinjiang", "qinghai"}),
        sms_window=timedelta(hours=48),
        wrong_code_limit=None,
        draft_discard_after=DRAFT_DISCARD_AFTER,
        draft_reminders_after=DRAFT_REMINDERS_AFTER,
        app_verification_provinces=APP_VERIFICATION_PROVINCES,
        administration_review_workdays=ADMINISTRATION_REVIEW_WORKDAYS,
        photo_review_workdays=PHOTO_REVIEW_WORKDAYS,
        administrator_verification="backdrop",  # seed step 7: a photo in front of the backdrop
        sms_reminders_before=SMS_REMINDERS_BEFORE,
        code_resends=CODE_RESENDS,
        wrong_code_pause_after=WRONG_CODE_PAUSE_AFTER,
        wrong_code_pause=WRONG_CODE_PAUSE,
        provider_review_workdays=PROVIDER_REVIEW_WORKDAYS,
    ),
    # source: DOMAIN.md §6 (current practice: every province, 24 hours, five wrong codes reject)
    DeadlinePolicy(
        name="current_practice",
        sms_verification_provinces=frozenset(PROVINCES),
        sms_window=timedelta(hours=24),
        wrong_code_limit=5,
        draft_discard_after=DRAFT_DISCARD_AFTER,
        draft_reminders_after=DRAFT_REMINDERS_AFTER,
        app_verification_provinces=APP_VERIFICATION_PROVINCES,
        administration_review_workdays=ADMINISTRATION_REVIEW_WORKDAYS,
        photo_review_workdays=PHOTO_REVIEW_WORKDAYS,
        administrator_verification="phone",  # DOMAIN.md §5: the providers' apps take a live photo today
        sms_reminders_before=SMS_REMINDERS_BEFORE,
        code_resends=CODE_RESENDS,
        wrong_code_pause_after=WRONG_CODE_PAUSE_AFTER,
        wrong_code_pause=WRONG_CODE_PAUSE,
        provider_review_workdays=PROVIDER_REVIEW_WORKDAYS,
    ),
)}


# --- verifying the website administrator ----------------------------------------------------------

# source: seed step 7 and DOMAIN.md §5 (what the backdrop photo must show)
BACKDROP_PHOTO_RULES = (
    _("The %(role)s alone, upper body, centred in the picture"),
    _("Standing in front of the backdrop, its text legible"),
    _("No red or blue clothing"),
    _("A photo taken for this filing: no copy, no photo of a screen, no glare"),
)
# source: DOMAIN.md §5 (current practice: the providers' phone verification)
PHONE_PHOTO_RULES = (
    _("The %(role)s alone, face and shoulders, looking at the camera"),
    _("A plain white background"),
    _("No glasses, no hat, no glare"),
    _("Taken live with the phone's camera now, not chosen from the gallery"),
)
# source: issue 6 §2 and issue 16 §7 (the reasons our reviewers give; the communications administrations refuse
# these photos). Each way of verifying has its own reasons: a live photo has no backdrop, a backdrop photo no white
# background. Keys are stored on the order (photo_rejections), so a key is never reused for another meaning.
PHOTO_REJECTION_REASONS_BY_METHOD: dict[str, dict[str, str]] = {
    "phone": {
        "background": _("The background is not plain white"),
        "hat_or_glasses": _("A hat or glasses, or glare on the face"),
        "blurred": _("The photo is blurred or too dark"),
        "not_on_id": _("The person is not the one on the administrator's ID"),
        "other": _("Another reason (see the comment)"),
    },
    "backdrop": {
        "clothing": _("Red or blue clothing"),
        "backdrop": _("The backdrop text is not legible"),
        "framing": _("Not the upper body, or not centred"),
        "blurred": _("The photo is blurred or too dark"),
        "person": _("The person is not the %(role)s"),
        "other": _("Another reason (see the comment)"),
    },
}
# every reason ever stored, whatever the method: how an older order's rejection still reads
PHOTO_REJECTION_REASONS: dict[str, str] = {
    key: label for reasons in PHOTO_REJECTION_REASONS_BY_METHOD.values() for key, label in reasons.items()}
# the photo goes through the same upload pipeline as the documents (DOMAIN.md §4 upload rules)
ADMINISTRATOR_PHOTO = DocumentKind("administrator_photo", _("Photo of the website administrator"),
                                   _("A colour photo, JPEG or PNG, taken as the rules above say"))
# how long a phone-verification link stays valid (product decision: long enough to find the phone)
PHONE_LINK_LIFETIME = timedelta(minutes=30)
# how long MIIT's codes are (simulated MIIT: 6 digits, as its real texts)
SMS_CODE_DIGITS = 6


def deadline_policy(name: str = "seed") -> DeadlinePolicy:
    """Return the named deadline policy; the seed's is the default."""
    return DEADLINE_POLICIES[name]


# --- certificates -------------------------------------------------------------------------------

# source: DOMAIN.md §9 (rejections for a certificate expiring within 3 months)
CERTIFICATE_VALIDITY_MARGIN_MONTHS = 3
CERTIFICATE_EXPIRES_TOO_SOON = _(
    "The certificate expires within %(months)s months. Renew it, then file with the new certificate")


def months_after(today: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month = today.month - 1 + months
    year, month = today.year + month // 12, month % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def certificate_expires_too_soon(valid_until: date | None, today: date) -> bool:
    """Say whether a certificate valid until that date (None: long-term) is refused on this day."""
    if valid_until is None:
        return False
    return valid_until < months_after(today, CERTIFICATE_VALIDITY_MARGIN_MONTHS)


# --- ICP filing service codes -------------------------------------------------------------------

@record
class ServiceCodePolicy:
    """Which instances may apply for ICP filing service codes, and how many codes each gets."""

    quota_per_instance: int
    mainland_regions: frozenset[str]
    min_subscription_months: int
    billing: str
    product_types: Mapping[str, str]


# source: DOMAIN.md §2 (running, mainland region, public IP, subscription of at least 3 months; 5 per
# instance; renewing adds none; product type "Alibaba Cloud")
SERVICE_CODE_POLICY = ServiceCodePolicy(
    quota_per_instance=5,
    mainland_regions=frozenset({
        "cn-beijing", "cn-shanghai", "cn-hangzhou", "cn-shenzhen", "cn-qingdao", "cn-zhangjiakou",
        "cn-huhehaote", "cn-wulanchabu", "cn-chengdu", "cn-heyuan", "cn-guangzhou", "cn-nanjing",
        "cn-fuzhou", "cn-wuhan-lr",
    }),  # not cn-hongkong: Hong Kong is outside the mainland
    min_subscription_months=3,
    billing="subscription",
    product_types={"alibaba_cloud": _("Alibaba Cloud")},
)

# source: DOMAIN.md §2 (each reason an instance cannot get a code)
SERVICE_CODE_REFUSALS: dict[str, RuleViolation] = {r.code: r for r in (
    RuleViolation("not_running", _("The instance is not running. Start it, then apply for a code")),
    RuleViolation("outside_mainland",
                  _("The instance is in %(region)s, outside mainland China. Use an instance in a mainland region")),
    RuleViolation("no_public_ip", _("The instance has no public IP address. Assign one, then apply for a code")),
    RuleViolation("pay_as_you_go",
                  _("The instance is billed pay-as-you-go. Only subscription instances can get a code")),
    RuleViolation("under_three_months",
                  _("The instance's subscription is shorter than %(months)s months. Renew it to at least "
                    "%(months)s months, then apply for a code")),
    RuleViolation("quota_used",
                  _("This instance has used all %(quota)s of its codes. Renewing the instance does not add codes")),
)}


# --- contacts -----------------------------------------------------------------------------------

@record
class ContactRule:
    """Two contact fields that must differ; the message is shown on `field`."""

    code: str
    field: str
    must_differ_from: str
    only_when_administrator_differs: bool
    message: str


# source: DOMAIN.md §3 (emergency phone ≠ the same person's mobile; a different administrator has
# different phones and email from the leader) and §9 (phone reuse is a common rejection)
CONTACT_RULES: tuple[ContactRule, ...] = (
    ContactRule("leader_emergency_phone_is_mobile", "leader.emergency_phone", "leader.mobile", False,
                _("Enter an emergency phone number different from the subject leader's mobile number")),
    ContactRule("administrator_emergency_phone_is_mobile", "administrator.emergency_phone",
                "administrator.mobile", False,
                _("Enter an emergency phone number different from the %(role)s's mobile number")),
    ContactRule("administrator_mobile_is_leaders", "administrator.mobile", "leader.mobile", True,
                _("The %(role)s's mobile number must differ from the subject leader's")),
    ContactRule("administrator_emergency_phone_is_leaders", "administrator.emergency_phone",
                "leader.emergency_phone", True,
                _("The %(role)s's emergency phone number must differ from the subject leader's")),
    ContactRule("administrator_email_is_leaders", "administrator.email", "leader.email", True,
                _("The %(role)s's email address must differ from the subject leader's")),
)


# --- the subject's websites already filed ---------------------------------------------------------

@record
class SiteCheckPolicy:
    """How the subject's already filed websites are checked before an added website is submitted."""

    link_url: str                    # where the ICP number must link
    link_hosts: frozenset[str]       # a link to any page of these hosts counts
    schemes: tuple[str, ...]         # the only schemes fetched, redirects included
    connect_timeout: float           # seconds to open a connection
    read_timeout: float              # seconds to wait for each piece of the answer
    total_seconds: float             # all the subject's websites together, so the request that asks stays short
    max_bytes: int                   # the most of a home page read (the footer is near its end)
    max_redirects: int
    max_websites: int                # a subject with more websites gets the first ones checked


# source: DOMAIN.md §9 (1): an added website is rejected when one of the subject's already filed websites is
# unreachable or does not show its ICP number at the bottom of the home page linked to https://beian.miit.gov.cn/
# (DOMAIN.md §7 gives the same instruction after approval). The limits are product decisions: a home page answers
# in well under 5 seconds, and a page over 2 MB is very rarely a home page.
SITE_CHECK = SiteCheckPolicy(
    link_url="https://beian.miit.gov.cn/",
    link_hosts=frozenset({"beian.miit.gov.cn"}),
    schemes=("http", "https"),
    connect_timeout=3.0,
    read_timeout=4.0,
    total_seconds=12.0,
    max_bytes=2 * 1024 * 1024,
    max_redirects=3,
    max_websites=10,
)

# what the check finds on one website: advice for the applicant and the reviewer, never a refusal
SITE_CHECK_FINDINGS: dict[str, str] = {
    "ok": _("Reachable, and the home page shows %(number)s linked to %(link)s."),
    "not_linked": _("The home page shows %(number)s but does not link it to %(link)s. Make the number a link to "
                    "%(link)s."),
    "not_shown": _("Reachable, but the home page does not show the ICP number %(number)s. Show it at the bottom of "
                   "the home page, linked to %(link)s."),
    "dns": _("Not reachable: %(host)s has no address in the DNS."),
    "address": _("Not checked: %(host)s points to a private or reserved address, which the administration cannot "
                 "reach either."),
    "timeout": _("Not reachable: %(host)s did not answer in time."),
    "connection": _("Not reachable: the connection to %(host)s failed."),
    "tls": _("Not reachable over https: the certificate of %(host)s is not valid."),
    "status": _("Not reachable: the home page answers with HTTP status %(status)s."),
    "redirects": _("Not reachable: the home page redirects more than %(count)s times."),
    "scheme": _("Not reachable: the home page redirects to an address that is not http or https."),
    "not_checked": _("Not checked: the time for the check ran out. Check again."),
}
# the findings that mean the website could be reached and read
SITE_CHECK_REACHED = frozenset({"ok", "not_linked", "not_shown", "not_in_footer"})
SITE_CHECK_FINDINGS["not_in_footer"] = _(
    "The home page shows %(number)s, but not at its bottom. Move the number to the footer of the home page, linked "
    "to %(link)s: the administration looks for it there.")


@record
class FooterRule:
    """Where a home page's footer is: elements named as one, else the last characters of the visible text."""

    tags: frozenset[str]             # elements that are a footer whatever their name
    name_words: tuple[str, ...]      # an element whose id or class holds one of these is a footer
    tail_characters: int             # a page with no footer element: its last this many characters count


# source: DOMAIN.md §9 (1) and §7: the number is shown "at the bottom of the home page"; issue 20, item 6 (in the
# page's footer, not anywhere). The names are the ones page builders and themes give their footers.
FOOTER_RULE = FooterRule(
    tags=frozenset({"footer"}),
    name_words=("footer", "foot", "bottom", "copyright", "beian", "icp"),
    tail_characters=400,
)


@record
class ContentTable:
    """Words on a filed website's home page that point to content needing a pre-approval or not fitting the
    subject; `natures` limits a table to some subject natures (None: every subject)."""

    code: str
    words: tuple[str, ...]
    advice: str
    natures: frozenset[str] | None = None


# what a filed website's home page may show that its filing does not cover: advice, never a block.
# sources: DOMAIN.md §9 (4) (content that needs a pre-approval or exceeds the subject's scope is a common rejection)
# and §3 (the pre-approval list; an individual's content is limited to a blog or personal space); issue 20, item 6
# (tables for news, medicine, games, finance and forums; 有限公司 on an individual's site). News: 互联网新闻信息服务
# 管理规定 (a licence for news services); medicine: 互联网药品信息服务管理办法 and the health commission's rules;
# games: 网络游戏 need a 网络文化经营许可证 (culture); finance: internet finance needs the financial regulator's
# approval; forums: 互联网论坛社区服务管理规定 (an interactive service, not for an individual's filing).
SITE_CONTENT_TABLES: tuple[ContentTable, ...] = (
    # not 新闻 alone: a company's own news (公司新闻, 新闻中心) needs no licence
    ContentTable("news", ("时政", "头条", "快讯", "新闻资讯", "国内新闻", "国际新闻", "社会新闻"), _(
        "The home page shows news (%(words)s). A website offering news needs the news pre-approval in its filing; "
        "if it has none, remove that content.")),
    ContentTable("medicine", ("医院", "诊疗", "问诊", "药品", "处方", "医疗器械"), _(
        "The home page shows medical or drug content (%(words)s). Such content needs the medical or drugs "
        "pre-approval in the website's filing; if it has none, remove that content.")),
    ContentTable("games", ("网络游戏", "网游", "手游", "游戏下载", "游戏充值"), _(
        "The home page shows online games (%(words)s). Online games need the culture pre-approval (网络文化经营许可证) "
        "in the website's filing; if it has none, remove that content.")),
    ContentTable("finance", ("理财", "贷款", "借贷", "众筹", "股票", "基金", "外汇", "P2P"), _(
        "The home page shows financial services (%(words)s). Internet finance needs the financial regulator's "
        "pre-approval in the website's filing; if it has none, remove that content.")),
    ContentTable("forums", ("论坛", "发帖", "回帖", "BBS", "留言板"), _(
        "The home page shows a forum or community (%(words)s). An interactive service must be declared in the "
        "website's filing, and an individual's website may not offer one; if it is not declared, close it.")),
    ContentTable("company_on_individual", ("有限公司", "股份公司", "集团"), _(
        "The home page names a company (%(words)s), but the subject is an individual: an individual's website may "
        "only be a personal one. Remove the company's content, or file the website under the company."),
        natures=frozenset({"individual"})),
)
# the most words of one table named in its advice
SITE_CONTENT_WORDS_SHOWN = 3


# source: issue 20, item 2; providers' rejection reasons (a website must not be reachable on its new domain before its
# ICP number is granted: Alibaba Cloud and Tencent Cloud ask applicants to keep the site closed during the filing);
# JD Cloud, Rules of Filing in Henan (jdcloudcom/en, …/Management-specification/Henan.md, read 2026-12-06: "The
# website of unfiled domain cannot be opened. Otherwise, filling will fail"). A warning, not a refusal: our fetch
# sees the domain from outside China at one moment (a parking page, a CDN's default answer) and can be wrong; the
# applicant can still submit, and the reviewer sees it.
NEW_DOMAIN_SERVING = RuleViolation("new_domain_serving", _(
    "%(domain)s already answers at %(url)s. A website must not be reachable on its domain until the ICP number is "
    "granted: close it, or stop resolving the domain to a server, until the filing is approved"), severity=WARN)


# --- apps (新增APP) -------------------------------------------------------------------------------

# the service type MIIT records for every app filed through a cloud provider.
# source: DOMAIN.md §13 (fields: "service type fixed to APP应用")
APP_SERVICE_TYPE = "APP应用"

# mini programs and quick apps are not filed here.
# source: DOMAIN.md §13 ("filed through the platform that runs them (e.g. WeChat's own filing system), not through a
# cloud provider: say so and don't offer them")
APP_KINDS_NOT_OFFERED: dict[str, str] = {
    "mini_program": _("Mini program"),
    "quick_app": _("Quick app"),
}
APP_KINDS_NOT_OFFERED_REASON = _(
    "Mini programs and quick apps are filed through the platform that runs them (a WeChat mini program through "
    "WeChat's own filing system), not through a cloud provider, so this service does not file them.")


@record
class FingerprintDigest:
    """A certificate fingerprint's hash: its name as tools print it and its length in bytes."""

    code: str
    name: str
    length: int


# source: RFC 1321 (MD5, 128 bits), FIPS 180-4 (SHA-1, 160 bits; SHA-256, 256 bits). SHA-256 is never asked for;
# it is here so a SHA-256 fingerprint pasted into an MD5 or SHA-1 field can be named
FINGERPRINT_DIGESTS: dict[str, FingerprintDigest] = {d.code: d for d in (
    FingerprintDigest("md5", "MD5", 16),
    FingerprintDigest("sha1", "SHA-1", 20),
    FingerprintDigest("sha256", "SHA-256", 32),
)}


@record
class AppPlatform:
    """An operating system an app is filed for: what MIIT calls its three values and where to find each."""

    code: str
    label: str
    package: str                 # the file the app ships as
    identifier_field: str        # the form field `<code>_<identifier_field>`
    identifier_label: str
    identifier_hint: str
    public_key_hint: str
    fingerprint_field: str       # the form field `<code>_<fingerprint_field>`
    fingerprint_label: str
    fingerprint: str             # the digest the field wants, a key of FINGERPRINT_DIGESTS
    fingerprint_hint: str


# the operating systems, never the stores (naming a store is a listed rejection).
# source: DOMAIN.md §13 (per platform: Android package name, public key, signature MD5; iOS Bundle ID, the
# certificate's public key, its SHA-1 in the field labelled MD5; HarmonyOS bundle name, the release certificate's
# public key and fingerprint); HarmonyOS's fingerprint is the MD5 Huawei Cloud asks for ("以HarmonyOS应用在华为云备案为例，
# 需要填写对应的公钥和签名MD5值", HarmonyOS developers' note "HarmonyOS备案获取公钥和指纹", cnblogs mayism123, 2023-11,
# which also gives the openssl commands); where to find each value: the providers' guides to characteristic
# information (keytool, openssl, Apple Developer → Certificates, AppGallery Connect)
APP_PLATFORMS: dict[str, AppPlatform] = {p.code: p for p in (
    AppPlatform(
        "android", _("Android"), ".apk", "package", _("Package name"),
        _("The package attribute in AndroidManifest.xml, or applicationId in the app's build.gradle, like "
          "com.example.shop."),
        _("The modulus of the signing certificate's public key, in hex. Get the certificate with keytool -printcert "
          "-jarfile app.apk -rfc > cert.pem, then run openssl x509 -in cert.pem -noout -modulus."),
        "md5", _("Signature MD5"), "md5",
        _("The MD5 fingerprint of the signing certificate: openssl x509 -in cert.pem -noout -fingerprint -md5 "
          "(older versions of keytool -printcert -jarfile app.apk print it too)."),
    ),
    AppPlatform(
        "ios", _("iOS"), ".ipa", "bundle_id", _("Bundle ID"),
        _("In Xcode under the target's General → Identity, or in Apple Developer → Identifiers, like "
          "com.example.shop."),
        _("The modulus of the public key of the app's distribution certificate, in hex. Download the certificate "
          "from Apple Developer → Certificates, then run openssl x509 -inform der -in distribution.cer -noout "
          "-modulus."),
        "sha1", _("Certificate SHA-1 (MIIT's field labelled MD5)"), "sha1",
        _("MIIT's field is labelled MD5, but for iOS it takes the SHA-1 fingerprint of the same certificate: "
          "openssl x509 -inform der -in distribution.cer -noout -fingerprint -sha1, or Keychain Access → the "
          "certificate → SHA-1."),
    ),
    AppPlatform(
        "harmonyos", _("HarmonyOS"), ".app", "bundle_name", _("Bundle name"),
        _("bundleName in the app's AppScope/app.json5, also shown in AppGallery Connect under the app's "
          "information, like com.example.shop."),
        _("The modulus of the public key of the release certificate AppGallery Connect issued, in hex. Download "
          "the .cer from AppGallery Connect → Certificates, app IDs, and profiles, then run openssl x509 -in "
          "release.cer -noout -modulus."),
        "fingerprint", _("Certificate fingerprint (MD5)"), "md5",
        _("The MD5 fingerprint of that release certificate: openssl x509 -in release.cer -noout -fingerprint "
          "-md5."),
    ),
)}

# Android's package name is a Java package name: segments that are Java identifiers and not keywords.
# source: Android developers, "Configure the app module" (applicationId: at least two segments, each starting with
# a letter, letters digits and underscores only); the Java Language Specification §3.9 (keywords and the
# literals true, false, null); the 255-character bound is the Android framework's for package names
JAVA_KEYWORDS: frozenset[str] = frozenset({
    "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
    "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
    "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
    "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
    "throw", "throws", "transient", "try", "void", "volatile", "while", "_", "true", "false", "null",
})


@record
class IdentifierBounds:
    """How long an app identifier may be, in characters."""

    min_length: int
    max_length: int


# source: Android (package name ≤ 255, see JAVA_KEYWORDS above); Apple's CFBundleIdentifier documentation (letters,
# digits, hyphens and periods, reverse-DNS; App Store Connect takes at most 155 characters); OpenHarmony's app.json5
# reference (bundleName: letters, digits, underscores and periods, starting with a letter, 7 to 128 bytes,
# reverse-domain recommended; the HarmonyProfile JSON schema requires at least one period)
APP_IDENTIFIER_BOUNDS: dict[str, IdentifierBounds] = {
    "android": IdentifierBounds(3, 255),
    "ios": IdentifierBounds(3, 155),
    "harmonyos": IdentifierBounds(7, 128),
}


@record
class PublicKeyPolicy:
    """What a signing certificate's public key, given as the hex of its modulus (or EC point), may be."""

    rsa_bits: tuple[int, int]                # the smallest and largest RSA modulus accepted
    ec_point_bytes: frozenset[int]           # uncompressed (04…) and compressed (02…/03…) points of P-256/384/521


# source: product decision from the keys in use: app signing keys are RSA 1024 (old Android keys) to 4096 bits,
# or an elliptic-curve key (Android's keytool -keyalg EC, Apple's and AppGallery Connect's certificates);
# point lengths from SEC 1 §2.3.3 (1 + 2 × 32, 48 or 66 bytes uncompressed; 1 + 32, 48 or 66 compressed)
APP_PUBLIC_KEY = PublicKeyPolicy(
    rsa_bits=(1024, 4096),
    ec_point_bytes=frozenset({65, 97, 133, 33, 49, 67}),
)

# how many backend domains one app may list. source: product decision (no provider publishes a limit; ten covers
# an app's API, CDN and upload domains)
APP_DOMAINS_MAX = 10


@record
class IconPolicy:
    """What the app's icon must be."""

    content_types: tuple[str, ...]
    max_bytes: int
    square: bool
    min_side: int


# source: DOMAIN.md §13 (an image under 100 KB, not a system icon, no misleading badge); JPEG or PNG as the other
# uploads (DOMAIN.md §4); square and at least 108 pixels a side are ours (108 px is Android's adaptive launcher
# icon size; no provider publishes a minimum)
APP_ICON_POLICY = IconPolicy(
    content_types=("image/jpeg", "image/png"),
    max_bytes=100 * 1024,
    square=True,
    min_side=108,
)

# the SDK questions some providers ask. source: DOMAIN.md §13 ("whether the app offers an SDK and which third-party
# SDKs it uses (some providers)")
APP_SDK_QUESTIONS: dict[str, str] = {
    "sdk_offered": _("Does the app offer an SDK for other apps to use?"),
    "third_party_sdks": _("Which third-party SDKs does the app use? (optional)"),
}

# app stores, which may not be given where a platform is asked. source: DOMAIN.md §13 ("the operating system, never
# the store: naming a store is a listed rejection"); the stores are the large Chinese ones and the two global ones
APP_STORE_NAMES: tuple[str, ...] = (
    "应用宝", "App Store", "AppStore", "苹果商店", "华为应用市场", "应用市场", "Google Play", "小米应用商店", "应用商店",
    "OPPO软件商店", "vivo应用商店", "豌豆荚", "360手机助手", "百度手机助手", "荣耀应用市场", "AppGallery",
)

# category words an app name may not be alone (with or without APP, 应用, 软件 after it).
# source: DOMAIN.md §13 ("no generic category words alone", Huawei's rules); the words are the system apps' and the
# stores' categories
APP_NAME_GENERIC_WORDS: tuple[str, ...] = (
    "浏览器", "商城", "天气", "地图", "相机", "相册", "音乐", "视频", "短视频", "直播", "游戏", "购物", "阅读", "小说",
    "翻译", "计算器", "日历", "时钟", "闹钟", "手电筒", "笔记", "便签", "新闻", "资讯", "外卖", "打车", "支付", "钱包",
    "银行", "邮箱", "短信", "电话", "通讯录", "文件管理", "输入法", "壁纸", "主题", "健康", "运动", "记账", "导航",
    "browser", "camera", "music", "video", "weather", "maps", "map", "calculator", "calendar", "notes",
    "news", "mail", "wallet", "games", "game", "shop", "shopping", "reader", "translate", "flashlight",
)
APP_NAME_GENERIC_SUFFIXES: tuple[str, ...] = ("app", "应用", "软件", "客户端", "手机版")

# popular apps' names and nicknames. source: DOMAIN.md §13 ("no other popular apps' names or nicknames", Huawei's
# rules; Tencent Cloud's FAQ on app names); the apps are the most used in China by monthly users
APP_NAME_POPULAR: tuple[str, ...] = (
    "微信", "WeChat", "支付宝", "Alipay", "淘宝", "Taobao", "天猫", "抖音", "Douyin", "TikTok", "快手", "拼多多",
    "美团", "京东", "百度", "Baidu", "高德地图", "高德", "微博", "Weibo", "QQ", "小红书", "哔哩哔哩", "B站",
    "bilibili", "钉钉", "DingTalk", "飞书", "Lark", "滴滴", "饿了么", "今日头条", "爱奇艺", "优酷", "腾讯视频",
    "网易云音乐", "知乎", "闲鱼", "携程", "大众点评", "百度地图", "腾讯地图", "企业微信", "云闪付", "西瓜视频",
)

# words of marketing. source: DOMAIN.md §13 ("no prices or marketing words", Huawei's rules)
APP_NAME_MARKETING_WORDS: tuple[str, ...] = (
    "免费", "最好", "最佳", "第一", "首选", "官方推荐", "限时", "特价", "折扣", "优惠", "秒杀", "包邮", "返利", "红包",
    "free", "best", "sale", "discount",
)
# a price: a currency sign before a number, or a number before 元 (fullwidth ￥ is ¥ after NFKC).
# source: DOMAIN.md §13 ("no prices")
APP_NAME_PRICE_PATTERN = r"[¥$€]\s*[0-9]+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?\s*(?:元|块钱)"

# placeholder names. source: DOMAIN.md §13 ("no placeholders", Huawei's rules)
APP_NAME_PLACEHOLDER_WORDS: tuple[str, ...] = (
    "测试", "未命名", "示例", "样例", "test", "demo", "xxx", "sample", "untitled", "example", "todo",
)
# a run of digits typed as a placeholder ("123", "1234"), or a name of one letter repeated ("aaa")
APP_NAME_PLACEHOLDER_PATTERN = r"(?<![0-9])123(?:4(?:5(?:6(?:7(?:8(?:9)?)?)?)?)?)?(?![0-9])|^([A-Za-z])\1+$"

# emoji and pictographs. source: DOMAIN.md §13 ("no … emoji"); ranges from Unicode's emoji-data.txt (the
# pictographic blocks, dingbats and miscellaneous symbols, variation selector 16 and the zero-width joiner)
APP_NAME_EMOJI_PATTERN = (
    r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\uFE0F\u200D\U000E0020-\U000E007F]"
)

# the website name rules an app name follows too, each with the message an app's page shows.
# source: DOMAIN.md §13 ("Name rules as for websites"); the website's rule about the domain is left out (an app has
# backend domains, not one domain the name could copy) and so is Guangdong's 官网 suffix (a website's word)
APP_NAME_MESSAGES: dict[str, str] = {
    "name_required": _("Enter the app name"),
    "name_too_short": _("App name must have at least %(min)s Chinese characters"),
    "name_short_for_organisation": _(
        "App name has fewer than %(min)s Chinese characters. Providers usually ask for at least %(min)s, but MIIT's records "
        "hold shorter brand names, so you can go on; our reviewer will see this note"),
    "name_only_digits": _("App name must not be only digits"),
    "name_only_latin": _("App name must not be only Latin letters: add Chinese characters"),
    "name_characters": _(
        "App name must not contain %(characters)s. Use only Chinese characters, Latin letters, digits, spaces and "
        "the symbols “(”, “)” and “-”"),
    "name_national_prefix": _("App name must not begin with %(prefix)s: that is reserved for national bodies"),
    "name_henan_national_word": _(
        "Remove %(words)s from the app name: the Henan communications administration refuses 中国 (China) and 中华 "
        "(Chinese nation) anywhere in a name"),
    "name_sensitive_word": _(
        "Remove %(words)s from the app name: names with words of gambling, the military, pornography, violence or "
        "other sensitive content are refused"),
    "name_individual_organisation_word": _(
        "Remove %(words)s from the app name: an individual's app name must not suggest an organisation or a "
        "service"),
    "name_individual_industry_word": _(
        "Remove %(words)s from the app name: an individual's app name must not name a trade or industry, which "
        "reads as a company's"),
    "name_henan_personal_name": _(
        "Remove %(person)s from the app name: the Henan communications administration refuses personal names in "
        "a name"),
    "name_individual_personal_name": _(
        "%(person)s is a personal name. Providers advise against personal names in an individual's app name and "
        "some administrations refuse them; you can go on, and our reviewer will see this note"),
    "name_hainan_place_name": _(
        "Remove %(words)s from the app name: the Hainan communications administration refuses place names in an "
        "individual's name"),
    "name_individual_news": _("Remove %(words)s from the app name, or declare the news pre-approval"),
    "name_individual_publishing": _("Remove %(words)s from the app name, or declare the publishing pre-approval"),
    "name_individual_education": _("Remove %(words)s from the app name, or declare the education pre-approval"),
    "name_individual_medical": _(
        "Remove %(words)s from the app name, or declare the medical and health care pre-approval"),
    "name_individual_drugs": _(
        "Remove %(words)s from the app name, or declare the drugs and medical devices pre-approval"),
}

# the rules only an app name has, after the website's (each row's source is its word list above)
APP_ONLY_NAME_RULES: tuple[NameRule, ...] = (
    NameRule("app_name_generic",
             _("%(words)s alone is a category, not an app name: add the brand or what makes the app yours, like "
               "青松%(words)s"),
             "alone", {"words": APP_NAME_GENERIC_WORDS, "suffixes": APP_NAME_GENERIC_SUFFIXES}),
    NameRule("app_name_popular",
             _("Remove %(words)s from the app name: the names and nicknames of other popular apps are refused"),
             "forbidden_words", {"words": APP_NAME_POPULAR}),
    NameRule("app_name_emoji",
             _("Remove %(characters)s from the app name: emoji and pictographs are refused"),
             "forbidden_characters", {"pattern": APP_NAME_EMOJI_PATTERN}),
    NameRule("app_name_placeholder",
             _("Remove %(words)s from the app name: give the name users will see under the icon, not a placeholder"),
             "forbidden_words", {"words": APP_NAME_PLACEHOLDER_WORDS}),
    NameRule("app_name_placeholder_pattern",
             _("Remove %(words)s from the app name: give the name users will see under the icon, not a placeholder"),
             "forbidden_pattern", {"pattern": APP_NAME_PLACEHOLDER_PATTERN}),
    NameRule("app_name_marketing",
             _("Remove %(words)s from the app name: marketing words are refused"),
             "forbidden_words", {"words": APP_NAME_MARKETING_WORDS}),
    NameRule("app_name_price",
             _("Remove %(words)s from the app name: prices are refused"),
             "forbidden_pattern", {"pattern": APP_NAME_PRICE_PATTERN}),
    NameRule("app_name_store",
             _("Remove %(words)s from the app name: the name of an app store is refused"),
             "forbidden_words", {"words": APP_STORE_NAMES}),
)

# every rule of an app name: the website's that apply, with the app's message, then the app's own.
# source: APP_NAME_MESSAGES and APP_ONLY_NAME_RULES above
APP_NAME_RULES: tuple[NameRule, ...] = tuple(
    replace(rule, message=APP_NAME_MESSAGES[rule.code]) for rule in NAME_RULES if rule.code in APP_NAME_MESSAGES
) + APP_ONLY_NAME_RULES

# one name is one filing, unique within the subject. source: DOMAIN.md §13 ("the name is the same on every platform,
# unique within the subject"; "different names are different filings")
APP_NAME_TAKEN = RuleViolation(
    "app_name_taken",
    _("The subject already has an app named %(name)s. Each app of a subject needs its own name; to add a platform "
      "to that app, change its filing instead"))

# what follows the subject's number for each kind of service; they share the subject's serial.
# source: DOMAIN.md §7 (-N for a website) and §13 (an app's number ends in A, a mini program's in X, a quick app's in
# K: Huawei's guidance)
ICP_SERVICE_SUFFIXES: dict[str, str] = {"website": "", "app": "A", "mini_program": "X", "quick_app": "K"}


# --- after the number: cancel access, cancel a website or app (DOMAIN.md §14) ------------------------------------

# source: DOMAIN.md §14 (Tencent Cloud ICP FAQ on cancellation timing; Alibaba Cloud, cancelling access versus
# cancelling a filing): some communications administrations apply a cancellation at once, the others within 1 to
# 20 workdays. No provider publishes which province does which: this set is the simulator's assumption, so the
# administration console applies these at once and the others wait for its decision.
CANCELLATION_AT_ONCE_PROVINCES = frozenset({"beijing", "tianjin", "guangdong", "zhejiang"})
CANCELLATION_REVIEW_WORKDAYS = (1, 20)
# source: DOMAIN.md §14: for a cancellation MIIT texts the subject leader and the administrator, who answer
# within 24 hours, whatever the province
CANCELLATION_SMS_WINDOW = timedelta(hours=24)
# source: DOMAIN.md §14 (the provider verifies the account holder with a code to the account's phone) and our own
# limits, as for a log-in code: the code lasts 10 minutes, 5 wrong codes void it, 3 codes per order at most
ACCOUNT_CODE_DIGITS = 6
ACCOUNT_CODE_VALID = timedelta(minutes=10)
ACCOUNT_CODE_TRIES = 5
ACCOUNT_CODE_SENDS = 3
# source: DOMAIN.md §14 (a provider may cancel access itself when a filed domain does not resolve to its mainland
# servers or has no traffic, after a deadline to fix it passes; Alibaba Cloud and Tencent Cloud give 15 days in
# their notices, our reading): the applicant is warned with this deadline, then the sweep sends the cancellation
ACCESS_WARNING_PERIOD = timedelta(days=15)
ACCESS_WARNING_REASONS = {
    "not_resolving": _("The domain does not resolve to our servers in mainland China."),
    "no_traffic": _("The website has had no traffic through our servers."),
}
# source: product decision, as the seed's SMS reminders: remind half-way through the 24 hours and near their end
CANCELLATION_SMS_REMINDERS_BEFORE = (timedelta(hours=12), timedelta(hours=2))
# ---- Personal data: how long it is kept, and why (DOMAIN.md §12; DESIGN.md "Personal data") ----
# PIPL art. 17 asks us to tell people the period, art. 19 to keep personal information only as long as the purpose
# needs, art. 47 to delete it when the purpose is achieved or cannot be. No law sets a period for the materials of an
# order that ended without a number (DOMAIN.md §12: Order 33 art. 19 asks a provider to record the filings it gives
# access to, with no period; Order 292 art. 14's 60 days are access logs, not filing records): the periods below
# are ours, each with its reason, and the privacy notice (templates/main/privacy.html) reads them from here.


@record
class Retention:
    """How long an ended order's documents, photos and personal answers stay after it ended, and why.

    ending:  the action of the transition that ended the order (icp.filing's TRANSITIONS into an "ended" stage).
    outcome: how that ending reads in the privacy notice.
    days:    days after the ending before the sweep deletes them (0: at the sweep's next run).
    why:     the reason for the period, in the privacy notice.
    """

    ending: str
    outcome: str
    days: int
    why: str


# why a rejection keeps the order a month: the applicant reads the reason, may ask us about it and files again,
# often the same week (DOMAIN.md §9); a month covers that and a copy on request (PIPL art. 45), then the purpose is
# gone (art. 47)
_AFTER_REJECTION = _("Long enough to read the reason, ask us about it, download a copy and file again; after that "
                     "the order has no purpose left.")

# source: PIPL arts. 19 and 47 (DOMAIN.md §12); the periods are our decision, as §12 says no rule sets one.
# Our review never ends an order (it returns it with comments): there is no "rejected by us" ending to keep.
RETENTION_BY_ENDING: dict[str, Retention] = {r.ending: r for r in (
    # provider practice (DOMAIN.md §12): an unsubmitted order is deleted after 45 days; the status already reads
    # "Deleted", so nothing of it is kept after the deletion
    Retention("discard", _("Deleted because it was not submitted in time"), 0,
              _("It was never submitted, and its status already says it is deleted.")),
    # the applicant chose to stop (art. 47: purpose not achievable, consent withdrawn); a week to download a copy
    Retention("withdraw", _("Withdrawn by you"), 7,
              _("You chose to stop: a week lets you download a copy, then it is deleted.")),
    Retention("reject", _("Rejected by the communications administration"), 30, _AFTER_REJECTION),
    Retention("expire_sms", _("Rejected because the MIIT codes were not entered in time"), 30, _AFTER_REJECTION),
    Retention("too_many_wrong_codes", _("Rejected after too many wrong MIIT codes"), 30, _AFTER_REJECTION),
)}

# an ending not listed above (a new order type's) keeps the longest period until it gets its own row;
# tests/test_retention.py fails for every ending transition without a row
RETENTION_UNLISTED_DAYS = max(r.days for r in RETENTION_BY_ENDING.values())


def retention_for(ending: str) -> int:
    """Days an order keeps its documents and personal answers after `ending` (RETENTION_BY_ENDING, or
    RETENTION_AFTER_SERVICE for an approved order that is no longer the record of a service of ours)."""
    row = RETENTION_BY_ENDING.get(ending) or RETENTION_AFTER_SERVICE.get(ending)
    return row.days if row else RETENTION_UNLISTED_DAYS


# An approved filing keeps its answers and documents while the filing stands: Order 33 art. 19 asks the access
# provider to record the filing information of the services it gives access to, for as long as it gives access, and
# a later change or cancellation of the filing (DOMAIN.md §14) starts from that record.
APPROVED_RETENTION = _("While we give the website or app access and its filing stands: as the access provider we "
                       "must keep a record of the filings of the websites and apps we give access to (MIIT Order "
                       "33, article 19), and a later change or cancellation starts from it. Once its access or its "
                       "filing is cancelled, or an approved change replaces it, its details are deleted after the "
                       "period the privacy notice gives.")

# An approved order stops being that record when the service is no longer ours or a later order replaces it. Order 33
# art. 19 asks the access provider to record the filing information of the services it gives access to and sets no
# period once access ends (DOMAIN.md §12); no other rule found asks us to keep the answers and documents after that.
# So PIPL art. 19 (the shortest period the purpose needs) and art. 47 (delete when the purpose is achieved or the
# service stops) decide: the record's purpose ends with the access (or the filing, or the answers' currency), and a
# month is left to read the outcome, contest it (a cancellation of access we started ourselves after a warning), ask
# us about it and download a copy (art. 45), as after a rejection. What the registry and "Filed with us" show stays:
# the ICP number, the domain or app, the province, the dates and what became of the service (icp.retention).
# The rows are keyed by what the service became (icp.order_types.OrderType.leaves, and "superseded" for the approved
# order an approved change replaces); the transitions that start them declare `retain` (icp.filing.Effects).
_AFTER_SERVICE = _("The record of a website or app we give access to has no purpose once it is no longer ours; the "
                   "time left is to read the outcome, ask us about it (or contest it) and download a copy.")
RETENTION_AFTER_SERVICE: dict[str, Retention] = {r.ending: r for r in (
    # cancel access (取消接入), by the applicant's order or ours after an access warning (DOMAIN.md §14): the number
    # stays with MIIT, but we no longer give the service access, so Order 33 art. 19 no longer asks us to record it;
    # the approved cancel-access order itself holds a copy of the same answers and goes with them
    Retention("access_cancelled", _("Its access through us was cancelled (by your order, or by us after a warning)"),
              30, _AFTER_SERVICE),
    # cancel (注销): MIIT deleted the number; nothing can start from the record any more
    Retention("cancelled", _("Its filing was cancelled and the number retired"), 30, _AFTER_SERVICE),
    # an approved change (变更网站): the change's order holds the filing as it is now and is the record from then on;
    # the answers and documents it replaced are superseded (MIIT's record shows the new ones), kept as long as above
    # so the applicant and our reviewers can still compare and copy them
    Retention("superseded", _("A change of the website was approved: the order it replaced"), 30,
              _("The approved change is the filing's record from then on; the answers and documents it replaced "
                "stay long enough to compare them and download a copy.")),
)}

# Bucket versioning keeps a replaced or deleted document as a noncurrent version; S3 removes it this many days later.
# A month lets an operator notice and undo a mistaken overwrite or deletion; longer would keep replaced identity
# documents for no purpose (PIPL art. 19). The retention sweep deletes every version at once, whatever this says.
NONCURRENT_VERSION_DAYS = 30

# ---- Download my data: how the copy reaches the applicant, and how long it stays (icp.workflow.data_export) ----
# A Lambda function URL in buffered mode answers at most 6 MB (6,291,456 bytes: Lambda's synchronous response payload
# quota, docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), and a binary body travels base64-encoded,
# 4 bytes for every 3; with 64 KiB kept for the headers and the response's JSON envelope, a ZIP larger than this
# cannot be sent as one response. Larger copies (and every copy on the aws backend, which runs on Lambda) are written
# to storage and the applicant is sent to a short-lived signed link instead.
EXPORT_STREAM_LIMIT = 6 * 1024 * 1024 * 3 // 4 - 64 * 1024
# How long the signed link works: long enough to start a download of a few hundred MB on a slow line, short enough
# that a copied link is soon worth nothing. The copy is deleted by the retention sweep once the link has expired.
EXPORT_LINK_MINUTES = 15
# S3's lifecycle rule on the exports' folder: the backstop if the sweep cannot delete a copy (lifecycle counts in whole
# days, so this is the shortest it can say); noncurrent versions of a copy go a day after they are replaced.
EXPORT_KEEP_DAYS = 1

# DynamoDB point-in-time recovery keeps the table restorable to any second of the last this-many days (1 to 35).
# The maximum, because a mistake in the table can go unnoticed for weeks; the privacy notice says deleted answers
# may stay this long in that backup, which nobody reads unless the table is restored.
POINT_IN_TIME_RECOVERY_DAYS = 35
# --- people, phones and addresses (issue 20 items 1, 8, 9) -------------------------------------------
# Sources, read on 2026-12-06 in stored copies of the providers' own pages (the pages were not reachable live); the
# working table with a quote per province and rule is kept beside the branch (h-prov-sources.md, merged into the
# README's account of the checks). A row refuses where a provider's page says "must" / "not accepted" and no other
# provider's page offers a way round it; it warns where the providers differ, or where only an old or third-party
# page supports it.
#   [TC] Tencent Cloud, 各省管局要求 (cloud.tencent.com/document/product/243/3474; tencentyun/qcloud-documents
#        product/域名与网站/网站备案/条款与公告/备案相关条款/各省管局要求.md, commit 0b79b70, the page in force, not one
#        of the deprecated 0.弃用文档 copies; it names the Shanghai app check, so it postdates 2019)
#   [TC-OLD] Tencent Cloud's earlier English version of the same page (tencentyun/intlcloud-documents …/各省局管要求_intl
#        .md): what the current page dropped is taken as possibly lifted
#   [JD] JD Cloud, "License Rules in <Province>" (jdcloudcom/en, documentation/Domain-Name-&-License/ICP-License-
#        Service/Getting-Started/Management-specification/<Province>.md; its templates are dated 2018-05)
#   [AL] Alibaba Cloud, "ICP filing regulations for <Province>" (English DITA copies, concept ids as cited), e.g.
#        Shaanxi concept_mhd_jgm_zdb: "The mobile phone number of the entity leader must be from Shaanxi. If not, the
#        reason must be indicated"
#   [HW-JX] Huawei Cloud, 江西管局要求 (support.huaweicloud.com/prepare-icp/icp_02_0019.html, copy dated 2025-03-13):
#           individuals "支持跨省备案，必须提供江西有效期内居住证"; "负责人必须年满16周岁"; "手机号码…暂无归属地要求"
#   [HW-HI] Huawei Cloud, 海南管局要求 (support.huaweicloud.com/prepare-icp/icp_02_0023.html, 2021-01-29):
#           "单位主体负责人必须是法定代表人"
#   [HW-LIST] Huawei Cloud's search page over its province requirements (huaweicloud.com/s/…, undated, a cut copy):
#           黑龙江 "主体负责人必须是法定代表人"; 湖南 "主体负责人必须为法定代表人"; 河南 "主体负责人必须是法定代表人。
#           河南通讯地址与证件住址必须是…"
#   [RW-SH] renwen.com, 管局规则-上海 (provider practice, undated): enterprises "ICP备案主体负责人必须为法定代表人"
#   [WD-HA] West Digital (西部数码) help, 河南省备案要求 (westclouds.cn/content/help/shows/id/187.html, 2017-05-02):
#           "非本省的不能在河南进行备案；通信地址和联系电话要是河南本地". Nine years old: alone, it warns.
#   [BD] Baidu AI Cloud's ICP page (cloud.baidu.com/theme/N/2846412-73, provider practice): "负责人满18周岁才能备案"
#   [KS] Kingsoft Cloud, 填写主体信息 (docs.ksyun.com/documents/37803, 2020-08-11): "通讯地址需要详细到门牌号，如无具体
#           门牌号，请在备案信息备注中说明：‘此地址已是最详细地址’"; DOMAIN.md §3 "mailing address down to the door number"

# the youngest a subject leader or a website (app) administrator may be, in years: 18 [BD] [TC: 天津 辽宁 吉林 内蒙古
# 四川 湖南 "负责人满18周岁才能备案"] [JD: 贵州 黑龙江 辽宁 天津 "under 18 is not allowed"]. Refused below it.
MIN_PERSON_AGE = 18
# provinces that take younger people: Jiangxi from 16 [HW-JX 2025, "负责人必须年满16周岁"; TC says 18, the newer page
# is kept]; the provinces of MINORS_WITH_DOCUMENT from their own minimum
MIN_PERSON_AGE_BY_PROVINCE: dict[str, int] = {"jiangxi": 16}


@record
class MinorRule:
    """Where a person under MIN_PERSON_AGE may be named from `min_age` with a document our reviewer asks for:
    warned between the two ages, refused below `min_age`."""

    min_age: int
    document: str
    natures: frozenset[str] | None  # None: every nature; elsewhere the minimum age applies as everywhere
    source: str


MINORS_WITH_DOCUMENT: dict[str, MinorRule] = {
    # [TC 广东] "个人备案，未满十八周岁未成年人需提供就业证明才可备案"; "企业备案，负责人未满16周岁不得备案"
    # [JD Guangdong] "If the applicant is under 18 years old, employment certificate shall be provided"; 16 as the
    # age one may be employed from (Labour Law art. 15)
    "guangdong": MinorRule(16, _("a certificate of employment (就业证明)"), None, "TC, JD"),
    # [TC 江苏] "已满16周岁不满18周岁个人备案，需要提供劳动就业或收入证明，不满16周岁不能申请备案" (and the same of a
    # website leader of an organisation)
    "jiangsu": MinorRule(16, _("a proof of employment or income (劳动就业或收入证明)"), None, "TC"),
    # [TC 重庆] individuals: "已满16周岁不满18周岁个人备案，需要提供劳动就业或收入证明，不满16周岁不能申请备案"
    "chongqing": MinorRule(16, _("a proof of employment or income (劳动就业或收入证明)"),
                           frozenset({"individual"}), "TC"),
    # [TC 云南] individuals: "未满18岁（14-18周岁之间）个人备案，需出示收入证明"; [JD Yunnan] "An employment
    # certification must be provided if the person is younger than 18-year-old"
    "yunnan": MinorRule(14, _("a proof of income or employment (收入证明)"), frozenset({"individual"}), "TC, JD"),
    # [TC 上海] / [TC 河南] individuals: "个人未满18岁备案，需要同时上传监护人身份证，并备注监护人与备案人的关系";
    # [JD Henan] says "below 18-year-old will not be accepted": the newer page is kept
    "shanghai": MinorRule(0, _("the guardian's resident ID, with the guardian's relation named in the remarks"),
                          frozenset({"individual"}), "TC"),
    "henan": MinorRule(0, _("the guardian's resident ID, with the guardian's relation named in the remarks"),
                       frozenset({"individual"}), "TC"),
}


def min_person_age(province: str, nature: str | None = None) -> int:
    """The youngest a subject leader or administrator may be in this province, in years, with a document where
    MINORS_WITH_DOCUMENT says so (minor_rule)."""
    minor = minor_rule(province, nature)
    return minor.min_age if minor else MIN_PERSON_AGE_BY_PROVINCE.get(province, MIN_PERSON_AGE)


def minor_rule(province: str, nature: str | None) -> MinorRule | None:
    """The province's way for a person under 18 to be named, for this nature, or None."""
    minor = MINORS_WITH_DOCUMENT.get(province)
    if minor is None or (minor.natures is not None and nature not in minor.natures):
        return None
    return minor


@record
class ProvinceRequirement:
    """A province's requirement about people, phones or addresses: refused or warned, with its sources' keys."""

    severity: str
    source: str


# an organisation's subject leader must be its legal representative (法定代表人) in these provinces: REFUSE where the
# providers' pages say so and none offers an authorisation instead; WARN where they differ (the leader who is not
# the legal representative then needs the legal representative's authorisation, 主体负责人授权书). Elsewhere (甘肃
# 吉林 山西 四川: every page that speaks accepts the authorisation; 江苏 辽宁 山西 西藏…: see the rows) a leader who is
# not gets the authorisation warning.
_LEGAL_REPRESENTATIVE_ROWS: dict[str, tuple[str, str]] = {
    # the quotes: [TC] "主体负责人必须是法定代表人"; [JD] "Responsible person of the subject shall be the legal
    # person" / "The person in charge of an entity must be the legal person"; [AL] "The entity leader must be
    # (filled out with the name of) the legal representative"
    "beijing": (REFUSE, "JD"),
    "chongqing": (REFUSE, "TC, JD, AL"),
    "fujian": (REFUSE, "TC, JD"),
    "guangdong": (REFUSE, "TC"),
    "guangxi": (REFUSE, "TC, JD"),
    "guizhou": (REFUSE, "TC, JD, AL"),
    "hebei": (REFUSE, "TC, JD, AL"),
    "henan": (REFUSE, "TC, HW-LIST"),   # JD's current Henan page no longer says it; its earlier copy did
    "hubei": (REFUSE, "TC, TC-OLD"),
    "hunan": (REFUSE, "TC, TC-OLD, HW-LIST"),
    "inner_mongolia": (REFUSE, "TC, JD, AL"),
    "liaoning": (REFUSE, "JD"),
    "ningxia": (REFUSE, "TC, JD"),
    "qinghai": (REFUSE, "TC, JD"),
    "shaanxi": (REFUSE, "TC, JD, AL"),
    "shandong": (REFUSE, "TC, JD, AL"),
    "shanghai": (REFUSE, "TC, JD, RW-SH"),
    "tianjin": (REFUSE, "TC, JD"),
    "tibet": (REFUSE, "TC"),
    "yunnan": (REFUSE, "TC, JD, AL"),
    "zhejiang": (REFUSE, "TC, JD"),
    # the providers differ: JD / AL / Huawei say must, Tencent's current page takes "主体负责人非法定代表人需上传主体
    # 负责人授权书" (安徽 黑龙江 江西 新疆) or "主体负责人不是法定代表人时，网站负责人必须和主体负责人一致" (海南)
    "anhui": (WARN, "JD, AL; TC accepts an authorisation"),
    "hainan": (WARN, "JD, HW-HI; TC accepts another leader"),
    "heilongjiang": (WARN, "JD, AL, HW-LIST; TC accepts an authorisation"),
    "jiangxi": (WARN, "JD; TC accepts an authorisation"),
    "xinjiang": (WARN, "JD; TC accepts an authorisation"),
}
LEADER_MUST_BE_LEGAL_REPRESENTATIVE: dict[str, ProvinceRequirement] = {
    province: ProvinceRequirement(*row) for province, row in _LEGAL_REPRESENTATIVE_ROWS.items()}
# where an organisation's subject leader is not its legal representative, the service's administrator (网站负责人)
# must be the subject leader. [TC] Tencent Cloud 各省管局要求, 江苏 and 海南: "主体负责人不是法定代表人时，网站负责人必须和
# 主体负责人一致"; [JD] JD Cloud, License Rules in Jiangsu: "If the person in charge of the entity is not the legal
# person, the person in charge of the website and the one in charge of the entity must be the same person".
# REFUSE in Jiangsu, where both say it; WARN in Hainan, where only Tencent does (JD and Huawei want the legal
# representative as the leader there: LEADER_MUST_BE_LEGAL_REPRESENTATIVE's WARN row). An app's administrator
# (APP负责人) is held to the same: the pages speak of websites, the administration of the service's leader.
ADMINISTRATOR_MUST_BE_LEADER: dict[str, ProvinceRequirement] = {
    "jiangsu": ProvinceRequirement(REFUSE, "TC, JD"),
    "hainan": ProvinceRequirement(WARN, "TC"),
}
LEGAL_REPRESENTATIVE_AUTHORISATION = _("an authorisation from the legal representative to the subject leader "
                                       "(主体负责人授权书), signed by the legal representative and stamped")

# an individual whose resident ID is of another province: "permit" gives a residence permit (居住证) of the filing
# province, asked at the documents step (REFUSE: required there; WARN: optional); "local_only" cannot file there
# (REFUSE) or is likely to be returned (WARN). Which individuals count as of another province, and what follows, is
# icp.residence's one answer, read by the check and the documents step alike.
NON_LOCAL_INDIVIDUAL: dict[str, tuple[str, ProvinceRequirement]] = {
    # [TC] "个人备案证件地址非X需上传居住证明"; [JD] "If the ID card not belongs to X, it is required to provide valid
    # residence permit of X"
    "anhui": ("permit", ProvinceRequirement(REFUSE, "TC")),
    "fujian": ("permit", ProvinceRequirement(REFUSE, "TC, JD")),
    "guizhou": ("permit", ProvinceRequirement(REFUSE, "TC, JD")),
    "hubei": ("permit", ProvinceRequirement(REFUSE, "TC, JD")),
    "jiangsu": ("permit", ProvinceRequirement(REFUSE, "TC, JD")),
    "jilin": ("permit", ProvinceRequirement(REFUSE, "TC, JD")),
    "shanghai": ("permit", ProvinceRequirement(REFUSE, "TC, JD, RW-SH")),
    "zhejiang": ("permit", ProvinceRequirement(REFUSE, "TC")),
    # [JD Sichuan] "without a Sichuan ID card, a valid residence permit in Sichuan is required"; [TC-OLD] "evidence
    # proving that applicant is studying, living or working in Sichuan … residence permit"
    "sichuan": ("permit", ProvinceRequirement(REFUSE, "JD, TC-OLD")),
    # [JD Guangdong] "If your household register is outside Guangdong Province, you need to provide the supporting
    # materials proving your residence place or work place, such as the Residence Permit …, the house leasing contract
    # and the certificate of employment": a permit or another proof, so the upload is optional
    "guangdong": ("permit", ProvinceRequirement(WARN, "JD")),
    # the providers differ: a permit [JD Inner Mongolia] [HW-JX 2025 "支持跨省备案，必须提供江西有效期内居住证"] or
    # local IDs only [TC 内蒙古 "个人证件地址必须为本省"; TC 江西, JD Jiangxi]: the permit, the way the newer or more
    # lenient page offers, is asked
    "inner_mongolia": ("permit", ProvinceRequirement(REFUSE, "JD; TC takes local IDs only")),
    "jiangxi": ("permit", ProvinceRequirement(REFUSE, "HW-JX; TC, JD take local IDs only")),
    # [TC] "个人备案必须使用本省身份证" / "个人备案证件地址必须为X" / "非本省个人证件不予办理备案"; [JD] "The filing
    # without X's ID card will not be accepted"
    "chongqing": ("local_only", ProvinceRequirement(REFUSE, "TC, JD")),
    "gansu": ("local_only", ProvinceRequirement(REFUSE, "TC, JD")),
    "heilongjiang": ("local_only", ProvinceRequirement(REFUSE, "JD, AL")),
    "henan": ("local_only", ProvinceRequirement(REFUSE, "TC, WD-HA")),
    "ningxia": ("local_only", ProvinceRequirement(REFUSE, "JD")),
    "qinghai": ("local_only", ProvinceRequirement(REFUSE, "TC, JD")),
    "shanxi": ("local_only", ProvinceRequirement(REFUSE, "TC, JD")),
    "xinjiang": ("local_only", ProvinceRequirement(REFUSE, "TC, JD")),
    "yunnan": ("local_only", ProvinceRequirement(REFUSE, "TC, JD")),
}


# provinces whose people's phones must be numbers of the province: mobiles, fixed lines, or both ("mobile",
# "fixed_line"); natures None means every nature. The province of a number is phonenumbers' geocoder's
# (icp.phone_regions). [TC] "负责人联系方式归属地必须为本省" judges every contact number (联系方式1 and 2); [JD] "All
# (reported) mobile numbers must be the local numbers of X" judges mobiles. Jiangxi says it has none [HW-JX].
@record
class LocalPhoneRule:
    """Where the people's phones must be numbers of the filing province."""

    kinds: frozenset[str]
    natures: frozenset[str] | None
    requirement: ProvinceRequirement
    reason_in_remarks: bool = False  # another province's number is taken with the reason given in the remarks


_MOBILE = frozenset({"mobile"})
_EVERY_NUMBER = frozenset({"mobile", "fixed_line"})
LOCAL_PHONES: dict[str, LocalPhoneRule] = {
    "gansu": LocalPhoneRule(_EVERY_NUMBER, None, ProvinceRequirement(REFUSE, "TC, JD")),
    "guangxi": LocalPhoneRule(_EVERY_NUMBER, None, ProvinceRequirement(REFUSE, "TC, JD, AL")),
    "heilongjiang": LocalPhoneRule(_EVERY_NUMBER, None, ProvinceRequirement(REFUSE, "TC, JD")),
    "henan": LocalPhoneRule(_EVERY_NUMBER, None, ProvinceRequirement(REFUSE, "TC, WD-HA")),
    "jiangsu": LocalPhoneRule(_EVERY_NUMBER, None, ProvinceRequirement(REFUSE, "TC, JD")),
    "liaoning": LocalPhoneRule(_EVERY_NUMBER, None, ProvinceRequirement(REFUSE, "TC, JD")),
    "shandong": LocalPhoneRule(_EVERY_NUMBER, None, ProvinceRequirement(REFUSE, "TC, TC-OLD")),
    "tianjin": LocalPhoneRule(_EVERY_NUMBER, None, ProvinceRequirement(REFUSE, "TC, JD")),
    "xinjiang": LocalPhoneRule(_EVERY_NUMBER, None, ProvinceRequirement(REFUSE, "TC, JD")),
    # [JD Jilin] "A local mobile phone number of Jilin Province shall be used for license"
    "jilin": LocalPhoneRule(_MOBILE, None, ProvinceRequirement(REFUSE, "JD")),
    # [JD Hunan] "All mobile phone numbers reported must be the local phone numbers of Hu'nan province" and
    # [TC-OLD]; Tencent's current Hunan page no longer says it, so it may have been lifted: warned
    "hunan": LocalPhoneRule(_MOBILE, None, ProvinceRequirement(WARN, "JD, TC-OLD; not in TC")),
    # [AL Shaanxi] "must be from Shaanxi. If not, the reason must be indicated"; [TC] [JD] say must: warned, with
    # the reason asked for
    "shaanxi": LocalPhoneRule(_EVERY_NUMBER, None, ProvinceRequirement(WARN, "AL; TC, JD say must"),
                              reason_in_remarks=True),
}


# provinces whose subject addresses must lie in the province: which addresses, for which natures
@record
class LocalAddressRule:
    """Where the subject's addresses must lie in the filing province."""

    fields: frozenset[str]
    natures: frozenset[str] | None
    requirement: ProvinceRequirement


_ORGANISATIONS = frozenset(code for code, nature in NATURES.items() if not nature.is_individual)
LOCAL_ADDRESSES: dict[str, LocalAddressRule] = {
    # [TC 河南] individuals "负责人证件地址必须为河南省" (the ID's address: refused through NON_LOCAL_INDIVIDUAL);
    # [HW-LIST] both addresses "must be" Henan's but the copy is cut; [WD-HA] the mailing address (2017): warned
    "henan": LocalAddressRule(frozenset({"certificate_address", "mailing_address"}), None,
                              ProvinceRequirement(WARN, "HW-LIST, WD-HA; TC for an individual's ID")),
    # [TC 内蒙古] organisations "证件地址必须为本省", individuals "个人证件地址必须为本省"
    # individuals: a permit is asked instead (NON_LOCAL_INDIVIDUAL), as JD's page offers
    "inner_mongolia": LocalAddressRule(frozenset({"certificate_address"}), _ORGANISATIONS,
                                       ProvinceRequirement(REFUSE, "TC")),
}

# the words that end a door number in a mainland address (号 室 栋 幢 …), or say there is none: the mailing address
# should reach one [KS]; warned, as Kingsoft lets a remark explain an address without one
DOOR_NUMBER_PATTERN = r"[0-9一二三四五六七八九十百零〇]+\s*(?:号|號|室|栋|幢|座|单元|楼|层|户|弄|组)|最详细地址"

# a mobile already given by another subject, in our orders or the registry, is a common rejection (DOMAIN.md §9
# (5) "used by another subject"); warned, as a family business may share one legitimately
MOBILE_REUSE_SEVERITY = WARN
# where the administration rejects a filing whose people's ID numbers or mobiles another subject has filed with:
# Tencent Cloud, 各省管局要求, "负责人证件号码、手机号码不能为其他主体备案过" on the pages of these ten provinces. Still
# warned there (PERSON_REUSE_SEVERITY): what we know is our own orders, not MIIT's registry, and refusing at submission
# would read the people's partitions in the submit request besides the order (a second read round trip)
PERSON_REUSE_REJECTING_PROVINCES = frozenset({
    "shandong", "tianjin", "henan", "guangxi", "xinjiang", "yunnan", "chongqing", "jiangxi", "hunan", "sichuan"})
PERSON_REUSE_SEVERITY = WARN


@record
class MobileCodePolicy:
    """The one-time code texted to each mobile of an order before it is submitted, to prove the number works."""

    digits: int
    lifetime: timedelta      # a code older than this is refused: send a new one
    sends: int               # codes one mobile may be sent per order (the first and the re-sends)
    wrong_attempts: int      # wrong codes in a row before a new code is needed


# provider practice: DOMAIN.md §9 (5) "phone numbers: not reachable" is a common rejection; Tencent Cloud's operation
# list names the step (CheckSmsVerificationCode, "校验手机验证码", cloud.tencent.com/document/product/629/100205).
# The numbers are ours: six digits as MIIT's own check (SMS_CODE_DIGITS); 10 minutes; 3 sends (MIIT re-sends at most
# twice, DOMAIN.md §6, so one first code and two re-sends); 5 wrong codes as MIIT's check allows
MOBILE_CODE = MobileCodePolicy(digits=6, lifetime=timedelta(minutes=10), sends=3, wrong_attempts=5)
