"""A new measure in one step: its fields, leads and partners, saved together or not at all."""

from __future__ import annotations

import html
import re

from django.urls import reverse

from measures.models import Involvement, Measure, Organisation
from tests.support import dump_database

SLUG = "vest-telemark"
CREATE = reverse("measures:measure-create", args=[SLUG])


def page_text(response) -> str:
    """What a person reads: the page without its tags, its spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.text)
    return re.sub(r"\s+([,.)])", r"\1", re.sub(r"\s+", " ", html.unescape(text)))


def org(key: str) -> Organisation:
    return Organisation.objects.get(key=key)


def new_measure(seed, **changes) -> dict:
    data = {
        "sub_goal": seed.sub_goals.get(number=2).pk,
        "number": 5,
        "title": "Lokal matproduksjon",
        "start_year": 2026,
        "end_year": 2028,
        "priority": "now",
        "leads": [org("vest-telemarkradet").pk, org("pilotkommunane").pk],
        "partners": [org("husbanken").pk],
    }
    return data | changes


def test_the_form_offers_each_organisation_of_the_agreement_as_lead_and_as_partner(owner_client):
    text = page_text(owner_client.get(CREATE))
    assert "Hovudansvarlege og samarbeidspartar" in text
    assert "Organisasjon Hovudansvarleg Samarbeidspart" in text
    for organisation in Organisation.objects.all():  # the seed's alone: all of them
        assert f"{organisation.name} som hovudansvarleg" in text
        assert f"{organisation.name} som samarbeidspart" in text
    assert "Kommune Fyresdal kommune" in text  # grouped by kind
    assert Organisation.objects.count() >= 14


def test_a_new_measure_shows_its_leads_and_partners_as_chosen(owner_client, seed):
    response = owner_client.post(CREATE, new_measure(seed), follow=True)
    text = page_text(response)
    assert "Tiltak 2.5 er oppretta. Legg til tekstane." in text
    measure = Measure.objects.get(title="Lokal matproduksjon")
    # The register's order: kind by kind, so the collective «Pilotkommunane» comes after the
    # regional council.
    assert measure.leads_display() == "Vest-Telemarkrådet og Pilotkommunane"
    assert measure.partners_display() == "Husbanken"
    page = page_text(owner_client.get(measure.get_absolute_url()))
    assert "Vest-Telemarkrådet og Pilotkommunane" in page
    assert "Husbanken" in page
    assert measure.version == 1
    changelog = page_text(
        owner_client.get(reverse("measures:measure-history", args=[SLUG, measure.key]))
    )
    assert "prosjektleiar oppretta Husbanken som samarbeidspart" in changelog


def test_the_same_organisation_may_lead_and_be_a_partner_as_in_the_plan(owner_client, seed):
    """Measure 3.4 of the approved plan has the county in both roles; a new one may too."""
    county = org("telemark-fylkeskommune").pk
    owner_client.post(CREATE, new_measure(seed, leads=[county], partners=[county]))
    measure = Measure.objects.get(title="Lokal matproduksjon")
    assert (measure.leads_display(), measure.partners_display()) == (
        "Telemark fylkeskommune",
        "Telemark fylkeskommune",
    )


def test_a_lead_written_as_free_text_is_enough(owner_client, seed):
    data = new_measure(seed, leads_more="næringssjefane i avtalekommunane")
    del data["leads"]
    owner_client.post(CREATE, data)
    measure = Measure.objects.get(title="Lokal matproduksjon")
    assert measure.leads_display() == "næringssjefane i avtalekommunane"


def test_a_measure_without_a_lead_is_refused_beside_the_field_and_nothing_saved(owner_client, seed):
    before = dump_database()
    data = new_measure(seed)
    del data["leads"]
    response = owner_client.post(CREATE, data)
    assert response.status_code == 200
    text = page_text(response)
    lead_error = "Vel minst éin hovudansvarleg, eller skriv kven som er hovudansvarleg"
    assert lead_error in text
    assert text.index(lead_error) > text.index("Hovudansvarlege og samarbeidspartar")
    # What was ticked stays ticked.
    assert (
        f'name="partners" value="{org("husbanken").pk}" id="partner-{org("husbanken").pk}" checked'
        in response.text
    )
    assert dump_database() == before


def test_bad_input_elsewhere_saves_no_organisations_either(owner_client, seed):
    before = dump_database()
    response = owner_client.post(CREATE, new_measure(seed, end_year=2031))
    assert response.status_code == 200
    assert dump_database() == before
    assert f'id="lead-{org("pilotkommunane").pk}" checked' in response.text


def test_an_unknown_organisation_is_refused_and_nothing_saved(owner_client, seed):
    before = dump_database()
    response = owner_client.post(CREATE, new_measure(seed, partners=["999999"]))
    assert "Vel organisasjonar frå lista: 999999 finst ikkje i registeret." in page_text(response)
    assert dump_database() == before


def test_a_reader_may_not_create_a_measure_with_organisations(client, collaborator, seed):
    client.force_login(collaborator)
    before = dump_database()
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, new_measure(seed)).status_code == 403
    assert dump_database() == before
    assert not Involvement.objects.filter(measure__title="Lokal matproduksjon").exists()
