"""Reading pages of the living plan."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import rules
from .changelog import measure_changelog, page_of
from .models import Involvement, Organisation
from .people import PeopleByMeasure
from .rules import get_agreement_for_user


def home(request: HttpRequest) -> HttpResponse:
    """The front page: the agreements this user takes part in."""
    agreements = rules.visible_agreements(request.user).prefetch_related("sub_goals")
    return render(request, "measures/agreement_list.html", {"agreements": agreements})


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
        raise Http404("Fann ikkje tiltaket.")
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
    """Every organisation the agreement names, with how many measures it leads or joins."""
    agreement = get_agreement_for_user(request, slug)
    involvements = Involvement.objects.filter(measure__agreement=agreement).values_list(
        "organisation_id", "role"
    )
    counts: dict[int, dict[str, int]] = {}
    for organisation_id, role in involvements:
        counts.setdefault(organisation_id, {"lead": 0, "partner": 0})[role] += 1
    party_ids = {party.pk for party in agreement.ordered_parties()}
    organisations = Organisation.objects.filter(pk__in=set(counts) | party_ids)
    rows = [
        (org, counts.get(org.pk, {"lead": 0, "partner": 0}), org.pk in party_ids)
        for org in organisations
    ]
    context = {"agreement": agreement, "rows": rows, "section": "organisations"}
    return render(request, "measures/organisation_list.html", context)


def organisation_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Where one organisation leads or takes part in the agreement."""
    agreement = get_agreement_for_user(request, slug)
    organisation = Organisation.objects.filter(key=key).first()
    if organisation is None:
        raise Http404("Fann ikkje organisasjonen.")
    involvements = (
        Involvement.objects.filter(measure__agreement=agreement, organisation=organisation)
        .select_related("measure__sub_goal", "measure__agreement")
        .order_by("measure__sub_goal__number", "measure__number")
    )
    is_party = agreement.party_set.filter(organisation=organisation).exists()
    if not involvements and not is_party:
        raise Http404("Organisasjonen er ikkje med i denne avtala.")
    context = {
        "agreement": agreement,
        "organisation": organisation,
        "leads": [i.measure for i in involvements if i.role == Involvement.Role.LEAD],
        "partners": [i.measure for i in involvements if i.role == Involvement.Role.PARTNER],
        "is_party": is_party,
        "section": "organisations",
    }
    return render(request, "measures/organisation_detail.html", context)
