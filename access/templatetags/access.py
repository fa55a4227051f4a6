"""{% if agreement|people_managed_by:user %}: whether the navigation links the people page;
{{ user|login_methods|join:", " }}: how a person logs in."""

from __future__ import annotations

from django import template

from ..identities import login_methods as methods_of
from ..rules import grantable_kinds

register = template.Library()


@register.filter
def people_managed_by(agreement, user) -> bool:
    return bool(grantable_kinds(user, agreement))


@register.filter
def login_methods(user) -> list[str]:
    return methods_of(user)
