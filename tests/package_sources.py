"""What goes into the Lambda package of the project's own code, and the AWS services that code calls."""
from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILE = ROOT / "zappa_settings.json"


# the project's own code, as packaged; everything it imports must import from the package alone
SOURCES = ("app.py", "icp", "views", "forms")


def packaged_sources() -> list[Path]:
    """The project's Python files that go into the package (exclude_glob leaves out tools such as run_aws.py)."""
    excluded = json.loads(SETTINGS_FILE.read_text())["dev"]["exclude_glob"]
    files = []
    for source in SOURCES:
        path = ROOT / source
        files += sorted([path] if path.is_file() else path.rglob("*.py"))
    return [file for file in files
            if not any(fnmatch.fnmatch(str(file.relative_to(ROOT)), pattern) for pattern in excluded)]


def boto_services() -> list[str]:
    """The AWS services the project's code creates clients for (their models must be in the package)."""
    pattern = re.compile(r"\b(?:client|boto_client|resource)\(\s*[\"']([a-z0-9-]+)[\"']")
    services = set()
    for file in packaged_sources():
        services.update(pattern.findall(file.read_text(encoding="utf-8")))
    return sorted(services)
