"""An address that opens many invitation links that do not work (wrong, used or expired
tokens) is refused the invitation page for the rest of the hour, and told why."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access.invitations import FAILED_LINKS_PER_HOUR, invite
from access.models import Invitation, Role
from limits import counters
from tests.client import Client

REFUSED = "For mange lenkjer som ikkje verkar"


def link(token: str) -> str:
    return reverse("access:invitation", args=[token])


@pytest.fixture
def pending(seed, owner) -> str:
    """A working link: the token of a pending invitation to the seed agreement."""
    return invite(
        agreement=seed, email="ola@example.no", kind=Role.Kind.PARTNER, organisation=None, by=owner
    )


def test_wrong_links_from_one_address_are_refused_after_the_limit(pending):
    guesser = Client(REMOTE_ADDR="192.0.2.7")
    for n in range(FAILED_LINKS_PER_HOUR):
        assert guesser.get(link(f"gjetta-{n}")).status_code == 404
    # Now even the right link is refused from that address, with a page that says why.
    refused = guesser.get(link(pending))
    assert refused.status_code == 429
    assert REFUSED in refused.text and "Vent ein time og prøv igjen." in refused.text
    # Another address still gets its invitation.
    other = Client(REMOTE_ADDR="192.0.2.8").get(link(pending))
    assert other.status_code == 200 and "Lag kontoen din" in other.text


def test_expired_links_count_and_working_ones_do_not(pending):
    visitor = Client(REMOTE_ADDR="192.0.2.9")
    for _ in range(FAILED_LINKS_PER_HOUR + 5):
        assert visitor.get(link(pending)).status_code == 200
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    for _ in range(FAILED_LINKS_PER_HOUR):
        assert visitor.get(link(pending)).status_code == 410
    assert REFUSED in visitor.get(link(pending)).text


def test_the_refusal_ends_with_its_hour(pending, monkeypatch):
    guesser = Client(REMOTE_ADDR="192.0.2.10")
    for n in range(FAILED_LINKS_PER_HOUR):
        guesser.get(link(f"gjetta-{n}"))
    assert guesser.get(link(pending)).status_code == 429
    later = timezone.now() + datetime.timedelta(hours=1)
    monkeypatch.setattr(counters.timezone, "now", lambda: later)
    assert guesser.get(link(pending)).status_code == 200
