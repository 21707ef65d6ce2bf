"""An app's filing (新增APP): its name rules, its platforms' identifiers, keys and fingerprints, its domains, its number.

Each validator returns the normalised value or raises icp.identifiers.ValidationError with a message that says
where to find the right value. The rules themselves are data in icp.rules (APP_*).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable

from icp import checks_names
from icp.identifiers import IcpNumber, ValidationError, domain, icp_number
from icp.rules import (
    APP_DOMAINS_MAX, APP_IDENTIFIER_BOUNDS, APP_NAME_RULES, APP_NAME_TAKEN, APP_PLATFORMS, APP_PUBLIC_KEY,
    FINGERPRINT_DIGESTS, JAVA_KEYWORDS, NameRule, RuleViolation, _,
)

__all__ = ["app_name_problems", "platforms", "android_package", "ios_bundle_id", "harmonyos_bundle_name", "identifier",
           "public_key", "fingerprint", "app_domain", "app_domains", "app_number"]


# --- the name ---------------------------------------------------------------------------------------

def _name_key(name: str) -> str:
    """A name as two names are compared: width and case folded, spaces dropped."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", name or "")).casefold()


def _alone(rule: NameRule, name: Any) -> dict | None:
    """The name is one of the words and nothing else (a suffix such as APP or 应用 does not count)."""
    key = _name_key(name.text)
    for suffix in rule.params["suffixes"]:
        if key.endswith(suffix.casefold()) and key != suffix.casefold():
            key = key[: -len(suffix)]
            break
    for word in rule.params["words"]:
        if key == _name_key(word):
            return {"words": (word,)}
    return None


def _forbidden_pattern(rule: NameRule, name: Any) -> dict | None:
    """Each distinct match of the pattern in the name."""
    found = [m.group(0) for m in re.finditer(rule.params["pattern"], name.text, re.IGNORECASE)]
    return {"words": tuple(dict.fromkeys(found))} if found else None


def _forbidden_characters(rule: NameRule, name: Any) -> dict | None:
    """Each distinct character of the name the pattern matches (the joiners of an emoji left out)."""
    found = [c for c in dict.fromkeys(name.text) if re.fullmatch(rule.params["pattern"], c) and c not in "\u200d\ufe0f"]
    return {"characters": tuple(found)} if found else None


_APP_EVALUATORS = {"alone": _alone, "forbidden_pattern": _forbidden_pattern,
                   "forbidden_characters": _forbidden_characters}


def app_name_problems(name: str, *, province: str | None, nature: str, subject_name: str,
                      other_app_names: Iterable[str] = (), preapproval_items: Iterable[str] = (),
                      person_names: Iterable[str | None] = ()) -> list[RuleViolation]:
    """Return every rule the app name breaks, refusals and warnings: the website's rules that apply, the app's own,
    and a name another app of the same subject already has (case and width ignored).

    `subject_name` counts as a person's name for an individual subject, as on the website step.
    """
    people = [*person_names]
    if nature == "individual":
        people.append(subject_name)
    problems = checks_names.name_problems(
        name, APP_NAME_RULES, domain="", nature=nature, preapproval_items=preapproval_items, province=province,
        person_names=people, evaluators=_APP_EVALUATORS)
    emoji = next((p for p in problems if p.code == "app_name_emoji"), None)
    if emoji is not None:
        # an emoji is also a symbol the website's character rule refuses: say it once, in the emoji's words
        problems = _without_characters(problems, set(emoji.params["characters"]))
    key = _name_key(name)
    if key and any(_name_key(other) == key for other in other_app_names):
        problems.append(RuleViolation(APP_NAME_TAKEN.code, APP_NAME_TAKEN.message,
                                      {"name": (unicodedata.normalize("NFKC", name).strip(),)},
                                      APP_NAME_TAKEN.severity))
    return problems


def _without_characters(problems: list[RuleViolation], characters: set[str]) -> list[RuleViolation]:
    """The problems with these characters taken out of the character rule's (and the rule dropped if none is left)."""
    kept = []
    for problem in problems:
        if problem.code == "name_characters":
            rest = tuple(c for c in problem.params["characters"] if c not in characters and c not in "\u200d\ufe0f")
            if not rest:
                continue
            problem = RuleViolation(problem.code, problem.message, {**problem.params, "characters": rest},
                                    problem.severity)
        kept.append(problem)
    return kept


# --- each platform's identifier ----------------------------------------------------------------------

def _text(s: str) -> str:
    """The value as typed, fullwidth forms folded and spaces at either end dropped."""
    return unicodedata.normalize("NFKC", s or "").strip()


def android_package(s: str) -> str:
    """Return an Android package name (a Java package name of two or more segments), or raise."""
    text = _text(s)
    bounds = APP_IDENTIFIER_BOUNDS["android"]
    if not text:
        raise ValidationError(_("Enter the package name: the package attribute in AndroidManifest.xml or "
                                "applicationId in build.gradle, like com.example.shop"))
    if len(text) > bounds.max_length:
        raise ValidationError(_("A package name has at most %(max)s characters; you entered %(length)s"),
                              max=bounds.max_length, length=len(text))
    segments = text.split(".")
    if len(segments) < 2 or "" in segments:
        raise ValidationError(_("Enter the whole package name, with dots between its parts, like com.example.shop: "
                                "copy it from applicationId in build.gradle"))
    for segment in segments:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", segment):
            raise ValidationError(
                _("Each part of a package name starts with a letter and holds only letters, digits and “_”; "
                  "%(segment)s does not. Copy the name from applicationId in build.gradle"), segment=segment)
        if segment in JAVA_KEYWORDS:
            raise ValidationError(
                _("%(segment)s is a Java keyword and cannot be part of a package name. Copy the name from "
                  "applicationId in build.gradle"), segment=segment)
    return text


def ios_bundle_id(s: str) -> str:
    """Return an iOS Bundle ID (reverse-DNS: letters, digits, hyphens and dots), or raise."""
    text = _text(s)
    bounds = APP_IDENTIFIER_BOUNDS["ios"]
    if not text:
        raise ValidationError(_("Enter the Bundle ID, like com.example.shop: it is in Xcode under the target's "
                                "General → Identity, and in Apple Developer → Identifiers"))
    if len(text) > bounds.max_length:
        raise ValidationError(_("A Bundle ID has at most %(max)s characters; you entered %(length)s"),
                              max=bounds.max_length, length=len(text))
    if not re.fullmatch(r"[A-Za-z0-9.\-]+", text):
        raise ValidationError(_("A Bundle ID holds only letters, digits, “-” and “.”. Copy it from Apple "
                                "Developer → Identifiers"))
    if "." not in text or "" in text.split("."):
        raise ValidationError(_("Enter the whole Bundle ID, with dots between its parts, like com.example.shop: "
                                "copy it from Apple Developer → Identifiers"))
    return text


def harmonyos_bundle_name(s: str) -> str:
    """Return a HarmonyOS bundle name (letters, digits, “_” and dots, starting with a letter, 7 to 128), or raise."""
    text = _text(s)
    bounds = APP_IDENTIFIER_BOUNDS["harmonyos"]
    if not text:
        raise ValidationError(_("Enter the bundle name: bundleName in AppScope/app.json5, like com.example.shop"))
    if not bounds.min_length <= len(text) <= bounds.max_length:
        raise ValidationError(_("A bundle name has %(min)s to %(max)s characters; you entered %(length)s. Copy it "
                                "from bundleName in AppScope/app.json5"),
                              min=bounds.min_length, max=bounds.max_length, length=len(text))
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.]*", text):
        raise ValidationError(_("A bundle name starts with a letter and holds only letters, digits, “_” and “.”. "
                                "Copy it from bundleName in AppScope/app.json5"))
    if "." not in text or "" in text.split("."):
        raise ValidationError(_("Enter the whole bundle name, with dots between its parts, like com.example.shop: "
                                "copy it from bundleName in AppScope/app.json5"))
    return text


def platforms(ticked: Iterable[str]) -> list[str]:
    """Return the platforms ticked, in the order of APP_PLATFORMS, or raise when there is none."""
    chosen = [code for code in APP_PLATFORMS if code in set(ticked)]
    if not chosen:
        raise ValidationError(_("Select at least one platform the app runs on. Mini programs and quick apps are "
                                "not filed here"))
    return chosen


_IDENTIFIERS = {"android": android_package, "ios": ios_bundle_id, "harmonyos": harmonyos_bundle_name}


def identifier(platform: str, s: str) -> str:
    """Validate the identifier of an app on a platform of APP_PLATFORMS (package name, Bundle ID, bundle name)."""
    return _IDENTIFIERS[platform](s)


# --- public keys and fingerprints ------------------------------------------------------------------

def public_key(s: str, platform: str) -> str:
    """Return the signing certificate's public key as upper-case hex of its modulus (or EC point), or raise.

    Spaces, colons, line breaks and openssl's "Modulus=" are dropped; a leading zero byte (keytool prints one
    before a modulus whose top bit is set) too.
    """
    text = unicodedata.normalize("NFKC", s or "").strip()
    platform_label = APP_PLATFORMS[platform].label
    if not text:
        raise ValidationError(_("Enter the public key of the %(platform)s signing certificate: the hex of its "
                                "modulus, which openssl x509 -noout -modulus prints"), platform=platform_label)
    if "-----BEGIN" in text or re.search(r"[G-Zg-z+/=]", re.sub(r"^modulus\s*=", "", text, flags=re.IGNORECASE)):
        raise ValidationError(
            _("This is the certificate or key in PEM or Base64. Give the modulus of its public key in hex instead: "
              "run openssl x509 -noout -modulus -in the certificate file and copy what follows Modulus="))
    hex_digits = re.sub(r"[\s:]", "", re.sub(r"^modulus\s*=", "", text, flags=re.IGNORECASE)).upper()
    if not re.fullmatch(r"[0-9A-F]+", hex_digits):
        raise ValidationError(_("A public key in hex holds only the digits 0 to 9 and the letters A to F. Run "
                                "openssl x509 -noout -modulus -in the certificate file and copy what follows "
                                "Modulus="))
    if len(hex_digits) % 2:
        raise ValidationError(_("A public key in hex has an even number of digits; one is missing or one too "
                                "many. Copy it again from openssl x509 -noout -modulus"))
    if hex_digits.startswith("00") and len(hex_digits) > 2 and int(hex_digits[2], 16) >= 8:
        hex_digits = hex_digits[2:]
    length = len(hex_digits) // 2
    low, high = APP_PUBLIC_KEY.rsa_bits
    ec_point = length in APP_PUBLIC_KEY.ec_point_bytes and (
        hex_digits.startswith("04") if length % 2 else hex_digits[:2] in ("02", "03"))
    if not ec_point and not low <= length * 8 <= high:
        raise ValidationError(
            _("This public key is %(bits)s bits long; an app's signing key has %(low)s to %(high)s bits. Check "
              "that you copied the whole modulus from openssl x509 -noout -modulus"),
            bits=length * 8, low=low, high=high)
    return hex_digits


def fingerprint(s: str, platform: str) -> str:
    """Return the certificate fingerprint the platform's field wants, as upper-case hex pairs joined by colons."""
    spec = APP_PLATFORMS[platform]
    wanted = FINGERPRINT_DIGESTS[spec.fingerprint]
    text = unicodedata.normalize("NFKC", s or "").strip()
    # openssl prints "md5 Fingerprint=AA:…" and keytool "MD5: AA:…"; keep what follows the label
    text = re.sub(r"^(?:md5|sha-?1|sha-?256)?\s*(?:fingerprint)?\s*[=:]\s*(?=[0-9A-Fa-f]{2}[:\s])", "", text,
                  flags=re.IGNORECASE)
    if not text:
        raise ValidationError(_("Enter the certificate's %(digest)s fingerprint: %(where)s"),
                              digest=wanted.name, where=spec.fingerprint_hint)
    hex_digits = re.sub(r"[\s:\-]", "", text).upper()
    if not re.fullmatch(r"[0-9A-F]+", hex_digits):
        raise ValidationError(_("A fingerprint holds only the digits 0 to 9 and the letters A to F, in pairs. "
                                "%(where)s"), where=spec.fingerprint_hint)
    length = len(hex_digits) // 2 if len(hex_digits) % 2 == 0 else None
    if length != wanted.length:
        other = next((d for d in FINGERPRINT_DIGESTS.values() if d.length == length), None)
        if other is not None:
            raise ValidationError(
                _("This is the %(given)s fingerprint (%(given_bytes)s bytes); this field takes the %(digest)s "
                  "one (%(bytes)s bytes). %(where)s"),
                given=other.name, given_bytes=other.length, digest=wanted.name, bytes=wanted.length,
                where=spec.fingerprint_hint)
        raise ValidationError(
            _("A %(digest)s fingerprint has %(bytes)s bytes (%(digits)s hex digits); you entered %(length)s digits. "
              "%(where)s"), digest=wanted.name, bytes=wanted.length, digits=wanted.length * 2,
            length=len(hex_digits), where=spec.fingerprint_hint)
    return ":".join(hex_digits[i:i + 2] for i in range(0, len(hex_digits), 2))


# --- domains -------------------------------------------------------------------------------------------

def app_domain(text: str) -> str:
    """Return the domain an app reaches its backend on, in ASCII (IDNA), or raise.

    An address copied with its scheme or path (https://example.com/api) is taken politely as its host; a www. is
    refused, since MIIT's system refuses it for an app.
    """
    from urllib.parse import urlsplit

    value = unicodedata.normalize("NFKC", text or "").strip()
    if re.match(r"^[a-z][a-z0-9+.\-]*://", value, re.IGNORECASE) or re.search(r"[/?#]", value):
        try:
            value = urlsplit(value if "://" in value else f"//{value}").hostname or ""
        except ValueError:
            pass  # left as it is: domain() says what is wrong with it
    if value.lower().startswith("www.") and value.count(".") >= 2:
        raise ValidationError(_("MIIT's system refuses www. for an app: give the domain itself, like %(domain)s"),
                              domain=value[4:].lower())
    return domain(value).ascii


def app_domains(text: str | Iterable[str]) -> list[str]:
    """Return the app's domains, one a line or separated by commas, in ASCII and in order, or raise."""
    lines = text if not isinstance(text, str) else [text]
    entries = [entry.strip() for line in lines for entry in re.split(r"[\n\r,，、;；\s]+", line or "")]
    entries = [entry for entry in entries if entry]
    if not entries:
        raise ValidationError(_("Enter the domains the app uses to reach its servers, one a line, like "
                                "example.com"))
    if len(entries) > APP_DOMAINS_MAX:
        raise ValidationError(_("Enter at most %(max)s domains; you entered %(count)s"),
                              max=APP_DOMAINS_MAX, count=len(entries))
    domains: list[str] = []
    for entry in entries:
        parsed = app_domain(entry)
        if parsed in domains:
            raise ValidationError(_("%(domain)s is listed twice: enter each domain once"), domain=parsed)
        domains.append(parsed)
    return domains


# --- the number --------------------------------------------------------------------------------------

def app_number(subject_icp_number: str | IcpNumber, serial: int) -> str:
    """Return the ICP number of the app with this serial (shared with the subject's websites), like
    京ICP备16059763号-2A."""
    parsed = subject_icp_number if isinstance(subject_icp_number, IcpNumber) else icp_number(subject_icp_number)
    if parsed.site_suffix is not None:
        raise ValueError(f"{parsed} is a website's or an app's number, not a subject's")
    if serial < 1:
        raise ValueError(f"an app's serial must be 1 or more, not {serial}")
    return str(IcpNumber(parsed.province_code, parsed.digits, serial, "app"))
