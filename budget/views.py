"""The budget page, and the grid the editor fills in one year at a time."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from measures.rules import get_agreement_for_editor, get_agreement_for_user, permissions_for

from .changelog import budget_changelog
from .forms import ApplyUploadForm, BudgetGridForm, WorkbookUploadForm
from .models import Amount, BudgetLine, FundingSource
from .tables import BudgetOverview
from .xlsx import CellChange, WorkbookError, apply_changes, read_budget_workbook

CHANGELOG_ON_PAGE = 15


def budget_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Section 6 and 7 of the plan: state co-financing by year, and every source for a year."""
    agreement = get_agreement_for_user(request, slug)
    overview = BudgetOverview.from_agreement(agreement, _requested_year(request, agreement))
    entries = budget_changelog(agreement)
    context = {
        "agreement": agreement,
        "overview": overview,
        "section": "budget",
        "may": permissions_for(request.user, agreement),
        "entries": entries[:CHANGELOG_ON_PAGE],
        "more_entries": len(entries) > CHANGELOG_ON_PAGE,
    }
    return render(request, "budget/budget_detail.html", context)


def _requested_year(request: HttpRequest, agreement) -> int | None:
    """The year asked for in ?ar=, if it is a year of the agreement; otherwise the default."""
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        return None
    return year if year in agreement.years else None


@require_http_methods(["GET", "POST"])
def budget_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """One year's grid: every line by every source; saved all at once, or not at all."""
    agreement = get_agreement_for_editor(request, slug)
    year = _requested_year(request, agreement) or agreement.first_year
    overview = BudgetOverview.from_agreement(agreement, year)
    form = _grid(request, agreement, year, overview)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        conflicts = form.conflicts()
        if not conflicts:
            changed = form.save()
            messages.success(request, f"Budsjettet for {year} er lagra ({changed} celler endra).")
            return redirect(reverse("budget:detail", args=[slug]) + f"?ar={year}")
        form.accept_saved_versions()
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
    year = _requested_year(request, agreement) or agreement.first_year
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


@require_http_methods(["GET", "POST"])
def workbook_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload an edited workbook; see every change before anything is saved."""
    agreement = get_agreement_for_editor(request, slug)
    year = _requested_year(request, agreement) or agreement.first_year
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    problems, changes = [], None
    if request.method == "POST" and form.is_valid():
        try:
            changes = read_budget_workbook(agreement, form.cleaned_data["workbook"].read(), year)
        except WorkbookError as error:
            problems = error.problems
    context = {
        "agreement": agreement,
        "form": form,
        "year": year,
        "problems": problems,
        "changes": changes,
        "section": "budget",
    }
    return render(request, "budget/workbook_upload.html", context)


@require_POST
def workbook_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply the previewed changes, if the budget still holds what the preview compared with."""
    agreement = get_agreement_for_editor(request, slug)
    year = _requested_year(request, agreement) or agreement.first_year
    lines = {line.pk: line for line in BudgetLine.objects.filter(agreement=agreement)}
    sources = {source.pk: source for source in FundingSource.objects.filter(agreement=agreement)}
    parsed = ApplyUploadForm(request.POST).changes(lines, sources)
    upload_again = reverse("budget:upload", args=[slug]) + f"?ar={year}"
    if parsed is None:
        messages.error(request, "Endringane kunne ikkje lesast. Last opp fila på nytt.")
        return redirect(upload_again)
    with transaction.atomic():
        current = {
            (a.line_id, a.year, a.source_id): a.kroner
            for a in Amount.objects.select_for_update().filter(line__agreement=agreement)
        }
        if any(current.get((line.pk, y, source.pk)) != old for line, y, source, old, _ in parsed):
            messages.error(
                request, "Budsjettet er endra sidan du lasta opp fila. Last opp på nytt."
            )
            return redirect(upload_again)
        apply_changes([CellChange(*change) for change in parsed])
    messages.success(request, f"{len(parsed)} beløp frå Excel-fila er lagra.")
    return redirect(reverse("budget:detail", args=[slug]) + f"?ar={year}")
