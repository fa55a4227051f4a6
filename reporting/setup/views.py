"""Setting up an agreement in the browser: the new-agreement form, and a plan file uploaded,
previewed and applied, all or nothing, as `import_plan` does."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from access import rules
from bygdevekst.logs import audit
from measures.models import Agreement
from measures.pickers import search_text
from reporting.plan_file import PlanFileError, parse_plan
from reporting.plan_file.history import history_problems, import_content

from .forms import FORMSETS, AgreementSetupForm
from .plan import create_agreement, setup_plan
from .preview import fingerprint, preview_plan
from .upload import PlanApplyForm, PlanUploadForm, sign_preview


def _require_creator(request: HttpRequest) -> None:
    if not rules.may_create_agreements(request.user):
        raise PermissionDenied(gettext("Berre operatørar og KDD kan setje opp nye avtalar."))


def _with_added_row(data: QueryDict, prefix: str) -> QueryDict:
    """The posted form with one more blank row in the formset `prefix`."""
    data = data.copy()
    total = f"{prefix}-TOTAL_FORMS"
    try:
        data[total] = str(min(int(data.get(total, 0)) + 1, 50))
    except ValueError:
        data[total] = "1"
    return data


@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    """A new agreement from one form; "Legg til rad" adds a row without saving anything."""
    _require_creator(request)
    data = request.POST if request.method == "POST" else None
    if data is None and "q" in request.GET:
        data = request.GET  # the party search, sent by htmx while typing
    query = search_text(data)
    adding = data is not None and data.get("add") in FORMSETS
    # "Legg til rad" and the party search keep the form as it is, unsaved.
    kept = adding or (data is not None and ("search" in data or request.method == "GET"))
    if kept:
        data = _with_added_row(data, data["add"]) if adding else data
        initial = {k: data.getlist(k) if k == "parties" else data.get(k) for k in data}
        form = AgreementSetupForm(initial=initial, query=query)
    else:
        form = AgreementSetupForm(data, query=query)
    formsets = {prefix: cls(data, prefix=prefix) for prefix, cls in FORMSETS.items()}
    problems = []
    if data is not None and not kept and _all_valid(form, formsets):
        plan = setup_plan(
            form.cleaned_data,
            parties=list(form.cleaned_data["parties"]),
            new_organisations=formsets["organisations"].filled(),
            sub_goals=formsets["sub_goals"].filled(),
            lines=formsets["lines"].filled(),
            sources=formsets["sources"].filled(),
        )
        become_editor = form.cleaned_data["become_editor"]
        try:
            agreement = create_agreement(plan=plan, user=request.user, become_editor=become_editor)
        except PlanFileError as error:
            problems = error.problems
        else:
            audit("agreement.created", request, agreement=agreement.slug)
            messages.success(
                request, gettext("Avtala «%(name)s» er sett opp.") % {"name": agreement}
            )
            if not become_editor:
                messages.info(
                    request,
                    gettext("Inviter prosjektleiaren, som skal redigere planen til avtala."),
                )
            return redirect(agreement.get_absolute_url())
    context = {
        "form": form,
        "formsets": formsets,
        "show_errors": data is not None and not kept,
        "problems": problems,
        "upload_url": reverse("reporting:plan-upload"),
    }
    return render(request, "reporting/agreement_form.html", context)


def _all_valid(form, formsets: dict) -> bool:
    # Every form checked, so every error is shown at once.
    return all([form.is_valid(), *(formset.is_valid() for formset in formsets.values())])


def _may_upload(user) -> bool:
    return rules.may_create_agreements(user) or rules.edits_any(user)


def _refusal(user, plan: dict) -> str | None:
    """Why the user may not apply this plan, or None: a new agreement needs operators or KDD,
    an existing one its editor. Asked before anything of the file is compared or shown; to
    someone who may not read the agreement it says the same whether the agreement exists or
    not."""
    agreement = Agreement.objects.filter(slug=plan["agreement"]["slug"]).first()
    if agreement is None and rules.may_create_agreements(user):
        return None
    if agreement is not None and rules.can_edit(user, agreement):
        return None
    if agreement is not None and rules.can_view(user, agreement):
        return gettext(
            "Du kan lese «%(name)s», men berre prosjektleiaren for avtala kan lese inn planfiler "
            "for ho."
        ) % {"name": agreement}
    return gettext(
        "Du kan ikkje lese inn denne planfila. Ho må gjelde ei avtale du er prosjektleiar for; "
        "nye avtalar set operatørar og KDD opp."
    )


@require_http_methods(["GET", "POST"])
def plan_upload(request: HttpRequest) -> HttpResponse:
    """Upload a plan file: every error with its place and line, or what applying it changes.

    Nothing of the file is compared with the database, nor shown, before the user is known to
    be allowed to apply it."""
    if not _may_upload(request.user):
        raise PermissionDenied(gettext("Du kan ikkje lese inn planfiler."))
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    problems, preview, apply_form, refusal = [], None, None, None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["plan"]
        try:
            plan = parse_plan(text)
            refusal = _refusal(request.user, plan)
            if refusal is None:
                plan = parse_plan(text, own_organisations_only=True)
                problems = history_problems(plan, text)
        except PlanFileError as error:
            problems = error.problems
            if refusal is None:  # the file's own errors, and its changes to shared organisations
                problems = _all_problems(text) or problems
        if refusal is None and not problems:
            preview = preview_plan(plan)
            token = sign_preview(text, user=request.user, base=fingerprint(preview.agreement))
            if token is None:
                refusal = gettext(
                    "Fila er for stor til å lesast inn i nettlesaren. "
                    "Ein operatør kan lese ho inn med kommandoen import_plan."
                )
            else:
                apply_form = PlanApplyForm(initial={"token": token}, user=request.user)
    context = {
        "form": form,
        "problems": problems,
        "history_refused": any(p.path.startswith(("revisions", "money")) for p in problems),
        "preview": preview,
        "apply_form": apply_form,
        "refusal": refusal,
    }
    return render(request, "reporting/plan_upload.html", context)


def _all_problems(text: str) -> list:
    """Every problem of a file that does not parse, shared organisations' changes included."""
    try:
        parse_plan(text, own_organisations_only=True)
    except PlanFileError as error:
        return error.problems
    return []


@require_POST
def plan_apply(request: HttpRequest) -> HttpResponse:
    """Apply exactly the previewed file, if the plan is still as previewed; all or nothing."""
    if not _may_upload(request.user):
        raise PermissionDenied(gettext("Du kan ikkje lese inn planfiler."))
    form = PlanApplyForm(request.POST, user=request.user)
    again = reverse("reporting:plan-upload")
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(again)
    token = form.cleaned_data["token"]
    plan = parse_plan(token["text"])  # signed by us: it parsed at the preview
    refusal = _refusal(request.user, plan)
    if refusal:
        raise PermissionDenied(refusal)
    try:
        with transaction.atomic():
            # The agreement's row serialises two applies; the plan must be as previewed.
            current = Agreement.objects.select_for_update().filter(slug=plan["agreement"]["slug"])
            if fingerprint(current.first()) != token["base"]:
                messages.error(
                    request,
                    gettext("Planen er endra sidan forhandsvisinga. Last opp fila på nytt."),
                )
                return redirect(again)
            preview = preview_plan(plan)
            if preview.removes and not form.cleaned_data["confirm"]:
                messages.error(
                    request,
                    gettext("Stadfest at du vil byte ut planen: fila fjernar noko frå han."),
                )
                return redirect(again)
            agreement = import_content(plan, token["text"])
    except PlanFileError as error:
        messages.error(request, str(error))
        return redirect(again)
    audit("plan.uploaded", request, agreement=agreement.slug, new=preview.agreement is None)
    messages.success(
        request, gettext("Planfila for «%(name)s» er lesen inn.") % {"name": agreement}
    )
    return redirect(agreement.get_absolute_url())
