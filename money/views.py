"""The money's pages: the state's money over the period, a year's accounts (planned against
actual, the grid, the explanations and the steps), and KDD's payments.

Views parse, ask money.rules for the buttons and the 403, and call money.workflow, which asks
the same rules itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bygdevekst.logs import audit
from measures.confirmation import Confirmation, ask, is_confirmed
from measures.guards import get_agreement_for_user

from . import workflow
from .comparison import Comparison
from .forms import (
    CorrectionGridForm,
    ExplanationsForm,
    GridConflict,
    PaymentCorrectionForm,
    PaymentForm,
    ReturnForm,
    SpendingGridForm,
)
from .models import Accounts, Correction, Payment
from .period import StateMoney
from .rules import money_permissions, why_not_grid, why_not_kdd, why_not_keeper


def _agreement(request: HttpRequest, slug: str, refusal=None):
    """The agreement if the user may read it (else 404), and if `refusal` is given, may take
    the step it asks about (else 403)."""
    agreement = get_agreement_for_user(request, slug)
    reason = refusal(request.user, agreement) if refusal else None
    if reason:
        raise PermissionDenied(reason)
    return agreement


def _year(agreement, year: int) -> int:
    if year not in agreement.years:
        raise Http404(_("Året er ikkje i avtaleperioden."))
    return year


def money_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The state's money over the period: approved, paid, spent and carried over."""
    agreement = _agreement(request, slug)
    context = {
        "agreement": agreement,
        "money": StateMoney.of(agreement),
        "payments": Payment.objects.filter(agreement=agreement).select_related("recorded_by"),
        "corrections": Correction.objects.filter(agreement=agreement).select_related("user"),
        "may": money_permissions(request.user, agreement),
        "section": "money",
    }
    return render(request, "money/money_detail.html", context)


def accounts_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """A year's accounts against the approved budget, their explanations and their steps."""
    agreement = _agreement(request, slug)
    comparison = Comparison.of(agreement, _year(agreement, year))
    accounts = comparison.accounts
    may = money_permissions(request.user, agreement)
    context = {
        "agreement": agreement,
        "year": year,
        "comparison": comparison,
        "accounts": accounts,
        "events": accounts.events.select_related("user") if accounts else [],
        "corrections": accounts.corrections.select_related("user") if accounts else [],
        "not_open": workflow.why_not_open(agreement, year),
        "explanations": ExplanationsForm(comparison=comparison),
        "return_form": ReturnForm(),
        "may": may,
        "section": "money",
    }
    return render(request, "money/accounts_detail.html", context)


@require_http_methods(["GET", "POST"])
def accounts_edit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The year's grid: every line by every source; saved all at once, or not at all."""
    agreement = _agreement(request, slug, why_not_keeper)
    year = _year(agreement, year)
    refusal = workflow.why_not_writable(agreement, year)
    return _grid_page(request, agreement, year, SpendingGridForm, refusal)


@require_http_methods(["GET", "POST"])
def accounts_correct(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """KDD's correction of accepted accounts: the grid and the reason, recorded with both."""
    agreement = _agreement(request, slug, why_not_kdd)
    accounts = _accounts(agreement, _year(agreement, year))
    if refusal := workflow.why_not_correctable(accounts):
        messages.error(request, refusal)
        return redirect("money:accounts", slug, year)
    return _grid_page(request, agreement, year, CorrectionGridForm, None)


def _grid_page(request, agreement, year: int, form_class, refusal) -> HttpResponse:
    """The grid of a year's spending, for entering (SpendingGridForm) or correcting
    (CorrectionGridForm); a conflict shows what is saved now, a refusal says why."""
    comparison = Comparison.of(agreement, year)
    form = form_class.of(request.POST or None, comparison)
    correcting = form_class is CorrectionGridForm
    conflicts = []
    if request.method == "POST" and form.is_valid():
        try:
            changed = form.save_as(request.user)
        except GridConflict as conflict:
            conflicts = conflict.conflicts
            form.accept_saved_versions()
        except workflow.MoneyError as refused:
            if not correcting:  # the accounts are closed: the accounts page says so
                messages.error(request, str(refused))
                return redirect("money:accounts", agreement.slug, year)
            form.add_error(None, str(refused))
        else:
            audit(form.audit_event, request, agreement=agreement.slug, year=year, cells=changed)
            messages.success(request, form.saved_message(changed))
            return redirect("money:accounts", agreement.slug, year)
    context = {
        "agreement": agreement,
        "year": year,
        "form": form,
        "grid": [
            (line, list(zip(fields, row.cells, strict=True)), row)
            for (line, fields), row in zip(form.rows(), comparison.rows, strict=True)
        ],
        "comparison": comparison,
        "conflicts": conflicts,
        "refusal": refusal,
        "correcting": correcting,
        "section": "money",
    }
    return render(request, "money/accounts_form.html", context)


@require_POST
def accounts_recompute(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The grid's totals and deviations for what is typed, unsaved (htmx, out-of-band swaps),
    for whoever may fill in the grid: the project leader, or KDD correcting."""
    agreement = _agreement(request, slug, why_not_grid)
    year = _year(agreement, year)
    form = SpendingGridForm.of(request.POST, Comparison.of(agreement, year))
    form.is_valid()
    context = {"comparison": Comparison.of(agreement, year, typed=form.typed())}
    return render(request, "money/accounts_form.html#recomputed", context)


@require_POST
def explanations_save(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The project leader's explanations of the deviations."""
    agreement = _agreement(request, slug, why_not_keeper)
    comparison = Comparison.of(agreement, _year(agreement, year))
    form = ExplanationsForm(request.POST, comparison=comparison)
    if form.is_valid():
        try:
            workflow.save_explanations(
                agreement=agreement, year=year, user=request.user, texts=form.texts()
            )
        except workflow.MoneyError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Forklaringane er lagra."))
    else:
        messages.error(request, _("Ei forklaring er for lang. Ingenting er lagra."))
    return redirect("money:accounts", slug, year)


@require_POST
def accounts_submit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Send the year's accounts to KDD, once confirmed."""
    agreement = _agreement(request, slug, why_not_keeper)
    year = _year(agreement, year)
    if not is_confirmed(request):
        return _ask(
            request,
            agreement,
            year,
            title=_("Send rekneskapen for %(year)s til KDD?") % {"year": year},
            consequence=_(
                "Rekneskapen blir låst for endringar til KDD har godkjent han eller sendt han "
                "tilbake til deg."
            ),
            button=_("Send rekneskapen til KDD"),
        )
    return _step(
        request,
        agreement,
        year,
        lambda: workflow.submit(agreement=agreement, year=year, user=request.user),
        _("Rekneskapen for %(year)s er sendt til KDD.") % {"year": year},
    )


@require_POST
def accounts_return(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """KDD sends the accounts back to the project leader, with a comment; once confirmed."""
    agreement = _agreement(request, slug, why_not_kdd)
    accounts = _accounts(agreement, _year(agreement, year))
    form = ReturnForm(request.POST)
    if not (form.is_valid() and is_confirmed(request)):
        return _ask(
            request,
            agreement,
            year,
            title=_("Send rekneskapen for %(year)s tilbake?") % {"year": year},
            consequence=_("Prosjektleiaren kan rette rekneskapen og sende han på nytt."),
            button=_("Send tilbake til prosjektleiaren"),
            form=form,
        )
    return _step(
        request,
        agreement,
        year,
        lambda: workflow.return_accounts(
            accounts=accounts, user=request.user, comment=form.cleaned_data["comment"]
        ),
        _("Rekneskapen for %(year)s er sendt tilbake til prosjektleiaren.") % {"year": year},
    )


@require_POST
def accounts_accept(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """KDD accepts the accounts, once confirmed: from then on they are frozen."""
    agreement = _agreement(request, slug, why_not_kdd)
    accounts = _accounts(agreement, _year(agreement, year))
    if not is_confirmed(request):
        return _ask(
            request,
            agreement,
            year,
            title=_("Godkjenne rekneskapen for %(year)s?") % {"year": year},
            consequence=_(
                "Ein godkjend rekneskap kan ikkje endrast, berre rettast av KDD med ei "
                "grunngjeving som blir lagra."
            ),
            button=_("Godkjenn rekneskapen"),
        )
    return _step(
        request,
        agreement,
        year,
        lambda: workflow.accept(accounts=accounts, user=request.user),
        _("Rekneskapen for %(year)s er godkjend.") % {"year": year},
    )


def _accounts(agreement, year: int) -> Accounts:
    accounts = Accounts.objects.filter(agreement=agreement, year=year).first()
    if accounts is None:
        raise Http404(_("Det finst ingen rekneskap for dette året."))
    return accounts


def _ask(request, agreement, year, *, title, consequence, button, form=None) -> HttpResponse:
    confirmation = Confirmation(
        title=title,
        consequences=[consequence],
        action=request.path,
        button=button,
        cancel=reverse("money:accounts", args=[agreement.slug, year]),
        form=form,
    )
    return ask(request, confirmation, {"agreement": agreement, "section": "money"})


def _step(request, agreement, year, step, done: str) -> HttpResponse:
    try:
        step()
    except workflow.MoneyError as refused:
        messages.error(request, str(refused))
    else:
        audit("accounts", request, agreement=agreement.slug, year=year, step=request.path)
        messages.success(request, done)
    return redirect("money:accounts", agreement.slug, year)


@require_http_methods(["GET", "POST"])
def payment_create(request: HttpRequest, slug: str) -> HttpResponse:
    """KDD records a payment of the state's co-financing."""
    agreement = _agreement(request, slug, why_not_kdd)
    form = PaymentForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.record_payment(agreement=agreement, user=request.user, **form.cleaned_data)
        except workflow.MoneyError as refused:
            form.add_error(None, str(refused))
        else:
            audit("payment", request, agreement=slug, year=form.cleaned_data["year"])
            messages.success(request, _("Utbetalinga er registrert."))
            return redirect("money:detail", slug)
    context = {"agreement": agreement, "form": form, "section": "money"}
    return render(request, "money/payment_form.html", context)


@require_http_methods(["GET", "POST"])
def payment_correct(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """KDD's correction of a recorded payment, recorded with who, when, why and what changed."""
    agreement = _agreement(request, slug, why_not_kdd)
    payment = get_object_or_404(Payment, agreement=agreement, pk=pk)
    form = PaymentCorrectionForm(request.POST or None, payment=payment)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.correct_payment(payment=payment, user=request.user, **form.cleaned_data)
        except workflow.MoneyError as refused:
            form.add_error(None, str(refused))
        else:
            audit("payment_correction", request, agreement=slug, payment=payment.pk)
            messages.success(request, _("Rettinga av utbetalinga er lagra."))
            return redirect("money:detail", slug)
    context = {"agreement": agreement, "form": form, "payment": payment, "section": "money"}
    return render(request, "money/payment_form.html", context)
