"""Plan data (a snapshot's measures) shown in the living plan's own words."""

from __future__ import annotations

import pytest

from measures.models import Measure, Section
from reporting.plan_data.labels import people, section_heading, unsaved_measure


@pytest.mark.parametrize(
    "timeframe, expected",
    [
        ({"start": 2025, "end": 2028}, "2025–2028"),
        ({"start": 2026, "end": 2026}, "2026"),
        ("next_revision", "Mogleg å følge opp ved neste rullering"),
    ],
)
def test_a_timeframe_reads_as_the_living_plan_words_it(timeframe, expected):
    assert unsaved_measure({"timeframe": timeframe}).timeframe == expected
    start, end = (
        (timeframe["start"], timeframe["end"]) if timeframe != "next_revision" else (None, None)
    )
    living = Measure(start_year=start, end_year=end, at_next_revision=start is None)
    assert living.timeframe == expected


def test_priority_and_status_are_the_models_labels_with_their_defaults():
    plain = unsaved_measure({})
    assert (plain.get_priority_display(), plain.get_status_display()) == ("Prioritert no", "Aktivt")
    later = unsaved_measure({"priority": "later", "status": "closed"})
    assert later.is_later
    assert later.get_priority_display() == Measure.Priority.LATER.label
    assert later.get_status_display() == Measure.Status.CLOSED.label == "Avslutta"


def test_people_are_named_as_prose_with_the_free_text_remainder():
    names = {"a": "Vinje kommune", "b": "Tokke kommune", "c": "Husbanken"}
    assert people({"leads": ["a", "b", "c"]}, "leads", names) == (
        "Vinje kommune, Tokke kommune og Husbanken"
    )
    assert people({"partners": ["a", "b"], "partners_more": "m.fl."}, "partners", names) == (
        "Vinje kommune, Tokke kommune m.fl."
    )
    assert people({"leads": ["ukjend"]}, "leads", names) == "ukjend"
    assert people({}, "leads", names) == ""


def test_a_section_is_headed_by_its_heading_or_its_standard_kind():
    assert section_heading({"kind": "challenge", "body": "x"}) == Section.Kind.CHALLENGE.label
    assert section_heading({"kind": "challenge", "heading": "Eiga"}) == "Eiga"
    assert section_heading({"heading": "Fri"}) == "Fri"
    assert section_heading({"body": "x"}) == ""
