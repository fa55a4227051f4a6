from django.contrib import admin

from measures.admin import PlanAdmin

from .models import Amount, BudgetLine, Footnote, FundingSource


@admin.register(BudgetLine)
class BudgetLineAdmin(PlanAdmin):
    list_display = ["number", "title", "agreement", "sub_goal"]
    list_filter = ["agreement"]


@admin.register(FundingSource)
class FundingSourceAdmin(PlanAdmin):
    list_display = ["name", "agreement", "position", "is_state_cofinancing"]
    list_filter = ["agreement"]


@admin.register(Amount)
class AmountAdmin(PlanAdmin):
    list_display = ["line", "year", "source", "kroner"]
    list_filter = ["line__agreement", "year", "source"]
    list_select_related = ["line", "source"]


@admin.register(Footnote)
class FootnoteAdmin(PlanAdmin):
    list_display = ["marker", "text", "table", "year", "agreement"]
    list_filter = ["agreement", "table"]
