from django.apps import AppConfig


class BygdevekstConfig(AppConfig):
    """The project itself: settings, URLs, session limits and the log of who logged in."""

    name = "bygdevekst"
    verbose_name = "Bygdevekst"

    def ready(self) -> None:
        # Connect the receivers: the login and logout audit, and the marks of a new session.
        from . import logs, sessions  # noqa: F401
