"""Operators' work on user accounts."""

from __future__ import annotations

from django.contrib.sessions.models import Session

from .logs import audit


def deactivate(user, *, by: str | None = None) -> int:
    """Stop the user logging in and end their sessions (their history stays); count the ended."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = 0
    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    audit("user_deactivated", user=user.username, by=by, sessions_ended=ended)
    return ended
