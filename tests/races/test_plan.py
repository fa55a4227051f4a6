"""Two editors changing the same measure at once: edits, closing, moving, texts."""

from __future__ import annotations

from django.urls import reverse

from measures import forms
from measures.editing import measures as measure_editing
from measures.editing import sections as section_editing
from measures.models import Measure, Organisation, Section
from tests.support import CONFIRMED, measure_form_data

from .race import at_once, races, said, widen

pytestmark = races
ROUNDS = 6
CONFLICT = "lagra endringar medan du skreiv"  # the form's conflict box, with who saved
STALE = "sidan du opna sida"  # a button pressed on a page older than the row


def test_plan_edits_at_once_are_applied_on_what_was_seen_or_refused(plan, monkeypatch):
    """One test, as each transactional test empties the database (seconds) when it ends."""
    # Each step pauses between reading the row and writing it.
    for form in (
        "CloseMeasureForm",
        "MeasureForm",
        "MeasureTitleForm",
        "SectionForm",
        "InvolvementForm",
    ):
        widen(monkeypatch, getattr(forms, form), "is_valid")
    for editing in (measure_editing, section_editing):
        widen(monkeypatch, editing, "SeenVersionForm")
    closing_while_the_title_is_edited_keeps_one_of_them_whole(plan)
    two_edits_of_a_measure_one_is_saved_the_other_is_told(plan)
    a_text_edited_while_it_is_deleted_is_never_lost_unseen(plan)
    moving_one_measure_twice_at_once_moves_it_once(plan)
    moving_two_measures_at_once_keeps_every_number_once(plan)
    two_measures_given_the_same_number_at_once_one_is_told(plan)
    one_organisation_added_twice_at_once_is_added_once(plan)


def post(client, address: str, data: dict):
    """A form post, made when the race starts."""
    return lambda: client.post(address, data)


def url(plan, name: str, *args) -> str:
    return reverse(f"measures:{name}", args=[plan.agreement.slug, *args])


def closing_while_the_title_is_edited_keeps_one_of_them_whole(plan):
    a, b = plan.editors
    measure = plan.measures[0]
    for n in range(ROUNDS):
        measure.refresh_from_db()
        seen, title = measure.version, f"Ny tittel {n}"
        edit, close = at_once(
            post(a, url(plan, "measure-title", measure.key), {"title": title, "version": seen}),
            post(
                b,
                url(plan, "measure-close", measure.key),
                {"closed_on": "2026-03-01", "version": seen, **CONFIRMED},
            ),
        )
        titled = edit.status_code == 302
        closed = f"Tiltak {measure.code} er avslutta." in said(close)
        assert titled != closed, n
        assert titled or CONFLICT in edit.text
        assert closed or any(STALE in m for m in said(close))
        measure.refresh_from_db()
        assert (measure.title == title, measure.status == "closed") == (titled, closed), n
        if closed:  # open again for the next round
            measure.status, measure.closed_on = Measure.Status.ACTIVE, None
            measure.save()


def two_edits_of_a_measure_one_is_saved_the_other_is_told(plan):
    a, b = plan.editors
    measure = plan.measures[1]
    for n in range(ROUNDS):
        measure.refresh_from_db()
        tags = [f"A {n}", f"B {n}"]
        answers = at_once(
            *(
                post(
                    c,
                    url(plan, "measure-edit", measure.key),
                    measure_form_data(measure, tagline=tag),
                )
                for c, tag in zip((a, b), tags, strict=True)
            )
        )
        saved = [tag for tag, r in zip(tags, answers, strict=True) if r.status_code == 302]
        assert len(saved) == 1 and sum(CONFLICT in r.text for r in answers) == 1, n
        assert Measure.objects.get(pk=measure.pk).tagline == saved[0]


def a_text_edited_while_it_is_deleted_is_never_lost_unseen(plan):
    a, b = plan.editors
    measure = plan.measures[0]
    for n in range(ROUNDS):
        section = Section.objects.filter(measure=measure).first() or Section.objects.create(
            measure=measure, kind="other", heading="Status", body="-"
        )
        seen, body = section.version, f"Tekst {n}"
        data = {"kind": "other", "heading": "Status", "body": body, "version": seen}
        edit, delete = at_once(
            post(a, url(plan, "section-edit", measure.key, section.pk), data),
            post(
                b,
                url(plan, "section-delete", measure.key, section.pk),
                {"version": seen, **CONFIRMED},
            ),
        )
        edited = edit.status_code == 302
        deleted = not Section.objects.filter(pk=section.pk).exists()
        assert edited != deleted, n
        # Refused: deleted while being edited (what was typed stays in the form), or before.
        assert edited or "sletta dette medan du skreiv" in edit.text or edit.status_code == 404
        assert deleted or any(STALE in m for m in said(delete))
        if edited:
            assert Section.objects.get(pk=section.pk).body == body


def numbers(plan) -> list[int]:
    return sorted(
        Measure.objects.filter(sub_goal__agreement=plan.agreement).values_list("number", flat=True)
    )


def moving_one_measure_twice_at_once_moves_it_once(plan):
    a, b = plan.editors
    for n in range(ROUNDS):
        measure = Measure.objects.get(sub_goal__agreement=plan.agreement, number=2)
        data = {"retning": "opp" if n % 2 else "ned", "version": measure.version}
        answers = at_once(*(post(c, url(plan, "measure-move", measure.key), data) for c in (a, b)))
        refused = [r for r in answers if any(STALE in m for m in said(r))]
        assert len(refused) == 1, n
        measure.refresh_from_db()
        assert measure.number == (1 if n % 2 else 3) and numbers(plan) == [1, 2, 3]


def moving_two_measures_at_once_keeps_every_number_once(plan):
    a, b = plan.editors
    for n in range(ROUNDS):
        first = Measure.objects.get(sub_goal__agreement=plan.agreement, number=1)
        last = Measure.objects.get(sub_goal__agreement=plan.agreement, number=3)
        answers = at_once(
            post(
                a,
                url(plan, "measure-move", first.key),
                {"retning": "ned", "version": first.version},
            ),
            post(
                b, url(plan, "measure-move", last.key), {"retning": "opp", "version": last.version}
            ),
        )
        assert [said(r) for r in answers] == [[], []], n
        assert numbers(plan) == [1, 2, 3]


def two_measures_given_the_same_number_at_once_one_is_told(plan):
    a, b = plan.editors
    for n in range(ROUNDS):
        first, second = Measure.objects.filter(sub_goal__agreement=plan.agreement).order_by(
            "number"
        )[:2]
        free = 10 + n
        answers = at_once(
            *(
                post(c, url(plan, "measure-edit", m.key), measure_form_data(m, number=free))
                for c, m in ((a, first), (b, second))
            )
        )
        assert sorted(r.status_code for r in answers) == [200, 302], n
        told = next(r for r in answers if r.status_code == 200)
        assert f"Delmål 1 har alt tiltak {free}" in told.text
        assert free in numbers(plan) and len(set(numbers(plan))) == 3


def one_organisation_added_twice_at_once_is_added_once(plan):
    a, b = plan.editors
    measure = plan.measures[2]
    for n in range(ROUNDS):
        organisation = Organisation.objects.create(key=f"partnar-{n}", name=f"Partnar {n}")
        data = {"organisation": organisation.pk, "role": "partner"}
        answers = at_once(
            *(post(c, url(plan, "measure-organisations", measure.key), data) for c in (a, b))
        )
        assert sorted(r.status_code for r in answers) == [200, 302], n
        told = next(r for r in answers if r.status_code == 200)
        assert f"{organisation} er alt samarbeidspart i tiltaket." in told.text
        assert measure.involvements.filter(organisation=organisation).count() == 1
