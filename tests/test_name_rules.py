"""Website name rules: each row of NAME_RULES with a name that breaks it and one that keeps it."""

import pytest

from icp import checks_names
from icp.checks_names import EVALUATORS, website_name_problems
from icp.identifiers import domain as parse_domain
from icp.rules import NAME_RULES, NATURES, NameRule

DOMAIN = parse_domain("xiaowang123.cn")


def codes(name, *, nature="individual", preapproval_items=(), domain=DOMAIN):
    """Return the codes of the rules a name breaks."""
    return [v.code for v in website_name_problems(
        name, domain=domain, nature=nature, preapproval_items=set(preapproval_items))]


# (rule code, nature, pre-approval items, a name breaking the rule, a name keeping it)
CASES = [
    ("name_required", "enterprise", (), "   ", "小王科技"),
    ("name_too_short", "enterprise", (), "小王", "小王家"),
    ("name_too_short", "enterprise", (), "小 王", "小 王 家"),
    ("name_only_digits", "enterprise", (), "12345", "12345小站"),
    ("name_only_digits", "enterprise", (), "123-456 (7)", "123-456 (七)"),
    ("name_only_latin", "enterprise", (), "Hello World", "Hello 世界"),
    ("name_only_latin", "enterprise", (), "Ｈｅｌｌｏ-Ｗｏｒｌｄ", "Hello-World2"),
    ("name_is_domain", "enterprise", (), "xiaowang123", "xiaowang123的家"),
    ("name_is_domain", "enterprise", (), "XiaoWang123", "小王123"),
    ("name_characters", "enterprise", (), "小王的家!", "小王的家(北京)"),
    ("name_characters", "enterprise", (), "小王·的家", "小王（北京）－分站"),
    ("name_characters", "enterprise", (), "小王的家😀", "小王的家 2"),
    ("name_national_prefix", "enterprise", (), "中国小王科技", "小王中国科技"),
    ("name_national_prefix", "social_organisation", (), "全国小王协会", "小王全国协会"),
    ("name_national_prefix", "government", (), "国家小王局", "小王县政府"),
    ("name_individual_organisation_word", "individual", (), "小王的博客", "小王的家"),
    ("name_individual_organisation_word", "individual", (), "小王工作室", "小王的小屋"),
    ("name_individual_organisation_word", "individual", (), "小王 Blog", "小王 Blogger"),
    ("name_individual_organisation_word", "individual", (), "小王Online", "小王 small 家"),
    ("name_individual_news", "individual", (), "小王新闻", "小王新鲜事"),
    ("name_individual_news", "individual", ("news",), "小王 News", "小王新闻"),
    ("name_individual_publishing", "individual", (), "小王出版", "小王读书"),
    ("name_individual_publishing", "individual", ("publishing",), "小王 publishing", "小王出版"),
    ("name_individual_education", "individual", (), "小王教育", "小王学习笔记"),
    ("name_individual_education", "individual", ("education",), "小王 education", "小王教育"),
    ("name_individual_medical", "individual", (), "小王医疗", "小王健身"),
    ("name_individual_medical", "individual", ("medical",), "小王 medical", "小王医疗"),
    ("name_individual_drugs", "individual", (), "小王药品", "小王药膳"),
    ("name_individual_drugs", "individual", ("drugs_devices",), "小王 drugs", "小王药品"),
]


@pytest.mark.parametrize("code, nature, items, failing, passing", CASES)
def test_name_rule(code, nature, items, failing, passing):
    if items:
        # the pre-approval lifts the rule: the same words pass once it is declared, not before
        assert code in codes(failing, nature=nature)
        assert code not in codes(passing, nature=nature, preapproval_items=items)
    else:
        assert code in codes(failing, nature=nature)
        assert code not in codes(passing, nature=nature)


def test_every_rule_has_a_case():
    assert {rule.code for rule in NAME_RULES} == {case[0] for case in CASES}


def test_every_kind_has_an_evaluator():
    assert {rule.kind for rule in NAME_RULES} <= set(EVALUATORS)


@pytest.mark.parametrize("name", ["小王的家", "我的小站(北京)", "小王 Photo 集", "Tom的123小屋"])
@pytest.mark.parametrize("nature", list(NATURES))
def test_good_names_break_no_rule(name, nature):
    assert codes(name, nature=nature) == []


def test_blank_name_reports_only_that_it_is_missing():
    problems = website_name_problems("", domain=DOMAIN, nature="individual", preapproval_items=set())
    assert [(p.code, p.message, dict(p.params)) for p in problems] == [
        ("name_required", "Enter the website name", {})]


@pytest.mark.parametrize("name, code, params", [
    ("ab", "name_too_short", {"min": 3}),
    ("小王的家!#", "name_characters", {"characters": "! #"}),
    ("小王@@家", "name_characters", {"characters": "@"}),
    ("人民小王", "name_national_prefix", {"prefix": "人民"}),
    ("人大小王", "name_national_prefix", {"prefix": "人大"}),
    ("中华小王", "name_national_prefix", {"prefix": "中华"}),
    ("中央小王", "name_national_prefix", {"prefix": "中央"}),
    ("小王论坛社区", "name_individual_organisation_word", {"words": "论坛, 社区"}),
    ("小王官网 portal", "name_individual_organisation_word", {"words": "官网, portal"}),
    ("小王新闻 NEWS", "name_individual_news", {"words": "新闻, news"}),
])
def test_violation_params(name, code, params):
    problems = website_name_problems(name, domain=DOMAIN, nature="individual", preapproval_items=set())
    found = {p.code: dict(p.params) for p in problems}
    assert found[code] == params


def test_messages_come_from_the_rules():
    messages = {rule.code: rule.message for rule in NAME_RULES}
    for problem in website_name_problems("ab", domain=DOMAIN, nature="individual", preapproval_items=set()):
        assert problem.message == messages[problem.code]


@pytest.mark.parametrize("nature", [n for n in NATURES if n != "individual"])
def test_organisations_may_use_service_words(nature):
    assert codes("小王科技博客论坛", nature=nature) == []
    assert codes("小王新闻教育", nature=nature) == []


@pytest.mark.parametrize("name, domain", [
    ("例子", "例子.中国"),
    ("例子中国", "例子.中国"),
    ("xn--fsqu00a", "例子.中国"),
    ("abc123", "www.abc123.com"),
    ("abc123", "abc123.com.cn"),
    ("abc123com", "abc123.com"),
])
def test_name_is_domain_in_any_spelling(name, domain):
    assert "name_is_domain" in codes(name, nature="enterprise", domain=domain)


def test_name_is_domain_accepts_a_domain_object_or_string():
    assert "name_is_domain" in codes("例子网", nature="enterprise", domain="例子网.cn")
    assert "name_is_domain" in codes("例子网", nature="enterprise", domain=parse_domain("例子网.cn"))
    assert "name_is_domain" not in codes("例子网站", nature="enterprise", domain="例子网.cn")


def test_exempt_natures_lift_a_rule(monkeypatch):
    exempt = NameRule("name_national_prefix", "Website name must not begin with %(prefix)s", "forbidden_prefix",
                      {"prefixes": ("中国",)}, exempt_natures=frozenset({"government"}))
    monkeypatch.setattr(checks_names, "NAME_RULES", (exempt,))
    assert codes("中国小王局", nature="government") == []
    assert codes("中国小王局", nature="enterprise") == ["name_national_prefix"]


def test_rules_are_rows_not_code(monkeypatch):
    longer = NameRule("name_too_short", "Website name must be at least %(min)s characters", "min_length", {"min": 5})
    monkeypatch.setattr(checks_names, "NAME_RULES", (longer,))
    assert codes("小王的家") == ["name_too_short"]
    assert codes("小王的小家") == []
