"""Readers of English only: which answers to write in Chinese, what the terms mean, and Chinese marked as Chinese."""
from __future__ import annotations

import re

from tests.conftest import AuthActions, page
from tests.journey import SUBJECT, WEBSITE, bind_code, save, start
from tests.workflow_helpers import submitted_order

CJK = re.compile(r"[\u3400-\u9fff]")


def unmarked_chinese(soup, within: str = "main") -> list[str]:
    """Text with Chinese characters on an English page that no lang="zh-CN" element wraps (WCAG 3.1.2)."""
    found = []
    for text in soup.select_one(within).find_all(string=CJK):
        if text.parent.name in ("script", "style", "textarea", "option"):
            continue
        if not any(parent.get("lang") == "zh-CN" for parent in text.parents if hasattr(parent, "get")):
            found.append(text.strip())
    return found


def test_the_subject_step_says_which_answers_to_write_in_chinese_and_explains_the_investor(client, auth):
    auth.login()
    filing_id = start(client)
    bind_code(client, filing_id)
    soup = page(client.get(f"/filings/{filing_id}/subject"))
    for field_id in ("certificate_address", "mailing_address", "investor"):
        assert "(in Chinese)" in soup.find("label", attrs={"for": field_id}).get_text()
        assert soup.find(id=field_id)["lang"] == "zh-CN"
    assert "(in Chinese)" not in soup.find("label", attrs={"for": "leader_email"}).get_text()
    assert "department that supervises it" in soup.find(id="investor-hint").get_text()
    # the Chinese example address is marked as Chinese and followed by what it says
    hint = soup.find(id="mailing_address-hint")
    assert hint.find(attrs={"lang": "zh-CN"}).get_text() == "北京市海淀区中关村大街1号2号楼301室"
    assert "Zhongguancun" in hint.get_text()


def test_chinese_pages_do_not_repeat_the_in_chinese_mark(client, auth):
    auth.login()
    client.get("/language/zh")
    filing_id = start(client)
    bind_code(client, filing_id)
    soup = page(client.get(f"/filings/{filing_id}/subject"))
    assert "用中文填写" not in soup.find("label", attrs={"for": "certificate_address"}).get_text()


def test_the_check_page_marks_chinese_answers_as_chinese(client, auth):
    auth.login()
    filing_id = start(client)
    bind_code(client, filing_id)
    save(client, filing_id, "subject", SUBJECT)
    save(client, filing_id, "website", WEBSITE)
    soup = page(client.get(f"/filings/{filing_id}/check"))
    assert not unmarked_chinese(soup, ".summary-list") and not [
        t for t in unmarked_chinese(soup) if "北京" in t or "示例" in t or "王芳" in t]
    # the provider is named in the page's language
    assert "Alibaba Cloud" in soup.get_text()


def test_staff_consoles_mark_chinese_values_as_chinese(app):
    _applicant, filing_id = submitted_order(app)
    reviewer = app.test_client()
    AuthActions(reviewer).login("reviewer@example.com")
    queue = page(reviewer.get("/review"))
    assert not unmarked_chinese(queue, "table")
    order = page(reviewer.get(f"/review/{filing_id}"))
    assert not unmarked_chinese(order, ".summary-list")
    assert not unmarked_chinese(order, ".caption")
    assert not unmarked_chinese(order, "table")


def test_an_individuals_name_hint_glosses_its_chinese_examples(client, auth):
    auth.login()
    filing_id = start(client, province="hainan", nature="individual", certificate_type="resident_id",
                      certificate_number="460100199007150020", domain="lina-notes.cn")
    bind_code(client, filing_id)
    save(client, filing_id, "subject", {**SUBJECT, "investor": "李娜", "leader_name": "李娜",
                                        "leader_certificate_number": "460100199007150020"})
    hint = page(client.get(f"/filings/{filing_id}/website")).find(id="name-hint")
    assert "论坛 (forum)" in hint.get_text()
    assert all(span["lang"] == "zh-CN" for span in hint.select("span"))
