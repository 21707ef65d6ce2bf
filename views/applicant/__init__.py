"""The applicant's pages: My filings, the wizard's steps, documents, the status page and what follows submission."""
from __future__ import annotations


def blueprints() -> list:
    """The applicant's blueprints, with every module that registers pages on them imported."""
    from views.applicant import (after_number, apk, change, documents, filings, mobile_codes, steps,  # noqa: F401
                                 verification)  # each registers its routes
    from views.applicant.blueprint import bp

    return [bp, documents.bp, verification.phone_bp]
