"""Moving measures and sections up and down without tripping the unique numbers.

A move swaps places with the neighbour the person saw, so it is checked against the version of
the row they moved, under a lock on every row of the list: a list someone else reordered in
the meantime is refused (StaleVersion), never reordered further on a guess.
"""

from __future__ import annotations

from django.db import transaction

from .models import Measure, Section
from .versioning import still_as_seen

# A number no real measure has, to park one while two swap.
_PARKING_NUMBER = 32000


@transaction.atomic
def move_measure(measure: Measure, *, up: bool, version: int) -> Measure | None:
    """Swap numbers with the neighbour above or below in the sub-goal; None at either end."""
    siblings = _locked(Measure.objects.filter(sub_goal_id=measure.sub_goal_id), measure, version)
    siblings.sort(key=lambda row: row.number)
    mine = next(row for row in siblings if row.pk == measure.pk)
    neighbour = _neighbour(siblings, mine, up)
    if neighbour is None:
        return None
    ours, theirs = mine.number, neighbour.number
    park(mine, _PARKING_NUMBER)
    neighbour.number = ours
    neighbour.save(update_fields=["number"])
    mine.number = theirs
    mine.save(update_fields=["number"])
    measure.number, measure.version = mine.number, mine.version
    return neighbour


def park(row, number: int) -> None:
    """Give a row a temporary number, unrecorded in the history: only where it lands matters."""
    row.number = number
    row.skip_history_when_saving = True
    try:
        row.save(update_fields=["number"])
    finally:
        del row.skip_history_when_saving


@transaction.atomic
def move_section(section: Section, *, up: bool, version: int) -> Section | None:
    """Swap positions with the section above or below; None at either end."""
    siblings = _locked(Section.objects.filter(measure_id=section.measure_id), section, version)
    siblings.sort(key=lambda row: (row.position, row.pk))
    mine = next(row for row in siblings if row.pk == section.pk)
    neighbour = _neighbour(siblings, mine, up)
    if neighbour is None:
        return None
    mine.position, neighbour.position = neighbour.position, mine.position
    mine.save(update_fields=["position"])
    neighbour.save(update_fields=["position"])
    section.position, section.version = mine.position, mine.version
    return neighbour


def locked_siblings(section: Section, version: int) -> list[Section]:
    """The measure's sections, locked; StaleVersion if `section` changed since `version`."""
    return _locked(Section.objects.filter(measure_id=section.measure_id), section, version)


def _locked(rows, row, version: int) -> list:
    """The list's rows, locked in a fixed order; StaleVersion if `row` changed since `version`
    (or left the list)."""
    locked = list(rows.select_for_update().order_by("pk"))
    still_as_seen(next((r for r in locked if r.pk == row.pk), None), row, version)
    return locked


def _neighbour(siblings: list, row, up: bool):
    index = siblings.index(row)
    if up:
        return siblings[index - 1] if index > 0 else None
    return siblings[index + 1] if index + 1 < len(siblings) else None
