"""A button pressed on a page older than the row (move, delete, reopen) changes nothing and
says why, on every database: the version guard is not left to the PostgreSQL race tests."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from measures.models import Section
from tests.support import CONFIRMED, dump_database

SLUG = "vest-telemark"
KEY = "gott-nokk"
STALE = "sidan du opna sida"


def _said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _someone_else_saves(row) -> int:
    """What the person saw, before another editor saved the row."""
    seen = row.version
    row.save()
    return seen


def test_moving_a_measure_someone_changed_since_is_refused_and_moves_nothing(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    seen = _someone_else_saves(measure)
    before = dump_database()
    response = owner_client.post(
        reverse("measures:measure-move", args=[SLUG, KEY]), {"retning": "opp", "version": seen}
    )
    assert STALE in _said(response)
    assert dump_database() == before


def test_moving_a_measure_without_a_version_is_refused_as_stale(owner_client, seed):
    before = dump_database()
    response = owner_client.post(
        reverse("measures:measure-move", args=[SLUG, KEY]), {"retning": "opp", "version": "x"}
    )
    assert STALE in _said(response)
    assert dump_database() == before


def test_moving_a_section_someone_changed_since_is_refused(owner_client, seed):
    section = seed.measures.get(key=KEY).sections.order_by("position").last()
    seen = _someone_else_saves(section)
    before = dump_database()
    response = owner_client.post(
        reverse("measures:section-move", args=[SLUG, KEY, section.pk]),
        {"retning": "opp", "version": seen},
    )
    assert "ho er ikkje flytta" in _said(response)
    assert dump_database() == before


def test_deleting_a_section_someone_edited_since_is_refused_and_keeps_the_text(owner_client, seed):
    section = seed.measures.get(key=KEY).sections.first()
    section.body = "Skrive av den andre redaktøren."
    seen = _someone_else_saves(section)
    response = owner_client.post(
        reverse("measures:section-delete", args=[SLUG, KEY, section.pk]),
        {"version": seen, **CONFIRMED},
    )
    assert "ho er ikkje sletta" in _said(response)
    assert Section.objects.get(pk=section.pk).body == "Skrive av den andre redaktøren."


def test_reopening_with_an_old_version_is_refused(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    response = owner_client.post(
        reverse("measures:measure-reopen", args=[SLUG, KEY]), {"version": measure.version - 1 or 99}
    )
    assert "det er ikkje opna att" in _said(response)
