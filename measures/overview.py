"""The agreement overview's data, gathered only when the page is not already cached.

The overview is the page everyone opens first and the heaviest to render (every measure with
its leads and partners). Readers get it from the cache, keyed by `plan_stamp()`, which moves
whenever anything the overview shows changes, in any plan; editors always get it fresh,
because their copy carries forms with their own CSRF tokens.
"""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.utils.functional import cached_property

from .models import Agreement, Involvement, Measure, Organisation, Party, SubGoal

# What the overview shows. Not Section: a measure's texts are on its own page, and editing them
# (the most frequent change) then leaves the readers' copy of the overview in place.
STAMPED_MODELS = [Organisation, Agreement, Party, SubGoal, Measure, Involvement]


@cache
def _stamp_query() -> str:
    # Built once: each `Model.history` access makes a new manager class, which is not cheap.
    tables = [model.history.model._meta.db_table for model in STAMPED_MODELS]
    return "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {table})" for table in tables)


def plan_stamp() -> str:
    """The newest history row of every tracked plan model, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_query())
        return "-".join(str(value or 0) for value in cursor.fetchone())


def attach_organisation_names(measures: list[Measure]) -> None:
    """Give each measure the names of its leads and partners in one light query (list pages)."""
    names: dict[int, dict[str, list[str]]] = {m.pk: {} for m in measures}
    rows = (
        Involvement.objects.filter(measure__in=measures)
        .order_by("measure_id", "role", "position")
        .values_list("measure_id", "role", "organisation__name")
    )
    for measure_id, role, name in rows:
        names[measure_id].setdefault(role, []).append(name)
    for measure in measures:
        measure.organisation_names = names[measure.pk]


class Overview:
    """Parties, sub-goals and their measures, queried on first use only."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement

    @cached_property
    def parties(self) -> list[Organisation]:
        return self.agreement.ordered_parties()

    @cached_property
    def sub_goals(self) -> list[SubGoal]:
        measures = list(self.agreement.measures.select_related("sub_goal"))
        attach_organisation_names(measures)
        goals = list(self.agreement.sub_goals.all())
        for goal in goals:
            goal.measure_list = [m for m in measures if m.sub_goal_id == goal.pk]
        return goals

    @cached_property
    def weight_total(self) -> int:
        return sum(goal.weight for goal in self.sub_goals)
