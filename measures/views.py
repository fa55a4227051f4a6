"""Reading pages of the living plan."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from access import rules
from measures.leads_and_partners import PeopleByMeasure

from .changelog import measure_changelog, page_of
from .guards import get_agreement_for_user
from .models import Involvement, Organisation
from .prose import as_prose
from .taking_part import (
    RoleCount,
    collectives_of,
    counts_by_organisation,
    measures_of,
    members_of,
)


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole plan at a glance: parties, period, sub-goals and their measure tables."""
    agreement = get_agreement_for_user(request, slug)
    # The agreement's manager sets each measure's agreement, which its link needs.
    measures = agreement.measures.all()
    context = {
        "agreement": agreement,
        # Lazy: queried only where the template renders it, so not on a reader's cache hit.
        "sub_goals": agreement.sub_goals.prefetch_related(Prefetch("measures", queryset=measures)),
        "people": PeopleByMeasure(agreement),
        "may": rules.permissions_for(request.user, agreement),
        "section": "plan",
    }
    return render(request, "measures/agreement_detail.html", context)


def measure_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """One measure with all its sections and organisations."""
    agreement = get_agreement_for_user(request, slug)
    # Through the agreement's manager, so the measures come with their agreement already set.
    measure = (
        agreement.measures.filter(key=key)
        .select_related("sub_goal")
        .with_organisations()
        .with_sections()
        .first()
    )
    if measure is None:
        raise Http404(_("Fann ikkje tiltaket."))
    siblings = list(
        agreement.measures.select_related("sub_goal").only(
            "agreement", "key", "number", "title", "sub_goal__number"
        )
    )
    position = next(i for i, m in enumerate(siblings) if m.pk == measure.pk)
    entries = measure_changelog(measure)
    context = {
        "agreement": agreement,
        "measure": measure,
        "may": rules.permissions_for(request.user, agreement),
        **page_of(entries),
        "previous": siblings[position - 1] if position > 0 else None,
        "next": siblings[position + 1] if position + 1 < len(siblings) else None,
        "section": "plan",
    }
    return render(request, "measures/measure_detail.html", context)


def organisation_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every organisation the agreement names, with how many measures it leads or joins,
    itself or through a collective body it is a member of."""
    agreement = get_agreement_for_user(request, slug)
    counts = counts_by_organisation(agreement)
    party_ids = {party.pk for party in agreement.ordered_parties()}
    organisations = Organisation.objects.filter(pk__in=set(counts) | party_ids)
    none = {role: RoleCount() for role in Involvement.Role.values}
    rows = [(org, counts.get(org.pk, none), org.pk in party_ids) for org in organisations]
    context = {
        "agreement": agreement,
        "rows": rows,
        "any_via": any(count.via for per_role in counts.values() for count in per_role.values()),
        "section": "organisations",
    }
    return render(request, "measures/organisation_list.html", context)


def organisation_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Where one organisation leads or takes part in the agreement, itself or via a body."""
    agreement = get_agreement_for_user(request, slug)
    organisation = Organisation.objects.filter(key=key).first()
    if organisation is None:
        raise Http404(_("Fann ikkje organisasjonen."))
    collectives = collectives_of(agreement, organisation)
    members = members_of(agreement, organisation)
    taking_part = measures_of(agreement, organisation, collectives)
    is_party = agreement.party_set.filter(organisation=organisation).exists()
    if not any(taking_part.values()) and not is_party and not members and not collectives:
        raise Http404(_("Organisasjonen er ikkje med i denne avtala."))
    context = {
        "agreement": agreement,
        "organisation": organisation,
        "leads": taking_part[Involvement.Role.LEAD],
        "partners": taking_part[Involvement.Role.PARTNER],
        "collectives": collectives,
        "collective_names": as_prose([body.name for body in collectives]),
        "members": members,
        "is_party": is_party,
        "may": rules.permissions_for(request.user, agreement),
        "section": "organisations",
    }
    return render(request, "measures/organisation_detail.html", context)
