"""An order's answers as summary-list sections, for the check page and the status page."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext

from icp import rules
from icp.order_types import order_type_of
from views.answers import answer_rows
from views.applicant.wizard import step_title, step_url
from views.text import aside, chinese, join_list


def province_name(code: str) -> str:
    """A province in the person's language; English readers also get the Chinese name they will meet."""
    from flask_babel import get_locale

    province = rules.PROVINCES[code]
    return province.name_zh if get_locale().language == "zh" else f"{province.name_en} {province.name_zh}"


def service_rows(verified: dict) -> list[dict]:
    """What step 1 verified about the service: a website's domain, or an app's name and the domains it calls."""
    if verified.get("app_name"):
        return [{"key": gettext("App name"), "value": chinese(verified["app_name"])},
                {"key": gettext("Domains the app calls"), "value": join_list(verified.get("domains") or [])}]
    return [{"key": gettext("Domain"), "value": verified["domain"] if verified["domain"] == verified["domain_ascii"]
             else aside(chinese(verified["domain"]), verified["domain_ascii"])}]


def answer_sections(filing: dict, documents: dict, *, change: bool) -> list[dict]:
    """Sections of (key, value, change link) rows, one per step; links return to the check page."""
    def link(step):
        if not change:
            return lambda field_id=None: None
        return lambda field_id=None: step_url(filing, step, **{"return": "check"}) + (
            f"#{field_id}" if field_id else "")

    verified, order_type = filing["verified"], order_type_of(filing)
    sections = [{"title": step_title("type"), "note": gettext(
        "Verified with the MIIT registry; fixed for this order. To change it, withdraw this order and start again."),
        "rows": [
            {"key": gettext("Filing type"), "value": gettext(rules.FILING_TYPES[verified["filing_type"]].label)},
            {"key": gettext("Province"), "value": province_name(verified["province"])},
            {"key": gettext("Subject"), "value": aside(chinese(verified['subject_name']), chinese(verified['subject_icp_number']))},
            {"key": gettext("Subject nature"), "value": gettext(rules.NATURES[verified["nature"]].label)},
            {"key": gettext("Certificate"), "value": f"{gettext(rules.CERTIFICATE_TYPES[verified['certificate_type']].label)} "
                                                   f"{verified['certificate_number']}"},
            *service_rows(verified),
        ]}]
    if order_type.code == "change_website":  # a change of a filed website: what it keeps as filed instead
        sections = [filed_service_section(verified)]
    code = filing.get("service_code")
    if code:
        url = link("instance")
        sections.append({"title": step_title("instance"), "rows": [
            {"key": gettext("Service code"), "value": code["code"], "change_url": url("service_code")},
            {"key": gettext("Instance"), "value": aside(code["instance_id"], gettext(code["provider"]))},
            {"key": gettext("Region"), "value": code["region"]},
            {"key": gettext("Public IP address"), "value": code["public_ip"]},
        ]})
    for step in order_type.answer_steps:
        if not filing.get(step.saves):
            continue
        url = link(step.code)
        rows = [{"key": row["row"], "value": row["value"], "change_url": url(row["field"])}
                for row in answer_rows(filing, step.code)]
        if step.code == "subject":  # from the MIIT record, not an answer: no Change link
            rows.insert(0, {"key": gettext("Subject name"), "value": filing["subject"]["name"]})
        sections.append({"title": gettext(step.title), "rows": rows})
    if filing["steps"].get(order_type.service_step):
        from icp.documents import documents_for

        def url(kind):
            return url_for("documents.upload", filing_id=filing["id"], kind=kind.code) if change else None

        sections.append({"title": step_title("documents"), "rows": [
            {"key": gettext(kind.label),
             "value": gettext("Uploaded (%(width)d × %(height)d pixels)", width=documents[kind.code]["width"],
                              height=documents[kind.code]["height"]) if kind.code in documents else
             (gettext("Not uploaded") if kind.required else gettext("Not uploaded (optional)")),
             # a missing document is uploaded, not changed
             "change_url": url(kind), "action": None if kind.code in documents else gettext("Upload")}
            for kind in documents_for(filing)]})
    return sections


def filed_service_section(verified: dict) -> dict:
    """An order on a website filed with us (a change): the filed website's number and what a change keeps as
    filed (rules.FIXED_ON_CHANGE, 工信管函〔2019〕633号), without Change links."""
    certificate = f"{gettext(rules.CERTIFICATE_TYPES[verified['certificate_type']].label)} {verified['certificate_number']}"
    return {"id": "filed-website", "fixed": True, "title": gettext("The filed website"), "note": gettext(
        "Filed with MIIT; a change keeps the province, the certificate number and the domain (%(source)s).",
        source=rules.FIXED_ON_CHANGE_SOURCE),
        "rows": [
            {"key": gettext("Website ICP number"), "value": chinese(verified["service_number"])},
            {"key": gettext("Province"), "value": province_name(verified["province"])},
            {"key": gettext("Subject"), "value": aside(chinese(verified["subject_name"]),
                                                        chinese(verified["subject_icp_number"]))},
            {"key": gettext("Subject nature"), "value": gettext(rules.NATURES[verified["nature"]].label)},
            {"key": gettext("Certificate"), "value": certificate},
            *service_rows(verified),
        ]}
