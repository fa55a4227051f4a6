"""The operators' admin of people: users (deactivated, never deleted), roles, invitations, and
the OpenID Connect logins bound to accounts (seen and removed, never made here)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy, ngettext

from . import rules
from .accounts import deactivate
from .models import AccountSettings, Identity, Invitation, Role, RoleEvent

User = get_user_model()
admin.site.unregister(User)


class IdentityInline(admin.TabularInline):
    """How the user logs in with OpenID Connect; an operator may remove a binding."""

    model = Identity
    extra = 0
    fields = readonly_fields = ["provider", "subject", "bound_at", "last_login_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return rules.is_operator(request.user)


@admin.register(User)
class BygdevekstUserAdmin(UserAdmin):
    actions = ["deactivate_users"]
    inlines = [IdentityInline]

    @admin.action(description=gettext_lazy("Steng ute valde brukarar (og logg dei ut)"))
    def deactivate_users(self, request, queryset) -> None:
        for user in queryset:
            deactivate(user, by=request.user.username, actor=request.user)
        count = queryset.count()
        messages.success(
            request,
            ngettext("%(count)d brukar er stengd ute.", "%(count)d brukarar er stengde ute.", count)
            % {"count": count},
        )


class OperatorOnlyAdmin(admin.ModelAdmin):
    """The admin is the operators' tool: access.rules decides who they are."""

    def has_module_permission(self, request) -> bool:
        return rules.is_operator(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return rules.is_operator(request.user)

    def has_add_permission(self, request, *args) -> bool:
        return rules.is_operator(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return rules.is_operator(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return rules.is_operator(request.user)


@admin.register(Role)
class RoleAdmin(OperatorOnlyAdmin):
    list_display = ["user", "agreement", "kind", "organisation"]
    list_filter = ["agreement", "kind"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["organisation"]


class MadeByTheAppAdmin(OperatorOnlyAdmin):
    """Invitations and the role log are made on the people page; operators only read them, so
    the log stays what happened, and no token is typed in."""

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(MadeByTheAppAdmin):
    list_display = ["email", "agreement", "kind", "organisation", "created_at", "expires_at"]
    list_filter = ["agreement", "kind"]
    search_fields = ["email"]
    exclude = ["token_hash"]


@admin.register(RoleEvent)
class RoleEventAdmin(MadeByTheAppAdmin):
    list_display = ["at", "agreement", "__str__"]
    list_filter = ["agreement", "kind"]
    search_fields = ["person", "actor_name"]


@admin.register(AccountSettings)
class AccountSettingsAdmin(OperatorOnlyAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    list_select_related = ["user"]
    search_fields = ["user__username"]


@admin.register(Identity)
class IdentityAdmin(OperatorOnlyAdmin):
    """Bindings are made by logging in (an invitation, or the person connecting their own
    account); an operator sees them and removes one, e.g. when a subject was bound wrongly."""

    list_display = ["user", "provider", "subject", "bound_at", "last_login_at"]
    list_filter = ["provider"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["user", "provider", "subject", "bound_at", "last_login_at"]

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
