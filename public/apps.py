from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public face: approved plans read from their frozen snapshots, and open data."""

    name = "public"
    verbose_name = _("Offentlege sider")
