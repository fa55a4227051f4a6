"""An invitation gives a role only while its sender may still give it: checked when the link
is used, by the service itself; withdrawing the sender's role or closing their account
withdraws what they sent, and the people page says so."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from access.accounts import deactivate
from access.invitations import accept, invite
from access.models import Invitation, Role
from measures.models import Organisation
from tests.factories import make_user
from tests.support import SEED_SLUG

PEOPLE = reverse("measures:people", args=[SEED_SLUG])
LOST = "Den som inviterte deg, kan ikkje lenger gje denne rolla"


def _path(message) -> str:
    return urlsplit(re.search(r"https?://\S+/invitasjon/\S+/", message.body).group(0)).path


@pytest.fixture
def leader(seed):
    return make_user("leiar", seed, Role.Kind.EDITOR)


@pytest.fixture
def kdd(seed):
    return make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))


@pytest.fixture
def sent(seed, leader, django_capture_on_commit_callbacks):
    """The project leader has invited Per as a second editor; the path of his link."""
    with django_capture_on_commit_callbacks(execute=True):
        invite(agreement=seed, email="per@example.no", kind="editor", organisation=None, by=leader)
    return _path(mail.outbox[-1])


def _create_account(client, path):
    data = {"first_name": "Per", "username": "per", "password1": "Bygdevekst-2026-sterkt"}
    return client.post(path, {**data, "password2": data["password1"]})


def test_an_invitation_whose_sender_lost_the_role_is_refused_at_acceptance(
    client, seed, leader, kdd, sent
):
    Role.objects.get(user=leader, kind=Role.Kind.EDITOR).delete()  # e.g. in the admin
    page = client.get(sent)
    assert page.status_code == 410 and LOST in page.text
    refused = _create_account(client, sent)
    assert refused.status_code == 410
    assert not get_user_model().objects.filter(username="per").exists()
    assert not Role.objects.filter(user__email="per@example.no").exists()


def test_the_service_itself_refuses_a_sender_without_authority(seed, leader, sent):
    per = get_user_model().objects.create_user("per", email="per@example.no")
    invitation = Invitation.objects.get(email="per@example.no")
    leader.is_active = False
    leader.save()
    with pytest.raises(ValidationError, match=LOST):
        accept(invitation=invitation, user=per)
    assert not Role.objects.filter(user=per).exists()


def test_the_service_refuses_a_second_use_of_the_same_invitation(seed, leader, sent):
    per = get_user_model().objects.create_user("per", email="per@example.no")
    invitation = Invitation.objects.get(email="per@example.no")
    accept(invitation=invitation, user=per)
    other = get_user_model().objects.create_user("per2", email="per@example.no")
    with pytest.raises(ValidationError, match="alt teken imot"):
        accept(invitation=invitation, user=other)
    assert not Role.objects.filter(user=other).exists()


def test_withdrawing_the_senders_role_withdraws_their_invitations_and_says_so(
    client, seed, leader, kdd, sent
):
    client.force_login(kdd)
    role = Role.objects.get(user=leader, kind=Role.Kind.EDITOR)
    answer = client.post(reverse("measures:role-withdraw", args=[SEED_SLUG, role.pk]), follow=True)
    assert "Invitasjonen leiar hadde sendt til per@example.no, er trekt tilbake." in answer.text
    assert Invitation.objects.get(email="per@example.no").state == Invitation.State.WITHDRAWN
    people = client.get(PEOPLE).text
    assert "trekte tilbake invitasjonen til per@example.no" in people
    assert client.get(sent).status_code == 410


def test_an_invitation_the_sender_may_still_give_survives_a_change_of_their_role(
    client, seed, leader, kdd, django_capture_on_commit_callbacks
):
    """KDD's project-leader invitation stands while KDD keeps the ministry role."""
    with django_capture_on_commit_callbacks(execute=True):
        invite(agreement=seed, email="ny@example.no", kind="editor", organisation=None, by=kdd)
    role = Role.objects.get(user=leader, kind=Role.Kind.EDITOR)
    client.force_login(kdd)
    client.post(reverse("measures:role-withdraw", args=[SEED_SLUG, role.pk]))
    assert Invitation.objects.get(email="ny@example.no").state == Invitation.State.PENDING


def test_closing_the_senders_account_withdraws_their_invitations(seed, leader, kdd, sent):
    deactivate(leader, by="operatør")
    assert Invitation.objects.get(email="per@example.no").state == Invitation.State.WITHDRAWN
