"""The rules of the house (DESIGN.md), read from the code's own imports so a move cannot undo them."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports_of(path: str) -> set[str]:
    """Every module a file imports, at its top or inside a function, relative imports made absolute."""
    file = ROOT / path
    package = ".".join(Path(path).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def reaches(path: str, *modules: str) -> list[str]:
    """The imports of `path` that are one of `modules` or inside one of them."""
    return sorted(m for m in imports_of(path) if any(m == t or m.startswith(t + ".") for t in modules))


def sources(folder: str) -> list[str]:
    """The Python files under a folder of the project, as paths relative to the checkout."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", sources("icp"))
def test_the_domain_imports_neither_flask_nor_forms_nor_views(path):
    assert not reaches(path, "flask", "flask_babel", "flask_login", "flask_wtf", "wtforms", "forms", "views")


@pytest.mark.parametrize("path", sources("views"))
def test_views_touch_neither_boto_nor_sql(path):
    assert not reaches(path, "boto3", "botocore", "sqlite3")


@pytest.mark.parametrize("path", sources("forms"))
def test_forms_never_touch_storage(path):
    assert not reaches(path, "icp.store", "boto3", "sqlite3")


def test_the_checks_are_rules_and_import_no_use_case():
    assert not reaches("icp/checks.py", "icp.workflow")


def test_settings_import_neither_sessions_nor_boto():
    assert not reaches("icp/settings.py", "icp.sessions", "icp.store", "boto3", "botocore")


def test_the_storage_ports_leave_the_boto3_session_to_its_own_module():
    # the ports may name botocore's exceptions (unavailable_errors); sessions and clients live in icp/store/boto.py
    assert not reaches("icp/store/__init__.py", "boto3", "botocore.session", "botocore.config", "icp.store.boto")


def test_the_laptop_launcher_lives_in_tools_not_among_the_blueprints():
    assert not (ROOT / "views" / "run_aws.py").exists() and (ROOT / "tools" / "run_aws.py").exists()


@pytest.mark.parametrize("console, others", [
    ("views/administration/__init__.py", ("views.review", "views.console")),
    ("views/review/__init__.py", ("views.administration", "views.console")),
    ("views/console.py", ("views.review", "views.administration", "views.applicant")),
    ("views/staff.py", ("views.review", "views.administration", "views.console", "views.applicant")),
])
def test_a_console_takes_nothing_from_another_console(console, others):
    # what the staff consoles share lives in views/staff.py (or the domain), not in one of them
    assert not reaches(console, *others)


@pytest.mark.parametrize("path", sources("tests") + sources("bench"))
def test_shared_test_helpers_live_in_helper_modules_not_in_test_modules(path):
    assert not [m for m in imports_of(path) if m.startswith("tests.test_")]
