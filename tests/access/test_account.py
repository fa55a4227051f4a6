"""The user's page (/konto/): the målform of the web interface, chosen or from the agreements."""

from __future__ import annotations

from django.urls import reverse

from access.accounts import AccountSettings
from access.models import Role
from tests.factories import make_agreement, make_user
from tests.support import as_user

ACCOUNT = reverse("access:account")
LANGUAGE = reverse("access:account-language")


def nav_of(client, seed) -> str:
    return client.get(reverse("measures:agreement-detail", args=[seed.slug])).content.decode()


def test_a_user_who_chose_bokmal_sees_the_chrome_in_bokmal(client, seed, owner):
    AccountSettings.objects.create(user=owner, language="nb")
    page = nav_of(as_user(client, owner), seed)
    assert '<html lang="nb"' in page
    assert "Politisk behandling" in page and "Organisasjoner" in page
    assert "Hopp til hovedinnholdet" in page
    assert "Politisk handsaming" not in page and "Organisasjonar" not in page


def test_without_a_choice_the_interface_follows_the_agreements_malform(client, seed, owner):
    page = nav_of(as_user(client, owner), seed)
    assert '<html lang="nn"' in page and "Politisk handsaming" in page
    seed.language = "nb"
    seed.save()
    page = nav_of(client, seed)
    assert '<html lang="nb"' in page and "Politisk behandling" in page


def test_agreements_of_both_malformer_give_nynorsk(client, seed, owner):
    seed.language = "nb"
    seed.save()
    Role.objects.create(user=owner, agreement=make_agreement("nordfjord"), kind=Role.Kind.EDITOR)
    page = as_user(client, owner).get(ACCOUNT).content.decode()
    assert '<html lang="nn"' in page and "Kontoen din" in page


def test_the_account_page_changes_the_malform(client, seed, owner):
    as_user(client, owner)
    page = client.get(ACCOUNT).content.decode()
    assert "Som avtalane mine" in page and "Bokmål" in page
    response = client.post(LANGUAGE, {"language": "nb"}, follow=True)
    assert response.redirect_chain == [(ACCOUNT, 302)]
    page = response.content.decode()
    assert "Målformen er lagret." in page and '<html lang="nb"' in page
    assert AccountSettings.objects.get(user=owner).language == "nb"
    client.post(LANGUAGE, {"language": ""})
    assert AccountSettings.objects.get(user=owner).language == ""
    assert '<html lang="nn"' in client.get(ACCOUNT).content.decode()


def test_a_malform_not_offered_is_refused(client, seed, owner):
    AccountSettings.objects.create(user=owner, language="nb")
    response = as_user(client, owner).post(LANGUAGE, {"language": "en"})
    assert response.status_code == 400
    assert "Velg et gyldig valg" in response.content.decode()
    assert AccountSettings.objects.get(user=owner).language == "nb"


def test_the_setting_is_changed_only_by_post_and_only_when_logged_in(client, seed):
    assert client.get(ACCOUNT).status_code == 302  # to the login page
    assert client.post(LANGUAGE, {"language": "nb"}).status_code == 302
    assert not AccountSettings.objects.exists()
    as_user(client, make_user("lesar", seed, Role.Kind.PARTNER))
    assert client.get(LANGUAGE).status_code == 405


def test_a_visitor_reads_nynorsk_unless_the_browser_asks_for_bokmal(client, db):
    login = reverse("login")
    assert '<html lang="nn"' in client.get(login).content.decode()
    page = client.get(login, headers={"accept-language": "nb-NO,nb;q=0.9,en;q=0.5"})
    assert '<html lang="nb"' in page.content.decode()
    assert "Accept-Language" in page.headers["Vary"]
    page = client.get(login, headers={"accept-language": "de,en;q=0.5"})
    assert '<html lang="nn"' in page.content.decode()
