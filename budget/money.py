"""Money as a reader sees it: whole kroner, grouped by thousands."""

from __future__ import annotations


def as_kroner(value: int | None) -> str:
    """An amount as "1 500 000 kr" (no-break spaces between the groups); "–" for none."""
    if value is None:
        return "–"
    return f"{value:,}".replace(",", "\xa0") + " kr"
