from django.apps import AppConfig


class LimitsConfig(AppConfig):
    """Counted limits (password-reset e-mails, failed invitation links), shared by every process."""

    name = "limits"
    verbose_name = "Grenser"
