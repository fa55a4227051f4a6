"""People are invited to a role by e-mail, take it through a single-use link, and lose it at
once when it is withdrawn; every change is in the log on the agreement's people page."""

from __future__ import annotations

import datetime
import hashlib
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from access.models import Invitation, Role, RoleEvent
from measures.models import Organisation
from tests.client import Client
from tests.factories import make_agreement, make_user
from tests.support import SEED_SLUG

PEOPLE = reverse("measures:people", args=[SEED_SLUG])
OVERVIEW = reverse("measures:agreement-detail", args=[SEED_SLUG])
EDIT = reverse("measures:agreement-edit", args=[SEED_SLUG])
NEW_PASSWORD = "Bygdevekst-2026-sterkt"


def vinje():
    return Organisation.objects.get(key="vinje-kommune")


def invite(client, email="kari@example.no", kind="approver", organisation=None, capture=None):
    """Post the people page's form; the e-mail is sent when the transaction commits."""
    data = {"email": email, "kind": kind, "organisation": organisation.pk if organisation else ""}
    with capture(execute=True):
        return client.post(PEOPLE, data)


def link_path(message) -> str:
    """The path of the invitation link in an e-mail."""
    link = re.search(r"https?://\S+/invitasjon/\S+/", message.body).group(0)
    return urlsplit(link).path


def create_account(client, path, username="kari", password=NEW_PASSWORD, **extra):
    data = {"first_name": "Kari Nordmann", "username": username, "password1": password}
    data.update({"password2": password, **extra})
    return client.post(path, data)


@pytest.fixture
def invited(owner_client, django_capture_on_commit_callbacks):
    """Kari invited by the project leader as approver for Vinje; the path of her link."""
    response = invite(
        owner_client, organisation=vinje(), capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    owner_client.logout()
    return link_path(mail.outbox[-1])


def test_the_invited_person_sets_a_password_and_has_exactly_that_role(
    owner_client, owner, django_capture_on_commit_callbacks
):
    response = invite(
        owner_client, organisation=vinje(), capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    page = owner_client.get(PEOPLE).text
    assert "Invitasjonen er sendt til kari@example.no." in page
    assert "kari@example.no" in page and "Godkjennar for Vinje kommune" in page
    [message] = mail.outbox
    assert message.to == ["kari@example.no"]
    assert message.subject == "Invitasjon til Bygdevekstavtale for Vest-Telemark i Bygdevekst"
    assert "Rolla di: godkjennar for Vinje kommune." in message.body
    assert "kan brukast éin gong og går ut" in message.body

    owner_client.logout()
    client = owner_client
    form_page = client.get(link_path(message))
    assert form_page.status_code == 200
    assert "Du er invitert som <strong>godkjennar for Vinje kommune</strong>" in form_page.text
    assert 'value="kari@example.no"' in form_page.text  # the suggested username

    response = create_account(client, link_path(message))
    assert response.status_code == 302 and response.url == OVERVIEW
    kari = get_user_model().objects.get(username="kari")
    assert kari.email == "kari@example.no" and kari.check_password(NEW_PASSWORD)
    assert [(r.kind, r.organisation, r.agreement.slug) for r in kari.roles.all()] == [
        ("approver", vinje(), SEED_SLUG)
    ]
    overview = client.get(OVERVIEW)
    assert overview.status_code == 200
    assert "Velkomen! Du er no godkjennar for Vinje kommune" in overview.text
    assert client.get(EDIT).status_code == 403  # an approver reads, and does not edit
    assert client.get(PEOPLE).status_code == 403
    assert "Folk og roller" not in overview.text


def test_the_link_works_once(client, invited):
    assert create_account(client, invited).status_code == 302
    client.logout()
    again = client.get(invited)
    assert again.status_code == 410
    assert "Invitasjonen er alt teken imot, og lenkja kan ikkje brukast på nytt." in again.text
    second = create_account(client, invited, username="kari2")
    assert second.status_code == 410
    assert not get_user_model().objects.filter(username="kari2").exists()
    assert Role.objects.filter(user__email="kari@example.no").count() == 1


def test_an_expired_link_is_refused(client, invited):
    Invitation.objects.update(
        created_at=timezone.now() - datetime.timedelta(days=8),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    page = client.get(invited)
    assert page.status_code == 410
    assert "Invitasjonen har gått ut. Be den som inviterte deg om å sende ho på nytt." in page.text
    assert create_account(client, invited).status_code == 410
    assert not get_user_model().objects.filter(username="kari").exists()


def test_a_link_is_valid_for_seven_days(owner_client, invited):
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    Invitation.objects.update(expires_at=timezone.now() + datetime.timedelta(minutes=1))
    assert owner_client.get(invited).status_code == 200


def test_an_unknown_token_is_not_found(client, invited):
    assert client.get(invited[:-5] + "xxxx/").status_code == 404
    assert client.get("/invitasjon/" + "a" * 200 + "/").status_code == 404


def test_only_a_hash_of_the_token_is_stored(invited):
    token = invited.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in Invitation.objects.values().get().values()]
    assert not any(token in value for value in stored)


def test_a_link_for_one_agreement_never_grants_another(client, seed, invited):
    other = make_agreement("nordfjord", "Bygdevekstavtale for Nordfjord")
    other_url = reverse("measures:agreement-detail", args=["nordfjord"])
    # Whatever the form is sent with, the role is the invitation row's.
    create_account(client, invited, agreement="nordfjord", kind="editor", organisation="")
    kari = get_user_model().objects.get(username="kari")
    assert [(r.agreement_id, r.kind) for r in kari.roles.all()] == [(seed.pk, "approver")]
    assert client.get(other_url).status_code == 404
    assert not other.roles.exists()


def test_a_municipality_approver_cannot_invite(client, seed):
    approver = make_user("vinje", seed, Role.Kind.APPROVER, vinje())
    client.force_login(approver)
    assert client.get(PEOPLE).status_code == 403
    response = client.post(PEOPLE, {"email": "x@example.no", "kind": "partner"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_reader_cannot_invite_and_an_outsider_is_not_told_the_page_exists(
    client, collaborator, outsider
):
    client.force_login(collaborator)
    assert client.post(PEOPLE, {"email": "x@example.no", "kind": "partner"}).status_code == 403
    client.force_login(outsider)
    assert client.get(PEOPLE).status_code == 404
    assert not Invitation.objects.exists()


def test_the_project_leader_cannot_grant_the_ministry_role(
    owner_client, django_capture_on_commit_callbacks
):
    response = invite(owner_client, kind="ministry", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Du kan ikkje gje denne rolla." in response.text
    assert 'value="ministry"' not in response.text
    assert not Invitation.objects.exists() and mail.outbox == []


def test_kdd_grants_the_ministry_role_and_invites_a_project_leader(
    client, seed, django_capture_on_commit_callbacks
):
    kdd = make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))
    client.force_login(kdd)
    capture = django_capture_on_commit_callbacks
    assert invite(client, "ny@kdd.dep.no", "ministry", capture=capture).status_code == 302
    assert invite(client, "leiar@example.no", "editor", capture=capture).status_code == 302
    refused = invite(client, "x@example.no", "approver", vinje(), capture=capture)
    assert "Du kan ikkje gje denne rolla." in refused.text
    assert sorted(Invitation.objects.values_list("email", "kind")) == [
        ("leiar@example.no", "editor"),
        ("ny@kdd.dep.no", "ministry"),
    ]


def test_an_approver_acts_for_a_municipality_or_county_of_the_agreement(
    owner_client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    missing = invite(owner_client, kind="approver", capture=capture)
    assert "Vel kommunen eller fylkeskommunen som godkjennaren handlar for." in missing.text
    husbanken = Organisation.objects.get(key="husbanken")
    wrong = invite(owner_client, kind="approver", organisation=husbanken, capture=capture)
    assert "Husbanken er ikkje ein kommune eller fylkeskommune i avtala." in wrong.text
    bad_address = owner_client.post(PEOPLE, {"email": "ikkje-ei-adresse", "kind": "partner"})
    assert bad_address.status_code == 200
    assert not Invitation.objects.exists() and mail.outbox == []


def test_an_open_invitation_is_not_sent_twice(owner_client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    invite(owner_client, organisation=vinje(), capture=capture)
    again = invite(owner_client, organisation=vinje(), capture=capture)
    assert "kari@example.no er alt invitert til denne rolla." in again.text
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_an_existing_account_logs_in_and_accepts_instead_of_a_second_account(client, seed, invited):
    kari = make_user("kari.n")
    kari.email = "Kari@Example.no"
    kari.save()
    page = client.get(invited)
    assert "Du har alt ein konto med denne e-postadressa." in page.text
    assert 'name="password1"' not in page.text
    create_account(client, invited, username="kari-to")  # a form that is not offered
    assert get_user_model().objects.filter(email__iexact="kari@example.no").count() == 1

    client.force_login(kari)
    assert "Ta imot invitasjonen" in client.get(invited).text
    assert client.post(invited).status_code == 302
    assert [(r.kind, r.organisation) for r in kari.roles.all()] == [("approver", vinje())]
    assert client.get(invited).status_code == 410


def test_someone_logged_in_with_another_address_cannot_take_the_invitation(
    client, collaborator, invited
):
    client.force_login(collaborator)
    page = client.post(invited)
    assert page.status_code == 403
    assert "invitasjonen gjeld ei anna e-postadresse" in page.text
    assert not collaborator.roles.filter(kind="approver").exists()
    assert Invitation.objects.get().accepted_at is None


def test_resending_makes_the_old_link_dead_and_sends_a_new_one(
    owner_client, invited, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.get()
    owner_client.force_login(Role.objects.get(kind="editor").user)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("measures:invitation-resend", args=[SEED_SLUG, invitation.pk]))
    assert len(mail.outbox) == 2
    new_link = link_path(mail.outbox[-1])
    assert new_link != invited
    owner_client.logout()
    assert owner_client.get(invited).status_code == 404
    assert create_account(owner_client, new_link).status_code == 302


def test_a_withdrawn_invitation_no_longer_works(owner_client, owner, invited):
    invitation = Invitation.objects.get()
    owner_client.force_login(owner)
    owner_client.post(reverse("measures:invitation-withdraw", args=[SEED_SLUG, invitation.pk]))
    page = owner_client.get(PEOPLE).text
    assert "Ingen opne invitasjonar." in page
    assert "prosjektleiar trekte tilbake invitasjonen til kari@example.no" in page
    owner_client.logout()
    refused = owner_client.get(invited)
    assert refused.status_code == 410 and "Invitasjonen er trekt tilbake." in refused.text


def test_a_withdrawn_role_is_refused_at_the_next_request(client, owner, seed):
    approver = make_user("vinje", seed, Role.Kind.APPROVER, vinje())
    client.force_login(approver)
    assert client.get(OVERVIEW).status_code == 200
    role = approver.roles.get()

    leader = Client()
    leader.force_login(owner)
    response = leader.post(reverse("measures:role-withdraw", args=[SEED_SLUG, role.pk]))
    assert response.status_code == 302
    assert "vinje er ikkje lenger godkjennar for Vinje kommune." in leader.get(PEOPLE).text

    assert client.get(OVERVIEW).status_code == 404  # same session, next request
    assert "_auth_user_id" in client.session  # still logged in, with nothing to read


def test_a_changed_role_takes_effect_at_the_next_request(client, owner, seed):
    deputy = make_user("nestleiar", seed, Role.Kind.EDITOR)
    client.force_login(deputy)
    assert client.get(EDIT).status_code == 200
    role = deputy.roles.get()

    leader = Client()
    leader.force_login(owner)
    url = reverse("measures:role-edit", args=[SEED_SLUG, role.pk])
    assert leader.get(url).status_code == 200
    assert leader.post(url, {"kind": "partner", "organisation": ""}).status_code == 302

    assert client.get(EDIT).status_code == 403
    assert client.get(OVERVIEW).status_code == 200
    log = leader.get(PEOPLE).text
    assert "prosjektleiar endra rolla til nestleiar frå prosjektleiar til lesar." in log


def test_no_one_changes_or_withdraws_their_own_role(owner_client, owner):
    role = owner.roles.get()
    assert (
        owner_client.post(reverse("measures:role-withdraw", args=[SEED_SLUG, role.pk])).status_code
        == 403
    )
    assert (
        owner_client.get(reverse("measures:role-edit", args=[SEED_SLUG, role.pk])).status_code
        == 403
    )
    assert owner.roles.exists()


def test_the_project_leader_cannot_withdraw_kdd(owner_client, seed):
    kdd = make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))
    role = kdd.roles.get()
    url = reverse("measures:role-withdraw", args=[SEED_SLUG, role.pk])
    assert owner_client.post(url).status_code == 403
    assert kdd.roles.exists()


def test_a_role_in_another_agreement_is_not_found(owner_client, outsider):
    role = outsider.roles.get()
    url = reverse("measures:role-withdraw", args=[SEED_SLUG, role.pk])
    assert owner_client.post(url).status_code == 404
    assert outsider.roles.exists()


def test_the_log_tells_every_step_in_order(client, owner, invited):
    create_account(client, invited)
    client.force_login(owner)
    role = Role.objects.get(user__username="kari")
    client.post(
        reverse("measures:role-edit", args=[SEED_SLUG, role.pk]),
        {"kind": "partner", "organisation": vinje().pk},
    )
    client.post(reverse("measures:role-withdraw", args=[SEED_SLUG, role.pk]))
    page = client.get(PEOPLE).text
    sentences = [
        "prosjektleiar trekte tilbake rolla til kari som lesar for Vinje kommune.",
        "prosjektleiar endra rolla til kari frå godkjennar for Vinje kommune til lesar for "
        "Vinje kommune.",
        "kari tok imot invitasjonen og er no godkjennar for Vinje kommune.",
        "prosjektleiar inviterte kari@example.no som godkjennar for Vinje kommune.",
    ]
    positions = [page.index(sentence) for sentence in sentences]
    assert positions == sorted(positions)
    assert list(RoleEvent.objects.values_list("kind", flat=True)) == [
        "withdrawn",
        "changed",
        "accepted",
        "invited",
    ]


def test_an_address_that_cannot_be_reached_is_in_the_log(
    owner_client, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("access.invitations.send_mail", refuse)
    invite(owner_client, "ola@example.no", "partner", capture=django_capture_on_commit_callbacks)
    assert Invitation.objects.filter(email="ola@example.no").exists()
    page = owner_client.get(PEOPLE).text
    assert "E-posten til ola@example.no om rolla som lesar kunne ikkje sendast." in page


def test_the_navigation_links_the_people_page_for_those_who_manage_it(
    owner_client, client, collaborator
):
    assert 'href="/avtale/vest-telemark/tilgangar/"' in owner_client.get(OVERVIEW).text
    client.force_login(collaborator)
    assert "/tilgangar/" not in client.get(OVERVIEW).text
