from django.apps import AppConfig


class BygdevekstConfig(AppConfig):
    """The project itself: settings, URLs and the log of who logged in."""

    name = "bygdevekst"
    verbose_name = "Bygdevekst"

    def ready(self) -> None:
        from . import logs  # noqa: F401 - connects the login and logout audit receivers
