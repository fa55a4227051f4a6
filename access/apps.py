from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Who may do what: roles in agreements and the rules that read them, invitations,
    accounts and logging in. It knows agreements and organisations only as the targets of its
    relations, so the plan's apps build on it and it on none of them."""

    name = "access"
    verbose_name = _("Tilgang og brukarar")
