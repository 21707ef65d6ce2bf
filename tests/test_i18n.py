"""Translation catalogues: the .pot matches the code, and every Chinese entry is translated with its placeholders."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
ZH = TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po"
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
HOW_TO_FIX = "run `make extract-messages` and translate the new entries in translations/zh/LC_MESSAGES/messages.po"

# a printf-style conversion as Python's % operator reads it: %(name)s, %d, %.1f, and the escaped %%
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")


def load(path: Path):
    """Read a .po or .pot file into a babel Catalog."""
    with path.open("rb") as f:
        return read_po(f)


def entries(catalog) -> list:
    """Every message of a catalogue except its header."""
    return [m for m in catalog if m.id]


def msgids(catalog) -> set:
    """The msgids of a catalogue; a plural entry is its (singular, plural) pair, one with a msgctxt its (context, id)."""
    return {(m.context, m.id) if m.context else m.id for m in entries(catalog)}


def forms(value) -> tuple:
    """A msgid or msgstr as a tuple of its forms (one for a simple entry)."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def placeholders(text: str) -> set[str]:
    """The set of % placeholders in a string, e.g. {"%(name)s", "%(num)d"}."""
    return set(PLACEHOLDER.findall(text or ""))


def describe(message) -> str:
    """An entry as a failure message names it."""
    return repr(message.id[0] if isinstance(message.id, tuple) else message.id)


def test_every_chinese_entry_is_translated():
    """No msgstr (nor any plural form) is empty, and none is marked fuzzy."""
    offenders = [describe(m) + (" (fuzzy)" if m.fuzzy else "") for m in entries(load(ZH))
                 if m.fuzzy or not all(forms(m.string))]
    assert not offenders, f"{len(offenders)} untranslated or fuzzy entries in {os.path.relpath(ZH, ROOT)}; " \
                          f"translate them:\n" + "\n".join(offenders)


def test_chinese_translations_keep_the_placeholders():
    """Each msgstr holds exactly the placeholders of its msgid (for plurals: of the singular or the plural)."""
    offenders = []
    for message in entries(load(ZH)):
        if not any("%" in text for text in forms(message.id)):
            continue
        allowed = [placeholders(text) for text in forms(message.id)]
        for translation in forms(message.string):
            if translation and placeholders(translation) not in allowed:
                offenders.append(f"{describe(message)}: expected {sorted(allowed[-1])}, "
                                 f"got {sorted(placeholders(translation))} in {translation!r}")
    assert not offenders, "translations that lose or invent placeholders:\n" + "\n".join(offenders)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_catalogues_pass_babels_compile_checks(path):
    """What `pybabel compile` checks (format strings, plural forms) finds nothing wrong."""
    errors = [f"{describe(m)}: {error}" for m, errs in load(path).check() for error in errs]
    assert not errors, f"{os.path.relpath(path, ROOT)} would not compile cleanly:\n" + "\n".join(errors)


def test_the_template_holds_every_marked_string(tmp_path):
    """Extracting the code again gives the msgids of the committed messages.pot."""
    fresh = tmp_path / "messages.pot"
    # the same command as the Makefile's extract-messages target
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "--no-location", "--sort-output",
                    "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "_n:1,2", "-k", "_p:1c,2", "-o", str(fresh), "."],
                   cwd=ROOT, check=True, capture_output=True, timeout=60)
    extracted, committed = msgids(load(fresh)), msgids(load(TEMPLATE))
    added = sorted(repr(i) for i in extracted - committed)
    gone = sorted(repr(i) for i in committed - extracted)
    assert not added and not gone, (
        f"translations/messages.pot is out of date: {HOW_TO_FIX}.\n"
        + "".join(f"  new in the code: {i}\n" for i in added)
        + "".join(f"  no longer in the code: {i}\n" for i in gone))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_catalogues_are_merged_with_the_template(path):
    """Every catalogue has exactly the msgids of messages.pot (the `pybabel update` half of extract-messages)."""
    catalogue, template = msgids(load(path)), msgids(load(TEMPLATE))
    missing = sorted(repr(i) for i in template - catalogue)
    extra = sorted(repr(i) for i in catalogue - template)
    assert not missing and not extra, (
        f"{os.path.relpath(path, ROOT)} is not merged with messages.pot: {HOW_TO_FIX}.\n"
        + "".join(f"  missing: {i}\n" for i in missing) + "".join(f"  not in the template: {i}\n" for i in extra))


def test_both_languages_have_a_catalogue():
    """The Makefile compiles whatever catalogues exist, so Chinese and English must both be there."""
    assert {p.parent.parent.name for p in CATALOGUES} >= {"zh", "en"}
