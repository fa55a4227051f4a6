"""A frozen plan as the database stores it (Revision.snapshot, JSON) and as the plan file writes it.

The stored form is what `take_snapshot` makes of the living plan: the plan file's data without
revisions, with dates as ISO text and the budget's years as text keys (JSON has no others).
The written form is the plan file's own: dates, whole-number years, keys in file order.
Between the two nothing else changes, so a snapshot goes through a plan file unchanged.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .schema import drop_empty, in_order

SNAPSHOT_FORMAT = "bygdevekst-snapshot/1"


def as_snapshot(plan: dict) -> dict:
    """The value of Revision.snapshot (and RevisionEvent.snapshot) for a plan, frozen now."""
    frozen = {"snapshot_format": SNAPSHOT_FORMAT, "taken_at": timezone.now(), "plan": plan}
    return json.loads(json.dumps(frozen, cls=DjangoJSONEncoder))


def stored_plan(data: dict) -> dict:
    """A snapshot read from a plan file, as a snapshot of the living plan would hold it."""
    return json.loads(json.dumps(drop_empty(_trimmed(data)), cls=DjangoJSONEncoder))


def written_plan(plan: dict) -> dict:
    """A stored snapshot's plan as the plan file writes it."""
    plan = in_order(plan, "snapshot")
    _as_date(plan.get("agreement", {}), "signed_on")
    for goal in plan.get("sub_goals", []):
        for measure in goal.get("measures", []):
            _as_date(measure, "closed_on")
    budget = plan.get("budget", {})
    if "amounts" in budget:
        budget["amounts"] = _amounts_in_order(budget)
    return plan


def _trimmed(value: Any) -> Any:
    """Texts without surrounding white space, as the reader takes them into the living plan."""
    if isinstance(value, dict):
        return {key: _trimmed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_trimmed(item) for item in value]
    return value.strip() if isinstance(value, str) else value


def _as_date(entry: dict, key: str) -> None:
    if isinstance(entry.get(key), str):
        entry[key] = datetime.date.fromisoformat(entry[key])


def _amounts_in_order(budget: dict) -> dict:
    """line → year → source → kroner in the order of the lines, the years and the sources."""
    lines = [line.get("key") for line in budget.get("lines", [])]
    sources = [source.get("key") for source in budget.get("sources", [])]

    def rank(order: list, key: str) -> int:
        return order.index(key) if key in order else len(order)

    return {
        line: {
            int(year): {
                source: cells[source] for source in sorted(cells, key=lambda s: rank(sources, s))
            }
            for year, cells in sorted(years.items(), key=lambda item: int(item[0]))
        }
        for line, years in sorted(budget["amounts"].items(), key=lambda item: rank(lines, item[0]))
    }
