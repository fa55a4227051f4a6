from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Length
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from bygdevekst.logs import audit
from measures.admin import OperatorOnlyAdmin, OperatorOnlyInline

from .models import (
    Approval,
    ApprovalRound,
    MeasureNote,
    MeasureProgress,
    Revision,
    RevisionEvent,
    StoredReport,
)
from .outputs.pdf import store_report


def _frozen(obj) -> bool:
    """Whether the object belongs to a revision KDD has approved (the model refuses changes too)."""
    revision = obj if isinstance(obj, Revision) else getattr(obj, "revision", None)
    return bool(revision and revision.pk and revision.is_approved)


class FrozenWhenApproved:
    """Read-only in the admin once the revision is approved."""

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and _frozen(obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and _frozen(obj))


class ApprovalInline(FrozenWhenApproved, OperatorOnlyInline, admin.TabularInline):
    """A round's approvals, on the round's page."""

    model = Approval
    extra = 0
    autocomplete_fields = ["organisation"]

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not (obj and _frozen(obj))


class ApprovalRoundInline(FrozenWhenApproved, OperatorOnlyInline, admin.TabularInline):
    """A revision's rounds, opened and closed by its events (the workflow's steps write them)."""

    model = ApprovalRound
    extra = 0
    fields = readonly_fields = ["number", "opened_at", "closed_at", "comment"]
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RerenderForm(forms.Form):
    reason = forms.CharField(
        label=_("Kvifor blir rapporten laga på nytt?"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Blir lagra med den nye fila og i loggen, t.d. «Rett feil i tabell 7»."),
    )


@admin.action(description=_("Lag PDF-en på nytt frå den frosne planen"))
def rerender_reports(modeladmin, request: HttpRequest, queryset):
    """Render the approved reports again (the revisions selected, or those of the reports)."""
    if queryset.model is StoredReport:
        queryset = Revision.objects.filter(stored_reports__in=queryset).distinct()
    revisions = [r for r in queryset.select_related("agreement") if r.is_approved]
    form = RerenderForm(request.POST if "apply" in request.POST else None)
    if not revisions:
        modeladmin.message_user(
            request, gettext("Berre godkjende handlingsplanar har ein rapport."), messages.WARNING
        )
        return None
    if not form.is_valid():
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": gettext("Lag rapporten på nytt"),
            "opts": modeladmin.model._meta,
            "form": form,
            "revisions": revisions,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/reporting/rerender_report.html", context)
    for revision in revisions:
        stored = store_report(
            revision, reason=form.cleaned_data["reason"], user=request.user, replace=True
        )
        audit(
            "report_rerendered",
            request,
            agreement=revision.agreement.slug,
            year=revision.year,
            reason=stored.reason,
            stored_report=stored.pk,
        )
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d rapport er laga på nytt; den tidlegare fila er teken vare på.",
            "%(count)d rapportar er laga på nytt; dei tidlegare filene er tekne vare på.",
            len(revisions),
        )
        % {"count": len(revisions)},
        messages.SUCCESS,
    )
    return None


@admin.register(Revision)
class RevisionAdmin(FrozenWhenApproved, OperatorOnlyAdmin):
    list_display = ["__str__", "year", "status", "due_on"]
    list_filter = ["agreement", "status"]
    readonly_fields = ["snapshot"]
    inlines = [ApprovalRoundInline]
    actions = [rerender_reports]


@admin.register(Approval)
class ApprovalAdmin(FrozenWhenApproved, OperatorOnlyAdmin):
    list_display = [
        "organisation",
        "body",
        "revision",
        "round__number",
        "planned_on",
        "decided_on",
        "decision",
    ]
    list_filter = ["round__revision__agreement", "round__revision__year", "body", "decision"]
    list_select_related = ["organisation", "round__revision__agreement"]


@admin.register(ApprovalRound)
class ApprovalRoundAdmin(FrozenWhenApproved, OperatorOnlyAdmin):
    list_display = ["__str__", "number", "opened_at", "closed_at"]
    list_filter = ["revision__agreement", "revision__year"]
    list_select_related = ["revision__agreement", "submission", "send_back"]
    # The events that opened and closed it are the workflow's (or a restored plan file's).
    readonly_fields = ["submission", "send_back"]
    inlines = [ApprovalInline]


@admin.register(MeasureNote)
class MeasureNoteAdmin(FrozenWhenApproved, OperatorOnlyAdmin):
    list_display = ["measure_key", "kind", "revision"]
    list_filter = ["revision__agreement", "kind"]
    list_select_related = ["revision__agreement"]


@admin.register(MeasureProgress)
class MeasureProgressAdmin(FrozenWhenApproved, OperatorOnlyAdmin):
    list_display = ["measure_key", "state", "revision"]
    list_filter = ["revision__agreement", "state"]
    list_select_related = ["revision__agreement"]


@admin.register(RevisionEvent)
class RevisionEventAdmin(FrozenWhenApproved, OperatorOnlyAdmin):
    list_display = ["kind", "revision", "at", "user"]
    list_filter = ["revision__agreement", "kind"]
    list_select_related = ["revision__agreement", "user"]
    readonly_fields = ["snapshot"]


@admin.register(StoredReport)
class StoredReportAdmin(OperatorOnlyAdmin):
    """Every rendering of every approved report: listed and downloadable, never changed."""

    list_display = [
        "revision",
        "created_at",
        "created_by",
        "reason",
        "replaced_at",
        "replaced_by",
        "size",
        "download",
    ]
    list_filter = ["revision__agreement", "revision__year"]
    list_select_related = ["revision__agreement", "created_by", "replaced_by"]
    fields = readonly_fields = [
        "revision",
        "created_at",
        "created_by",
        "reason",
        "replaced_at",
        "replaced_by",
        "size",
        "download",
    ]
    actions = [rerender_reports]

    def get_queryset(self, request):
        # The list shows sizes, not bytes: a few hundred kB a row is never loaded here.
        return super().get_queryset(request).defer("pdf").annotate(pdf_size=Length("pdf"))

    @admin.display(description=_("storleik"))
    def size(self, obj: StoredReport) -> str:
        return f"{obj.pdf_size // 1024} kB"

    @admin.display(description=_("fil"))
    def download(self, obj: StoredReport) -> str:
        url = reverse("admin:reporting_storedreport_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Last ned PDF"))

    def get_urls(self):
        pdf = path(
            "<int:pk>/pdf/",
            self.admin_site.admin_view(self.pdf_view),
            name="reporting_storedreport_pdf",
        )
        return [pdf, *super().get_urls()]

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """One rendering's bytes, as they were stored."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        stored = get_object_or_404(
            StoredReport.objects.select_related("revision__agreement"), pk=pk
        )
        response = HttpResponse(bytes(stored.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
        return response

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
