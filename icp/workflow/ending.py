"""Ending an order early: the applicant withdraws it (the engine frees its code, subject and domain)."""
from __future__ import annotations

from datetime import datetime

from icp.workflow import engine


def withdraw(table, filing: dict, *, actor: str, now: datetime, reason: str = "") -> dict:
    """Withdraw the order: frees its subject, domain and service code, in one write with its history event."""
    return engine.apply(table, filing, "withdraw", role="applicant", actor=actor, now=now, note=reason)
