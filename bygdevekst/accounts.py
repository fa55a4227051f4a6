"""User accounts: deactivating one, and password reset by e-mail within a limit."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.utils import translation

from measures.accounts import interface_language

from .logs import audit

RESET_MAILS_PER_HOUR = 3


def deactivate(user, *, by: str | None = None) -> None:
    """Stop the user logging in; their history stays.

    Their open sessions end at their next request without being looked up: Django's
    ModelBackend (measures.backends extends it), which every session here was authenticated
    by, gives no user for an inactive account, so the session is anonymous from then on and
    the login page is all it reaches.
    Sessions have no user column, and finding them would mean decoding every session there is.
    """
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit("user_deactivated", user=user.username, by=by)


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most RESET_MAILS_PER_HOUR e-mails to one address.

    The page says the same whether the address is known, unknown or over its limit, so it
    tells no one which addresses have accounts, and a flood of requests cannot fill an inbox.
    """

    def get_users(self, email: str):
        key = "password-reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
        cache.add(key, 0, timeout=3600)
        try:
            sent = cache.incr(key)
        except ValueError:  # expired between add and incr
            sent = 1
        if sent > RESET_MAILS_PER_HOUR:
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
