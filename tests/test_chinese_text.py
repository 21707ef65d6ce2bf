"""Chinese text uses full-width punctuation and the providers' terms (DOMAIN.md §10)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

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
