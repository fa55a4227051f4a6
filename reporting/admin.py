from django.contrib import admin

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
    model = Approval
    extra = 0
    autocomplete_fields = ["organisation"]
    # A new row joins the revision's current round (Approval.save).
    readonly_fields = ["round"]

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not (obj and _frozen(obj))


@admin.register(Revision)
class RevisionAdmin(FrozenWhenApproved, OperatorOnlyAdmin):
    list_display = ["__str__", "year", "status", "due_on"]
    list_filter = ["agreement", "status"]
    readonly_fields = ["snapshot"]
    inlines = [ApprovalInline]


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
    list_filter = ["revision__agreement", "revision__year", "body", "decision"]
    list_select_related = ["organisation", "revision__agreement", "round"]


@admin.register(ApprovalRound)
class ApprovalRoundAdmin(FrozenWhenApproved, OperatorOnlyAdmin):
    list_display = ["__str__", "number", "opened_at", "closed_at"]
    list_filter = ["revision__agreement", "revision__year"]
    list_select_related = ["revision__agreement"]


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
    """Stored reports can be removed (to render again), never edited."""

    list_display = ["revision", "created_at"]
    readonly_fields = ["revision", "pdf", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
