"""A measure of plan data (a snapshot's, as exporter.py writes it) in the living plan's words.

The change list and the report show frozen plans, not model rows; these functions give them
the same timeframe, priority, status, lists of people and section headings as the living
plan's pages, by asking the models.
"""

from __future__ import annotations

from measures.models import Measure, Section
from measures.prose import as_prose


def unsaved_measure(entry: dict) -> Measure:
    """An unsaved Measure with the entry's timeframe, priority and status, for their labels."""
    frame = entry.get("timeframe")
    years = frame if isinstance(frame, dict) else {}
    return Measure(
        start_year=years.get("start"),
        end_year=years.get("end"),
        at_next_revision=not years,
        priority=entry.get("priority") or Measure.Priority.NOW,
        status=entry.get("status") or Measure.Status.ACTIVE,
    )


def people(entry: dict, role: str, names: dict[str, str]) -> str:
    """The entry's "leads" or "partners" by name, with their free-text remainder, as prose."""
    found = [names.get(key, key) for key in entry.get(role, [])]
    return as_prose(found, entry.get(f"{role}_more", ""))


def section_heading(entry: dict) -> str:
    """The section's own heading, or its standard kind's; "" for a free one without."""
    kind = entry.get("kind") or Section.Kind.OTHER
    return Section(kind=kind, heading=entry.get("heading", "")).display_heading
