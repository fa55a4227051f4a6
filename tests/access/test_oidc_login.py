"""Logging in with OpenID Connect, against a real provider in its own process
(tests/oidc_provider): nobody gets in without an invitation, and every answer that does not hold
is refused, with a message, logged without tokens."""

from __future__ import annotations

import html
import logging
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from access import invitations
from access.models import Identity, Role
from bygdevekst.logs import JsonFormatter
from measures.models import Organisation
from tests.client import Client
from tests.factories import make_user
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


def button_link(page: str, label: str = "Logg inn med TestID") -> str:
    """The address of the provider's button on a page."""
    match = re.search(rf'<a [^>]*href="([^"]+)"[^>]*>{label}</a>', page)
    assert match, f"No button «{label}» on the page"
    return html.unescape(match.group(1))


def log_in(client: Client, visitor: ProviderVisitor, start_url: str = START):
    """Follow the provider's button, log in there, and come back: the application's answer."""
    start = client.get(start_url)
    assert start.status_code == 302, start.text
    return client.get(visitor.back_to_app(start["Location"]), follow=True)


def accept_link(client: Client, token: str) -> str:
    """The provider's button on the invitation page."""
    return button_link(client.get(reverse("access:invitation", args=[token])).text)


def test_an_invited_person_accepts_by_logging_in_and_reaches_the_same_account_again(testid, owner):
    token = invitation_token(owner)
    client, stranger = Client(), Client()
    # Someone else with the link opens it too, before Kari takes it.
    stranger_link = accept_link(stranger, token)

    page = log_in(client, ProviderVisitor("kari"), accept_link(client, token))

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
    # The link was used by the first login: it binds no one else.
    refused = log_in(stranger, ProviderVisitor("ola"), stranger_link)
    assert "Invitasjonen er alt teken imot" in refused.text
    assert not Identity.objects.filter(subject="testid-ola").exists()


def test_a_button_link_made_elsewhere_binds_nothing(testid, owner):
    """The invitation a login is for is the one the person's own session was shown, never
    one a link names: a forged or borrowed intent is a plain login."""
    token = invitation_token(owner)
    victim = Client()
    link = accept_link(Client(), token)  # someone else's page, someone else's session
    page = log_in(victim, ProviderVisitor("ola"), link)
    assert page.status_code == 403
    assert "Bygdevekst kjenner deg ikkje att" in page.text
    assert not Identity.objects.exists()


def test_an_unknown_subject_is_told_who_can_invite_them_and_nobody_is_made(testid):
    users = get_user_model().objects.count()
    page = log_in(Client(), ProviderVisitor("ukjend"))
    assert page.status_code == 403
    assert "Bygdevekst kjenner deg ikkje att" in page.text
    assert "Prosjektleiaren for avtala inviterer kommunane" in page.text
    assert not page.context["user"].is_authenticated
    assert get_user_model().objects.count() == users
    assert not Identity.objects.exists()


def test_an_address_with_an_account_is_not_matched_by_email(testid, owner):
    """An account with the invited address is made (in another tab) after the invitation page
    was opened: logging in at the provider does not take it over or make a second one."""
    token = invitation_token(owner)
    client = Client()
    link = accept_link(client, token)
    kari = make_user("kari", email="kari@example.no")
    page = log_in(client, ProviderVisitor("kari"), link)
    assert page.status_code == 410
    assert "Du har alt ein konto med denne e-postadressa" in page.text
    assert not Identity.objects.exists()
    assert not kari.roles.exists()
    assert get_user_model().objects.filter(email="kari@example.no").count() == 1
    # And the invitation page itself offers no provider button for such an address.
    page = Client().get(reverse("access:invitation", args=[token])).text
    assert "Logg inn og ta imot" in page
    assert "Logg inn med TestID" not in page


def test_a_person_logged_in_connects_the_provider_to_their_own_account(testid, kari):
    client = Client()
    client.force_login(kari)
    account = client.get(reverse("access:account")).text
    page = log_in(client, ProviderVisitor("nils"), button_link(account, "Kople til TestID"))
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
    start = client.get(accept_link(client, token))
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
    start = client.get(START)
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
    first_back = visitor.back_to_app(client.get(START)["Location"])
    assert client.get(first_back).status_code == 302
    # Replayed as it was (its state is spent) ...
    attacker = Client()
    assert attacker.get(first_back).status_code == 403
    # ... and with a state of the attacker's own: the provider will not exchange it again.
    own_state = parse_qs(urlsplit(visitor.back_to_app(attacker.get(START)["Location"])).query)
    code = parse_qs(urlsplit(first_back).query)["code"][0]
    replay = (
        f"{urlsplit(first_back).path}?{urlencode({'code': code, 'state': own_state['state'][0]})}"
    )
    page = attacker.get(replay)
    assert page.status_code == 403
    assert "svaret derifrå ikkje kunne stadfestast" in page.text
    assert not page.wsgi_request.user.is_authenticated


def test_several_providers_each_have_their_button(oidc_provider, settings, db):
    settings.OIDC_PROVIDERS = oidc_provider.settings_for(label="Ansattporten") | (
        oidc_provider.settings_for("low-acr", label="Entra ID")
    )
    page = Client().get(reverse("login")).text
    assert button_link(page, "Logg inn med Ansattporten") == START
    assert button_link(page, "Logg inn med Entra ID") == reverse(
        "access:oidc-start", args=["testid-low-acr"]
    )


def test_a_discovery_document_naming_another_issuer_is_refused(oidc_provider, settings, db):
    settings.OIDC_PROVIDERS = oidc_provider.settings_for(issuer=oidc_provider.issuer + "/")
    page = Client().get(START)
    assert page.status_code == 403
    assert "svaret derifrå ikkje kunne stadfestast" in page.text


def test_a_login_started_without_the_pages_key_connects_nothing(testid, kari):
    """Kari's own account page offered to connect a provider; a link made elsewhere (a forged
    request from another site, without the page's key) starts a plain login, which binds no
    provider subject to her account."""
    client = Client()
    client.force_login(kari)
    assert "Kople til TestID" in client.get(reverse("access:account")).text
    page = log_in(client, ProviderVisitor("nils"), START)
    assert page.status_code == 403
    assert not Identity.objects.exists()


def test_a_login_already_bound_is_not_silently_taken_for_an_invitation(testid, owner, kari):
    """Kari's provider login belongs to her account; she follows the button on an invitation
    sent to another address: she is logged in as herself and told to open the link again (where
    the page says whose it is), and no role is given on the way."""
    Identity.objects.create(user=kari, provider="testid", subject="testid-kari")
    token = invitation_token(owner, email="kari.privat@example.no")
    client = Client()
    page = log_in(client, ProviderVisitor("kari"), accept_link(client, token))
    assert page.context["user"] == kari
    assert "Opne lenkja i invitasjonen på nytt for å ta imot" in page.text
    assert not kari.roles.exists()
    again = client.get(reverse("access:invitation", args=[token]))
    assert again.status_code == 403
    assert "invitasjonen gjeld ei anna e-postadresse" in again.text
