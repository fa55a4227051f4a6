"""Kroner and deviations as the money's pages, PDF and workbook write them."""

from __future__ import annotations

from django import template

from budget.money import as_kroner, as_kroner_change

register = template.Library()


@register.filter
def kroner(value: int | None) -> str:
    """1 500 000 kr; – for none."""
    return as_kroner(value)


@register.filter
def kroner_change(value: int | None) -> str:
    """+200 000 kr, -200 000 kr (with the minus sign), 0 kr; – for none."""
    return "–" if value is None else as_kroner_change(value)


@register.filter
def percent(value: float | None, sign: bool = True) -> str:
    """+12,5 % or -15,0 % (the minus sign; one decimal, Norwegian comma); – for none."""
    if value is None:
        return "–"
    text = f"{abs(value):.1f}".replace(".", ",")
    if not sign or text == "0,0":
        return f"{text} %"
    return ("+" if value > 0 else "\N{MINUS SIGN}") + f"{text} %"
