"""Registration, log-in limits and log-out through the real forms."""
from __future__ import annotations

import pytest

from tests.conftest import csrf_token, field_error, page


def test_register_logs_in_and_lands_on_my_filings(client, auth):
    response = auth.register()
    assert response.status_code == 302
    soup = page(client.get(response.location))
    assert "new@example.com" in soup.find(class_="header").get_text()


@pytest.mark.parametrize("field, values, message", [
    ("email", {"email": ""}, "Enter your e-mail address"),
    ("email", {"email": "not-an-address"}, "in the correct format"),
    ("mobile", {"mobile": ""}, "Enter your mobile number"),
    ("mobile", {"mobile": "12345"}, "mobile"),
    ("mobile", {"mobile": "010-62345678"}, "mobile"),
    ("password", {"password": "short"}, "at least 10 characters"),
    ("confirm", {"confirm": "something-else"}, "Enter the same password in both fields"),
])
def test_registration_errors_are_next_to_the_field(client, auth, field, values, message):
    response = auth.register(**values)
    soup = page(response)
    assert soup.title.string.startswith("Error:")
    assert message.lower() in field_error(soup, field).lower()


def test_registration_keeps_what_was_entered(client, auth):
    soup = page(auth.register(mobile="12345", email="keep@example.com"))
    assert soup.find(id="email")["value"] == "keep@example.com"
    assert soup.find(id="mobile")["value"] == "12345"


def test_duplicate_email_is_refused_next_to_the_field(client, auth):
    soup = page(auth.register(email="applicant@example.com"))
    assert "already exists" in field_error(soup, "email")


def test_mobile_is_stored_normalised(app, client, auth):
    auth.register(email="norm@example.com", mobile="+86 139 1234 5678")
    from icp.accounts import get_account

    assert get_account(app.extensions["icp_table"], "norm@example.com").mobile == "13912345678"


def test_wrong_password_gets_a_clear_message(client, auth):
    soup = page(auth.login(password="wrong-password"))
    assert "not right" in field_error(soup, "password")


def test_failed_logins_are_limited_per_account(client, auth, clock):
    for _ in range(5):
        auth.login(password="wrong-password")
    soup = page(auth.login())  # even the right password is refused while the limit holds
    assert "Too many failed attempts" in field_error(soup, "password")
    clock.advance(minutes=16)
    assert auth.login().status_code == 302


def test_failed_logins_are_limited_per_address(app, clock):
    from tests.conftest import AuthActions

    client = app.test_client()
    actions = AuthActions(client)
    for n in range(20):
        actions.login(email=f"nobody{n}@example.com", password="wrong-password")
    soup = page(actions.login())
    assert "Too many failed attempts" in field_error(soup, "password")


def test_limit_holds_across_app_instances(tmp_path, clock):
    """Two app instances on one table (like two Lambda instances) share the counters."""
    from tests.conftest import AuthActions, make_app

    first = make_app("local", tmp_path, clock)
    from app import create_app

    second = create_app({"data_dir": str(tmp_path / "data"), "secret_key": "test-secret-key-" + "x" * 32,
                         "TESTING": True, "ICP_CLOCK": clock})
    for _ in range(3):
        AuthActions(first.test_client()).login(password="wrong-password")
    for _ in range(2):
        AuthActions(second.test_client()).login(password="wrong-password")
    soup = page(AuthActions(first.test_client()).login())
    assert "Too many failed attempts" in field_error(soup, "password")


def test_log_out_needs_post_with_csrf(client, auth):
    auth.login()
    assert client.get("/log-out").status_code == 405
    app = client.application
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/log-out", data={}).status_code == 400
    assert auth.logout().status_code == 302
    assert client.get("/filings").status_code == 302  # back to log-in


def test_staff_accounts_only_through_the_cli(app, runner):
    result = runner.invoke(args=["icp", "create-user", "--email", "r2@example.com", "--role", "reviewer",
                                 "--password", "long-enough-password"])
    assert result.exit_code == 0, result.output
    from icp.accounts import get_account

    assert get_account(app.extensions["icp_table"], "r2@example.com").role == "reviewer"
    again = runner.invoke(args=["icp", "create-user", "--email", "r2@example.com", "--role", "reviewer",
                                "--password", "long-enough-password"])
    assert again.exit_code != 0 and "exists" in again.output


def test_passwords_are_hashed_with_scrypt_at_the_production_work_factor(tmp_path, monkeypatch):
    """The suite hashes cheaply (tests/conftest.py); production's method is scrypt with N=2**15, r=8, p=1."""
    from datetime import datetime, timezone

    from icp import accounts
    from icp.store.sqlite import SQLiteTable
    from tests.conftest import PRODUCTION_PASSWORD_METHOD

    assert PRODUCTION_PASSWORD_METHOD == "scrypt:32768:8:1"
    monkeypatch.setattr(accounts, "PASSWORD_METHOD", PRODUCTION_PASSWORD_METHOD)
    table = SQLiteTable(str(tmp_path / "icp.sqlite3"))
    table.ensure_schema()
    now = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
    accounts.create_account(table, email="strong@example.com", password="a-long-password", mobile="13912345678",
                            now=now)
    stored_hash = table.get(*accounts.account_key("strong@example.com"))["password_hash"]
    assert stored_hash.startswith("scrypt:32768:8:1$")
    assert accounts.authenticate(table, email="strong@example.com", password="a-long-password", address="10.0.0.1",
                                 now=now).email == "strong@example.com"


def test_registration_form_has_no_role_field(client):
    soup = page(client.get("/register"))
    assert soup.find(attrs={"name": "role"}) is None


def test_csrf_is_required_on_register(app, client):
    response = client.post("/register", data={"email": "x@example.com", "mobile": "13912345678",
                                              "password": "a-long-password", "confirm": "a-long-password"})
    soup = page(response, 400)
    assert "expired" in soup.h1.get_text()
    from icp.accounts import get_account

    assert get_account(app.extensions["icp_table"], "x@example.com") is None
    assert csrf_token(client, "/register")


def test_logged_in_people_skip_the_log_in_and_register_pages(client, auth):
    auth.login()
    assert client.get("/log-in").location == "/filings"
    assert client.get("/register").location == "/filings"
