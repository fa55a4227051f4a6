"""A user's account: their own settings, the målform the web interface speaks to them in,
and closing it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from bygdevekst.logs import audit

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
    if hasattr(user, "chosen_language"):  # fetched with the user (access/backends.py)
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


def deactivate(user, *, by: str | None = None, actor=None) -> None:
    """Stop the user logging in; their history stays, and the invitations they sent stop
    working (withdrawn, as the people page shows).

    Their open sessions end at their next request without being looked up: Django's
    ModelBackend (access.backends extends it), which every session here was authenticated
    by, gives no user for an inactive account, so the session is anonymous from then on and
    the login page is all it reaches. Sessions have no user column, and finding them would mean
    decoding every session there is. Reset links die too (access.password_reset.reset_tokens).
    """
    from .invitations import withdraw_invitations_sent_by  # the models import this module

    user.is_active = False
    user.save(update_fields=["is_active"])
    withdraw_invitations_sent_by(user, by=actor)
    audit("user_deactivated", user=user.username, by=by)
