"""The user's own e-mail address on /konto/: changed only by a link sent to the new address,
opened by the same signed-in user, within its time; and the password-reset e-mail in the
user's own målform, whatever the browser asks for."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from access import email_change
from access.accounts import AccountSettings
from tests.factories import make_user
from tests.support import as_user

ACCOUNT = reverse("access:account")
CHANGE = reverse("access:account-email")
SITE = "https://bygdevekst.example.no"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def ask_for(client, user, email: str, capture) -> str:
    """Ask for `email` on /konto/; the path of the link the e-mail to it carries."""
    with capture(execute=True):
        page = as_user(client, user).post(CHANGE, {"email": email}, follow=True)
    assert f"Vi har sendt ei lenkje til {email}." in page.text
    [message] = mail.outbox
    assert message.to == [email]
    link = re.search(re.escape(SITE) + r"(/konto/e-post/\S+/)", message.body)
    assert link, message.body
    return link.group(1)


def test_the_address_changes_only_when_the_link_is_opened(
    client, kari, django_capture_on_commit_callbacks
):
    path = ask_for(client, kari, "kari.nordmann@example.org", django_capture_on_commit_callbacks)
    kari.refresh_from_db()
    assert kari.email == "kari@example.no"
    assert "kari@example.no" in client.get(ACCOUNT).text
    page = client.get(path, follow=True)
    assert "E-postadressa di er no kari.nordmann@example.org." in page.text
    kari.refresh_from_db()
    assert kari.email == "kari.nordmann@example.org"
    # Used once: opened again, it changes nothing and says so.
    again = client.get(path, follow=True)
    assert "Lenkja er ugyldig, gått ut eller alt brukt" in again.text


def test_a_user_without_an_address_can_add_one(client, db, django_capture_on_commit_callbacks):
    ola = make_user("ola")
    page = as_user(client, ola).get(ACCOUNT).text
    assert "Inga e-postadresse: du får ikkje e-post frå Bygdevekst." in page
    path = ask_for(client, ola, "ola@example.org", django_capture_on_commit_callbacks)
    client.get(path)
    ola.refresh_from_db()
    assert ola.email == "ola@example.org"


def test_another_users_forged_or_expired_link_changes_nothing(
    client, kari, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-05-04 10:00+02:00")
    path = ask_for(client, kari, "ny@example.org", django_capture_on_commit_callbacks)
    other = make_user("per")
    other.email = "kari@example.no"  # an address two people share: the link is still kari's
    other.save()
    refused = as_user(client, other).get(path, follow=True)
    assert "høyrer til ein annan brukar" in refused.text
    other.refresh_from_db()
    assert other.email == "kari@example.no"
    # A token signed without the secret, or for another purpose, is refused.
    forged = email_change.signing.dumps(
        {"user": kari.pk, "old": "kari@example.no", "new": "tjuv@example.org"}, salt="other"
    )
    confirm = reverse("access:account-email-confirm", args=[forged])
    assert "Lenkja er ugyldig" in as_user(client, kari).get(confirm, follow=True).text
    tampered = path[:-2] + ("x" if path[-2] != "x" else "y") + "/"  # the signature's end
    assert "Lenkja er ugyldig" in client.get(tampered, follow=True).text
    kari.refresh_from_db()
    assert kari.email == "kari@example.no"
    # A day and a bit later the genuine link has expired (kari logs in again: her session did).
    time_machine.move_to("2026-05-05 10:01+02:00")
    expired = as_user(client, kari).get(path, follow=True)
    assert "Lenkja er ugyldig, gått ut eller alt brukt" in expired.text
    kari.refresh_from_db()
    assert kari.email == "kari@example.no"


def test_a_link_opened_without_logging_in_asks_for_the_login_first(
    client, kari, django_capture_on_commit_callbacks
):
    path = ask_for(client, kari, "ny@example.org", django_capture_on_commit_callbacks)
    client.logout()
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")
    kari.refresh_from_db()
    assert kari.email == "kari@example.no"


def test_a_bad_or_unchanged_address_is_refused_beside_the_field(client, kari):
    page = as_user(client, kari).post(CHANGE, {"email": "ikkje ei adresse"})
    assert page.status_code == 400 and "Oppgje ei gyldig e-postadresse." in page.text
    same = client.post(CHANGE, {"email": "KARI@example.no"})
    assert same.status_code == 400 and "Det er alt e-postadressa di." in same.text
    assert mail.outbox == []


def test_the_password_reset_mail_follows_the_users_malform_not_the_browser(client, kari):
    AccountSettings.objects.create(user=kari, language="nn")
    client.post(reverse("password_reset"), {"email": "kari@example.no"}, HTTP_ACCEPT_LANGUAGE="nb")
    [message] = mail.outbox
    assert message.subject == "Nytt passord i Bygdevekst"
    assert "Opne lenkja og vel eit nytt passord:" in message.body
    mail.outbox.clear()
    AccountSettings.objects.filter(user=kari).update(language="nb")
    client.post(reverse("password_reset"), {"email": "kari@example.no"}, HTTP_ACCEPT_LANGUAGE="nn")
    [message] = mail.outbox
    assert "Åpne lenken og velg et nytt passord:" in message.body


def test_the_new_address_field_is_styled_as_every_other_input(client, kari):
    client.force_login(kari)
    page = client.get(reverse("access:account")).text
    field = page[page.index('name="email"') - 200 : page.index('name="email"') + 200]
    assert 'class="ds-input' in field
