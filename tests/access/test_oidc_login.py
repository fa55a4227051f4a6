"""Logging in with OpenID Connect, against a real provider in its own process
(tests/oidc_provider): nobody gets in without an invitation, and every answer that does not hold
is refused, with a message, logged without tokens."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from access import invitations
from access.models import Identity, Role
from bygdevekst.logs import JsonFormatter
from measures.models import Organisation
from tests.oidc_provider.scenarios import SCENARIOS
from tests.oidc_provider.visitor import ProviderVisitor

START = reverse("access:oidc-start", args=["testid"])


def vinje():
    return Organisation.objects.get(key="vinje-kommune")


def invitation_token(owner, email="kari@example.no") -> str:
    return invitations.invite(
        agreement=owner.roles.first().agreement,
        email=email,
        kind=Role.Kind.APPROVER,
        organisation=vinje(),
        by=owner,
    )


def log_in(client: Client, visitor: ProviderVisitor, provider="testid", **form):
    """Press the provider's button, log in there, and come back: the application's answer."""
    start = client.post(reverse("access:oidc-start", args=[provider]), form)
    assert start.status_code == 302, start.text
    return client.get(visitor.back_to_app(start["Location"]), follow=True)


def test_an_invited_person_accepts_by_logging_in_and_reaches_the_same_account_again(testid, owner):
    token = invitation_token(owner)
    client = Client()
    invitation_page = client.get(reverse("access:invitation", args=[token])).text
    assert "Logg inn med TestID" in invitation_page

    kari = ProviderVisitor("kari")
    page = log_in(client, kari, invitation=token)

    assert page.resolver_match.url_name == "agreement-detail"
    assert "Velkomen! Du er no godkjennar for Vinje kommune" in page.text
    account = get_user_model().objects.get(email="kari@example.no")
    assert not account.has_usable_password()
    assert Role.objects.filter(user=account, kind="approver", organisation=vinje()).exists()
    assert Identity.objects.get(user=account).subject == "testid-kari"

    again = Client()
    page = log_in(again, ProviderVisitor("kari"))
    assert page.context["user"] == account
    assert "Vest-Telemark" in page.text
    assert get_user_model().objects.filter(email="kari@example.no").count() == 1
    # The link was used by the first login: it cannot bind anyone else.
    stranger = log_in(Client(), ProviderVisitor("ola"), invitation=token)
    assert "Invitasjonen er alt teken imot" in stranger.text
    assert not Identity.objects.filter(subject="testid-ola").exists()


def test_an_unknown_subject_is_told_who_can_invite_them_and_nobody_is_made(testid):
    users = get_user_model().objects.count()
    page = log_in(Client(), ProviderVisitor("ukjend"))
    assert page.status_code == 403
    assert "Bygdevekst kjenner deg ikkje att" in page.text
    assert "Prosjektleiaren for avtala inviterer kommunane" in page.text
    assert not page.context["user"].is_authenticated
    assert get_user_model().objects.count() == users
    assert not Identity.objects.exists()


def test_an_address_with_an_account_is_not_matched_by_email(testid, owner, kari):
    """Kari has an account with the invited address: logging in at the provider does not take
    it over; she logs in with it and connects the provider herself."""
    token = invitation_token(owner, email=kari.email)
    page = log_in(Client(), ProviderVisitor("kari"), invitation=token)
    assert page.status_code == 410
    assert "Du har alt ein konto med denne e-postadressa" in page.text
    assert not Identity.objects.exists()
    assert not kari.roles.filter(kind="approver").exists()


def test_a_person_logged_in_connects_the_provider_to_their_own_account(testid, kari):
    client = Client()
    client.force_login(kari)
    page = log_in(client, ProviderVisitor("nils"), connect="1")
    assert "No kan du logge inn med TestID" in page.text
    assert "Med TestID (kopla til" in page.text
    client.logout()
    page = log_in(Client(), ProviderVisitor("nils"))
    assert page.context["user"] == kari


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_an_answer_that_does_not_hold_is_refused_and_logged_without_tokens(
    scenario, oidc_provider, settings, owner, caplog
):
    """Wrong nonce, issuer or audience, an expired token, a level of assurance below the one
    required, `alg: none`, a key the JWKS does not publish: each refused; the invitation stays
    unused."""
    settings.OIDC_PROVIDERS = oidc_provider.settings_for(scenario)
    token = invitation_token(owner)
    client = Client()
    start = client.post(
        reverse("access:oidc-start", args=[f"testid-{scenario}"]), {"invitation": token}
    )
    back = ProviderVisitor("kari").back_to_app(start["Location"])
    with caplog.at_level(logging.INFO):
        page = client.get(back)
    assert page.status_code == 403
    expected = (
        "lågare tryggleiksnivå"
        if scenario == "low-acr"
        else "svaret derifrå ikkje kunne stadfestast"
    )
    assert expected in page.text
    assert not page.wsgi_request.user.is_authenticated
    assert not get_user_model().objects.filter(email="kari@example.no").exists()
    code = parse_qs(urlsplit(back).query)["code"][0]
    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "oidc_login_refused" in logged
    assert code not in logged


def test_a_wrong_state_is_refused(testid):
    client = Client()
    start = client.post(START)
    back = ProviderVisitor("kari").back_to_app(start["Location"])
    parts = urlsplit(back)
    query = parse_qs(parts.query)
    forged = f"{parts.path}?{urlencode({'code': query['code'][0], 'state': 'forged'})}"
    page = client.get(forged)
    assert page.status_code == 403
    assert "Innlogginga kunne ikkje fullførast" in page.text


def test_a_code_is_used_once(testid, kari):
    Identity.objects.create(user=kari, provider="testid", subject="testid-kari")
    visitor = ProviderVisitor("kari")
    client = Client()
    first_back = visitor.back_to_app(client.post(START)["Location"])
    assert client.get(first_back).status_code == 302
    # Replayed as it was (its state is spent) ...
    attacker = Client()
    assert attacker.get(first_back).status_code == 403
    # ... and with a state of the attacker's own: the provider will not exchange it again.
    own_state = parse_qs(urlsplit(visitor.back_to_app(attacker.post(START)["Location"])).query)
    code = parse_qs(urlsplit(first_back).query)["code"][0]
    replay = (
        f"{urlsplit(first_back).path}?{urlencode({'code': code, 'state': own_state['state'][0]})}"
    )
    page = attacker.get(replay)
    assert page.status_code == 403
    assert "svaret derifrå ikkje kunne stadfestast" in page.text
    assert not page.wsgi_request.user.is_authenticated
