"""The marks beside a measure where readers look: "Ny", "Endra", "Avslutta dd.mm.åååå".

A measure is marked against the last approved plan: new when that plan does not have it,
changed when the change list says so, closed (with its date) whenever it is closed. Without
an approved plan to compare with (the first plan of a period) nothing is new or changed. The
report marks its plan against the plan approved before its year; the web pages mark the
living plan against the latest approved plan (`PlanMarks`).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.functional import cached_property
from django.utils.translation import gettext

from measures.models import Agreement, Measure
from measures.overview import plan_stamp
from reporting.plan_data.living import export_measure

from .changes import ChangeList, compare
from .models import MeasureNote, Revision

MARKS_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Mark:
    """One mark: its kind ("new", "changed", "closed") for styling, and a closed one's date.

    The words are found when shown, in the målform then active: marks are cached for every
    reader, whichever målform each reads.
    """

    kind: str
    closed_on: datetime.date | str | None = None

    @property
    def label(self) -> str:
        if self.kind == "new":
            return gettext("Ny")
        if self.kind == "changed":
            return gettext("Endra")
        return closed_label(self.closed_on)


def closed_label(closed_on: datetime.date | str | None) -> str:
    """ "Avslutta 01.03.2026" (a snapshot's ISO date or a date), or "Avslutta" without one."""
    if isinstance(closed_on, str):
        closed_on = datetime.date.fromisoformat(closed_on)
    if not closed_on:
        return gettext("Avslutta")
    return gettext("Avslutta %(date)s") % {"date": f"{closed_on:%d.%m.%Y}"}


def marks_by_key(plan: dict, changes: ChangeList | None) -> dict[str, list[Mark]]:
    """Every measure of `plan` by key with its marks; `changes` None: nothing to compare with."""
    new = {m.key for m in changes.new} if changes else set()
    changed = {m.key for m in changes.changed} if changes else set()
    marks = {}
    for goal in plan.get("sub_goals", []):
        for measure in goal.get("measures", []):
            key = measure["key"]
            found = [Mark("new")] if key in new else []
            found += [Mark("changed")] if key in changed else []
            if measure.get("status") == "closed":
                found.append(Mark("closed", measure.get("closed_on")))
            marks[key] = found
    return marks


class PlanMarks:
    """The living plan's marks against the latest approved plan, gathered on first use.

    `base_id` alone costs one query, so a cached page can key on it and compute the marks only
    when it renders afresh. `of_measure` compares one measure alone, from the rows its page
    has loaded, instead of the whole plan.
    """

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement

    @cached_property
    def base_id(self) -> int | None:
        """The latest approved revision's id, or None."""
        return (
            Revision.objects.filter(agreement=self.agreement, status=Revision.Status.APPROVED)
            .order_by("-year")
            .values_list("pk", flat=True)
            .first()
        )

    @cached_property
    def base_plan(self) -> dict | None:
        """The latest approved revision's frozen plan, or None."""
        if self.base_id is None:
            return None
        snapshot = Revision.objects.values_list("snapshot", flat=True).get(pk=self.base_id)
        return snapshot["plan"] if snapshot else None

    @cached_property
    def by_key(self) -> dict[str, list[Mark]]:
        """Every measure's marks, kept in the cache until the plan or the approved one changes.

        Comparing a plan of 140 measures takes about 70 ms, which made the overview three times
        slower at ten times the seed (make bench); the stamp moves with every change to the
        measures, their organisations and their texts.
        """
        key = f"plan-marks:{self.agreement.pk}:{self.base_id}:{self.stamp}"
        return cache.get_or_set(key, self._compared, MARKS_CACHE_SECONDS)

    @cached_property
    def stamp(self) -> str:
        """Where the living plan is: moves with every change to its measures and their texts."""
        return plan_stamp()

    def _compared(self) -> dict[str, list[Mark]]:
        """The living plan's measures compared with the approved ones (not sub-goals or budget:
        marks say nothing of them), in three queries however big the plan."""
        measures = (
            self.agreement.measures.select_related("sub_goal").with_organisations().with_sections()
        )
        plan = _plan_of(list(measures))
        base = self.base_plan
        return marks_by_key(plan, compare(_measures_of(base), plan) if base else None)

    def of(self, key: str) -> list[Mark]:
        return self.by_key.get(key, [])

    def of_measure(self, measure: Measure) -> list[Mark]:
        """One measure's marks, with its organisations, sections and sub-goal loaded."""
        plan = _plan_of_one(measure)
        base = self.base_plan
        changes = compare(_only(base, measure.key), plan) if base else None
        return marks_by_key(plan, changes).get(measure.key, [])


def _plan_of_one(measure: Measure) -> dict:
    """A plan holding only this measure, in the snapshot's own form of a measure."""
    return _plan_of([measure])


def _plan_of(measures: list[Measure]) -> dict:
    """A plan holding only these measures (organisations, sub-goals and sections loaded), in
    the snapshot's own form of a measure."""
    goals: dict[int, dict] = {}
    organisations: dict[str, str] = {}
    for measure in measures:
        goal = measure.sub_goal
        entry = json.loads(json.dumps(export_measure(measure), cls=DjangoJSONEncoder))
        goals.setdefault(goal.number, {"number": goal.number, "title": goal.title, "measures": []})
        goals[goal.number]["measures"].append(entry)
        organisations |= {org.key: org.name for org in (*measure.leads(), *measure.partners())}
    return {
        "organisations": [{"key": key, "name": name} for key, name in organisations.items()],
        "sub_goals": [goals[number] for number in sorted(goals)],
    }


def _measures_of(plan: dict) -> dict:
    """The plan's organisations and sub-goals with their measures: what marks compare."""
    return {"organisations": plan.get("organisations", []), "sub_goals": plan.get("sub_goals", [])}


def _only(plan: dict, key: str) -> dict:
    """The plan with no measure but the one with this key (and without its budget)."""
    goals = [
        {**goal, "measures": [m for m in goal.get("measures", []) if m["key"] == key]}
        for goal in plan.get("sub_goals", [])
    ]
    return {
        "organisations": plan.get("organisations", []),
        "sub_goals": [goal for goal in goals if goal["measures"]],
    }


def closing_assessment(agreement: Agreement, key: str) -> MeasureNote | None:
    """What a closed measure achieved, as written in the newest revision that assessed it."""
    return (
        MeasureNote.objects.filter(
            revision__agreement=agreement, measure_key=key, kind=MeasureNote.Kind.ASSESSMENT
        )
        .select_related("revision")
        .order_by("-revision__year")
        .first()
    )
