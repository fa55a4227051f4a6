"""Choosing a measure's organisations: add, create on the spot, and remove involvements."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..confirmation import Confirmation, ask, is_confirmed
from ..forms import InvolvementForm, OrganisationEditForm, OrganisationForm
from ..guards import get_agreement_for_editor
from ..models import Involvement, Measure, Organisation
from ..organisations import agreements_using
from ..pickers import organisation_choices, search_text
from .measures import get_measure
from .saving import bump, save_form


@require_http_methods(["GET", "POST"])
def measure_organisations(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Choose leads and partners: a searchable list, and a new organisation on the spot."""
    agreement = get_agreement_for_editor(request, slug)
    measure = get_measure(agreement, key, organisations=True)
    form = InvolvementForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid() and _add_involvement(form, measure):
        messages.success(
            request,
            _("%(organisation)s er lagd til.")
            % {"organisation": form.cleaned_data["organisation"]},
        )
        return redirect("measures:measure-organisations", slug, key)
    query = search_text(request.GET)
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": form,
        "query": query,
        "choices": organisation_choices(agreement, query=query, narrow=True),
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
        bump(measure)
    return involvement


@require_POST
def involvement_remove(request: HttpRequest, slug: str, key: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_editor(request, slug)
    measure = get_measure(agreement, key)
    involvement = get_object_or_404(measure.involvements.select_related("organisation"), pk=pk)
    if not is_confirmed(request):
        role = involvement.get_role_display().lower()
        confirmation = Confirmation(
            title=_("Fjerne %(organisation)s frå tiltaket?")
            % {"organisation": involvement.organisation},
            consequences=[
                _(
                    "%(organisation)s blir fjerna som %(role)s frå tiltak %(code)s %(title)s. "
                    "Organisasjonen finst framleis, og du kan leggje han til att."
                )
                % {
                    "organisation": involvement.organisation,
                    "role": role,
                    "code": measure.code,
                    "title": measure.title,
                }
            ],
            action=request.path,
            button=_("Fjern %(organisation)s") % {"organisation": involvement.organisation},
            cancel=reverse("measures:measure-organisations", args=[slug, key]),
            danger=True,
        )
        return ask(request, confirmation, {"agreement": agreement, "section": "plan"})
    with transaction.atomic():
        involvement.delete()
        for position, rest in enumerate(
            measure.involvements.filter(role=involvement.role).order_by("position")
        ):
            if rest.position != position:
                rest.position = position
                rest.save(update_fields=["position"])
        bump(measure)
    messages.success(
        request,
        _("%(organisation)s er fjerna frå tiltaket.") % {"organisation": involvement.organisation},
    )
    return redirect("measures:measure-organisations", slug, key)


@require_POST
def organisation_create(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A new organisation, added straight away to the measure in the chosen role."""
    agreement = get_agreement_for_editor(request, slug)
    measure = get_measure(agreement, key, organisations=True)
    form = OrganisationForm(request.POST)
    role = request.POST.get("role")
    if form.is_valid() and role in Involvement.Role.values:
        with transaction.atomic():
            organisation = form.save()
            position = measure.involvements.filter(role=role).count()
            Involvement.objects.create(
                measure=measure, organisation=organisation, role=role, position=position
            )
            bump(measure)
        messages.success(
            request, _("%(organisation)s er oppretta og lagd til.") % {"organisation": organisation}
        )
        return redirect("measures:measure-organisations", slug, key)
    context = {
        "agreement": agreement,
        "measure": measure,
        "form": InvolvementForm(measure=measure),
        "new_form": form,
        "query": "",
        "choices": organisation_choices(agreement),
        "section": "plan",
        "role_error": role not in Involvement.Role.values,
        "involvements": measure.involvements.all(),
    }
    return render(request, "measures/measure_organisations.html", context, status=200)


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The name, short name and kind of an organisation the agreement uses; refused beside
    the fields while another agreement uses it too (OrganisationEditForm)."""
    agreement = get_agreement_for_editor(request, slug)
    organisation = get_object_or_404(Organisation, key=key)
    if not agreements_using(organisation).filter(pk=agreement.pk).exists():
        raise Http404(_("Organisasjonen er ikkje med i denne avtala."))
    page = reverse("measures:organisation-detail", args=[slug, key])
    form = OrganisationEditForm(request.POST or None, instance=organisation, agreement=agreement)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = save_form(form)
        if conflict is None:
            messages.success(
                request, _("%(organisation)s er lagra.") % {"organisation": organisation}
            )
            return redirect(page)
    context = {
        "agreement": agreement,
        "form": form,
        "conflict": conflict,
        "section": "organisations",
        "title": _("Endre %(organisation)s") % {"organisation": organisation.name},
        "cancel_url": page,
    }
    return render(request, "measures/form_page.html", context)
