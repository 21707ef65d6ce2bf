"""Use cases that move a filing: one module per phase. Views call these, never the table directly."""
from icp.workflow.common import (  # noqa: F401
    FilingNotFound,
    filing_and_document_keys,
    load_filing,
    load_filing_with_documents,
    load_filing_with_parts,
)
