"""The overview's names of leads and partners say what each measure's own page says."""

from __future__ import annotations

from django.urls import reverse

from measures.leads_and_partners import PeopleByMeasure
from measures.models import Involvement, Organisation


def test_the_overview_names_everyone_as_the_measure_itself_does(seed, django_assert_num_queries):
    people = PeopleByMeasure(seed)
    measures = list(seed.measures.with_organisations())
    with django_assert_num_queries(1):
        shown = [(people.leads(m), people.partners(m)) for m in measures]
    assert shown == [(m.leads_display(), m.partners_display()) for m in measures]
    assert ("Husbanken, private utbyggjarar, lokale tradisjonshandverkarar m.fl.") in {
        partners for _, partners in shown
    }


def test_the_overview_table_shows_a_new_partner_at_once(owner_client, seed):
    measure = seed.measures.get(key="gott-nokk")
    page = owner_client.get(reverse("measures:agreement-detail", args=[seed.slug])).text
    assert "Distriktssenteret, private utbyggjarar" not in page
    Involvement.objects.create(
        measure=measure,
        organisation=Organisation.objects.get(key="distriktssenteret"),
        role=Involvement.Role.PARTNER,
        position=5,
    )
    page = owner_client.get(reverse("measures:agreement-detail", args=[seed.slug])).text
    assert "Distriktssenteret, private utbyggjarar" in page
