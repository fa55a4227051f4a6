"""Production safety: deploy checks, security headers, error pages, the health endpoint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_under_production_settings():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; production never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "prod-9Xq!Lm2@Zr7#Tb4$Wc8%Yd1^Ve6&Uf3*Sg5",
        "ALLOWED_HOSTS": "bygdevekst.example.no",
        "SECURE_COOKIES": "true",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "SMTP_HOST": "smtp.example.no",
        "DJANGO_SETTINGS_MODULE": "bygdevekst.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_carry_a_strict_content_security_policy_and_security_headers(owner_client):
    response = owner_client.get(reverse("measures:agreement-detail", args=["vest-telemark"]))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "img-src 'self' data:" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'style="' not in response.text and "<script>" not in response.text


def test_the_session_cookie_is_http_only(client, owner):
    response = client.post(
        reverse("login"), {"username": "prosjektleiar", "password": "test-passord-123"}
    )
    assert response.cookies["sessionid"]["httponly"]


@pytest.mark.parametrize(
    "url, status, text",
    [
        ("/finst-ikkje/", 404, "Fann ikkje sida"),
        ("/avtale/finst-ikkje/", 404, "Fann ikkje sida"),
    ],
)
def test_error_pages_are_in_nynorsk_and_leak_nothing(owner_client, url, status, text):
    response = owner_client.get(url)
    assert response.status_code == status
    assert (
        text in response.text
        and "Traceback" not in response.text
        and "Fann inga slik avtale" not in response.text
    )


def test_the_403_page_is_in_nynorsk(client, collaborator):
    client.force_login(collaborator)
    response = client.get(reverse("measures:agreement-edit", args=["vest-telemark"]))
    assert response.status_code == 403 and "Du har ikkje tilgang" in response.text


def test_the_500_page_is_in_nynorsk_and_leaks_nothing(client, db):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Noko gjekk gale" in html and '<html lang="nn">' in html


def test_the_health_endpoint_needs_no_login_and_checks_the_database(client, db, monkeypatch):
    response = client.get(reverse("health"))
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")

    class Unreachable:
        def cursor(self):
            raise RuntimeError("database down")

    monkeypatch.setattr("bygdevekst.health.connection", Unreachable())
    down = client.get(reverse("health"))
    assert down.status_code == 503 and "down" not in down.text


@override_settings(DEBUG=False)
def test_a_post_to_health_is_refused(client, db):
    assert client.post(reverse("health")).status_code == 405


def test_health_answers_over_plain_http_when_everything_else_is_redirected(client, db, settings):
    """The compose health check asks http://127.0.0.1:8000/helse/ behind SECURE_SSL_REDIRECT."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_a_failing_health_check_logs_why(client, db, monkeypatch, caplog):
    class Unreachable:
        def cursor(self):
            raise ConnectionRefusedError("connection to server at 10.0.0.5, port 5432 refused")

    monkeypatch.setattr("bygdevekst.health.connection", Unreachable())
    response = client.get(reverse("health"))
    assert response.status_code == 503 and "10.0.0.5" not in response.text
    logged = [r for r in caplog.records if r.name == "bygdevekst.health"]
    assert logged and logged[0].levelname == "ERROR"
    assert "port 5432 refused" in logged[0].getMessage()
    assert logged[0].cause.startswith("ConnectionRefusedError")


@pytest.mark.parametrize(
    "name, args",
    [
        ("measures:agreement-detail", ["vest-telemark"]),
        ("budget:edit", ["vest-telemark"]),
        ("reporting:report-pdf", ["vest-telemark", 2025]),
        ("reporting:report-xlsx", ["vest-telemark", 2025]),
    ],
)
def test_what_a_logged_in_person_sees_is_kept_by_no_cache(owner_client, name, args):
    response = owner_client.get(reverse(name, args=args))
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_the_login_page_is_not_cached_either(client, db):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
