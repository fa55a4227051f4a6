"""Login hardening: lockout per username and address, session limits, password change."""

from __future__ import annotations

import time

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from access.models import Role
from bygdevekst.sessions import STARTED_KEY, TOUCHED_KEY
from measures.history import UntrackedChangeError
from measures.models import Measure
from tests.factories import make_agreement, make_user
from tests.support import SEED_SLUG, as_user

PASSWORD = "test-passord-123"


def try_login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_lock_out_that_username_from_that_address(client, owner):
    for _ in range(4):
        assert try_login(client, "prosjektleiar", "feil").status_code == 200
    assert try_login(client, "prosjektleiar", "feil").status_code == 429
    locked = try_login(client, "prosjektleiar", PASSWORD)
    assert locked.status_code == 429
    assert "Vent 15 minutt" in locked.text
    assert "_auth_user_id" not in client.session


def test_the_lockout_spares_colleagues_behind_the_same_address(client, owner, collaborator):
    for _ in range(5):
        try_login(client, "prosjektleiar", "feil")
    assert try_login(client, "fylkeskommunen", PASSWORD).status_code == 302


def test_wrong_passwords_spread_over_many_accounts_lock_the_address(client, owner, seed):
    """Password spraying: 48 wrong passwords over 12 accounts, 4 each, from one address."""
    accounts = [make_user(f"kommune-{n}", seed) for n in range(12)]
    for _ in range(4):
        for account in accounts:
            try_login(client, account.username, "Sommar2026!", address="192.0.2.7")
    locked = try_login(client, "prosjektleiar", PASSWORD, address="192.0.2.7")
    assert locked.status_code == 429 and "Vent 15 minutt" in locked.text
    assert "_auth_user_id" not in client.session
    assert try_login(client, "prosjektleiar", PASSWORD, address="198.51.100.3").status_code == 302


def test_a_few_mistakes_by_colleagues_at_one_address_lock_no_one(client, owner, seed):
    colleagues = [make_user(f"kollega-{n}", seed) for n in range(6)]
    for colleague in colleagues:
        for _ in range(3):
            try_login(client, colleague.username, "feil")
    assert try_login(client, "prosjektleiar", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failures(client, owner):
    for _ in range(4):
        try_login(client, "prosjektleiar", "feil")
    assert try_login(client, "prosjektleiar", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        try_login(client, "prosjektleiar", "feil")
    assert try_login(client, "prosjektleiar", PASSWORD).status_code == 302


def test_the_lockout_ends_after_fifteen_minutes(client, owner, time_machine):
    time_machine.move_to("2026-03-01 10:00:00+01:00", tick=False)
    for _ in range(5):
        try_login(client, "prosjektleiar", "feil")
    assert try_login(client, "prosjektleiar", PASSWORD).status_code == 429
    time_machine.move_to("2026-03-01 10:16:00+01:00", tick=False)
    assert try_login(client, "prosjektleiar", PASSWORD).status_code == 302


def test_a_session_ends_after_the_absolute_limit_however_active(owner_client, settings):
    assert owner_client.get("/").status_code == 200
    session = owner_client.session
    session[STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_HOURS * 3600 - 1
    session.save()
    response = owner_client.get("/")
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert "_auth_user_id" not in owner_client.session


def test_the_idle_limit_is_renewed_while_the_person_is_active(
    client, owner, settings, time_machine
):
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    time_machine.move_to("2026-03-01 10:00:00+01:00", tick=False)
    owner_client = as_user(client, owner)
    owner_client.get("/")
    first_expiry = owner_client.session.get_expiry_date()
    time_machine.move_to("2026-03-01 10:50:00+01:00", tick=False)
    assert owner_client.get("/").status_code == 200
    assert owner_client.session.get_expiry_date() > first_expiry
    time_machine.move_to("2026-03-01 12:00:00+01:00", tick=False)  # an hour and more idle
    assert owner_client.get("/").status_code == 302


def test_login_starts_both_limits_and_the_first_page_after_it_writes_no_session(
    client, owner, time_machine
):
    """The login's own save holds when the session began and was last renewed; the pages that
    follow within the minute read the session and leave its row as it is."""
    time_machine.move_to("2026-03-01 10:00:00+01:00", tick=False)
    assert try_login(client, "prosjektleiar", PASSWORD).status_code == 302
    row = Session.objects.get(session_key=client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    login_moment = int(time.time())
    assert row.get_decoded()[STARTED_KEY] == row.get_decoded()[TOUCHED_KEY] == login_moment
    time_machine.move_to("2026-03-01 10:00:30+01:00", tick=False)
    assert client.get("/").status_code == 200
    plan = client.get(reverse("measures:agreement-detail", args=[SEED_SLUG]))
    assert plan.status_code == 200
    after = Session.objects.get(pk=row.pk)
    assert (after.session_data, after.expire_date) == (row.session_data, row.expire_date)


def test_a_session_without_the_login_marks_is_counted_from_its_next_page(
    owner_client, time_machine
):
    """A session an older release began, before login wrote the marks: its next page starts
    both limits, so the absolute limit holds for it too."""
    session = owner_client.session
    del session[STARTED_KEY], session[TOUCHED_KEY]
    session.save()
    time_machine.move_to("2026-03-01 10:00:00+01:00", tick=False)
    assert owner_client.get("/").status_code == 200
    marks = owner_client.session
    assert marks[STARTED_KEY] == marks[TOUCHED_KEY] == int(time.time())


def test_logout_is_a_post_and_ends_the_session(owner_client):
    assert owner_client.get(reverse("logout")).status_code == 405
    response = owner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert owner_client.get("/").status_code == 302


def test_change_password_checks_the_validators(owner_client, owner):
    url = reverse("password_change")
    page = owner_client.get(url)
    assert page.status_code == 200 and "Endre passord" in page.text
    weak = owner_client.post(
        url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    strong = owner_client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Ny-og-lang-2026!",
            "new_password2": "Ny-og-lang-2026!",
        },
    )
    assert strong.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("Ny-og-lang-2026!")


def test_the_ministry_reads_every_agreement(client, seed):
    other = make_agreement("nordfjord", "Bygdevekstavtale for Nordfjord")
    kdd = make_user("kdd", seed, Role.Kind.MINISTRY)
    client.force_login(kdd)
    text = client.get("/").text
    # KDD's table names each pilot and links to its agreement.
    assert "Vest-Telemarkpiloten" in text and "Bygdevekstavtale for Nordfjordpiloten" in text
    assert other.get_absolute_url() in text and seed.get_absolute_url() in text
    assert client.get(reverse("measures:agreement-detail", args=[other.slug])).status_code == 200


def test_tracked_models_refuse_bulk_updates(seed):
    with pytest.raises(UntrackedChangeError):
        Measure.objects.filter(agreement=seed).update(title="x")
    assert not Measure.objects.filter(title="x").exists()
