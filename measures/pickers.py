"""Choosing organisations from the shared register: the agreement's own first, the rest of the
register through a search, so that no form lists every organisation on the installation.

The search is a plain GET (`?q=`) that keeps what the form holds; htmx swaps in just the
choices while typing (templates/_organisation_search.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import BadRequest
from django.http import HttpRequest, QueryDict

from .organisations import Organisation, organisations_of

MAX_FOUND = 25
MAX_QUERY = 100
MAX_CHOSEN = 200


@dataclass
class OrganisationChoices:
    """The agreement's organisations and the chosen ones (`own`), then the other organisations
    the search found (`found`; `more` if there were more than shown)."""

    own: list[Organisation]
    query: str = ""
    found: list[Organisation] = field(default_factory=list)
    more: bool = False

    @property
    def rows(self) -> list[Organisation]:
        return self.own + self.found


def searched(request: HttpRequest) -> QueryDict | None:
    """The form as it was when its organisation search was sent, to show again unsaved: posted
    with «Søk» (name="search") or sent as a GET with `q`; None when it was sent to be saved."""
    if request.method == "POST" and "search" in request.POST:
        return request.POST
    if request.method == "GET" and "q" in request.GET:
        return request.GET
    return None


def search_text(params: QueryDict | None) -> str:
    """The search typed (`q`), trimmed; PostgreSQL text cannot hold NUL, and no one types it."""
    query = (params or {}).get("q", "").strip()[:MAX_QUERY]
    if "\x00" in query:
        raise BadRequest("NUL in the organisation search")
    return query


def _by_kind(organisations: Iterable[Organisation]) -> list[Organisation]:
    kinds = list(Organisation.Kind.values)
    return sorted(
        organisations,
        key=lambda org: (kinds.index(org.kind) if org.kind in kinds else len(kinds), org.name),
    )


def organisation_choices(
    agreement, *, chosen: Iterable = (), query: str = "", narrow: bool = False
) -> OrganisationChoices:
    """The agreement's organisations (none for a new one) and the chosen ones, by kind and name;
    with a query, the others in the register whose name or short name has it. `narrow`: the
    agreement's own only where they match the query too (a list to pick one from)."""
    ids = {int(pk) for pk in list(chosen)[:MAX_CHOSEN] if str(pk).isdigit()}
    wanted = Organisation.objects.filter(pk__in=ids)
    if agreement is not None and agreement.pk is not None:
        own = organisations_of(agreement)
        wanted = wanted | (own.search(query) if narrow else own)
    own = _by_kind(wanted.distinct())
    choices = OrganisationChoices(own, query)
    if query:
        others = Organisation.objects.search(query).exclude(pk__in=[org.pk for org in own])
        found = list(others.order_by("name")[: MAX_FOUND + 1])
        choices.found, choices.more = found[:MAX_FOUND], len(found) > MAX_FOUND
    return choices
