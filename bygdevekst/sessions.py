"""The absolute session limit: a login ends after SESSION_ABSOLUTE_HOURS, however active.

The idle limit is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

STARTED_KEY = "bygdevekst_login_started"


class AbsoluteSessionLimitMiddleware:
    """Log out a session that began longer ago than the absolute limit."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            # Login cycles the session, so a session without a start time has just begun.
            started = request.session.setdefault(STARTED_KEY, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                messages.info(request, "Du var logga inn for lenge og må logge inn på nytt.")
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
