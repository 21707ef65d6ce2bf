"""Use cases that move a filing: one module per phase. Views call these, never the table directly."""
from icp.workflow.common import FilingNotFound, load_filing, load_filing_with_parts  # noqa: F401
