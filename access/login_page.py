"""The login page: a button for each OpenID Connect provider, and the password form unless the
installation has turned the password login off (PASSWORD_LOGIN=false)."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext

from . import oidc


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"providers": oidc.providers()}

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            raise PermissionDenied(gettext("Innlogging med passord er slått av her."))
        return super().post(request, *args, **kwargs)


def password_login_only(view):
    """A page of the password login (change, reset): not there when it is turned off."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            raise Http404(gettext("Innlogging med passord er slått av her."))
        return view(request, *args, **kwargs)

    return wrapped


def password_login(request) -> dict:
    """Context processor: whether pages offer the password (login, change, reset)."""
    return {"password_login": settings.PASSWORD_LOGIN}
