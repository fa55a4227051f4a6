"""The budget page: the whole period and one year's financing, with their checks."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from measures.rules import get_agreement_for_user

from .tables import BudgetOverview


def budget_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Section 6 and 7 of the plan: state co-financing by year, and every source for a year."""
    agreement = get_agreement_for_user(request, slug)
    year = _requested_year(request, agreement)
    overview = BudgetOverview.from_agreement(agreement, year)
    return render(
        request,
        "budget/budget_detail.html",
        {"agreement": agreement, "overview": overview, "section": "budget"},
    )


def _requested_year(request: HttpRequest, agreement) -> int | None:
    """The year asked for in ?ar=, if it is a year of the agreement; otherwise the default."""
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        return None
    return year if year in agreement.years else None
