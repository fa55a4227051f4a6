"""Editing measures: create, edit, retitle, close and reopen, move; and a measure's change log."""

from __future__ import annotations

import re

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access.rules import permissions_for

from ..changelog import measure_changelog
from ..confirmation import Confirmation, ask, is_confirmed
from ..forms import (
    CloseMeasureForm,
    MeasureCreateForm,
    MeasureForm,
    MeasureTitleForm,
    SeenVersionForm,
)
from ..guards import get_agreement_for_editor, get_agreement_for_user
from ..keys import unique_key
from ..models import Agreement, Involvement, Measure
from ..pickers import search_text
from ..plan_order import move_measure
from ..versioning import StaleVersion
from .saving import save_form, saved_in_place


def get_measure(agreement: Agreement, key: str, *, organisations: bool = False) -> Measure:
    """The agreement's measure with this key, its sub-goal loaded; 404 if there is none."""
    measures = agreement.measures.select_related("sub_goal")
    if organisations:
        measures = measures.with_organisations()
    measure = measures.filter(key=key).first()
    if measure is None:
        raise Http404(_("Fann ikkje tiltaket."))
    return measure


@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    goal = _requested_sub_goal(request, agreement)
    initial = {
        "sub_goal": goal,
        "number": (goal.measures.count() + 1) if goal else 1,
        "start_year": agreement.first_year,
        "end_year": agreement.last_year,
    }
    query = search_text(request.GET)
    if request.method == "GET" and "q" in request.GET:
        initial |= _as_typed(request)  # the organisation search: the form kept as it was
    form = MeasureCreateForm(
        request.POST or None, agreement=agreement, initial=initial, query=query
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (measure := _create_measure(form, agreement))
    ):
        messages.success(
            request,
            _("Tiltak %(code)s er oppretta. Legg til tekstane.") % {"code": measure.code},
        )
        return redirect(measure)
    context = {"agreement": agreement, "form": form, "section": "plan", "title": _("Nytt tiltak")}
    return render(request, "measures/measure_form.html", context)


def _as_typed(request: HttpRequest) -> dict:
    """The new-measure form as it was when its organisation search was sent (a GET)."""
    typed = {
        name: request.GET[name] for name in MeasureCreateForm.base_fields if name in request.GET
    }
    typed |= {name: request.GET.getlist(name) for name in ("leads", "partners")}
    typed["at_next_revision"] = "at_next_revision" in request.GET
    return typed


def _requested_sub_goal(request: HttpRequest, agreement: Agreement):
    """The sub-goal ?delmal= names, for a new measure under it; the first one without it."""
    number = request.GET.get("delmal")
    if number is None:
        return agreement.sub_goals.filter(number=1).first()
    goal = None
    if re.fullmatch(r"[0-9]{1,5}", number):
        goal = agreement.sub_goals.filter(number=int(number)).first()
    if goal is None:
        raise Http404(_("Fann ikkje delmålet."))
    return goal


def _create_measure(form: MeasureCreateForm, agreement: Agreement) -> Measure | None:
    """Save the new measure under a free key, with its leads and partners, all or nothing;
    None, with the form's errors, if it cannot be.

    Another editor may take the key or the number between the checks and the insert.
    """
    measure = form.save(commit=False)
    for _attempt in range(3):
        measure.key = unique_key(measure.title, agreement.measures, "tiltak", 60)
        try:
            with transaction.atomic():
                measure.save()
                _involve(measure, form)
            return measure
        except IntegrityError:
            if agreement.measures.filter(key=measure.key).exists():
                continue  # taken meanwhile: the next free key
            form.full_clean()  # the number, taken meanwhile: said beside the field
            if form.is_valid():
                raise
            return None
    raise IntegrityError(f"No free key for the measure «{measure.title}» after three tries.")


def _involve(measure: Measure, form: MeasureCreateForm) -> None:
    """The ticked leads and partners, in the form's order. A new row: nobody has a form of it
    open that a new version would have to make stale, so its version stays the first."""
    for role, name in ((Involvement.Role.LEAD, "leads"), (Involvement.Role.PARTNER, "partners")):
        for position, organisation in enumerate(form.chosen(name)):
            Involvement.objects.create(
                measure=measure, organisation=organisation, role=role, position=position
            )


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Every field of a measure: sub-goal and number (move, renumber), title, timeframe..."""
    agreement = get_agreement_for_editor(request, slug)
    measure = get_measure(agreement, key)
    form = MeasureForm(request.POST or None, instance=measure, agreement=agreement)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = save_form(form)
        if conflict is None:
            messages.success(request, _("Tiltak %(code)s er lagra.") % {"code": measure.code})
            return redirect(measure)
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": form,
        "conflict": conflict,
        "section": "plan",
        "title": _("Endre tiltak %(code)s") % {"code": measure.code},
    }
    return render(request, "measures/measure_form.html", context)


@require_http_methods(["GET", "POST"])
def measure_title_edit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The title in place: a small form swapped into the heading, and the heading back."""
    agreement = get_agreement_for_editor(request, slug)
    measure = get_measure(agreement, key)
    form = MeasureTitleForm(request.POST or None, instance=measure)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = save_form(form)
        if conflict is None:
            if request.htmx:
                return saved_in_place(
                    request,
                    "measures/measure_detail.html#measure-title",
                    {
                        "agreement": agreement,
                        "measure": measure,
                        "may": permissions_for(request.user, agreement),
                    },
                )
            messages.success(request, _("Tittelen er lagra."))
            return redirect(measure)
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": form,
        "conflict": conflict,
        "section": "plan",
        "title": _("Endre tittelen"),
    }
    template = "measures/_title_form.html" if request.htmx else "measures/title_form_page.html"
    return render(request, template, context)


@require_POST
def measure_close(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Close the measure on a date, after a confirmation; a refused date is said beside it."""
    agreement = get_agreement_for_editor(request, slug)
    measure = get_measure(agreement, key)
    form = CloseMeasureForm(request.POST, measure=measure)
    valid = form.is_valid()
    if "version" in form.errors:
        return _stale(request, measure, _("det er ikkje avslutta"))
    if not valid or not is_confirmed(request):
        return ask(request, _close_confirmation(request, measure, form), _page(agreement))
    try:
        measure.close(form.cleaned_data["closed_on"], version=form.cleaned_data["version"])
    except StaleVersion:
        return _stale(request, measure, _("det er ikkje avslutta"))
    messages.success(request, _("Tiltak %(code)s er avslutta.") % {"code": measure.code})
    return redirect(measure)


def _close_confirmation(request: HttpRequest, measure: Measure, form) -> Confirmation:
    return Confirmation(
        title=_("Avslutte tiltak %(code)s %(title)s?")
        % {"code": measure.code, "title": measure.title},
        consequences=[
            _(
                "Tiltaket blir merka «Avslutta» med datoen under, på sida si, i oversikta og i "
                "neste handlingsplan. Det står ikkje lenger blant dei aktive tiltaka."
            ),
            _(
                "Før neste handlingsplan kan sendast, må du skrive ei vurdering av kva tiltaket "
                "har bidrege til. Du kan opne tiltaket att seinare."
            ),
        ],
        action=request.path,
        button=_("Avslutt tiltak %(code)s") % {"code": measure.code},
        cancel=measure.get_absolute_url(),
        form=form,
    )


def _page(agreement: Agreement) -> dict:
    return {"agreement": agreement, "section": "plan"}


@require_POST
def measure_reopen(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    measure = get_measure(agreement, key)
    try:
        measure.reopen(version=SeenVersionForm(request.POST).version_seen(measure))
    except StaleVersion:
        return _stale(request, measure, _("det er ikkje opna att"))
    messages.success(request, _("Tiltak %(code)s er opna att.") % {"code": measure.code})
    return redirect(measure)


@require_POST
def measure_move(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Swap places with the measure above or below in the same sub-goal."""
    agreement = get_agreement_for_editor(request, slug)
    measure = get_measure(agreement, key)
    up = request.POST.get("retning") == "opp"
    try:
        move_measure(measure, up=up, version=SeenVersionForm(request.POST).version_seen(measure))
    except StaleVersion:
        _stale(request, measure, _("det er ikkje flytta"))
    return redirect(measure.sub_goal.get_absolute_url())


def _stale(request: HttpRequest, measure: Measure, outcome: str) -> HttpResponse:
    """Refuse a button pressed on a page older than the measure: say so, show it as it is."""
    messages.error(
        request,
        _(
            "Nokon andre har endra tiltak %(code)s sidan du opna sida, så %(outcome)s. "
            "Sjå over tiltaket slik det er no, og prøv igjen."
        )
        % {"code": measure.code, "outcome": outcome},
    )
    return redirect(measure)


def measure_history(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The measure's change log on its own page."""
    agreement = get_agreement_for_user(request, slug)
    measure = get_measure(agreement, key)
    context = {
        "agreement": agreement,
        "measure": measure,
        "entries": measure_changelog(measure),
        "section": "plan",
    }
    return render(request, "measures/measure_history.html", context)
