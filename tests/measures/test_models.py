"""The living plan's models: constraints, display rules and Markdown."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures.markdown import render_markdown
from measures.models import Agreement, Measure
from measures.prose import as_prose, join_parts


@pytest.mark.parametrize(
    "names, more, expected",
    [
        ([], "", ""),
        (["A"], "", "A"),
        (["A", "B", "C"], "", "A, B og C"),
        (["A", "B"], "m.fl.", "A, B m.fl."),
        (["A"], "private utbyggjarar m.fl.", "A, private utbyggjarar m.fl."),
        ([], "m.fl.", "m.fl."),
    ],
)
def test_names_are_joined_as_norwegian_prose(names, more, expected):
    assert as_prose(names, more) == expected
    assert "".join(sep + item for sep, item in join_parts(names, more)) == expected


def test_a_number_is_unique_within_a_sub_goal(seed):
    measure = seed.measures.get(key="gott-nokk")
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(
            agreement=seed,
            sub_goal=measure.sub_goal,
            key="ny",
            number=measure.number,
            title="Dobbel",
            start_year=2025,
            end_year=2026,
        )


def test_the_same_number_is_fine_in_another_sub_goal(seed):
    goal = seed.sub_goals.get(number=3)
    Measure.objects.create(
        agreement=seed,
        sub_goal=goal,
        key="ny",
        number=5,
        title="Ny",
        start_year=2025,
        end_year=2026,
    )


@pytest.mark.parametrize(
    "start, end, next_revision",
    [(2027, 2026, False), (None, 2026, False), (2025, None, False), (2025, 2026, True)],
)
def test_the_database_refuses_an_impossible_timeframe(seed, start, end, next_revision):
    goal = seed.sub_goals.get(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(
            agreement=seed,
            sub_goal=goal,
            key="ny",
            number=9,
            title="Ny",
            start_year=start,
            end_year=end,
            at_next_revision=next_revision,
        )


def test_a_year_outside_the_period_fails_validation(seed):
    measure = seed.measures.get(key="gott-nokk")
    measure.end_year = 2030
    with pytest.raises(ValidationError) as caught:
        measure.full_clean()
    assert "Året 2030 er utanfor avtaleperioden 2025–2028." in caught.value.message_dict["end_year"]


NEXT_REVISION = "«vurderast ved neste rullering»."
MISSING = "Skriv eit år, eller kryss av for " + NEXT_REVISION


@pytest.mark.parametrize(
    "frame, errors, kept_by_the_constraint",
    [
        ({"start_year": 2026, "end_year": 2027}, {}, True),
        ({"start_year": 2026, "end_year": 2026}, {}, True),
        ({"at_next_revision": True}, {}, True),
        (
            {"start_year": 2027, "end_year": 2026},
            {"end_year": "Sluttåret kan ikkje vere før startåret."},
            False,
        ),
        ({"start_year": None, "end_year": 2026}, {"start_year": MISSING}, False),
        ({}, {"start_year": MISSING, "end_year": MISSING}, False),
        (
            {"start_year": 2024, "end_year": 2031},
            {
                "start_year": "Året 2024 er utanfor avtaleperioden 2025–2028.",
                "end_year": "Året 2031 er utanfor avtaleperioden 2025–2028.",
            },
            True,  # the period lives in another table: the database's triggers guard it
        ),
        (
            {"at_next_revision": True, "end_year": 2026},
            {"end_year": "Ta bort året, eller ta bort krysset for " + NEXT_REVISION},
            False,
        ),
    ],
)
def test_the_timeframe_rule_is_said_beside_each_year_and_agrees_with_the_constraint(
    db, frame, errors, kept_by_the_constraint
):
    measure = Measure(agreement=Agreement(first_year=2025, last_year=2028), **frame)
    try:
        measure.clean()
        found = {}
    except ValidationError as error:
        found = {name: messages[0] for name, messages in error.message_dict.items()}
    assert found == errors
    constraint = next(c for c in Measure._meta.constraints if c.name == "measure_timeframe_valid")
    try:
        constraint.validate(Measure, measure)
        kept = True
    except ValidationError:
        kept = False
    assert kept == kept_by_the_constraint


def test_an_agreement_period_out_of_order_is_said_beside_the_first_year():
    with pytest.raises(ValidationError) as caught:
        Agreement(first_year=2029, last_year=2028).clean()
    assert caught.value.message_dict == {"first_year": ["Første år kan ikkje vere etter siste år."]}
    Agreement(first_year=2028, last_year=2028).clean()


def test_timeframes_read_as_in_the_document(seed):
    assert seed.measures.get(key="gott-nokk").timeframe == "2026–2028"
    assert (
        seed.measures.get(key="vandrande-seminar").timeframe
        == "Mogleg å følge opp ved neste rullering"
    )


def test_markdown_keeps_lists_and_bold_and_drops_html():
    html = render_markdown(
        "- **Startlån** – for nokon\n- to\n\n<iframe src=x></iframe><b onclick=x>y</b>"
    )
    assert "<li><strong>Startlån</strong> – for nokon</li>" in html
    assert "iframe" not in html and "onclick" not in html


def test_the_database_refuses_measure_years_outside_the_period(seed):
    measure = seed.measures.get(key="gott-nokk")
    measure.end_year = 2030
    with pytest.raises(IntegrityError), transaction.atomic():
        measure.save()


def test_the_period_cannot_shrink_away_from_a_measure(seed):
    from budget.models import Amount

    Amount.objects.filter(year=2028).delete()
    seed.last_year = 2027
    with pytest.raises(IntegrityError), transaction.atomic():
        seed.save()
    seed.refresh_from_db()
    for measure in seed.measures.filter(end_year=2028):
        measure.end_year = 2027
        measure.save()
    seed.last_year = 2027
    seed.save()


def test_every_save_of_a_plan_row_makes_exactly_one_new_version(seed):
    """Forms opened before any change go stale, whichever path changed the row."""
    from measures.plan_order import move_measure

    measure = seed.measures.get(key="gott-nokk")
    start = measure.version
    measure.title = "Ny tittel"
    measure.save()
    assert Measure.objects.get(pk=measure.pk).version == start + 1
    measure.close(on=datetime.date(2026, 3, 1), version=measure.version)
    assert Measure.objects.get(pk=measure.pk).version == start + 2
    measure.mark_changed()
    assert Measure.objects.get(pk=measure.pk).version == start + 3
    neighbour = move_measure(measure, up=True, version=measure.version)
    assert Measure.objects.get(pk=measure.pk).version > start + 3
    assert neighbour.version == Measure.objects.get(pk=neighbour.pk).version > 1


def test_a_new_row_starts_at_version_one(seed):
    goal = seed.sub_goals.get(number=1)
    measure = Measure.objects.create(
        agreement=seed,
        sub_goal=goal,
        key="nytt",
        number=99,
        title="Nytt",
        start_year=2026,
        end_year=2026,
    )
    assert Measure.objects.get(pk=measure.pk).version == 1
