"""Moving measures and sections up and down without tripping the unique numbers."""

from __future__ import annotations

from django.db import transaction

from .models import Measure, Section

# A number no real measure has, to park one while two swap.
_PARKING_NUMBER = 32000


@transaction.atomic
def move_measure(measure: Measure, *, up: bool) -> Measure | None:
    """Swap numbers with the neighbour above or below in the sub-goal; None at either end."""
    siblings = measure.sub_goal.measures.order_by("number")
    neighbour = (
        siblings.filter(number__lt=measure.number).last()
        if up
        else siblings.filter(number__gt=measure.number).first()
    )
    if neighbour is None:
        return None
    mine, theirs = measure.number, neighbour.number
    park(measure, _PARKING_NUMBER)
    neighbour.number = mine
    neighbour.save(update_fields=["number"])
    measure.number = theirs
    measure.save(update_fields=["number"])
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
def move_section(section: Section, *, up: bool) -> Section | None:
    """Swap positions with the section above or below; None at either end."""
    siblings = section.measure.sections.order_by("position")
    neighbour = (
        siblings.filter(position__lt=section.position).last()
        if up
        else siblings.filter(position__gt=section.position).first()
    )
    if neighbour is None:
        return None
    section.position, neighbour.position = neighbour.position, section.position
    section.save(update_fields=["position"])
    neighbour.save(update_fields=["position"])
    return neighbour
