from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy, ngettext

from measures.accounts import deactivate

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class BygdevekstUserAdmin(UserAdmin):
    actions = ["deactivate_users"]

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
