"""Helpers for the retention tests: what storage still holds of one order, and the retention sweep's line of a
`flask icp run-jobs --now` run (tests/test_retention.py, tests/test_retention_after_service.py, tests/test_account.py)."""
from __future__ import annotations

from icp import retention


def stored_versions(app, filing_id: str) -> int:
    """Every stored version, delete marker or file of one order's documents and pending uploads."""
    blobs = app.extensions["icp_blobs"]
    total = 0
    for prefix in retention.blob_prefixes(filing_id):
        if hasattr(blobs, "client"):
            answer = blobs.client.list_object_versions(Bucket=blobs.bucket, Prefix=prefix)
            total += len(answer.get("Versions", [])) + len(answer.get("DeleteMarkers", []))
        else:
            folder = blobs.root.joinpath(*prefix.strip("/").split("/"))
            total += sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
    return total


def retention_line(app, moment) -> str:
    """The retention sweep's line of `flask icp run-jobs --now <moment>`."""
    result = app.test_cli_runner().invoke(args=["icp", "run-jobs", "--now", moment.isoformat()])
    assert result.exit_code == 0, result.output
    return next(line for line in result.output.splitlines() if line.startswith("retention:"))
