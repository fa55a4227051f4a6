"""Template helpers of the public pages."""

from django import template

from budget.money import as_kroner, as_kroner_change

register = template.Library()


@register.filter
def kroner(value: int | None) -> str:
    """1 500 000 kr."""
    return as_kroner(value)


@register.filter
def kroner_change(value: int) -> str:
    """+200 000 kr, or with the minus sign (U+2212) for less."""
    return as_kroner_change(value)
