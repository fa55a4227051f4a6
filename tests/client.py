"""The test client the suite signs in with (the `client` fixture, and wherever a test needs a
second person): Django's, with a force_login that writes one session.

Django's own force_login, for a client without a session, first saves an empty session for it;
login() then copies that into a session under a new key and deletes the empty one. Here login()
gets a new, unsaved session instead: the same signed-in session in the end (a new key, the
login signals, the session's limits marked), at a third of the queries, for the suite's
hundreds of sign-ins. A client that has a session already is signed in by Django's own code,
whose login() replaces that session.
"""

from __future__ import annotations

from importlib import import_module

import django.test
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest


class Client(django.test.Client):
    def _login(self, user, backend=None) -> None:
        if self.cookies.get(settings.SESSION_COOKIE_NAME):
            super()._login(user, backend)
            return
        request = HttpRequest()
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        login(request, user, backend)
        request.session.save()
        self._set_login_cookies(request)
