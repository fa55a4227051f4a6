"""Password reset by e-mail: a link to a new password, the same answer for every address, and
no more than a few e-mails to one address an hour."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from access.password_reset import RESET_MAILS_PER_HOUR

RESET = reverse("password_reset")
NEW_PASSWORD = "Nytt-passord-for-2026"


def ask(client, email):
    return client.post(RESET, {"email": email}, follow=True)


def test_the_login_page_links_to_password_reset(client):
    page = client.get(reverse("login")).text
    assert f'href="{RESET}"' in page and "Gløymt passordet?" in page


def test_a_reset_link_sets_a_new_password_that_logs_in(client, kari, settings):
    settings.SITE_URL = "https://bygdevekst.example.no"
    page = ask(client, "KARI@example.no")
    assert "Sjå e-posten din" in page.text
    [message] = mail.outbox
    assert message.to == ["kari@example.no"] and message.subject == "Nytt passord i Bygdevekst"
    assert "Brukarnamnet ditt er kari." in message.body
    link = re.search(r"https://bygdevekst\.example\.no(/konto/passord/nytt/\S+/)", message.body)
    assert link, message.body

    form = client.get(link.group(1), follow=True)
    assert "Vel nytt passord" in form.text and 'name="new_password1"' in form.text
    set_url = form.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Passordet er endra" in done.text

    client.logout()
    login = reverse("login")
    assert (
        client.post(login, {"username": "kari", "password": "test-passord-123"}).status_code == 200
    )
    assert client.post(login, {"username": "kari", "password": NEW_PASSWORD}).status_code == 302
    # The link was for one use.
    again = client.get(link.group(1), follow=True)
    assert "Lenkja er brukt eller har gått ut." in again.text


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, kari):
    known = ask(client, "kari@example.no")
    unknown = ask(client, "ingen@example.no")
    assert unknown.redirect_chain == known.redirect_chain
    main = re.compile(r"<main.*</main>", re.S)
    assert main.search(unknown.text).group(0) == main.search(known.text).group(0)
    assert [m.to for m in mail.outbox] == [["kari@example.no"]]


def test_an_inactive_account_gets_no_mail(client, kari):
    kari.is_active = False
    kari.save()
    assert "Sjå e-posten din" in ask(client, "kari@example.no").text
    assert mail.outbox == []


def test_one_address_gets_a_few_mails_an_hour_and_the_same_page_after(client, kari):
    pages = [ask(client, "kari@example.no") for _ in range(RESET_MAILS_PER_HOUR + 2)]
    assert len(mail.outbox) == RESET_MAILS_PER_HOUR
    assert {page.redirect_chain[-1][0] for page in pages} == {reverse("password_reset_done")}
    assert ask(client, "ola@example.no").status_code == 200  # others are not held back


def test_the_link_is_built_from_site_url_not_the_host_header(client, kari, settings):
    settings.SITE_URL = "https://bygdevekst.example.no"
    settings.ALLOWED_HOSTS = ["*"]
    client.post(RESET, {"email": "kari@example.no"}, HTTP_HOST="angripar.example")
    [message] = mail.outbox
    assert "angripar" not in message.body
    assert urlsplit(re.search(r"https://\S+", message.body).group(0)).netloc == (
        "bygdevekst.example.no"
    )


def test_a_forged_link_sets_no_password(client, kari):
    page = client.get(reverse("password_reset_confirm", args=["MQ", "feil-lenkje"]))
    assert "Lenkja er brukt eller har gått ut." in page.text
    assert get_user_model().objects.get(pk=kari.pk).check_password("test-passord-123")


def test_a_reset_link_sent_before_the_account_was_closed_no_longer_works(client, kari):
    from access.accounts import deactivate

    ask(client, "kari@example.no")
    link = re.search(r"https?://\S+(/konto/passord/nytt/\S+/)", mail.outbox[-1].body).group(1)
    deactivate(kari, by="operatør")
    form = client.get(link, follow=True)
    assert 'name="new_password1"' not in form.text
    kari.refresh_from_db()
    assert kari.check_password("test-passord-123")
