"""Password reset by e-mail: within a limit, and by links that die with the account."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils import translation

from access.accounts import interface_language
from bygdevekst.logs import audit
from limits.counters import count, key_for

RESET_MAILS_PER_HOUR = 3
HOUR = datetime.timedelta(hours=1)


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most RESET_MAILS_PER_HOUR e-mails to one address.

    The page says the same whether the address is known, unknown or over its limit, so it
    tells no one which addresses have accounts, and a flood of requests cannot fill an inbox.
    The count is in the database (limits.counters), one for every process and server.
    """

    def get_users(self, email: str):
        if count(key_for("password-reset", email), HOUR) > RESET_MAILS_PER_HOUR:
            audit("password_reset_limited")
            return iter(())
        return super().get_users(email)

    def save(self, **kwargs) -> None:
        """Links to SITE_URL, never to the address the request's Host header names."""
        kwargs["extra_email_context"] = {"site_url": settings.SITE_URL}
        super().save(**kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """Written in the user's own målform (their /konto/ choice, else their agreements'),
        not in whatever the browser that asked for it prefers."""
        with translation.override(interface_language(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class ActiveAccountTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens, which also die when the account is closed: Django's own stay
    valid for a deactivated user until they expire or the password changes."""

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


reset_tokens = ActiveAccountTokenGenerator()
