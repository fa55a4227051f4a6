"""The budget page, and the grid the editor fills in one year at a time."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from access.rules import permissions_for
from measures.guards import get_agreement_for_editor, get_agreement_for_user

from .changelog import budget_changelog
from .charts import MoneyCharts
from .forms import BudgetGridForm, GridConflict
from .models import Amount
from .tables import BudgetOverview

CHANGELOG_ON_PAGE = 15


def budget_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Section 6 and 7 of the plan: state co-financing by year, and every source for a year."""
    agreement = get_agreement_for_user(request, slug)
    overview = BudgetOverview.from_agreement(agreement, _year_asked(request, agreement))
    entries = budget_changelog(agreement)
    context = {
        "agreement": agreement,
        "overview": overview,
        "charts": MoneyCharts.from_tables(
            overview.allocation, overview.financing, overview.financing_year
        ),
        "section": "budget",
        "may": permissions_for(request.user, agreement),
        "entries": entries[:CHANGELOG_ON_PAGE],
        "more_entries": len(entries) > CHANGELOG_ON_PAGE,
    }
    return render(request, "budget/budget_detail.html", context)


def _year_asked(request: HttpRequest, agreement) -> int | None:
    """The year in `?ar=`, else that of the revision being prepared or treated (the one the
    budget is worked on for), else None: the tables' own default."""
    asked = agreement.year_from(request.GET.get("ar", ""))
    if asked:
        return asked
    # "approved" is Revision.Status.APPROVED: reporting builds on budget, not the other way.
    revisions = agreement.revisions.exclude(status="approved").order_by("-year")
    year = revisions.values_list("year", flat=True).first()
    return year if year in agreement.years else None


@require_http_methods(["GET", "POST"])
def budget_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """One year's grid: every line by every source; saved all at once, or not at all."""
    agreement = get_agreement_for_editor(request, slug)
    year = _year_asked(request, agreement) or agreement.first_year
    overview = BudgetOverview.from_agreement(agreement, year)
    form = _grid(request, agreement, year, overview)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        try:
            changed = form.save()
        except GridConflict as conflict:
            conflicts = conflict.conflicts
            form.accept_saved_versions()
        else:
            saved = ngettext(
                "Budsjettet for %(year)s er lagra (%(count)d celle endra).",
                "Budsjettet for %(year)s er lagra (%(count)d celler endra).",
                changed,
            )
            messages.success(request, saved % {"year": year, "count": changed})
            return redirect(reverse("budget:detail", args=[slug]) + f"?ar={year}")
    if form.is_bound:
        overview = BudgetOverview.from_agreement(agreement, year, form.typed())
    context = {
        "agreement": agreement,
        "overview": overview,
        "form": form,
        "year": year,
        "conflicts": conflicts,
        "section": "budget",
    }
    return render(request, "budget/budget_form.html", context)


@require_POST
def budget_recompute(request: HttpRequest, slug: str) -> HttpResponse:
    """Totals and checks for what is typed in the grid, unsaved (htmx, out-of-band swaps)."""
    agreement = get_agreement_for_editor(request, slug)
    year = _year_asked(request, agreement) or agreement.first_year
    form = _grid(request, agreement, year, BudgetOverview.from_agreement(agreement, year))
    form.is_valid()
    overview = BudgetOverview.from_agreement(agreement, year, form.typed())
    context = {"agreement": agreement, "overview": overview, "form": form, "year": year}
    return render(request, "budget/budget_form.html#recomputed", context)


def _grid(request: HttpRequest, agreement, year: int, overview: BudgetOverview) -> BudgetGridForm:
    return BudgetGridForm(
        request.POST or None,
        year=year,
        lines=overview.lines,
        sources=overview.sources,
        current=Amount.objects.cells(agreement, year),
    )
