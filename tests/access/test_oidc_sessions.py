"""Around the OpenID Connect login: lockout, the session's rules, logging out at the provider
too, the password login turned off, and how the people page shows who logs in how."""

from __future__ import annotations

import html
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from access.models import Identity
from bygdevekst.sessions import STARTED_KEY
from bygdevekst.settings import oidc_providers_from_env
from tests.client import Client
from tests.oidc_provider.visitor import ProviderVisitor
from tests.support import PASSWORD, SEED_SLUG

START = reverse("access:oidc-start", args=["testid"])
CALLBACK = reverse("access:oidc-callback", args=["testid"])


@pytest.fixture
def kari_at_testid(testid, kari):
    Identity.objects.create(user=kari, provider="testid", subject="testid-kari")
    return kari


def come_back(client: Client, visitor: ProviderVisitor):
    return client.get(visitor.back_to_app(client.get(START)["Location"]))


def test_refused_answers_lock_the_provider_out_for_that_address_only(testid):
    client = Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(4):
        assert client.get(CALLBACK, {"code": "x", "state": "forged"}).status_code == 403
    # The fifth refusal locks out, as the fifth wrong password does.
    assert client.get(CALLBACK, {"code": "x", "state": "forged"}).status_code == 429
    assert client.get(START).status_code == 429
    assert client.get(CALLBACK, {"code": "x", "state": "forged"}).status_code == 429
    assert Client(REMOTE_ADDR="10.0.0.6").get(START).status_code == 302


def test_the_session_is_rotated_at_login_and_ends_at_the_absolute_limit(kari_at_testid, settings):
    client = Client()
    start = client.get(START)
    before = client.session.session_key
    back = ProviderVisitor("kari").back_to_app(start["Location"])
    assert client.get(back).status_code == 302
    assert client.session.session_key != before
    assert client.get("/").status_code == 200
    session = client.session
    session[STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_HOURS * 3600 - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_deactivated_account_is_not_logged_in(kari_at_testid):
    kari_at_testid.is_active = False
    kari_at_testid.save()
    page = come_back(Client(), ProviderVisitor("kari"))
    assert page.status_code == 403
    assert "kontoen din i Bygdevekst er stengd" in page.text


def test_logging_out_logs_out_at_the_provider_too(kari_at_testid):
    client, visitor = Client(), ProviderVisitor("kari")
    assert come_back(client, visitor).status_code == 302
    page = client.post(reverse("logout"))
    assert "Du er logga ut av Bygdevekst. No blir du logga ut hos TestID òg." in page.text
    provider_logout = html.unescape(re.search(r'content="0; url=([^"]+)"', page.text).group(1))
    assert f'href="{html.escape(provider_logout)}"' in page.text  # and a link, if it stops
    end_session = urlsplit(provider_logout)
    assert end_session.path == "/end-session"
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/konto/login/"]
    assert query["id_token_hint"]
    assert "_auth_user_id" not in client.session
    # The provider ends its session and sends the person back to the login page ...
    assert visitor.back_to_app(provider_logout).startswith("/konto/login/")
    # ... so that the next login there asks for the password again.
    assert visitor.logins == 1
    assert come_back(client, visitor).status_code == 302
    assert visitor.logins == 2


def test_a_password_login_logs_out_here_only(owner_client):
    response = owner_client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_with_the_password_login_turned_off_no_password_opens_anything(
    testid, settings, owner, kari_at_testid
):
    settings.PASSWORD_LOGIN = False
    client = Client()
    page = client.get(reverse("login")).text
    assert "Logg inn med TestID" in page
    assert 'name="password"' not in page
    refused = client.post(reverse("login"), {"username": owner.username, "password": PASSWORD})
    assert refused.status_code == 403
    admin = client.post("/admin/login/", {"username": owner.username, "password": PASSWORD})
    assert admin.status_code == 302 and admin["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    # The backend itself refuses the password, on every path that asks it.
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.9")
    assert authenticate(request, username=owner.username, password=PASSWORD) is None
    settings.PASSWORD_LOGIN = True
    assert authenticate(request, username=owner.username, password=PASSWORD) == owner
    settings.PASSWORD_LOGIN = False
    assert client.get(reverse("password_reset")).status_code == 404

    assert come_back(client, ProviderVisitor("kari")).status_code == 302
    assert client.session["_auth_user_id"] == str(kari_at_testid.pk)
    account = client.get(reverse("access:account")).text
    assert "Med TestID" in account
    assert "Endre passord" not in account


def test_with_the_password_login_turned_off_an_invitation_is_taken_by_the_provider_only(
    testid, settings, owner
):
    from access import invitations
    from access.models import Role
    from measures.models import Organisation

    settings.PASSWORD_LOGIN = False
    token = invitations.invite(
        agreement=owner.roles.first().agreement,
        email="ny@example.no",
        kind=Role.Kind.APPROVER,
        organisation=Organisation.objects.get(key="vinje-kommune"),
        by=owner,
    )
    client = Client()
    page = client.get(reverse("access:invitation", args=[token])).text
    assert "Logg inn med TestID" in page
    assert 'name="password1"' not in page
    forged = {"username": "ny", "first_name": "Ny", "password1": "Sterkt-2026-x"}
    client.post(
        reverse("access:invitation", args=[token]), forged | {"password2": forged["password1"]}
    )
    assert not Role.objects.filter(user__username="ny").exists()


def test_the_login_page_offers_both_ways_when_both_are_on(testid):
    page = Client().get(reverse("login")).text
    assert "Logg inn med TestID" in page
    assert 'name="password"' in page


def test_the_people_page_shows_how_each_person_logs_in(owner_client, kari_at_testid, seed):
    from access.models import Role
    from measures.models import Organisation

    Role.objects.create(
        user=kari_at_testid,
        agreement=seed,
        kind=Role.Kind.APPROVER,
        organisation=Organisation.objects.get(key="vinje-kommune"),
    )
    page = owner_client.get(reverse("measures:people", args=[SEED_SLUG])).text
    assert "Loggar inn med" in page
    row = page[page.index("kari@example.no") :]
    assert "TestID, Passord" in row[: row.index("</tr>")]


def test_providers_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("OIDC_PROVIDERS", "ansattporten,entra")
    for name, issuer in (
        ("ANSATTPORTEN", "https://ansattporten.no"),
        ("ENTRA", "https://login.microsoftonline.com/tenant/v2.0"),
    ):
        monkeypatch.setenv(f"OIDC_{name}_ISSUER", issuer)
        monkeypatch.setenv(f"OIDC_{name}_CLIENT_ID", f"{name.lower()}-id")
        monkeypatch.setenv(f"OIDC_{name}_CLIENT_SECRET", "hemmeleg")
    monkeypatch.setenv("OIDC_ANSATTPORTEN_ACR_VALUES", "idporten-loa-substantial idporten-loa-high")
    monkeypatch.setenv("OIDC_ANSATTPORTEN_LABEL", "Ansattporten")
    providers = oidc_providers_from_env()
    assert list(providers) == ["ansattporten", "entra"]
    assert providers["ansattporten"]["acr_values"] == [
        "idporten-loa-substantial",
        "idporten-loa-high",
    ]
    assert providers["entra"]["acr_values"] == []
    assert providers["entra"]["scopes"] == ["openid", "profile"]
    monkeypatch.delenv("OIDC_ENTRA_CLIENT_SECRET")
    with pytest.raises(ImproperlyConfigured, match="OIDC_ENTRA_CLIENT_SECRET"):
        oidc_providers_from_env()
    monkeypatch.setenv("OIDC_PROVIDERS", "Ansatt Porten")
    with pytest.raises(ImproperlyConfigured):
        oidc_providers_from_env()
