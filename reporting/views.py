"""The yearly revision: its status at a glance, its change list, and each party's step.

Also the report's downloads, and the edited workbook uploaded back into the budget.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access.rules import edits_any, may_create_agreements, permissions_for, why_not_decider
from budget.cells import BudgetConflict, CellChange, write_cells
from budget.models import BudgetLine, FundingSource
from bygdevekst.logs import audit
from measures.confirmation import Confirmation, ask, is_confirmed, leave
from measures.guards import get_agreement_for_editor, get_agreement_for_user

from .forms import (
    ApplyUploadForm,
    DueDateForm,
    NotesForm,
    SendBackForm,
    StartRevisionForm,
    SubmitForm,
    WorkbookUploadForm,
    first_error,
)
from .front import FrontPage
from .models import ImmutableRevisionError, Revision
from .outputs.context import Report
from .outputs.pdf import revision_pdf
from .outputs.workbook.reader import (
    WorkbookError,
    read_budget_workbook,
)
from .outputs.workbook.writer import report_workbook
from .revision import workflow
from .revision.explained_changes import explain
from .revision.process import PoliticalProcess
from .revision.recipients import reach_of
from .revision.review import budget_checks, failed, unedited_texts
from .revision.waiting import last_send_back, waiting_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A step refused now (another step came first): said on the page, never a server error.
REFUSED = (workflow.WorkflowError, ImmutableRevisionError)


def home(request: HttpRequest) -> HttpResponse:
    """The front page: what waits for each of the user's roles, and where to do it."""
    may_create = may_create_agreements(request.user)
    context = {
        "page": FrontPage.for_user(request.user),
        "may_create": may_create,
        "may_upload": may_create or edits_any(request.user),
    }
    return render(request, "reporting/front_page.html", context)


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Every revision of the agreement, the latest one's political process, and a new start."""
    agreement = get_agreement_for_user(request, slug)
    revisions = list(agreement.revisions.order_by("-year"))
    latest = revisions[0] if revisions else None
    may = permissions_for(request.user, agreement)
    context = {
        "agreement": agreement,
        "revisions": revisions,
        "revision": latest,
        "process": PoliticalProcess.from_revision(latest) if latest else None,
        "rejections": _rejections(latest, may) if latest else [],
        "start_form": StartRevisionForm(years=_startable_years(agreement, revisions)),
        "may": may,
        "section": "process",
    }
    return render(request, "reporting/process_detail.html", context)


def _sees_comments(may) -> bool:
    """The decisions' comments are for those who take part in them, not for readers."""
    return bool(may.edit or may.ministry or may.approves_for)


def _rejections(revision: Revision, may) -> list:
    """This round's "not approved" decisions, for the project leader, KDD and the approvers."""
    return waiting_for(revision).rejections if _sees_comments(may) else []


def _startable_years(agreement, revisions: list[Revision]) -> list[int]:
    after = max((r.year for r in revisions), default=agreement.first_year - 1)
    return [year for year in agreement.years if year > after]


@require_POST
def revision_start(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    revisions = list(agreement.revisions.all())
    form = StartRevisionForm(request.POST, years=_startable_years(agreement, revisions))
    if not form.is_valid():
        messages.error(request, _("Vel eit år i avtaleperioden som ikkje har handlingsplan enno."))
        return redirect("reporting:process", slug)
    year = form.cleaned_data["year"]
    refusal = workflow.why_not_startable(agreement, year)
    if refusal:
        messages.error(request, refusal)
        return leave(request, reverse("reporting:process", args=[slug]))
    if not is_confirmed(request):
        return _ask_to_start(request, agreement, year)
    try:
        revision = workflow.start_revision(agreement=agreement, year=year, user=request.user)
    except REFUSED as error:
        messages.error(request, str(error))
        return redirect("reporting:process", slug)
    messages.success(
        request, _("Handlingsplan %(year)s er starta som utkast.") % {"year": revision.year}
    )
    return redirect(revision)


def _ask_to_start(request: HttpRequest, agreement, year: int) -> HttpResponse:
    """What starting does: a draft of the living plan, the year's only one."""
    confirmation = Confirmation(
        title=_("Starte handlingsplan %(year)s?") % {"year": year},
        consequences=[
            _(
                "Handlingsplan %(year)s blir starta som eit utkast av den levande planen: "
                "tiltaka, delmåla og budsjettet slik dei er no. Du ser endringane mot den "
                "førre godkjende handlingsplanen og skriv grunngjevingane før du sender han."
            )
            % {"year": year},
            _("Avtala kan ha berre éin handlingsplan for kvart år."),
        ],
        action=reverse("reporting:revision-start", args=[agreement.slug]),
        button=_("Start handlingsplan %(year)s") % {"year": year},
        cancel=reverse("reporting:process", args=[agreement.slug]),
    )
    return ask(request, confirmation, {"agreement": agreement, "section": "process"})


def _revision(agreement, year: int) -> Revision:
    revision = agreement.revisions.filter(year=year).first()
    if revision is None:
        raise Http404(_("Det finst ingen handlingsplan for dette året."))
    return revision


def revision_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """One revision: status, parties' decisions, change list with texts, yearly status."""
    agreement = get_agreement_for_user(request, slug)
    revision = _revision(agreement, year)
    context = _detail_context(request, agreement, revision, DueDateForm(instance=revision))
    return render(request, "reporting/revision_detail.html", context)


def _detail_context(request: HttpRequest, agreement, revision: Revision, due_form) -> dict:
    """What the revision page shows; `due_form` with its errors when a deadline was refused."""
    year = revision.year
    plan = workflow.plan_of(revision)
    changes = workflow.change_list(revision, plan)
    progress = {p.measure_key: p for p in revision.progress.all()}
    may = permissions_for(request.user, agreement)
    events = list(revision.events.select_related("user"))
    process = PoliticalProcess.from_revision(revision)
    base = workflow.previous_approved(revision)
    checks = budget_checks(plan, year) if not revision.is_approved else []
    failing = failed(checks)
    notes = {n.measure_key: n for n in revision.notes.all()}
    context = {
        "agreement": agreement,
        "revision": revision,
        "process": process,
        "current_round": revision.current_round(),
        "earlier_rounds": _earlier_rounds(revision),
        # Each body's "not approved", its date, comment and what happens now, for those who
        # take part in the decision (not for partners who only read).
        "rejections": _rejections(revision, may),
        "sees_comments": _sees_comments(may),
        # KDD's send-back of the draft, with its comment, at the top of the page.
        "sent_back": last_send_back(revision),
        "changes": changes,
        "notes": notes,
        "explained_changes": explain(
            changes, {key: note.text for key, note in notes.items()}, base.year if base else None
        ),
        "progress_rows": [
            (m, progress[m["key"]]) for m in workflow.active_measures(plan) if m["key"] in progress
        ],
        "missing": workflow.missing_notes(revision, changes) if revision.is_draft else [],
        "late": workflow.late_parties(revision),
        "all_approved": revision.approved_by_every_party(),
        "events": events,
        "unreached": _unreached_since_submitted(revision, events),
        # Approvers without an e-mail address, and parties without an approver, for the editor.
        "reach": reach_of(revision) if may.edit and not revision.is_approved else None,
        "base": base,
        "checks": checks,
        "budget_review": {"checks": checks},  # as budget/_checks.html reads them
        "failed_checks": failing,
        "submit_form": SubmitForm(initial={"accepted": [c.label for c in failing]}),
        "unedited": unedited_texts(revision, base) if revision.is_draft else [],
        "due_form": due_form,
        "send_back_form": SendBackForm(),
        "may": may,
        # KDD's own user who edits this plan: why the approval is not theirs to give.
        "kdd_refusal": why_not_decider(request.user, agreement)
        if may.ministry and not may.decides_for_ministry
        else "",
        "section": "process",
    }
    return context


def _earlier_rounds(revision: Revision) -> list[tuple]:
    """Each round KDD sent back, newest first, with its decisions arranged by party."""
    rounds = revision.earlier_rounds()
    parties = revision.agreement.ordered_parties() if rounds else []
    return [
        (round_, PoliticalProcess.from_approvals(revision, list(round_.approvals.all()), parties))
        for round_ in rounds
    ]


def _unreached_since_submitted(revision: Revision, events: list) -> list:
    """The e-mails about this submission that could not be sent, while it awaits decisions."""
    if revision.status != Revision.Status.SUBMITTED:
        return []
    return [e for e in events if e.kind == e.Kind.NOT_REACHED and e.at >= revision.submitted_at]


@require_http_methods(["GET", "POST"])
def revision_notes(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The editor writes reasons, assessments and the year's status of each measure."""
    agreement = get_agreement_for_editor(request, slug)
    revision = _revision(agreement, year)
    if not revision.is_draft:
        raise PermissionDenied(_("Tekstane kan berre endrast medan handlingsplanen er eit utkast."))
    plan = workflow.plan_of(revision)
    changes = workflow.change_list(revision, plan)
    active = workflow.active_measures(plan)
    form = NotesForm(request.POST or None, revision=revision, changes=changes, active=active)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.save_notes(revision=revision, notes=form.notes(), progress=form.progress())
        except REFUSED as error:
            messages.error(request, str(error))
            return redirect(revision)
        messages.success(request, _("Tekstane er lagra."))
        return redirect(revision)
    context = {
        "agreement": agreement,
        "revision": revision,
        "form": form,
        "changes": changes,
        "section": "process",
    }
    return render(request, "reporting/notes_form.html", context)


@require_POST
def revision_due(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The deadline for decisions; a refused date is said beside the field, nothing saved."""
    agreement = get_agreement_for_editor(request, slug)
    revision = _revision(agreement, year)
    form = DueDateForm(request.POST, instance=revision)
    if not form.is_valid():
        context = _detail_context(request, agreement, revision, form)
        return render(request, "reporting/revision_detail.html", context)
    try:
        # Only the date is written, under the revision's lock: never a status read earlier.
        workflow.set_due_date(revision=revision, due_on=form.cleaned_data["due_on"])
    except REFUSED as error:
        messages.error(request, str(error))
        return redirect(revision)
    messages.success(request, _("Fristen for vedtak er lagra."))
    return redirect(revision)


def revision_report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The annual report as PDF, for everyone who may read the agreement."""
    agreement = get_agreement_for_user(request, slug)
    revision = _revision(agreement, year)
    pdf, filename = revision_pdf(revision)
    audit("report_download", request, agreement=slug, year=year, format="pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def revision_workbook(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The revision's tables as an Excel workbook."""
    agreement = get_agreement_for_user(request, slug)
    revision = _revision(agreement, year)
    workbook = report_workbook(Report.from_revision(revision))
    audit("report_download", request, agreement=slug, year=year, format="xlsx")
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="handlingsplan-{slug}-{year}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def workbook_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload an edited workbook; see every change before anything is saved."""
    agreement = get_agreement_for_editor(request, slug)
    year = agreement.year_from(request.GET.get("ar", "")) or agreement.first_year
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
    return render(request, "reporting/workbook_upload.html", context)


@require_POST
def workbook_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply the previewed changes, if the budget still holds what the preview compared with."""
    agreement = get_agreement_for_editor(request, slug)
    year = agreement.year_from(request.GET.get("ar", "")) or agreement.first_year
    lines = {line.pk: line for line in BudgetLine.objects.filter(agreement=agreement)}
    sources = {source.pk: source for source in FundingSource.objects.filter(agreement=agreement)}
    form = ApplyUploadForm(request.POST, agreement=agreement, lines=lines, sources=sources)
    upload_again = reverse("reporting:workbook-upload", args=[slug]) + f"?ar={year}"
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(upload_again)
    parsed = form.cleaned_data["changes"]
    try:
        write_cells(agreement.pk, [CellChange(*change) for change in parsed])
    except BudgetConflict:
        messages.error(
            request, gettext("Budsjettet er endra sidan du lasta opp fila. Last opp på nytt.")
        )
        return redirect(upload_again)
    saved = ngettext(
        "%(count)d beløp frå Excel-fila er lagra.",
        "%(count)d beløp frå Excel-fila er lagra.",
        len(parsed),
    )
    messages.success(request, saved % {"count": len(parsed)})
    return redirect(reverse("budget:detail", args=[slug]) + f"?ar={year}")
