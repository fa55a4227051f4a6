"""The accounts' downloads (PDF and workbook, for everyone who reads the agreement) and the
workbook's upload (the project leader; written through money.workflow, which asks who may)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from budget.models import BudgetLine, FundingSource
from bygdevekst.logs import audit
from measures.guards import get_agreement_for_user
from money import workflow
from money.cells import SpendingChange, SpendingConflict
from money.comparison import Comparison
from money.forms import spending_saved
from money.rules import why_not_keeper
from reporting.forms import ApplyUploadForm, WorkbookUploadForm, first_error
from reporting.outputs.workbook.bounded_sheets import WorkbookError

from .context import AccountsReport
from .pdf import accounts_pdf
from .workbook import accounts_workbook, read_accounts_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _agreement_and_year(request: HttpRequest, slug: str, year: int):
    agreement = get_agreement_for_user(request, slug)
    if year not in agreement.years:
        raise Http404(_("Året er ikkje i avtaleperioden."))
    return agreement


def accounts_report_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """«Rekneskap ÅÅÅÅ» as PDF."""
    agreement = _agreement_and_year(request, slug, year)
    pdf = accounts_pdf(AccountsReport.of(agreement, year))
    audit("accounts_download", request, agreement=slug, year=year, format="pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rekneskap-{slug}-{year}.pdf"'
    return response


def accounts_report_xlsx(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """«Rekneskap ÅÅÅÅ» as a workbook: the template to fill in, and the report once filled."""
    agreement = _agreement_and_year(request, slug, year)
    workbook = accounts_workbook(AccountsReport.of(agreement, year))
    audit("accounts_download", request, agreement=slug, year=year, format="xlsx")
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rekneskap-{slug}-{year}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def accounts_upload(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The filled-in workbook read and shown, every change beside what the accounts hold now,
    and every problem named by sheet, row and column; nothing is saved here."""
    agreement = _keepers_agreement(request, slug, year)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    problems, upload, preview = [], None, None
    if request.method == "POST" and form.is_valid():
        try:
            upload = read_accounts_workbook(agreement, year, form.cleaned_data["workbook"].read())
        except WorkbookError as error:
            problems = error.problems
        else:
            typed = {change.key: change.new for change in upload.changes}
            preview = Comparison.of(agreement, year, typed=typed)
    context = {
        "agreement": agreement,
        "year": year,
        "form": form,
        "problems": problems,
        "upload": upload,
        "preview": preview,
        "refusal": workflow.why_not_writable(agreement, year),
        "section": "money",
    }
    return render(request, "reporting/accounts_upload.html", context)


@require_POST
def accounts_upload_apply(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Save the previewed changes, if no cell has been changed by someone else since."""
    agreement = _keepers_agreement(request, slug, year)
    lines = {line.pk: line for line in BudgetLine.objects.filter(agreement=agreement)}
    sources = {source.pk: source for source in FundingSource.objects.filter(agreement=agreement)}
    form = ApplyUploadForm(request.POST, agreement=agreement, lines=lines, sources=sources)
    upload_again = reverse("reporting:accounts-upload", args=[slug, year])
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(upload_again)
    changes = [
        SpendingChange(line, source, old, new)
        for line, change_year, source, old, new in form.cleaned_data["changes"]
        if change_year == year
    ]
    if len(changes) != len(form.cleaned_data["changes"]) or not changes:
        messages.error(request, _("Endringane kunne ikkje lesast. Last opp fila på nytt."))
        return redirect(upload_again)
    try:
        count = workflow.save_spending(
            agreement=agreement, year=year, user=request.user, changes=changes
        )
    except SpendingConflict:
        messages.error(
            request, _("Rekneskapen er endra sidan du lasta opp fila. Last opp på nytt.")
        )
        return redirect(upload_again)
    except workflow.MoneyError as refused:
        messages.error(request, str(refused))
        return redirect("money:accounts", slug, year)
    audit("accounts_upload", request, agreement=slug, year=year, cells=count)
    messages.success(request, spending_saved(year, count))
    return redirect("money:accounts", slug, year)


def _keepers_agreement(request: HttpRequest, slug: str, year: int):
    """The agreement, if the user keeps its accounts (else 403) and the year is its (else 404)."""
    agreement = _agreement_and_year(request, slug, year)
    refusal = why_not_keeper(request.user, agreement)
    if refusal:
        raise PermissionDenied(refusal)
    return agreement
