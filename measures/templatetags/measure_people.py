"""{{ people|leads_of:measure }}: a measure's leads and partners from the overview's names."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def leads_of(people, measure) -> str:
    return people.leads(measure)


@register.filter
def partners_of(people, measure) -> str:
    return people.partners(measure)
