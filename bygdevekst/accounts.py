"""Operators' work on user accounts."""

from __future__ import annotations

from .logs import audit


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
