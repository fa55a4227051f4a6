"""Editing a measure's text sections: add, edit (in place with htmx), move and delete."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access.rules import permissions_for

from ..confirmation import Confirmation, ask, is_confirmed
from ..forms import SectionForm, SeenVersionForm
from ..guards import get_agreement_for_editor
from ..markdown import render_markdown
from ..plan_order import locked_siblings, move_section
from ..versioning import StaleVersion
from .measures import get_measure
from .saving import bump, save_form, saved_in_place


@require_http_methods(["GET", "POST"])
def section_create(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    measure = get_measure(agreement, key)
    form = SectionForm(request.POST or None, measure=measure)
    if request.method == "POST" and "forehandsvis" not in request.POST and form.is_valid():
        section = form.save(commit=False)
        section.position = measure.sections.count()
        section.save()
        bump(measure)
        messages.success(request, _("Seksjonen er lagd til."))
        return redirect(measure.get_absolute_url() + f"#seksjon-{section.pk}")
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": form,
        "section": "plan",
        "title": _("Ny tekstseksjon"),
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
    measure = get_measure(agreement, key)
    section = get_object_or_404(measure.sections, pk=pk)
    form = SectionForm(request.POST or None, instance=section, measure=measure)
    conflict = None
    previewing = "forehandsvis" in request.POST
    if request.method == "POST" and not previewing and form.is_valid():
        conflict = save_form(form)
        if conflict is None:
            if request.htmx:
                context = {
                    "agreement": agreement,
                    "measure": measure,
                    "section_obj": section,
                    "may": permissions_for(request.user, agreement),
                }
                return saved_in_place(request, "measures/_section.html", context)
            messages.success(request, _("Seksjonen er lagra."))
            return redirect(measure.get_absolute_url() + f"#seksjon-{section.pk}")
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": form,
        "conflict": conflict,
        "section_obj": section,
        "section": "plan",
        "title": _("Endre tekstseksjon"),
        "preview": _preview(request, form),
    }
    template = "measures/_section_form.html" if request.htmx else "measures/section_form.html"
    return render(request, template, context)


@require_POST
def section_move(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    measure = get_measure(agreement, key)
    section = get_object_or_404(measure.sections, pk=pk)
    up = request.POST.get("retning") == "opp"
    try:
        version = SeenVersionForm(request.POST).version_seen(section)
        with transaction.atomic():
            move_section(section, up=up, version=version)
            bump(measure)
    except StaleVersion:
        _stale_section(request, section, _("ho er ikkje flytta"))
    return redirect(measure.get_absolute_url() + f"#seksjon-{section.pk}")


@require_POST
def section_delete(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    measure = get_measure(agreement, key)
    section = get_object_or_404(measure.sections, pk=pk)
    form = SeenVersionForm(request.POST)
    if form.is_valid() and not is_confirmed(request):
        confirmation = Confirmation(
            title=_("Slette seksjonen «%(section)s»?") % {"section": section},
            consequences=[
                _(
                    "Seksjonen «%(section)s» blir sletta frå tiltak %(code)s %(title)s, og "
                    "teksten blir borte frå sida og frå neste handlingsplan. Han står framleis "
                    "i endringsloggen, der du kan hente han fram att."
                )
                % {"section": section, "code": measure.code, "title": measure.title}
            ],
            action=request.path,
            button=_("Slett seksjonen"),
            cancel=measure.get_absolute_url() + f"#seksjon-{section.pk}",
            danger=True,
        )
        return ask(request, confirmation, {"agreement": agreement, "section": "plan"})
    try:
        version = form.version_seen(section)
        with transaction.atomic():
            # Locked and checked: a text someone saved after this page was shown is not lost.
            locked_siblings(section, version)
            section.delete()
            for position, rest in enumerate(measure.sections.order_by("position")):
                if rest.position != position:
                    rest.position = position
                    rest.save(update_fields=["position"])
            bump(measure)
    except StaleVersion:
        _stale_section(request, section, _("ho er ikkje sletta"))
        return redirect(measure.get_absolute_url() + f"#seksjon-{section.pk}")
    messages.success(
        request,
        _("Seksjonen «%(section)s» er sletta. Han står framleis i endringsloggen.")
        % {"section": section},
    )
    return redirect(measure)


def _stale_section(request: HttpRequest, section, outcome: str) -> None:
    messages.error(
        request,
        _(
            "Nokon andre har endra seksjonen «%(section)s» sidan du opna sida, så %(outcome)s. "
            "Sjå over teksten slik han er no, og prøv igjen."
        )
        % {"section": section, "outcome": outcome},
    )
