"""
Production hardening in one place: `check --deploy`, the settings DEBUG=0 produces, the
security headers every page carries, HTTPS-only behaviour, CSRF and the login lockout.
(The reviewer-workflow tests cover lockout and CSRF on the review pages in depth.)
"""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.site_pages import build_site, site_pages

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "review.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://review.example.org",
}
SECURITY_SETTINGS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
]


def run(args, **env):
    """Run a Python command in the project directory with a clean, production-like environment."""
    # Nothing from the test run leaks in (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    leaks = {
        *PRODUCTION_ENV,
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "BEHIND_PROXY",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    }
    base = {k: v for k, v in os.environ.items() if k not in leaks and not k.startswith("SECURE_")}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "mgreview.settings", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def production_settings(**env):
    """The security settings mgreview/settings.py produces in this environment."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --------------------------------------------------------------------------
# check --deploy and the production settings


def test_check_deploy_reports_no_issues_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_catches_a_weakened_setting():
    # The check above can fail: turn HSTS off and it says so.
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV, SECURE_HSTS_SECONDS="0"
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_debug_off_turns_on_https_only_settings():
    prod = production_settings(**PRODUCTION_ENV)
    assert prod["DEBUG"] is False
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert prod["SESSION_COOKIE_SECURE"] is True
    assert prod["CSRF_COOKIE_SECURE"] is True
    assert prod["SESSION_COOKIE_HTTPONLY"] is True
    assert prod["CSRF_COOKIE_HTTPONLY"] is True


def production_overrides():
    """override_settings() arguments: the HTTPS-only settings exactly as DEBUG=0 produces them."""
    prod = production_settings(**PRODUCTION_ENV)
    prod.pop("DEBUG")
    prod["SECURE_PROXY_SSL_HEADER"] = tuple(prod["SECURE_PROXY_SSL_HEADER"])
    return prod


# --------------------------------------------------------------------------
# Headers on every page


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(client):
    site = build_site()
    for page in site_pages(site):
        client.logout()
        if page.user:
            client.force_login(getattr(site, page.user))
        response = client.get(page.url)
        assert response.status_code == page.status, page.label
        assert response["X-Content-Type-Options"] == "nosniff", page.label
        assert response["Referrer-Policy"] == "same-origin", page.label
        assert response["X-Frame-Options"] == "DENY", page.label
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", page.label
        assert_strict_csp(response["Content-Security-Policy"], response.content.decode(), page.label)


def assert_strict_csp(policy, html, label):
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'", label
    assert directives["script-src"] == "'self'", label
    assert directives["style-src"] == "'self'", label
    assert directives["object-src"] == "'none'", label
    assert directives["base-uri"] == "'none'", label
    assert directives["frame-ancestors"] == "'none'", label
    assert directives["form-action"] == "'self'", label
    assert "unsafe" not in policy, label
    # The header names no nonce, so a nonce in the page would be one no header allows.
    assert " nonce=" not in html, label


@pytest.mark.django_db
def test_responses_to_bad_requests_carry_the_headers_too(client):
    for response in (client.get("/no-such-page/"), client.post(reverse("home"))):
        assert response.status_code in {404, 405}
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in response["Content-Security-Policy"]


# --------------------------------------------------------------------------
# HTTPS only, with the production settings


@pytest.mark.django_db
def test_production_redirects_plain_http_to_https():
    with override_settings(**production_overrides()):
        response = Client().get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


@pytest.mark.django_db
def test_production_trusts_the_proxy_header_and_sends_hsts():
    with override_settings(**production_overrides()):
        response = Client().get(reverse("home"), headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_production_cookies_are_secure_and_http_only(alice):
    from tests.factories import PASSWORD

    with override_settings(**production_overrides()):
        client = Client(headers={"x-forwarded-proto": "https"})
        client.get(reverse("login"))
        csrf = client.cookies[settings.CSRF_COOKIE_NAME]
        response = client.post(
            reverse("login"),
            {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": csrf.value, "next": "/"},
            headers={"referer": "https://testserver/accounts/login/"},
        )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (csrf, session):
        assert cookie["secure"] is True, cookie.key
        assert cookie["httponly"] is True, cookie.key
        assert cookie["samesite"] == "Lax", cookie.key


# --------------------------------------------------------------------------
# CSRF and lockout smoke checks on the login form


@pytest.mark.django_db
def test_login_without_csrf_token_is_refused(alice):
    from tests.factories import PASSWORD

    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert settings.SESSION_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_even_for_the_right_password(client, alice):
    from tests.factories import PASSWORD

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert response["X-Frame-Options"] == "DENY"
