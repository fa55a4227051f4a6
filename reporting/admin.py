from django.contrib import admin

from measures.admin import OperatorOnlyAdmin, OperatorOnlyInline

from .models import Approval, Revision


class ApprovalInline(OperatorOnlyInline, admin.TabularInline):
    model = Approval
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Revision)
class RevisionAdmin(OperatorOnlyAdmin):
    list_display = ["__str__", "year", "status"]
    list_filter = ["agreement", "status"]
    inlines = [ApprovalInline]


@admin.register(Approval)
class ApprovalAdmin(OperatorOnlyAdmin):
    list_display = ["organisation", "body", "revision", "planned_on", "decided_on", "decision"]
    list_filter = ["revision__agreement", "revision__year", "body", "decision"]
    list_select_related = ["organisation", "revision"]
