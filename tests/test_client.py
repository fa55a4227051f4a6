"""The suite's test client (tests/client.py) signs in as a login does, with one session."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.urls import reverse

from bygdevekst.sessions import STARTED_KEY, TOUCHED_KEY
from tests.client import Client
from tests.factories import make_user


def test_force_login_leaves_one_session_marked_as_a_login_does(db):
    kari = make_user("kari")
    client = Client()
    client.force_login(kari)
    [session] = Session.objects.all()
    data = session.get_decoded()
    assert data["_auth_user_id"] == str(kari.pk)
    assert STARTED_KEY in data and TOUCHED_KEY in data
    assert client.cookies["sessionid"].value == session.session_key
    kari.refresh_from_db()
    assert kari.last_login is not None
    assert "kari" in client.get(reverse("access:account")).content.decode()


def test_a_second_person_on_the_same_client_replaces_the_session(db):
    client = Client()
    client.force_login(make_user("kari"))
    first = client.cookies["sessionid"].value
    client.force_login(make_user("ola"))
    [session] = Session.objects.all()
    assert session.session_key != first
    page = client.get(reverse("access:account")).content.decode()
    assert "ola" in page and "kari" not in page
