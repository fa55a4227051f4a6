"""The money in the admin, for operators to read: accounts, payments and corrections are
decisions, written only through money.workflow (a correction is itself recorded)."""

from django.contrib import admin

from access.admin import OperatorOnlyAdmin

from .models import Accounts, AccountsEvent, Correction, Explanation, Payment, Spending


class ReadOnlyAdmin(OperatorOnlyAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Accounts)
class AccountsAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "year", "status"]
    list_filter = ["agreement", "status"]


@admin.register(Spending)
class SpendingAdmin(ReadOnlyAdmin):
    list_display = ["accounts", "line", "source", "kroner"]
    list_select_related = ["accounts__agreement", "line", "source"]


@admin.register(Explanation)
class ExplanationAdmin(ReadOnlyAdmin):
    list_display = ["accounts", "line", "text"]


@admin.register(AccountsEvent)
class AccountsEventAdmin(ReadOnlyAdmin):
    list_display = ["accounts", "kind", "at", "user", "comment"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "year", "paid_on", "kroner", "reference", "recorded_by"]
    list_filter = ["agreement", "year"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "subject", "at", "user", "reason"]
