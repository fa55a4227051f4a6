"""{% if agreement|people_managed_by:user %}: whether the navigation links the people page."""

from __future__ import annotations

from django import template

from ..rules import grantable_kinds

register = template.Library()


@register.filter
def people_managed_by(agreement, user) -> bool:
    return bool(grantable_kinds(user, agreement))
