"""Template helpers for the revision pages."""

from django import template

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
