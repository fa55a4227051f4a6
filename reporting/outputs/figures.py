"""The timeline of the measures made from plan data: a frozen plan's, or the living plan's.

measures/timeline.py (and timeline_layout.py) lays a timeline out and knows nothing of revisions;
what is "new" is decided here, against the last approved plan: a measure its snapshot does not have.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from measures.models import Agreement
from measures.timeline import Entry, Group, Timeline, groups_from_sub_goals, new_measure_keys
from reporting.revision.models import Revision


def plan_measure_keys(plan: dict) -> set[str]:
    """The key of every measure in plan data (a snapshot's "plan")."""
    return {m["key"] for goal in plan.get("sub_goals", []) for m in goal.get("measures", [])}


def approved_measure_keys(agreement: Agreement) -> set[str] | None:
    """The measures of the agreement's last approved plan; None if none is approved yet."""
    snapshot = (
        Revision.objects.filter(
            agreement=agreement, status=Revision.Status.APPROVED, snapshot__isnull=False
        )
        .order_by("-year")
        .values_list("snapshot", flat=True)
        .first()
    )
    return plan_measure_keys(snapshot["plan"]) if snapshot else None


def overview_timeline(agreement: Agreement, sub_goals: Iterable) -> Timeline:
    """The living plan's timeline (the overview's sub-goals), new measures marked."""
    sub_goals = list(sub_goals)
    current = [m.key for goal in sub_goals for m in goal.measures.all()]
    new = new_measure_keys(current, approved_measure_keys(agreement))
    groups = groups_from_sub_goals(sub_goals, new)
    return Timeline(agreement.first_year, agreement.last_year, groups)


def plan_timeline(plan: dict, approved: dict | None) -> Timeline:
    """A frozen plan's timeline; measures the `approved` plan lacks are new."""
    previous = plan_measure_keys(approved) if approved is not None else None
    new = new_measure_keys(plan_measure_keys(plan), previous)
    agreement = plan["agreement"]
    groups = [
        Group(
            goal["number"],
            goal["title"],
            tuple(_entry(goal["number"], m, new) for m in goal.get("measures", [])),
        )
        for goal in plan.get("sub_goals", [])
    ]
    return Timeline(agreement["first_year"], agreement["last_year"], groups)


def _entry(goal_number: int, measure: dict, new: frozenset[str]) -> Entry:
    frame = measure.get("timeframe")
    years = frame if isinstance(frame, dict) else {}
    closed_on = measure.get("closed_on")
    return Entry(
        key=measure["key"],
        code=f"{goal_number}.{measure['number']}",
        title=measure["title"],
        start_year=years.get("start"),
        end_year=years.get("end"),
        later=measure.get("priority") == "later",
        closed=measure.get("status") == "closed",
        closed_on=datetime.date.fromisoformat(str(closed_on)) if closed_on else None,
        new=measure["key"] in new,
    )
