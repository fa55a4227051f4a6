from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access import rules
from access.admin import OperatorOnlyAdmin

from .models import (
    Agreement,
    Involvement,
    Measure,
    Membership,
    Organisation,
    Party,
    Section,
    SubGoal,
)


class PlanAdmin(OperatorOnlyAdmin, SimpleHistoryAdmin):
    """Admin for a tracked part of the plan, with its change history."""


class OperatorOnlyInline:
    def has_view_permission(self, request, obj=None) -> bool:
        return rules.is_operator(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return rules.is_operator(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return rules.is_operator(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return rules.is_operator(request.user)


@admin.register(Organisation)
class OrganisationAdmin(PlanAdmin):
    list_display = ["name", "short_name", "kind", "key"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "key"]
    prepopulated_fields = {"key": ["name"]}


class PartyInline(OperatorOnlyInline, admin.TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ["organisation"]


class MembershipInline(OperatorOnlyInline, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["collective", "member"]


class SubGoalInline(OperatorOnlyInline, admin.StackedInline):
    model = SubGoal
    extra = 0
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(PlanAdmin):
    list_display = ["name", "slug", "language", "first_year", "last_year", "signed_on", "published"]
    list_filter = ["language", "published"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartyInline, MembershipInline, SubGoalInline]


@admin.register(SubGoal)
class SubGoalAdmin(PlanAdmin):
    list_display = ["__str__", "agreement", "weight"]
    list_filter = ["agreement"]


class InvolvementInline(OperatorOnlyInline, admin.TabularInline):
    model = Involvement
    extra = 0
    autocomplete_fields = ["organisation"]


class SectionInline(OperatorOnlyInline, admin.StackedInline):
    model = Section
    extra = 0


@admin.register(Measure)
class MeasureAdmin(PlanAdmin):
    list_display = ["code", "title", "agreement", "priority", "status", "timeframe"]
    list_filter = ["agreement", "sub_goal", "priority", "status"]
    search_fields = ["title", "key"]
    list_select_related = ["sub_goal", "agreement"]
    inlines = [InvolvementInline, SectionInline]

    @admin.display(description=_("nummer"), ordering="sub_goal__number")
    def code(self, measure: Measure) -> str:
        return measure.code


@admin.register(Party)
class PartyAdmin(PlanAdmin):
    list_display = ["organisation", "agreement", "position"]
    list_filter = ["agreement"]


@admin.register(Membership)
class MembershipAdmin(PlanAdmin):
    list_display = ["member", "collective", "agreement"]
    list_filter = ["agreement", "collective"]
    list_select_related = ["member", "collective", "agreement"]
    autocomplete_fields = ["collective", "member"]


@admin.register(Involvement)
class InvolvementAdmin(PlanAdmin):
    list_display = ["organisation", "role", "measure", "position"]
    list_filter = ["measure__agreement", "role"]
    list_select_related = ["organisation", "measure__sub_goal"]
    search_fields = ["organisation__name", "measure__title"]


@admin.register(Section)
class SectionAdmin(PlanAdmin):
    list_display = ["__str__", "kind", "measure", "position"]
    list_filter = ["measure__agreement", "kind"]
    list_select_related = ["measure__sub_goal"]
    search_fields = ["heading", "body", "measure__title"]
