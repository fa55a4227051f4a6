"""Closing a measure, deleting a section and removing an organisation ask first; a measure's
closing date lies in the agreement period and not in the future."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from measures.models import Section
from tests.support import CONFIRMED, dump_database

SLUG = "vest-telemark"
KEY = "gott-nokk"


def close(client, seed, closed_on: str, **extra):
    url = reverse("measures:measure-close", args=[SLUG, KEY])
    return client.post(
        url, {"closed_on": closed_on, "version": seed.measures.get(key=KEY).version, **extra}
    )


def test_closing_without_confirming_changes_nothing_and_says_what_will_happen(owner_client, seed):
    before = dump_database()
    asked = close(owner_client, seed, "2026-03-01")
    assert asked.status_code == 200
    assert dump_database() == before
    assert "Avslutte tiltak 1.3 Pilot: «Gøtt nøkk»?" in asked.text
    assert "Tiltaket blir merka «Avslutta» med datoen under" in asked.text
    assert 'value="2026-03-01"' in asked.text and 'name="confirmed" value="ja"' in asked.text
    close(owner_client, seed, "2026-03-01", **CONFIRMED)
    measure = seed.measures.get(key=KEY)
    assert measure.status == "closed" and measure.closed_on == datetime.date(2026, 3, 1)


def test_the_htmx_close_answers_with_the_confirmation_fragment(owner_client, seed):
    url = reverse("measures:measure-close", args=[SLUG, KEY])
    version = seed.measures.get(key=KEY).version
    response = owner_client.post(
        url, {"closed_on": "2026-03-01", "version": version}, headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text and "Tiltaket blir merka «Avslutta»" in response.text
    assert seed.measures.get(key=KEY).status == "active"


def test_closing_dates_outside_the_period_or_in_the_future_are_refused_beside_the_field(
    owner_client, seed
):
    before = dump_database()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    cases = {
        "2031-01-01": "Datoen må vere i avtaleperioden 2025–2028 (01.01.2025–31.12.2028).",
        "2019-03-01": "Datoen må vere i avtaleperioden 2025–2028 (01.01.2025–31.12.2028).",
        tomorrow.isoformat(): "Eit tiltak kan ikkje avsluttast fram i tid.",
    }
    for date, message in cases.items():
        response = close(owner_client, seed, date, **CONFIRMED)
        assert response.status_code == 200, date
        assert message in response.text, date
        assert 'id="id_closed_on_error"' in response.text, date
    assert dump_database() == before
    assert seed.measures.get(key=KEY).status == "active"


def test_deleting_a_section_asks_first(owner_client, seed):
    section = seed.measures.get(key=KEY).sections.get(heading="Moglege målgrupper")
    url = reverse("measures:section-delete", args=[SLUG, KEY, section.pk])
    before = dump_database()
    asked = owner_client.post(url, {"version": section.version})
    assert dump_database() == before
    assert "Slette seksjonen «Moglege målgrupper»?" in asked.text
    assert "Han står framleis i endringsloggen" in asked.text
    owner_client.post(url, {"version": section.version, **CONFIRMED})
    assert not Section.objects.filter(pk=section.pk).exists()


def test_removing_an_organisation_asks_first(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    husbanken = measure.involvements.get(organisation__key="husbanken")
    url = reverse("measures:involvement-remove", args=[SLUG, KEY, husbanken.pk])
    before = dump_database()
    asked = owner_client.post(url)
    assert dump_database() == before
    assert "Fjerne Husbanken frå tiltaket?" in asked.text
    assert "Husbanken blir fjerna som samarbeidspart frå tiltak" in asked.text
    owner_client.post(url, CONFIRMED)
    assert not measure.involvements.filter(pk=husbanken.pk).exists()
