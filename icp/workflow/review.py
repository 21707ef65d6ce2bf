"""Our reviewers' use cases: pass or return an order, check the administrator's photo, send to the administration."""
from __future__ import annotations

from datetime import datetime

from icp import deadlines
from icp import filing as f
from icp import rules
from icp.workflow import engine, sms
from icp.workflow.common import stamp


class ReturnRefused(Exception):
    """A return needs at least one comment, each on something the applicant can change."""


def answers_snapshot(filing: dict, documents: dict) -> dict:
    """What the applicant had answered, kept at a return so the next review sees what changed."""
    from icp.order_types import order_type_of

    return {**order_type_of(filing).snapshot(filing),
            "service_code": (filing.get("service_code") or {}).get("code"),
            "documents": {kind: d["key"] for kind, d in documents.items() if kind != rules.ADMINISTRATOR_PHOTO.code}}


def changes_since_return(filing: dict, documents: dict) -> list[tuple]:
    """What the applicant changed since the order was last returned, for the review that follows the return:
    one (path, old, new) per answer changed, path a tuple such as ("subject", "leader", "mobile") or
    ("service_code",), and one (("document", kind), old key, new key) per document replaced, added or removed.

    Empty outside our review (once the order has passed, a return is history), and the administrator's photo is
    never a change: it is taken after our review, not corrected after a return.
    """
    before = filing.get("returned_snapshot")
    if not before or filing["status"] != f.PROVIDER_REVIEW:
        return []
    now = answers_snapshot(filing, documents)
    changed: list[tuple] = []

    def walk(path: tuple, old, new):
        if isinstance(old, dict) and isinstance(new, dict):
            for key in sorted(set(old) | set(new)):
                walk((*path, key), old.get(key), new.get(key))
        elif old != new:
            changed.append((path, old, new))

    walk((), {k: v for k, v in before.items() if k != "documents"}, {k: v for k, v in now.items() if k != "documents"})
    photo = rules.ADMINISTRATOR_PHOTO.code
    old_documents = {k: v for k, v in before.get("documents", {}).items() if k != photo}
    for kind in sorted(set(old_documents) | set(now["documents"])):
        if old_documents.get(kind) != now["documents"].get(kind):
            changed.append((("document", kind), old_documents.get(kind), now["documents"].get(kind)))
    return changed


def return_with_comments(table, filing: dict, documents: dict, comments: list[dict], *, actor: str,
                         now: datetime, public_url: str = "") -> dict:
    """Return the order to the applicant with comments, each on a field or a document ({target, text})."""
    comments = [c for c in comments if c.get("text", "").strip()]
    if not comments:
        raise ReturnRefused("no comment")
    return engine.apply(
        table, filing, "return", role="reviewer", actor=actor, now=now, note=f"{len(comments)}",
        fields={"comments": comments, "returns": int(filing.get("returns", 0)) + 1, "returned_at": stamp(now),
                "returned_snapshot": answers_snapshot(filing, documents), "overdue": False},
        params={"count": len(comments)}, public_url=public_url)


def pass_review(table, filing: dict, *, actor: str, now: datetime, public_url: str = "") -> dict:
    """Pass our review: the administrator's verification follows, the way the order's policy says."""
    return engine.apply(table, filing, "pass", role="reviewer", actor=actor, now=now,
                        fields={"comments": [], "overdue": False, "passed_at": stamp(now)}, public_url=public_url)


def mark_backdrop_mailed(table, filing: dict, tracking: str, *, actor: str, now: datetime,
                         public_url: str = "") -> dict:
    """Record that the backdrop went out by post, with its tracking number."""
    backdrop = {**(filing.get("backdrop") or {}), "tracking": tracking, "mailed_at": stamp(now)}
    return engine.apply(table, filing, "mark_backdrop_mailed", role="reviewer", actor=actor, now=now,
                        note=tracking, fields={"backdrop": backdrop}, params={"tracking": tracking},
                        public_url=public_url)


def pass_photo(table, filing: dict, *, actor: str, now: datetime, public_url: str = "") -> dict:
    """The administrator's photo meets the rules: the order is ready for the administration."""
    return engine.apply(table, filing, "pass_photo", role="reviewer", actor=actor, now=now,
                        fields={"overdue": False}, public_url=public_url)


def reject_photo(table, filing: dict, reason: str, comment: str, *, actor: str, now: datetime,
                 public_url: str = "") -> dict:
    """The photo breaks a rule: the applicant takes a new one. `reason` is a key of the reasons of the order's way
    of verifying (a backdrop's reason is refused for a live photo, and the other way round): KeyError otherwise."""
    from icp.workflow.verification import photo_rejection_reasons

    if reason not in photo_rejection_reasons(filing):
        raise KeyError(reason)
    rejection = {"reason": reason, "comment": comment, "at": stamp(now)}
    return engine.apply(table, filing, "reject_photo", role="reviewer", actor=actor, now=now, note=reason,
                        fields={"photo_rejections": [*filing.get("photo_rejections", []), rejection],
                                "overdue": False},
                        params={"reason_code": reason, "comment": comment}, public_url=public_url)


def confirm_app_verification(table, filing: dict, *, actor: str, now: datetime, public_url: str = "") -> dict:
    """Shanghai: the administrator verified in the communications administration's app."""
    return engine.apply(table, filing, "confirm_app_verification", role="reviewer", actor=actor, now=now,
                        public_url=public_url)


def send_to_administration(table, filing: dict, *, actor: str, now: datetime, public_url: str = "") -> dict:
    """Send the order to the administration; where the policy says so, MIIT texts codes to both mobiles."""
    low, high = f.policy_of(filing)["administration_review_workdays"]
    fields = {"sent_at": stamp(now)}
    if "sms" in f.routes(filing):
        codes, plain = sms.new_codes(filing)
        fields["sms"] = {"codes": codes, "wrong": 0, "resends": 0, "sent_at": stamp(now)}
        ends_at = deadlines.start(filing, "sms", now=now)["ends_at"]  # the window the engine starts
        change = engine.transition(table, filing, "send", role="reviewer", actor=actor, now=now, fields=fields,
                                   params={"deadline_at": ends_at}, public_url=public_url)
        change.ops += sms.code_messages(change.filing, plain, now=now)
        table.write(change.ops)
        return change.filing
    fields["administration_since"] = stamp(now)
    return engine.apply(table, filing, "send", role="reviewer", actor=actor, now=now, fields=fields,
                        params={"low": low, "high": high}, public_url=public_url)


def record_certificate_view(table, filing: dict, *, actor: str, now: datetime, role: str = "reviewer") -> None:
    """Note in the history that a member of staff saw the whole certificate numbers (not a state change)."""
    table.write(engine.record(filing, "view_certificates", role=role, actor=actor, now=now).ops)
