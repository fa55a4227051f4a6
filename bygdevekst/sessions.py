"""Session limits: idle (SESSION_COOKIE_AGE, renewed while the person is active) and absolute
(SESSION_ABSOLUTE_HOURS after login, however active); and no cache keeps a logged-in page.

Renewing the idle limit means saving the session. Saving it on every request would cost a
database write per page view, so it is renewed at most once a minute instead. Login marks the new
session as started and renewed, in the save that login makes anyway: the first page after it
writes nothing.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

STARTED_KEY = "bygdevekst_login_started"
TOUCHED_KEY = "bygdevekst_touched"
RENEW_AFTER_SECONDS = 60


@receiver(user_logged_in)
def _mark_new_session(sender, request, user, **kwargs) -> None:
    """The absolute limit counts from now, and the idle limit is fresh: login cycles the session
    key and saves the session, these two marks with it."""
    now = int(time.time())
    request.session[STARTED_KEY] = now
    request.session[TOUCHED_KEY] = now


class AbsoluteSessionLimitMiddleware:
    """Log out a session that began longer ago than the absolute limit, or whose user may no
    longer log in."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and SESSION_KEY in request.session:
            # A deactivated user's session (ModelBackend gives no inactive user): end it now,
            # so that reactivating the account later does not bring the session back.
            request.session.flush()
        elif request.user.is_authenticated:
            now = int(time.time())
            # Login marks the start (_mark_new_session); a session without the mark was begun
            # by an older release and is counted from now.
            started = request.session.setdefault(STARTED_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                messages.info(request, _("Du var logga inn for lenge og må logge inn på nytt."))
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(TOUCHED_KEY, 0) > RENEW_AFTER_SECONDS:
                request.session[TOUCHED_KEY] = now  # saved, with the idle limit counted afresh
        return self.get_response(request)


def public_page(view):
    """Mark a view as a public page: anyone may read it without logging in, and what it answers
    a visitor who is not logged in may be kept by any cache (PrivatePagesMiddleware).

    The one exemption from login and from `private, no-store`: only public/ uses it, for the
    approved plans, their open data, robots.txt and the sitemap.
    """
    view = login_not_required(view)
    view.public_page = True
    return view


class PrivatePagesMiddleware:
    """Every answer to a logged-in person, pages and downloads alike, is `private, no-store`:
    no proxy, shared computer's browser cache or back button keeps a plan, budget or report.

    A public page (`public_page`) answered to a visitor who is not logged in, without a cookie,
    is `public` for PUBLIC_CACHE_SECONDS instead. Logged in, the same page is private like every
    other: its answer may renew the session cookie, which no shared cache may keep.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        elif (
            getattr(request, "public_page", False)
            and response.status_code in (200, 304)
            and not response.cookies
        ):
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs) -> None:
        request.public_page = getattr(view_func, "public_page", False)
