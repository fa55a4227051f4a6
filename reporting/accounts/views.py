"""The accounts' downloads (PDF and workbook, for everyone who reads the agreement) and the
workbook's upload (the project leader; written through money.workflow, which asks who may)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from bygdevekst.logs import audit
from measures.guards import get_agreement_for_user
from money import workflow
from money.cells import SpendingConflict
from money.rules import why_not_keeper
from reporting.forms import WorkbookUploadForm
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
    """The filled-in workbook: every problem named by sheet, row and column, nothing saved
    unless all is valid."""
    agreement = _agreement_and_year(request, slug, year)
    refusal = why_not_keeper(request.user, agreement)
    if refusal:
        raise PermissionDenied(refusal)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["workbook"].read()
        try:
            changes = read_accounts_workbook(agreement, year, data)
            count = workflow.save_spending(
                agreement=agreement, year=year, user=request.user, changes=changes
            )
        except WorkbookError as error:
            problems = error.problems
        except SpendingConflict:
            problems = [_("Nokon andre har endra rekneskapen medan fila vart lesen. Prøv igjen.")]
        except workflow.MoneyError as error:
            problems = [str(error)]
        else:
            saved = ngettext(
                "Rekneskapen for %(year)s er lagra (%(count)d celle endra).",
                "Rekneskapen for %(year)s er lagra (%(count)d celler endra).",
                count,
            )
            messages.success(request, saved % {"year": year, "count": count})
            return redirect("money:accounts", slug, year)
    context = {
        "agreement": agreement,
        "year": year,
        "form": form,
        "problems": problems,
        "section": "money",
    }
    return render(request, "reporting/accounts_upload.html", context)
