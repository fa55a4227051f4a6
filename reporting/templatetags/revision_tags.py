"""Template helpers for the revision pages."""

from __future__ import annotations

from django import template

from reporting.revision.marks import Mark

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """mapping[key], or None: for the notes and statuses kept by measure key."""
    return mapping.get(key)


@register.filter
def parse_date(value):
    """An ISO date string from a snapshot as a date, for the date filter."""
    import datetime

    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


@register.simple_tag
def change_marks(kind: str, measure) -> list[Mark]:
    """The mark of an entry of the change list ("Ny", "Endra", "Avslutta dd.mm.åååå"), as the
    plan's pages and the report's sections mark the measure (reporting.revision.marks)."""
    return [Mark(kind, measure.closed_on if kind == "closed" else None)]
