"""An order's answers as summary-list sections, for the check page and the status page."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext

from icp import rules
from views import day
from views.applicant.wizard import STEP_TITLES, step_url
from views.text import aside, chinese, join_list


def province_name(code: str) -> str:
    """A province in the person's language; English readers also get the Chinese name they will meet."""
    from flask_babel import get_locale

    province = rules.PROVINCES[code]
    return province.name_zh if get_locale().language == "zh" else f"{province.name_en} {province.name_zh}"


def _labels(codes: list, table: dict) -> str:
    return join_list(gettext(getattr(table[c], "label", table[c])) for c in codes) if codes else ""


def _person_rows(person: dict, who: str, url) -> list[dict]:
    """Rows of one person's details; `who` names the person in each key."""
    valid = gettext("Long-term") if person.get("certificate_long_term") else day(person.get("certificate_valid_until"))
    return [
        {"key": gettext("%(who)s: name", who=who), "value": person.get("name"), "change_url": url("name")},
        {"key": gettext("%(who)s: certificate", who=who),
         "value": f"{gettext(rules.CERTIFICATE_TYPES[person['certificate_type']].label)} "
                  f"{person.get('certificate_number')}", "change_url": url("certificate_number")},
        {"key": gettext("%(who)s: certificate valid until", who=who), "value": valid,
         "change_url": url("certificate_valid_until")},
        {"key": gettext("%(who)s: mobile", who=who), "value": person.get("mobile"), "change_url": url("mobile")},
        {"key": gettext("%(who)s: emergency phone", who=who), "value": person.get("emergency_phone"),
         "change_url": url("emergency_phone")},
        {"key": gettext("%(who)s: e-mail", who=who), "value": person.get("email"), "change_url": url("email")},
    ]


def answer_sections(filing: dict, documents: dict, *, change: bool) -> list[dict]:
    """Sections of (key, value, change link) rows, one per step; links return to the check page."""
    def link(step):
        if not change:
            return lambda field_id=None: None
        return lambda field_id=None: step_url(filing, step, **{"return": "check"}) + (
            f"#{field_id}" if field_id else "")

    verified = filing["verified"]
    sections = [{"title": STEP_TITLES["type"], "note": gettext(
        "Verified with the MIIT registry; fixed for this order. To change it, withdraw this order and start again."),
        "rows": [
            {"key": gettext("Filing type"), "value": gettext(rules.FILING_TYPES[verified["filing_type"]].label)},
            {"key": gettext("Province"), "value": province_name(verified["province"])},
            {"key": gettext("Subject"), "value": aside(chinese(verified['subject_name']), chinese(verified['subject_icp_number']))},
            {"key": gettext("Subject nature"), "value": gettext(rules.NATURES[verified["nature"]].label)},
            {"key": gettext("Certificate"), "value": f"{gettext(rules.CERTIFICATE_TYPES[verified['certificate_type']].label)} "
                                                   f"{verified['certificate_number']}"},
            {"key": gettext("Domain"), "value": verified["domain"] if verified["domain"] == verified["domain_ascii"]
             else aside(chinese(verified["domain"]), verified["domain_ascii"])},
        ]}]
    code = filing.get("service_code")
    if code:
        url = link("instance")
        sections.append({"title": STEP_TITLES["instance"], "rows": [
            {"key": gettext("Service code"), "value": code["code"], "change_url": url("service_code")},
            {"key": gettext("Instance"), "value": aside(code["instance_id"], gettext(code["provider"]))},
            {"key": gettext("Region"), "value": code["region"]},
            {"key": gettext("Public IP address"), "value": code["public_ip"]},
        ]})
    subject = filing.get("subject")
    if subject:
        url = link("subject")
        sections.append({"title": STEP_TITLES["subject"], "rows": [
            {"key": gettext("Subject name"), "value": subject["name"]},
            {"key": gettext("Address on the certificate"), "value": subject["certificate_address"],
             "change_url": url("certificate_address")},
            {"key": gettext("Mailing address"), "value": subject["mailing_address"],
             "change_url": url("mailing_address")},
            {"key": gettext("Investor or supervising unit"), "value": subject["investor"],
             "change_url": url("investor")},
            *_person_rows(subject["leader"], gettext("Subject leader"), lambda n: url(f"leader_{n}")),
        ]})
    website = filing.get("website")
    if website:
        url = link("website")
        rows = [
            {"key": gettext("Website name"), "value": website["name"], "change_url": url("name")},
            {"key": gettext("Home page address"), "value": website["home_url"], "change_url": url("home_url")},
            {"key": gettext("Service content"), "value": _labels(website["service_content"], rules.SERVICE_CONTENT),
             "change_url": url("service_content")},
            {"key": gettext("Website languages"), "value": _labels(website["languages"], rules.WEBSITE_LANGUAGES),
             "change_url": url("languages")},
            {"key": gettext("Pre-approval items"),
             "value": _labels(website["preapproval_items"], rules.PREAPPROVAL_ITEMS) or gettext("None"),
             "change_url": url("preapproval_items")},
        ]
        if website["preapproval_items"]:
            rows.append({"key": gettext("Approval"), "value": aside(chinese(website["approval_number"]),
                                                                    chinese(website["approval_department"])),
                         "change_url": url("approval_number")})
        rows.append({"key": gettext("Remarks"), "value": website["remarks"], "change_url": url("remarks")})
        if website["administrator_is_leader"]:
            rows.append({"key": gettext("Website administrator"), "value": gettext("The subject leader"),
                         "change_url": url("administrator_is_leader")})
        else:
            rows += _person_rows(website["administrator"], gettext("Website administrator"),
                                 lambda n: url(f"administrator_{n}"))
        sections.append({"title": STEP_TITLES["website"], "rows": rows})
    if filing["steps"].get("website"):
        from icp.documents import documents_for

        def url(kind):
            return url_for("documents.upload", filing_id=filing["id"], kind=kind.code) if change else None

        sections.append({"title": STEP_TITLES["documents"], "rows": [
            {"key": gettext(kind.label),
             "value": gettext("Uploaded (%(width)d × %(height)d pixels)", width=documents[kind.code]["width"],
                              height=documents[kind.code]["height"]) if kind.code in documents else
             (gettext("Not uploaded") if kind.required else gettext("Not uploaded (optional)")),
             # a missing document is uploaded, not changed
             "change_url": url(kind), "action": None if kind.code in documents else gettext("Upload")}
            for kind in documents_for(filing)]})
    return sections
