"""The plan's own pages, their messages and the shared pages in the reader's målform."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from access.accounts import AccountSettings
from access.models import Role
from measures.models import Organisation
from tests.factories import make_user
from tests.support import as_user

SLUG = "vest-telemark"
KEY = "gott-nokk"
MEASURE = reverse("measures:measure-detail", args=[SLUG, KEY])
OVERVIEW = reverse("measures:agreement-detail", args=[SLUG])


def bokmal(user):
    AccountSettings.objects.create(user=user, language="nb")
    return user


def test_the_measure_page_speaks_bokmal_to_who_chose_it(client, seed, owner):
    page = as_user(client, bokmal(owner)).get(MEASURE).content.decode()
    assert '<html lang="nb"' in page
    for text in (
        "Endre tittelen",
        "Endre tiltaket",
        "Hovedansvarlige og samarbeidspartnere",
        "Avslutningsdato",
        "Avslutt tiltaket",
        "Endringslogg",
        "Importert fra planfil:",
        "Verktøy for seksjonen",
    ):
        assert text in page, text
    for text in (
        "Hovudansvarlege og samarbeidspartar",
        "Importert frå planfil",
        "Tiltaket har ingen omtale enno",
        "Førehandsvis",
    ):
        assert text not in page, text


def test_the_measure_page_speaks_nynorsk_by_default(client, seed, owner):
    page = as_user(client, owner).get(MEASURE).content.decode()
    assert '<html lang="nn"' in page
    assert "Hovudansvarlege og samarbeidspartar" in page and "Importert frå planfil:" in page
    assert "Hovedansvarlige" not in page and "Importert fra planfil" not in page


def test_readers_of_both_malformer_each_get_their_own_cached_overview(client, seed, collaborator):
    county = Organisation.objects.get(key="telemark-fylkeskommune")
    reader_nb = bokmal(make_user("lesar-nb", seed, Role.Kind.PARTNER, county))
    nynorsk = as_user(client, collaborator).get(OVERVIEW).content.decode()
    assert "Innhald på sida" in nynorsk and "Vel eit tiltak for å lese heile omtalen" in nynorsk
    page = as_user(client, reader_nb).get(OVERVIEW).content.decode()
    assert "Innhold på siden" in page and "Velg et tiltak for å lese hele omtalen" in page
    assert "Innhald på sida" not in page and "Tidsline for tiltaka" not in page
    again = as_user(client, collaborator).get(OVERVIEW).content.decode()
    assert "Innhald på sida" in again and "Innhold på siden" not in again


def test_a_refused_close_says_why_in_bokmal(client, seed, owner):
    measure = seed.measures.get(key=KEY)
    as_user(client, bokmal(owner))
    response = client.post(
        reverse("measures:measure-close", args=[SLUG, KEY]),
        {"version": measure.version, "closed_on": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "Skriv datoen tiltaket ble avsluttet." in page
    assert "vart avslutta" not in page
    measure.refresh_from_db()
    assert measure.status == "active"


def test_a_bad_timeframe_is_refused_in_bokmal(client, seed, owner):
    from tests.support import measure_form_data

    measure = seed.measures.get(key=KEY)
    as_user(client, bokmal(owner))
    data = measure_form_data(measure, start_year="2028", end_year="2026")
    page = client.post(reverse("measures:measure-edit", args=[SLUG, KEY]), data).content.decode()
    assert "Sluttåret kan ikke være før startåret." in page
    assert "ikkje vere" not in page
    measure.refresh_from_db()
    assert (measure.start_year, measure.end_year) != (2028, 2026)


def test_a_missing_page_is_said_in_the_readers_malform(client, seed, owner):
    missing = reverse("measures:measure-detail", args=[SLUG, "finst-ikkje"])
    response = as_user(client, bokmal(owner)).get(missing)
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="nb"' in page and "Fant ikke siden" in page and "Til forsiden" in page
    assert "Fann ikkje sida" not in page


def test_a_reader_refused_an_editing_page_reads_why_in_bokmal(client, seed, collaborator):
    response = as_user(client, bokmal(collaborator)).get(
        reverse("measures:measure-edit", args=[SLUG, KEY])
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "Du har ikke tilgang" in page and "Du har ikkje tilgang" not in page


def test_the_server_error_page_follows_the_language():
    with translation.override("nb"):
        page = render_to_string("500.html")
    assert '<html lang="nb">' in page and "Noe gikk galt" in page and "Noko gjekk" not in page
    with translation.override("nn"):
        page = render_to_string("500.html")
    assert '<html lang="nn">' in page and "Noko gjekk gale" in page


def test_the_login_page_answers_a_bokmal_browser(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Brukernavn" in page and "Glemt passordet?" in page
    assert "Brukarnamn" not in page and "Gløymt" not in page
    page = client.get(reverse("login")).content.decode()
    assert "Brukarnamn" in page and "Gløymt passordet?" in page


def test_role_kinds_are_named_in_both_malformer():
    with translation.override("nb"):
        assert Role.Kind.EDITOR.label == "Redaktør (prosjektleder)"
        assert Role.Kind.APPROVER.label == "Godkjenner for kommune"
    with translation.override("nn"):
        assert Role.Kind.EDITOR.label == "Redaktør (prosjektleiar)"
        assert Role.Kind.APPROVER.label == "Godkjennar for kommune"
