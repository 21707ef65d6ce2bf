"""Chinese text uses full-width punctuation and the providers' terms (DOMAIN.md §10)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
# an ASCII comma, colon, semicolon, bracket, ! or ? touching a Chinese character, or a full stop after one
# that ends a sentence; a dot between a character and a letter is a domain (示例.中国, .公司) and is fine
ASCII_BESIDE_CHINESE = re.compile(
    rf"{CJK}[ \t]*[,:;()!?]|[,:;()!?][ \t]*{CJK}|{CJK}\.(?=\s|$|<)|\([ \t]*{CJK}[^()\n]*\)")
# words the large providers do not use, with the one they do (DOMAIN.md §10)
WRONG_TERMS = {
    "服务码": "备案服务号",  # Alibaba's 备案服务号 (Tencent: 备案授权码)
    "拉丁字母": "英文字母",
    "审核人员": "审核员",  # one word for our reviewers everywhere
}
# what the "not" column of CHINESE.md's terms table rules out, with what to write instead
NOT_THE_TERM = {
    "中国大陆": "中国内地",
    "手机核验": "工信部短信核验 (the SMS check) or 人脸核验/网站负责人核验 (the live photo)",
    "手机号核验": "工信部短信核验",
    "撤销": "撤回 (withdrawing an order; 撤销 reads as revoking a filing)",
    "已放弃": "已删除 (the system deleted it) or 已撤回 (the applicant withdrew it)",
    "上海App": "上海市通信管理局App",
    "可选": "选填",
    "必需": "必填",
    "接入服务商": "接入商",
    "之一": "write the Chinese (请从…中选择), not the English word order",
    "最晚": "预计, 一般 or 通常: an estimate stays an estimate",
}
# one concept, one word (CHINESE.md's terms table): the English source and the Chinese it must get
CONCEPTS = {
    "General": "整体意见",  # a review comment not tied to one field; 基本信息 is a section name
    "Review comment": "审核意见",  # our reviewer's; 备注 is the applicant's remarks field
    "Email service": "网上邮局",  # MIIT's service-content label; 电子邮箱 is an e-mail address
    "Mobile verification": "工信部短信核验",
    "Optional": "选填",
    "Required": "必填",
}


def _chinese_catalogue() -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of the Chinese catalogue, plural forms included."""
    with open(ROOT / "translations/zh/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = read_po(handle)
    pairs = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        pairs += [(ids[0], s) for s in strings if s]
    return pairs


def _without_placeholders(text: str) -> str:
    """Text with %(name)s, {{ … }} and {% … %} replaced by a neutral letter, and tags by a space."""
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "x", text, flags=re.S)
    text = re.sub(r"%\(\w+\)[sd]|%[sd]", "x", text)
    return re.sub(r"<[^>]+>", " ", text)


def _template_texts() -> list[tuple[str, str]]:
    return [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
            for path in sorted((ROOT / "templates").rglob("*.html"))]


def _chinese_prose(text: str) -> bool:
    """Text written in Chinese: more Chinese characters than Latin letters, and not a pattern (a regex)."""
    if re.search(r"\(\?|\[0-9|\\d", text):
        return False
    return len(re.findall(CJK, text)) > len(re.findall(r"[A-Za-z]", text))


def _python_chinese_strings() -> list[tuple[str, str]]:
    """String literals holding Chinese characters in the domain and the forms (comments are not prose shown)."""
    found = []
    for folder in ("icp", "forms", "views"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and _chinese_prose(node.value):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.value))
    return found


def _offences(texts) -> list[str]:
    """Each distinct offence once per place, with a little of the text around it."""
    found = {}
    for where, text in texts:
        for match in ASCII_BESIDE_CHINESE.finditer(_without_placeholders(text)):
            context = " ".join(match.string[max(0, match.start() - 8):match.end() + 8].split())
            found.setdefault((where, match.group()), f"{where}: …{context}…")
    return list(found.values())


def test_the_chinese_catalogue_uses_full_width_punctuation():
    offences = _offences(_chinese_catalogue())
    assert not offences, "\n".join(offences)


def test_templates_use_full_width_punctuation_beside_chinese():
    offences = _offences(_template_texts())
    assert not offences, "\n".join(offences)


def test_chinese_strings_in_the_code_use_full_width_punctuation():
    offences = _offences(_python_chinese_strings())
    assert not offences, "\n".join(offences)


@pytest.mark.parametrize("wrong, right", WRONG_TERMS.items())
def test_the_chinese_interface_uses_the_providers_terms(wrong, right):
    found = [msgid for msgid, text in _chinese_catalogue() if wrong in text]
    assert not found, f"{wrong} → {right or 'translate it'}: {found}"


@pytest.mark.parametrize("wrong, right", NOT_THE_TERM.items())
def test_the_chinese_interface_avoids_what_chinese_md_rules_out(wrong, right):
    found = [msgid for msgid, text in _chinese_catalogue() if wrong in text]
    assert not found, f"{wrong} → {right}: {found}"


@pytest.mark.parametrize("msgid, word", CONCEPTS.items())
def test_each_concept_gets_the_word_of_chinese_md(msgid, word):
    assert [text for source, text in _chinese_catalogue() if source == msgid] == [word]


def test_remarks_are_only_the_applicants_own_field():
    # our reviewer's comments are 审核意见; 备注 stays with the website's optional "Remarks" answer
    found = [msgid for msgid, text in _chinese_catalogue()
             if "备注" in text and "remarks" not in msgid.lower()]
    assert not found, found


def _entries_by_context() -> dict[str, dict]:
    """Chinese translations of each English source, keyed by msgctxt (None without one)."""
    with open(ROOT / "translations/zh/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = read_po(handle)
    found: dict[str, dict] = {}
    for message in catalogue:
        if message.id and isinstance(message.id, str):
            found.setdefault(message.id, {})[message.context] = message.string
    return found


def test_an_english_word_used_in_two_senses_is_translated_per_sense():
    entries = _entries_by_context()
    # the outbox's message state (待发送) and a review queue's column of time waited
    waiting = entries["Waiting"]
    assert set(waiting) >= {"message state", "time waited"}, waiting
    assert waiting["message state"] != waiting["time waited"]
    same = {msgid: senses for msgid, senses in entries.items()
            if len(senses) > 1 and len(set(senses.values())) < len(senses)}
    assert not same, f"a msgctxt is there for two translations: {same}"


def test_chinese_sentences_end_with_a_full_stop():
    # rule 5: even after a placeholder (原因：%(reason)s。); a sentence in English ends with one in Chinese, and so
    # does the last of several Chinese sentences (a one-line prompt such as 请输入域名 is not a sentence); a text
    # that introduces what follows it ends with ：; "www." ends a word, not a sentence; a message may end with a
    # sentence of the status table (%(next)s, %(rule)s), which ends with its own 。
    found = [f"{msgid} → {text}" for msgid, text in _chinese_catalogue()
             if re.search(CJK, text) and (re.search(r"(?<!www)[.?!]$", msgid) or "。" in text[:-1])
             and not re.search(r"([。？！）…：]|%\((next|rule)\)s)$", text)]
    assert not found, "\n".join(found)


def test_no_space_between_chinese_and_numbers_placeholders_or_urls():
    beside = re.compile(rf"{CJK}[ \t]+[\w%/:]|[\w%/]+[ \t]+{CJK}|\d[ \t]+[KM]B")  # and one spelling of units
    found = [f"{msgid} → {text}" for msgid, text in _chinese_catalogue()
             if re.search(CJK, text) and beside.search(text)]
    found += [f"{msgid} → {text}" for msgid, text in _chinese_catalogue()
              if re.search(CJK, text) and re.search(r"%\(\w+\)[sd][ \t]+[KM]B", text)]
    # image sizes are written one way: 800×600像素
    found += [f"{msgid} → {text}" for msgid, text in _chinese_catalogue() if re.search(CJK, text) and " × " in text]
    assert not found, "\n".join(found)


def test_the_note_above_the_history_points_down_to_it():
    # the times note stands above the history table: 下表 (the table below), not 以上 (what is above)
    [text] = [t for msgid, t in _chinese_catalogue() if msgid.startswith("Times are China Standard Time")]
    assert "以上" not in text and "下表" in text


def _visible_chinese_text(html: str) -> str:
    """What a reader of the Chinese page sees, without scripts, code and passages marked as English."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.select("script, style, code, pre, [lang=en], input, textarea, option"):
        hidden.decompose()
    return soup.get_text("")


def test_chinese_pages_put_full_width_punctuation_beside_chinese(app, clock):
    """Pages composed of several messages (lists, sizes, labels and values) in Chinese, read as a whole."""
    from tests.images import jpeg_bytes
    from tests.journey import SUBJECT, WEBSITE, bind_code, save, start, upload
    from tests.workflow_helpers import TIANJIN, submitted_order
    from tests.conftest import AuthActions

    client = app.test_client()
    AuthActions(client).login()
    client.get("/language/zh")
    draft = start(client, domain="示例.中国")
    bind_code(client, draft, "DEMO3H6T8RW5NB2C")
    save(client, draft, "subject", SUBJECT)
    save(client, draft, "website", {**WEBSITE, "home_url": "http://www.示例.中国"})
    upload(client, app, draft, "authenticity_statement", jpeg_bytes(900, 600))
    paths = [f"/filings/{draft}/{step}" for step in ("type", "instance", "subject", "website", "documents",
                                                      "documents/authenticity_statement", "check")]
    paths += ["/filings", "/console/service-codes", f"/filings/{draft}", "/terms", "/"]
    _applicant, submitted = submitted_order(app, **TIANJIN)
    paths.append(f"/filings/{submitted}")
    reviewer = app.test_client()
    AuthActions(reviewer).login("reviewer@example.com")
    reviewer.get("/language/zh")
    offences = []
    for who, path in [(client, p) for p in paths] + [(reviewer, "/review"), (reviewer, f"/review/{submitted}")]:
        text = _visible_chinese_text(who.get(path).get_data(as_text=True))
        offences += _offences([(path, text)])
        if "Alibaba Cloud" in text:
            offences.append(f"{path}: “Alibaba Cloud” untranslated")
    assert not offences, "\n".join(offences)


def test_composed_lines_in_chinese_take_a_full_width_colon(app, clock):
    """A reviewer's comment after its field (网站：名称：…) and a message after its channel (电子邮件：…)."""
    from icp.workflow import load_filing_with_parts, review
    from tests.conftest import AuthActions
    from tests.outbox_helpers import failed_message
    from tests.workflow_helpers import REVIEWER, submitted_order

    failed_message(app, clock)  # first: its retries take hours of the clock, longer than a log-in lasts
    applicant, filing_id = submitted_order(app)
    table = app.extensions["icp_table"]
    filing, documents, _events = load_filing_with_parts(table, filing_id)
    review.return_with_comments(table, filing, documents, [
        {"target": "website:name", "text": "请使用营业执照上的名称"}, {"target": "", "text": "请核对全部信息"}],
        actor=REVIEWER, now=clock())
    applicant.get("/language/zh")
    reviewer = app.test_client()
    AuthActions(reviewer).login(REVIEWER)
    reviewer.get("/language/zh")
    offences = []
    for who, path in [(applicant, f"/filings/{filing_id}"), (applicant, f"/filings/{filing_id}/check"),
                      (reviewer, f"/review/{filing_id}"), (reviewer, "/local-outbox"),
                      (reviewer, "/staff/outbox/failed")]:
        response = who.get(path)
        assert response.status_code == 200, (path, response.location)
        text = _visible_chinese_text(response.get_data(as_text=True))
        offences += _offences([(path, text)])
    assert not offences, "\n".join(offences)


def test_each_sense_of_waiting_shows_where_it_belongs(app, clock):
    from tests.conftest import AuthActions
    from tests.outbox_helpers import queue
    from tests.workflow_helpers import REVIEWER, submitted_order

    submitted_order(app)
    queue(app, clock)
    reviewer = app.test_client()
    AuthActions(reviewer).login(REVIEWER)
    reviewer.get("/language/zh")
    senses = _entries_by_context()["Waiting"]
    queues = _visible_chinese_text(reviewer.get("/review").get_data(as_text=True))
    outbox = _visible_chinese_text(reviewer.get("/local-outbox").get_data(as_text=True))
    assert senses["time waited"] in queues and senses["message state"] not in queues
    assert senses["message state"] in outbox


def test_what_the_applicant_waits_for_is_true_during_the_photo_review(app, clock):
    """My filings' "Next" column in our review, photo review and ready-to-send: not 初审 (our first review) in all."""
    from tests.workflow_helpers import passed_review, photo_uploaded, stored, submitted_order

    applicant, filing_id = submitted_order(app)
    passed_review(app, clock, filing_id)
    photo_uploaded(app, applicant, filing_id)
    assert stored(app, filing_id)["status"] == "PHOTO_REVIEW"
    applicant.get("/language/zh")
    soup = BeautifulSoup(applicant.get("/filings").get_data(as_text=True), "html.parser")
    [row] = [tr for tr in soup.select("tbody tr") if filing_id in tr.get_text()]
    cell = row.find("td", attrs={"data-label": "下一步"}).get_text(strip=True)
    assert cell.startswith("无需操作") and "初审" not in cell, cell
