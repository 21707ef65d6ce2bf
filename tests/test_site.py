"""Pages every visitor sees: the home page, the language switch, security headers, the CLI set-up."""
from __future__ import annotations

import pytest

from tests.conftest import page


@pytest.mark.parametrize("accept, lang, heading", [
    ("zh-CN,zh;q=0.9,en;q=0.5", "zh-CN", "ICP"),
    ("en-GB,en;q=0.9", "en", "File a new website for ICP"),
    ("fr-FR", "en", "File a new website for ICP"),
])
def test_language_follows_the_browser(client, accept, lang, heading):
    soup = page(client.get("/", headers={"Accept-Language": accept}))
    assert soup.html["lang"] == lang
    assert heading in soup.h1.get_text()


def test_chinese_home_page_is_translated(client):
    soup = page(client.get("/", headers={"Accept-Language": "zh-CN"}))
    assert "File a new website" not in soup.h1.get_text()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in soup.h1.get_text())


def test_switch_keeps_the_page_and_sticks(client):
    response = client.get("/language/zh?next=/log-in")
    assert response.status_code == 302 and response.location == "/log-in"
    soup = page(client.get("/log-in", headers={"Accept-Language": "en"}))
    assert soup.html["lang"] == "zh-CN"
    switch = soup.find("a", hreflang="en")
    assert "next=/log-in" in switch["href"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_switch_never_redirects_off_site(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.location == "/"


def test_every_page_has_security_headers(client):
    for path in ("/", "/log-in", "/register", "/static/site.css"):
        response = client.get(path)
        headers = response.headers
        response.close()
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_flags(client, auth):
    response = auth.login()
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_and_ssm_secret_outside_local(tmp_path, monkeypatch):
    from moto import mock_aws

    from app import create_app
    from icp.settings import ConfigurationError

    with mock_aws():
        with pytest.raises(ConfigurationError):
            create_app({"backend": "aws", "data_dir": str(tmp_path), "aws_region": "cn-north-1"})
        import boto3

        boto3.client("ssm", region_name="cn-north-1").put_parameter(
            Name="/icp/test/secret", Value="s" * 48, Type="SecureString")
        app = create_app({"backend": "aws", "data_dir": str(tmp_path), "aws_region": "cn-north-1",
                          "secret_key_parameter": "/icp/test/secret"})
        assert app.config["SECRET_KEY"] == "s" * 48
        assert app.config["SESSION_COOKIE_SECURE"] is True


def test_local_secret_key_is_generated_once(tmp_path):
    from app import create_app

    first = create_app({"data_dir": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"data_dir": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_prepare_local_provisions_and_seeds_once(tmp_path):
    from app import create_app

    app = create_app({"data_dir": str(tmp_path)})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["icp", "prepare-local"])
    assert first.exit_code == 0, first.output
    assert "applicant@example.com" in first.output
    second = runner.invoke(args=["icp", "prepare-local"])
    assert "already loaded" in second.output


def test_unknown_page_is_404(client):
    assert client.get("/no-such-page").status_code == 404


def test_a_new_account_can_be_given_an_instance(app, runner, auth, client):
    auth.register(email="fresh@example.com")
    result = runner.invoke(args=["icp", "add-instance", "--owner", "fresh@example.com"])
    assert result.exit_code == 0, result.output
    soup = page(client.get("/console/service-codes"))
    # the new instance is listed with its own application form for codes
    assert "Apply for codes" in soup.get_text()
    assert soup.find("input", attrs={"name": "count"}) is not None
    unknown = runner.invoke(args=["icp", "add-instance", "--owner", "nobody@example.com"])
    assert unknown.exit_code != 0 and "no account" in unknown.output


def test_terms_page_explains_with_the_chinese_term(client):
    soup = page(client.get("/terms", headers={"Accept-Language": "en"}))
    row = next(dt for dt in soup.find_all("dt") if "Subject leader" in dt.get_text())
    assert "主体负责人" in row.get_text()
    assert soup.find("a", href="/terms")  # linked from every page's footer


def test_importing_the_app_in_tests_writes_nothing_into_the_checkout():
    from pathlib import Path

    import app as module

    checkout = Path(__file__).resolve().parent.parent
    data_dir = Path(module.app.config["ICP_SETTINGS"].data_dir).resolve()
    assert checkout not in data_dir.parents and data_dir != checkout


@pytest.mark.parametrize("backend, public_url, s3_endpoint, secure", [
    ("local", "http://127.0.0.1:5000", None, False),
    ("aws", "https://icp-filing.example.com", None, True),
    # `make run-aws`: the site and its moto server on this machine, over plain http
    ("aws", "http://127.0.0.1:5000", "http://127.0.0.1:5001", False),
    ("aws", "http://localhost:5000", "http://localhost:5001", False),
    # anything else fails closed: a forgotten ICP_PUBLIC_URL (its default is http://127.0.0.1:5000) ...
    ("aws", "http://127.0.0.1:5000", None, True),
    # ... or an http address of another host
    ("aws", "http://icp-filing.example.com", "http://127.0.0.1:5001", True),
    ("aws", "http://127.0.0.1:5000", "http://minio.internal:9000", True),
])
def test_cookies_are_secure_unless_everything_is_on_this_machine(backend, public_url, s3_endpoint, secure):
    from icp.settings import from_environment

    settings = from_environment(environ={"ICP_BACKEND": backend, "ICP_PUBLIC_URL": public_url,
                                         **({"ICP_S3_ENDPOINT": s3_endpoint} if s3_endpoint else {})})
    assert settings.served_over_https is secure


def test_the_readme_names_every_variable_the_app_reads():
    from icp.settings import ENVIRONMENT, PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    configuration = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in ENVIRONMENT if f"| `{name}` |" not in configuration]
    assert not missing, f"add these to the README's configuration table: {missing}"
