"""A user's own settings, and the målform the web interface speaks to them in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_LANGUAGE = "nn"


class AccountSettings(models.Model):
    """What a user has chosen for themselves: for now the målform of the web interface."""

    class Language(models.TextChoices):
        FOLLOW = "", _("Som avtalane mine")
        NYNORSK = "nn", _("Nynorsk")
        BOKMAL = "nb", _("Bokmål")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_settings"
    )
    language = models.CharField(
        _("målform"), max_length=2, choices=Language.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("kontoinnstillingar")
        verbose_name_plural = _("kontoinnstillingar")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_language_display()})"


def interface_language(user) -> str:
    """The målform of the web interface for `user`: their own choice, else that of the
    agreements they have a role in when all write the same one, else Nynorsk.

    One query: the choice and every role's agreement's målform, side by side.
    """
    if not user.is_authenticated:
        return DEFAULT_LANGUAGE
    if hasattr(user, "chosen_language"):  # fetched with the user (measures/backends.py)
        if user.chosen_language:
            return user.chosen_language
        first, last = user.first_agreement_language, user.last_agreement_language
        return first if first and first == last else DEFAULT_LANGUAGE
    rows = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list("account_settings__language", "roles__agreement__language")
        .distinct()
    )
    chosen = {choice for choice, _agreement in rows if choice}
    if chosen:
        return chosen.pop()
    agreements = {language for _choice, language in rows if language}
    return agreements.pop() if len(agreements) == 1 else DEFAULT_LANGUAGE
