"""Check a website name against the name rules in icp.rules, one small evaluator per kind of rule."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable, Iterable

from icp.records import record
from icp.identifiers import Domain, ValidationError, domain as parse_domain
from icp.rules import NAME_RULES, NameRule, RuleViolation

__all__ = ["RuleViolation", "website_name_problems", "name_problems", "EVALUATORS"]


@record
class _Name:
    """The name as the evaluators see it, with the facts they may need."""

    text: str  # NFKC-normalised, so fullwidth （）－ and Ａ１ are their ASCII forms
    domain_forms: frozenset[str]
    nature: str
    preapproval_items: frozenset[str]
    person_names: tuple[str, ...]  # the people the filing names: an individual subject, its leader, administrator


def _domain_forms(d: Domain | str) -> frozenset[str]:
    """Spell the domain every way a name could copy it: with or without www., suffix, dots, punycode."""
    if isinstance(d, str):
        try:
            d = parse_domain(d)
        except ValidationError:
            # not a domain we accept: compare with what was typed, less www. and its last part
            plain = unicodedata.normalize("NFKC", d).strip().lower().removeprefix("www.")
            forms = {plain, plain.rsplit(".", 1)[0]}
            return frozenset(forms | {f.replace(".", "") for f in forms})
    suffix_labels = d.tld.count(".") + 1
    forms = {d.unicode, d.ascii}
    forms |= {".".join(full.split(".")[:-suffix_labels]) for full in (d.unicode, d.ascii)}
    forms |= {"www." + f for f in list(forms)}
    return frozenset(forms | {f.replace(".", "") for f in forms})


def _contains(text: str, word: str) -> bool:
    """Say whether the name holds the word: Latin words as whole words, any case; others anywhere."""
    if re.fullmatch(r"[A-Za-z]+", word):
        return re.search(rf"(?<![A-Za-z]){word}(?![A-Za-z])", text, re.IGNORECASE) is not None
    return word in text


def _required(rule: NameRule, name: _Name) -> dict | None:
    return None if name.text else {}


# the Han ideographs a name may hold (NAME_ALLOWED_CHARACTERS less Latin letters, digits and symbols)
_HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f]")


def _min_length(rule: NameRule, name: _Name) -> dict | None:
    """Too short: fewer characters than the rule's minimum; with count "han", fewer Chinese characters."""
    if rule.params.get("count") == "han":
        length = len(_HAN.findall(name.text))
    else:
        length = len(re.sub(r"\s", "", name.text))
    return {"min": rule.params["min"]} if length < rule.params["min"] else None


def _not_fullmatch(rule: NameRule, name: _Name) -> dict | None:
    return {} if re.fullmatch(rule.params["pattern"], name.text) else None


def _not_domain(rule: NameRule, name: _Name) -> dict | None:
    key = re.sub(r"\s", "", name.text.lower())
    return {} if key in name.domain_forms or key.replace(".", "") in name.domain_forms else None


def _allowed_characters(rule: NameRule, name: _Name) -> dict | None:
    bad = [c for c in dict.fromkeys(name.text) if not re.fullmatch(rule.params["pattern"], c)]
    return {"characters": tuple(bad)} if bad else None


def _forbidden_prefix(rule: NameRule, name: _Name) -> dict | None:
    for prefix in rule.params["prefixes"]:
        if name.text.startswith(prefix):
            return {"prefix": (prefix,)}
    return None


def _forbidden_words(rule: NameRule, name: _Name) -> dict | None:
    found = [w for w in rule.params["words"] if _contains(name.text, w)]
    return {"words": tuple(found)} if found else None


def _no_personal_name(rule: NameRule, name: _Name) -> dict | None:
    for person in name.person_names:
        if person in name.text:
            return {"person": (person,)}
    return None


def _required_suffix(rule: NameRule, name: _Name) -> dict | None:
    return None if name.text.endswith(rule.params["suffix"]) else {"suffix": rule.params["suffix"]}


def _words_need_preapproval(rule: NameRule, name: _Name) -> dict | None:
    if rule.params["preapproval"] in name.preapproval_items:
        return None
    return _forbidden_words(rule, name)


EVALUATORS: dict[str, Callable[[NameRule, _Name], dict[str, Any] | None]] = {
    "required": _required,
    "min_length": _min_length,
    "not_fullmatch": _not_fullmatch,
    "not_domain": _not_domain,
    "allowed_characters": _allowed_characters,
    "forbidden_prefix": _forbidden_prefix,
    "forbidden_words": _forbidden_words,
    "words_need_preapproval": _words_need_preapproval,
    "no_personal_name": _no_personal_name,
    "required_suffix": _required_suffix,
}


def _binds(rule: NameRule, nature: str, province: str | None) -> bool:
    """Say whether a rule applies to subjects of this nature filing in this province (None: not known yet)."""
    if rule.provinces is not None and province not in rule.provinces:
        return False
    return (rule.natures is None or nature in rule.natures) and nature not in rule.exempt_natures


def _person_names(names: Iterable[str | None]) -> tuple[str, ...]:
    """The people's names as a name would hold them: normalised, blanks and single characters left out."""
    cleaned = (unicodedata.normalize("NFKC", n or "").strip() for n in names)
    # a one-character "name" would match nearly any website name
    return tuple(dict.fromkeys(n for n in cleaned if len(n) >= 2))


def website_name_problems(name: str, *, domain: Domain | str, nature: str,
                          preapproval_items: set[str] | frozenset[str], province: str | None = None,
                          person_names: Iterable[str | None] = ()) -> list[RuleViolation]:
    """Return every name rule the website name breaks, refusals and warnings, in the order of NAME_RULES.

    Rules that name provinces bind only when the order's province is given and among them.
    """
    return name_problems(name, NAME_RULES, domain=domain, nature=nature, preapproval_items=preapproval_items,
                         province=province, person_names=person_names)


def name_problems(name: str, name_rules: Iterable[NameRule], *, domain: Domain | str, nature: str,
                  preapproval_items: Iterable[str], province: str | None = None,
                  person_names: Iterable[str | None] = (),
                  evaluators: dict[str, Callable[[NameRule, Any], dict[str, Any] | None]] | None = None,
                  ) -> list[RuleViolation]:
    """Return every rule of `name_rules` the name breaks, in their order; `evaluators` adds kinds of rule.

    A website's and an app's name are judged by the same evaluators (an app's rules add a few kinds of their own).
    """
    kinds = EVALUATORS if evaluators is None else {**EVALUATORS, **evaluators}
    subject = _Name(
        text=unicodedata.normalize("NFKC", name or "").strip(),
        domain_forms=_domain_forms(domain),
        nature=nature,
        preapproval_items=frozenset(preapproval_items),
        person_names=_person_names(person_names),
    )
    problems = []
    for rule in name_rules:
        if not _binds(rule, nature, province):
            continue
        params = kinds[rule.kind](rule, subject)
        if params is not None:
            problems.append(RuleViolation(rule.code, rule.message, params, rule.severity))
            if rule.kind == "required":
                break  # a blank name breaks every other rule too; say only what to do first
    return problems
