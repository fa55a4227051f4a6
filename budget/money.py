"""Money as a reader sees it: whole kroner, grouped by thousands."""

from __future__ import annotations


def as_kroner(value: int | None) -> str:
    """An amount as "1 500 000 kr" (no-break spaces between the groups); "–" for none."""
    if value is None:
        return "–"
    return f"{value:,}".replace(",", "\xa0") + " kr"


def as_kroner_change(value: int) -> str:
    """A difference as "+200 000 kr" or "-200 000 kr" (with U+2212, the minus sign); "0 kr"."""
    if value == 0:
        return "0 kr"
    return ("+" if value > 0 else "\u2212") + as_kroner(abs(value))
