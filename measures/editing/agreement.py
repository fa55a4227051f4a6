"""Editing the agreement's texts and its sub-goals, and the Markdown preview of any text box."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import AgreementTextsForm, SubGoalForm
from ..guards import get_agreement_for_editor
from ..markdown import render_markdown
from .saving import save_form


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The agreement's name, signing date and texts (sections 1–5)."""
    agreement = get_agreement_for_editor(request, slug)
    form = AgreementTextsForm(request.POST or None, instance=agreement)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = save_form(form)
        if conflict is None:
            messages.success(request, _("Avtaletekstane er lagra."))
            return redirect(agreement)
    context = {
        "agreement": agreement,
        "form": form,
        "conflict": conflict,
        "section": "plan",
        "title": _("Endre avtala"),
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
        conflict = save_form(form)
        if conflict is None:
            total = agreement.weight_total()
            messages.success(request, _("Delmål %(number)s er lagra.") % {"number": goal.number})
            if total != 100:
                messages.warning(
                    request,
                    _("Vektinga av delmåla er no til saman %(total)s %%, ikkje 100 %%.")
                    % {"total": total},
                )
            return redirect(goal.get_absolute_url())
    context = {
        "agreement": agreement,
        "form": form,
        "conflict": conflict,
        "section": "plan",
        "title": _("Endre delmål %(number)s") % {"number": goal.number},
        "cancel_url": goal.get_absolute_url(),
    }
    return render(request, "measures/form_page.html", context)


@require_POST
def markdown_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The Markdown of a text box rendered as readers will see it (htmx)."""
    get_agreement_for_editor(request, slug)
    return render(
        request,
        "measures/_preview.html",
        {"preview": render_markdown(request.POST.get("body", ""))},
    )
