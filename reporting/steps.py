"""The revision's steps: submit, each party's decision, KDD's approval or send-back.

Submitting, approving and sending back cannot be undone by the one who does them: each asks
first (measures/confirmation.py) and says what will happen; a post without `confirmed` changes
nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access.rules import why_not_decider
from bygdevekst.logs import audit
from measures.confirmation import Confirmation, ask, is_confirmed, leave
from measures.guards import get_agreement_for_editor, get_agreement_for_user
from measures.models import Organisation

from .forms import ApproveForm, DecisionForm, SendBackForm, SubmitForm
from .models import Approval, ImmutableRevisionError, Revision
from .outputs.pdf import store_when_approved
from .revision import workflow
from .revision.recipients import reach_of
from .revision.review import budget_checks, failed

# A step refused now (another step came first): said on the page, never a server error.
REFUSED = (workflow.WorkflowError, ImmutableRevisionError)


def _revision(agreement, year: int) -> Revision:
    revision = agreement.revisions.filter(year=year).first()
    if revision is None:
        raise Http404(_("Det finst ingen handlingsplan for dette året."))
    return revision


def _names(roles) -> str:
    return ", ".join(role.holder for role in roles)


def _ask_to_submit(request, agreement, revision, checks=None, asked_before=False) -> HttpResponse:
    """What submitting does, whom it reaches, and the failing checks to accept."""
    year = revision.year
    reach = reach_of(revision)
    consequences = [
        _(
            "Handlingsplan %(year)s blir frosen slik planen og budsjettet er no, og sendt til "
            "politisk handsaming hjå partane. Endringar du gjer i planen etterpå kjem ikkje med "
            "i handlingsplan %(year)s, med mindre KDD sender han tilbake til deg."
        )
        % {"year": year},
        _("Desse får e-post: %(names)s.") % {"names": _names(reach.reached)}
        if reach.reached
        else _("Ingen av godkjennarane har e-postadresse, så ingen får e-post."),
    ]
    if reach.no_address:
        consequences.append(
            _("Desse har inga e-postadresse og får ikkje e-post: %(names)s.")
            % {"names": _names(reach.no_address)}
        )
    if reach.no_approver:
        consequences.append(
            _("Desse partane har ingen godkjennar i Bygdevekst: %(names)s.")
            % {"names": ", ".join(str(org) for org in reach.no_approver)}
        )
    return _ask_with_checks(
        request,
        agreement,
        revision,
        refusal=workflow.why_not_submittable(revision),
        checks=checks,
        form_class=SubmitForm,
        title=_("Send handlingsplan %(year)s til godkjenning?") % {"year": year},
        consequences=consequences,
        button=_("Send handlingsplan %(year)s til godkjenning") % {"year": year},
        not_done=_(
            "Handlingsplanen er ikkje sendt. Kryss av for at du har sett kontrollane under; "
            "lista kan ha endra seg sidan du såg ho."
        )
        if asked_before
        else "",
    )


def _ask_with_checks(
    request,
    agreement,
    revision,
    *,
    refusal,
    checks,
    form_class,
    title,
    consequences,
    button,
    not_done,
) -> HttpResponse:
    """Ask before a step that failing budget checks hold back until they are ticked as seen
    (submitting, KDD's approval); `not_done` says the last try was refused for them."""
    if refusal:
        messages.error(request, refusal)
        return leave(request, revision)
    if checks is None:
        checks = failed(budget_checks(workflow.plan_of(revision), revision.year))
    confirmation = Confirmation(
        title=title,
        consequences=consequences,
        action=request.path,
        button=button,
        cancel=revision.get_absolute_url(),
        form=form_class(initial={"accepted": [c.label for c in checks]}) if checks else None,
        details_template="reporting/_failed_checks.html" if checks else "",
        warnings=[not_done] if not_done else [],
    )
    context = {"agreement": agreement, "revision": revision, "failed_checks": checks}
    return ask(request, confirmation, {**context, "section": "process"})


@require_POST
def revision_submit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Send the draft to the parties, once confirmed; failing budget checks must be accepted."""
    agreement = get_agreement_for_editor(request, slug)
    revision = _revision(agreement, year)
    if not is_confirmed(request):
        return _ask_to_submit(request, agreement, revision)
    try:
        sent = workflow.submit(
            revision=revision,
            user=request.user,
            accepted=SubmitForm(request.POST).accepted_failures(),
        )
    except workflow.ChecksFailed as refused:
        return _ask_to_submit(request, agreement, revision, refused.checks, asked_before=True)
    except REFUSED as error:
        messages.error(request, str(error))
        return redirect(revision)
    audit("submitted", request, agreement=slug, year=year, notified=len(sent))
    # Whom the e-mail reached, and whom not, the revision page says with links to fix it.
    messages.success(
        request,
        _(
            "Handlingsplan %(year)s er sendt til godkjenning. Kven som fekk e-post om det, står "
            "under «Status for partane»."
        )
        % {"year": year},
    )
    return redirect(revision)


def _not_under_treatment(revision: Revision) -> str:
    """Why no decision can be recorded for the revision now, precisely."""
    year = revision.year
    if revision.is_approved:
        return _("Handlingsplan %(year)s er godkjend av KDD, og vedtaka kan ikkje endrast.") % {
            "year": year
        }
    sent_back = revision.earlier_rounds()
    if sent_back:
        return _(
            "KDD sende handlingsplan %(year)s tilbake til prosjektleiaren %(date)s. Vedtak kan "
            "registrerast att når prosjektleiaren har sendt han til godkjenning på nytt."
        ) % {
            "year": year,
            "date": date_format(timezone.localtime(sent_back[0].closed_at), "SHORT_DATE_FORMAT"),
        }
    return _(
        "Handlingsplan %(year)s er eit utkast og ikkje sendt til godkjenning enno. Vedtak kan "
        "registrerast når prosjektleiaren har sendt han."
    ) % {"year": year}


@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, slug: str, year: int, org_key: str) -> HttpResponse:
    """An approver records its own organisation's meetings and decisions, and no one else's."""
    agreement = get_agreement_for_user(request, slug)
    revision = _revision(agreement, year)
    organisation = Organisation.objects.filter(key=org_key).first()
    if organisation is None:
        raise Http404(_("Fann ikkje organisasjonen."))
    refusal = why_not_decider(request.user, agreement, organisation)
    if refusal:
        raise PermissionDenied(refusal)
    if revision.status != Revision.Status.SUBMITTED:
        messages.error(request, _not_under_treatment(revision))
        return redirect(revision)
    approvals = list(
        revision.current_approvals()
        .filter(organisation=organisation)
        .exclude(body=Approval.Body.KDD)
    )
    if not approvals:
        revision.refresh_from_db()
        if revision.status != Revision.Status.SUBMITTED:  # sent back since it was read above
            messages.error(request, _not_under_treatment(revision))
            return redirect(revision)
        raise PermissionDenied(
            _("%(organisation)s gjer ikkje vedtak om handlingsplanen; det gjer KDD.")
            % {"organisation": organisation}
        )
    forms = [DecisionForm(request.POST or None, instance=a, prefix=a.body) for a in approvals]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        try:
            saved = _record_decisions(request, forms)
        except REFUSED as error:
            messages.error(request, str(error))
            return redirect(revision)
        _say_what_was_saved(request, organisation, approvals, saved)
        return redirect(revision)
    context = {
        "agreement": agreement,
        "revision": revision,
        "organisation": organisation,
        "forms": forms,
        "section": "process",
    }
    return render(request, "reporting/decision_form.html", context)


@transaction.atomic  # every body's decision, or none
def _record_decisions(request: HttpRequest, forms: list[DecisionForm]) -> list[Approval]:
    saved = []
    for form in forms:
        if not form.has_changed():
            continue  # a body left as it was is not this approver's record
        saved.append(
            workflow.record_decision(
                approval=form.instance,
                user=request.user,
                values=form.values(),
                seen=form.cleaned_data["seen"],
            )
        )
    return saved


def _say_what_was_saved(request, organisation, approvals: list[Approval], saved) -> None:
    """Saved what was filled; what is still missing is said, not hidden behind «registrert»."""
    pending = [a for a in approvals if a.decision == Approval.Decision.PENDING]
    if not saved:
        messages.info(request, _("Du endra ingenting, så ingenting er lagra."))
    elif not pending:
        messages.success(
            request,
            _("Vedtaket for %(organisation)s er registrert.") % {"organisation": organisation},
        )
    else:
        messages.success(
            request,
            _("Lagra for %(bodies)s.") % {"bodies": ", ".join(a.decider for a in saved)},
        )
    if pending:
        messages.warning(
            request,
            _("Framleis manglar vedtak frå %(bodies)s. Registrer det når det er gjort.")
            % {"bodies": ", ".join(a.decider for a in pending)},
        )


def _ministry_only(request: HttpRequest, agreement) -> None:
    refusal = why_not_decider(request.user, agreement)
    if refusal:
        raise PermissionDenied(refusal)


def _ask_to_approve(request, agreement, revision, checks=None, asked_before=False):
    """What approving does, and the failing budget checks KDD must accept first."""
    year = revision.year
    return _ask_with_checks(
        request,
        agreement,
        revision,
        refusal=workflow.why_not_approvable(revision),
        checks=checks,
        form_class=ApproveForm,
        title=_("Godkjenne handlingsplan %(year)s?") % {"year": year},
        consequences=[
            _(
                "Handlingsplan %(year)s for %(agreement)s blir godkjend av KDD for godt og "
                "lagd til grunn for utbetalinga av statleg medfinansiering for %(year)s."
            )
            % {"year": year, "agreement": agreement},
            _(
                "Etterpå kan ingen endre handlingsplanen, vedtaka eller tekstane hans, og "
                "han kan ikkje sendast tilbake. Den godkjende PDF-en blir laga no."
            ),
        ],
        button=_("Godkjenn handlingsplan %(year)s for godt") % {"year": year},
        not_done=_(
            "Handlingsplanen er ikkje godkjend. Kryss av for at du har sett kontrollane "
            "under; lista kan ha endra seg sidan du såg ho."
        )
        if asked_before
        else "",
    )


@require_POST
def revision_approve(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """KDD approves for good, after a confirmation that says so; failing budget checks must be
    accepted, as at submission."""
    agreement = get_agreement_for_user(request, slug)
    _ministry_only(request, agreement)
    revision = _revision(agreement, year)
    if not is_confirmed(request):
        return _ask_to_approve(request, agreement, revision)
    try:
        workflow.kdd_approve(
            revision=revision,
            user=request.user,
            accepted=ApproveForm(request.POST).accepted_failures(),
        )
    except workflow.ChecksFailed as refused:
        return _ask_to_approve(request, agreement, revision, refused.checks, asked_before=True)
    except REFUSED as error:
        messages.error(request, str(error))
        return redirect(revision)
    store_when_approved(revision, request.user)
    audit("kdd_approved", request, agreement=slug, year=year)
    messages.success(request, _("Handlingsplan %(year)s er godkjend av KDD.") % {"year": year})
    return redirect(revision)


@require_POST
def revision_send_back(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """KDD returns the revision to the project leader, after a confirmation that says so."""
    agreement = get_agreement_for_user(request, slug)
    _ministry_only(request, agreement)
    revision = _revision(agreement, year)
    form = SendBackForm(request.POST)
    if revision.status != Revision.Status.SUBMITTED:
        messages.error(request, workflow.NOT_RETURNABLE)
        return leave(request, revision)
    if not is_confirmed(request) or not form.is_valid():
        round_ = revision.current_round()
        confirmation = Confirmation(
            title=_("Sende handlingsplan %(year)s tilbake?") % {"year": year},
            consequences=[
                _(
                    "Handlingsplan %(year)s går tilbake til prosjektleiaren som utkast. Vedtaka "
                    "i runde %(round)s gjeld ikkje lenger: når han er retta og sendt på nytt, må "
                    "alle partane gjere nye vedtak."
                )
                % {"year": year, "round": round_.number if round_ else 1},
                _("Prosjektleiaren og partane ser grunngjevinga di i historikken."),
            ],
            action=request.path,
            button=_("Send handlingsplan %(year)s tilbake") % {"year": year},
            cancel=revision.get_absolute_url(),
            danger=True,
            form=form,
        )
        context = {"agreement": agreement, "revision": revision, "section": "process"}
        return ask(request, confirmation, context)
    try:
        workflow.send_back(
            revision=revision, user=request.user, comment=form.cleaned_data["comment"]
        )
    except REFUSED as error:
        messages.error(request, str(error))
        return redirect(revision)
    audit("sent_back", request, agreement=slug, year=year)
    messages.success(
        request,
        _("Handlingsplan %(year)s er sendt tilbake til prosjektleiaren.") % {"year": year},
    )
    return redirect(revision)
