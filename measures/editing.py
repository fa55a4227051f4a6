"""Editing the living plan: plain forms that htmx enhances in place.

Every view answers a plain form post with a redirect (or the page with its errors), and an htmx
request with the fragment to swap in. Only the agreement's editor gets past
`get_agreement_for_editor`; others get 403 (or 404 if they may not even read it).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .changelog import measure_changelog
from .forms import (
    AgreementTextsForm,
    CloseMeasureForm,
    InvolvementForm,
    MeasureForm,
    MeasureTitleForm,
    OrganisationForm,
    SectionForm,
    SeenVersionForm,
    SubGoalForm,
)
from .keys import unique_key
from .markdown import render_markdown
from .models import Agreement, Involvement, Measure, Organisation
from .plan_order import locked_siblings, move_measure, move_section
from .rules import get_agreement_for_editor, get_agreement_for_user, permissions_for
from .versioning import RowDeleted, StaleVersion, save_if_current


def _measure(agreement: Agreement, key: str, *, organisations: bool = False) -> Measure:
    measures = agreement.measures.select_related("sub_goal")
    if organisations:
        measures = measures.with_organisations()
    measure = measures.filter(key=key).first()
    if measure is None:
        raise Http404("Fann ikkje tiltaket.")
    return measure


def _conflict(form, stale: StaleVersion) -> dict:
    """Keep what this person typed; show what the other person saved; allow saving over it."""
    if isinstance(stale, RowDeleted):
        return _deleted(stale.obj)
    current = stale.current
    latest = current.history.select_related("history_user").first()
    user = latest.history_user if latest else None
    who = (user.get_full_name() or user.username) if user else "nokon andre"
    theirs = []
    for name, bound in form.fields.items():
        if name == "version" or not hasattr(current, name):
            continue
        value = getattr(current, name)
        if not _same(form.cleaned_data.get(name), value):
            theirs.append((bound.label, value))
    form.data = form.data.copy()
    form.data["version"] = current.version
    return {"who": who, "when": latest.history_date if latest else None, "theirs": theirs}


def _deleted(obj) -> dict:
    """Someone deleted what this person was editing: keep what they typed, say who did it."""
    latest = type(obj).history.filter(id=obj.pk).select_related("history_user").first()
    user = latest.history_user if latest else None
    who = (user.get_full_name() or user.username) if user else "Nokon andre"
    return {"who": who, "when": latest.history_date if latest else None, "deleted": True}


def _same(typed, saved) -> bool:
    """Whether what was typed, as the form cleaned it, is what is saved.

    Browsers send a text area's line ends as CRLF, whatever the saved text has.
    """
    if isinstance(typed, str) and isinstance(saved, str):
        return typed.replace("\r\n", "\n") == saved.replace("\r\n", "\n")
    return typed == saved


def _save_form(form) -> dict | None:
    """Save a versioned form; on a stale version, return the conflict to show instead.

    An empty conflict means the form has errors now: a unique number or kind that another
    editor took after the form was checked, said beside its field.
    """
    try:
        with transaction.atomic():
            obj = form.save(commit=False)
            if obj.pk:
                save_if_current(obj, form.cleaned_data["version"])
            else:
                obj.save()
            form.save_m2m()
    except StaleVersion as stale:
        return _conflict(form, stale)
    except IntegrityError:
        form.full_clean()
        if form.is_valid():
            raise
        return {}
    return None


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The agreement's name, signing date and texts (sections 1–5)."""
    agreement = get_agreement_for_editor(request, slug)
    form = AgreementTextsForm(request.POST or None, instance=agreement)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = _save_form(form)
        if conflict is None:
            messages.success(request, "Avtaletekstane er lagra.")
            return redirect(agreement)
    context = {
        "agreement": agreement,
        "form": form,
        "conflict": conflict,
        "section": "plan",
        "title": "Endre avtala",
    }
    return render(request, "measures/form_page.html", context)


@require_http_methods(["GET", "POST"])
def sub_goal_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A sub-goal's title, main goal, weight and texts; a weight sum off 100 only warns."""
    agreement = get_agreement_for_editor(request, slug)
    goal = get_object_or_404(agreement.sub_goals, number=number)
    form = SubGoalForm(request.POST or None, instance=goal)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = _save_form(form)
        if conflict is None:
            total = agreement.weight_total()
            messages.success(request, f"Delmål {goal.number} er lagra.")
            if total != 100:
                messages.warning(
                    request, f"Vektinga av delmåla er no til saman {total} %, ikkje 100 %."
                )
            return redirect(goal.get_absolute_url())
    context = {
        "agreement": agreement,
        "form": form,
        "conflict": conflict,
        "section": "plan",
        "title": f"Endre delmål {goal.number}",
        "cancel_url": goal.get_absolute_url(),
    }
    return render(request, "measures/form_page.html", context)


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
    form = MeasureForm(request.POST or None, agreement=agreement, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (measure := _create_measure(form, agreement))
    ):
        messages.success(
            request, f"Tiltak {measure.code} er oppretta. Legg til organisasjonar og tekst."
        )
        return redirect(measure)
    context = {"agreement": agreement, "form": form, "section": "plan", "title": "Nytt tiltak"}
    return render(request, "measures/measure_form.html", context)


def _requested_sub_goal(request: HttpRequest, agreement: Agreement):
    """The sub-goal ?delmal= names, for a new measure under it; the first one without it."""
    number = request.GET.get("delmal")
    if number is None:
        return agreement.sub_goals.filter(number=1).first()
    goal = None
    if re.fullmatch(r"[0-9]{1,5}", number):
        goal = agreement.sub_goals.filter(number=int(number)).first()
    if goal is None:
        raise Http404("Fann ikkje delmålet.")
    return goal


def _create_measure(form: MeasureForm, agreement: Agreement) -> Measure | None:
    """Save the new measure under a free key; None, with the form's errors, if it cannot be.

    Another editor may take the key or the number between the checks and the insert.
    """
    measure = form.save(commit=False)
    for _attempt in range(3):
        measure.key = unique_key(measure.title, agreement.measures, "tiltak", 60)
        try:
            with transaction.atomic():
                measure.save()
            return measure
        except IntegrityError:
            if agreement.measures.filter(key=measure.key).exists():
                continue  # taken meanwhile: the next free key
            form.full_clean()  # the number, taken meanwhile: said beside the field
            if form.is_valid():
                raise
            return None
    raise IntegrityError(f"No free key for the measure «{measure.title}» after three tries.")


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Every field of a measure: sub-goal and number (move, renumber), title, timeframe..."""
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key)
    form = MeasureForm(request.POST or None, instance=measure, agreement=agreement)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = _save_form(form)
        if conflict is None:
            messages.success(request, f"Tiltak {measure.code} er lagra.")
            return redirect(measure)
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": form,
        "conflict": conflict,
        "section": "plan",
        "title": f"Endre tiltak {measure.code}",
    }
    return render(request, "measures/measure_form.html", context)


@require_http_methods(["GET", "POST"])
def measure_title_edit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The title in place: a small form swapped into the heading, and the heading back."""
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key)
    form = MeasureTitleForm(request.POST or None, instance=measure)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = _save_form(form)
        if conflict is None:
            if request.htmx:
                return render(
                    request,
                    "measures/measure_detail.html#measure-title",
                    {
                        "agreement": agreement,
                        "measure": measure,
                        "may": permissions_for(request.user, agreement),
                    },
                )
            messages.success(request, "Tittelen er lagra.")
            return redirect(measure)
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": form,
        "conflict": conflict,
        "section": "plan",
    }
    template = "measures/_title_form.html" if request.htmx else "measures/title_form_page.html"
    return render(request, template, context)


@require_POST
def measure_close(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key)
    form = CloseMeasureForm(request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            return _stale(request, measure, "det er ikkje avslutta")
        messages.error(request, "Skriv datoen tiltaket vart avslutta.")
        return redirect(measure)
    try:
        measure.close(form.cleaned_data["closed_on"], version=form.cleaned_data["version"])
    except StaleVersion:
        return _stale(request, measure, "det er ikkje avslutta")
    messages.success(request, f"Tiltak {measure.code} er avslutta.")
    return redirect(measure)


@require_POST
def measure_reopen(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key)
    form = SeenVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleVersion(measure)
        measure.reopen(version=form.cleaned_data["version"])
    except StaleVersion:
        return _stale(request, measure, "det er ikkje opna att")
    messages.success(request, f"Tiltak {measure.code} er opna att.")
    return redirect(measure)


@require_POST
def measure_move(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Swap places with the measure above or below in the same sub-goal."""
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key)
    form = SeenVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleVersion(measure)
        up = request.POST.get("retning") == "opp"
        move_measure(measure, up=up, version=form.cleaned_data["version"])
    except StaleVersion:
        _stale(request, measure, "det er ikkje flytta")
    return redirect(measure.sub_goal.get_absolute_url())


def _stale(request: HttpRequest, measure: Measure, outcome: str) -> HttpResponse:
    """Refuse a button pressed on a page older than the measure: say so, show it as it is."""
    messages.error(
        request,
        f"Nokon andre har endra tiltak {measure.code} sidan du opna sida, så {outcome}. "
        "Sjå over tiltaket slik det er no, og prøv igjen.",
    )
    return redirect(measure)


@require_http_methods(["GET", "POST"])
def measure_organisations(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Choose leads and partners: a searchable list, and a new organisation on the spot."""
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key, organisations=True)
    form = InvolvementForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid() and _add_involvement(form, measure):
        messages.success(request, f"{form.cleaned_data['organisation']} er lagd til.")
        return redirect("measures:measure-organisations", slug, key)
    query = request.GET.get("q", "").strip()
    if "\x00" in query:  # PostgreSQL text cannot hold NUL; no one types it
        raise BadRequest("NUL in the organisation search")
    found = Organisation.objects.search(query)
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": form,
        "query": query,
        "found": found.order_by("name")[:50],
        "new_form": OrganisationForm(),
        "section": "plan",
        "involvements": measure.involvements.all(),
    }
    if request.htmx and request.method == "GET":
        return render(request, "measures/measure_organisations.html#search-results", context)
    return render(request, "measures/measure_organisations.html", context)


def _add_involvement(form: InvolvementForm, measure: Measure) -> Involvement | None:
    """Add the organisation in its role, checked again under the measure's lock: None, with
    the form's error, if another editor added it after the form was checked."""
    with transaction.atomic():
        Measure.objects.select_for_update().filter(pk=measure.pk).first()
        form.full_clean()
        if not form.is_valid():
            return None
        role = form.cleaned_data["role"]
        involvement = Involvement.objects.create(
            measure=measure,
            organisation=form.cleaned_data["organisation"],
            role=role,
            position=measure.involvements.filter(role=role).count(),
        )
        _bump(measure)
    return involvement


def _bump(measure: Measure) -> None:
    """A change to a measure's parts is a change to the measure: others' open forms go stale."""
    measure.mark_changed()


@require_POST
def involvement_remove(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key)
    involvement = get_object_or_404(measure.involvements.select_related("organisation"), pk=pk)
    with transaction.atomic():
        involvement.delete()
        for position, rest in enumerate(
            measure.involvements.filter(role=involvement.role).order_by("position")
        ):
            if rest.position != position:
                rest.position = position
                rest.save(update_fields=["position"])
        _bump(measure)
    messages.success(request, f"{involvement.organisation} er fjerna frå tiltaket.")
    return redirect("measures:measure-organisations", slug, key)


@require_POST
def organisation_create(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A new organisation, added straight away to the measure in the chosen role."""
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key, organisations=True)
    form = OrganisationForm(request.POST)
    role = request.POST.get("role")
    if form.is_valid() and role in Involvement.Role.values:
        with transaction.atomic():
            organisation = form.save()
            position = measure.involvements.filter(role=role).count()
            Involvement.objects.create(
                measure=measure, organisation=organisation, role=role, position=position
            )
            _bump(measure)
        messages.success(request, f"{organisation} er oppretta og lagd til.")
        return redirect("measures:measure-organisations", slug, key)
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": InvolvementForm(measure=measure),
        "new_form": form,
        "query": "",
        "found": Organisation.objects.order_by("name")[:50],
        "section": "plan",
        "role_error": role not in Involvement.Role.values,
        "involvements": measure.involvements.all(),
    }
    return render(request, "measures/measure_organisations.html", context, status=200)


@require_http_methods(["GET", "POST"])
def section_create(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key)
    form = SectionForm(request.POST or None, measure=measure)
    if request.method == "POST" and "forehandsvis" not in request.POST and form.is_valid():
        section = form.save(commit=False)
        section.position = measure.sections.count()
        section.save()
        _bump(measure)
        messages.success(request, "Seksjonen er lagd til.")
        return redirect(measure.get_absolute_url() + f"#seksjon-{section.pk}")
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": form,
        "section": "plan",
        "title": "Ny tekstseksjon",
        "preview": _preview(request, form),
    }
    return render(request, "measures/section_form.html", context)


def _preview(request: HttpRequest, form) -> str | None:
    """Without JavaScript, the «Førehandsvis» button posts the form to show the rendered text."""
    if request.method == "POST" and "forehandsvis" in request.POST:
        return render_markdown(request.POST.get("body", ""))
    return None


@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    """A text section, in place with htmx or on its own page without."""
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key)
    section = get_object_or_404(measure.sections, pk=pk)
    form = SectionForm(request.POST or None, instance=section, measure=measure)
    conflict = None
    previewing = "forehandsvis" in request.POST
    if request.method == "POST" and not previewing and form.is_valid():
        conflict = _save_form(form)
        if conflict is None:
            if request.htmx:
                context = {
                    "agreement": agreement,
                    "measure": measure,
                    "section_obj": section,
                    "may": permissions_for(request.user, agreement),
                }
                return render(request, "measures/_section.html", context)
            messages.success(request, "Seksjonen er lagra.")
            return redirect(measure.get_absolute_url() + f"#seksjon-{section.pk}")
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": form,
        "conflict": conflict,
        "section_obj": section,
        "section": "plan",
        "title": "Endre tekstseksjon",
        "preview": _preview(request, form),
    }
    template = "measures/_section_form.html" if request.htmx else "measures/section_form.html"
    return render(request, template, context)


@require_POST
def section_move(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key)
    section = get_object_or_404(measure.sections, pk=pk)
    form = SeenVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleVersion(section)
        with transaction.atomic():
            up = request.POST.get("retning") == "opp"
            move_section(section, up=up, version=form.cleaned_data["version"])
            _bump(measure)
    except StaleVersion:
        _stale_section(request, section, "ho er ikkje flytta")
    return redirect(measure.get_absolute_url() + f"#seksjon-{section.pk}")


@require_POST
def section_delete(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    measure = _measure(agreement, key)
    section = get_object_or_404(measure.sections, pk=pk)
    form = SeenVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleVersion(section)
        with transaction.atomic():
            # Locked and checked: a text someone saved after this page was shown is not lost.
            locked_siblings(section, form.cleaned_data["version"])
            section.delete()
            for position, rest in enumerate(measure.sections.order_by("position")):
                if rest.position != position:
                    rest.position = position
                    rest.save(update_fields=["position"])
            _bump(measure)
    except StaleVersion:
        _stale_section(request, section, "ho er ikkje sletta")
        return redirect(measure.get_absolute_url() + f"#seksjon-{section.pk}")
    messages.success(
        request, f"Seksjonen «{section}» er sletta. Han står framleis i endringsloggen."
    )
    return redirect(measure)


def _stale_section(request: HttpRequest, section, outcome: str) -> None:
    messages.error(
        request,
        f"Nokon andre har endra seksjonen «{section}» sidan du opna sida, så {outcome}. "
        "Sjå over teksten slik han er no, og prøv igjen.",
    )


@require_POST
def markdown_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The Markdown of a text box rendered as readers will see it (htmx)."""
    get_agreement_for_editor(request, slug)
    return render(
        request,
        "measures/_preview.html",
        {"preview": render_markdown(request.POST.get("body", ""))},
    )


def measure_history(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The measure's change log on its own page."""
    agreement = get_agreement_for_user(request, slug)
    measure = _measure(agreement, key)
    context = {
        "agreement": agreement,
        "measure": measure,
        "entries": measure_changelog(measure),
        "section": "plan",
    }
    return render(request, "measures/measure_history.html", context)
