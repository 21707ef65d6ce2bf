"""Punctuation and language marks that depend on the page's language, for templates and views alike.

Chinese text takes full-width punctuation (，、：（）) and English text ASCII; a phrase put together from several
messages must take its punctuation from the catalogue too, not from the template.
"""
from __future__ import annotations

import functools
import re

from flask_babel import get_locale, gettext
from markupsafe import Markup, escape


@functools.cache
def _chinese_characters() -> re.Pattern:
    # compiled when first needed: a class this wide takes ~2 ms to compile, which every cold start paid
    return re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _chinese_page() -> bool:
    return get_locale().language == "zh"


def aside(text, detail) -> Markup:
    """`text (detail)`, with full-width brackets on Chinese pages."""
    return Markup(escape(gettext("%(text)s (%(detail)s)"))) % {"text": text, "detail": detail}


def labelled(label, value) -> Markup:
    """`label: value`, with a full-width colon on Chinese pages."""
    return Markup(escape(gettext("%(label)s: %(value)s"))) % {"label": label, "value": value}


def join_list(items) -> Markup:
    """Items as a list in running text: 简体中文、英语 on Chinese pages, "Simplified Chinese, English" on English."""
    separator = "、" if _chinese_page() else ", "
    return Markup(separator).join(escape(item) for item in items)


def chinese(value):
    """Mark a value written in Chinese (a name, an address, an ICP number) as such on pages in another language.

    Screen readers then read it with a Chinese voice (WCAG 3.1.2); on Chinese pages it needs no mark.
    """
    if value is None or _chinese_page() or not _chinese_characters().search(str(value)):
        return value
    if isinstance(value, Markup) and 'lang="zh-CN"' in value:
        return value  # its Chinese parts are marked already (see aside)
    return Markup('<span lang="zh-CN">%s</span>') % value


def icp_number(value) -> Markup:
    """An ICP number inside a sentence: never broken across lines (粤ICP备18012345 / 号-2A), marked as Chinese."""
    return Markup('<span class="icp-number">%s</span>') % chinese(value or "")


def term(chinese_text, meaning) -> Markup:
    """A Chinese word quoted as an example: on English pages marked as Chinese and followed by its meaning."""
    if _chinese_page():
        return Markup("%s") % chinese_text
    return aside(chinese(chinese_text), meaning)


def say(text, params) -> Markup:
    """A sentence of the status table (a msgid with params) in the page's language: moments (*_at) in China time,
    days (*_on) as dates, counts of the policy (*_workdays, *_minutes, …) in words."""
    from flask_babel import gettext, ngettext

    from icp import rules
    from views import day, when

    values = rules.counted(params, ngettext)
    for name, value in params.items():
        if name.endswith("_at"):
            values[name] = when(value)
        elif name.endswith("_on"):
            values[name] = day(value)
        elif name == "role":  # who is verified, by the order's type (icp.order_types): a msgid
            values[name] = gettext(value)
        elif name == "icp_number":
            # an ICP number never breaks between 备 and 号, even inside a sentence on a phone
            values[name] = icp_number(value)
    return Markup(escape(gettext(text))) % values


def time_left(left) -> str:
    """What is left before a deadline: days while three or more remain, hours and minutes after that."""
    from flask_babel import gettext, ngettext

    seconds = int(left.total_seconds())
    if seconds >= 3 * 86400:  # a short window (the SMS check's 24 or 48 hours) counts in hours
        return ngettext("%(num)d day left", "%(num)d days left", seconds // 86400)
    return gettext("%(hours)d h %(minutes)d min left", hours=seconds // 3600, minutes=seconds % 3600 // 60)


def sentences(*parts) -> Markup:
    """Sentences (or a phrase and its bracketed note) side by side: a space between them in English, none in Chinese."""
    separator = "" if _chinese_page() else " "
    return Markup(separator).join(escape(part) for part in parts if part)


def role(filing: dict) -> str:
    """Who is verified by photo on this order, mid-sentence in the page's language: the website administrator or
    the app administrator (icp.order_types)."""
    from flask_babel import gettext

    from icp.order_types import order_type_of

    return gettext(order_type_of(filing).role)
