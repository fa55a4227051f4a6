"""The målform each request is answered in (settings.MIDDLEWARE, after authentication).

A signed-in user reads the interface in the målform they chose on their account page, else in
that of the agreements they belong to (Nynorsk when those differ or there are none). Anyone not
signed in reads Nynorsk, or Bokmål if their browser asks for it. The report, the workbook and
e-mails do not follow this: they are written in their agreement's målform.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .accounts import DEFAULT_LANGUAGE, interface_language


class UserLanguageMiddleware:
    """Activate the request's målform and say it in Content-Language."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = interface_language(user)
        else:
            language = _from_browser(request)
        request.LANGUAGE_CODE = language
        # The language is per thread: put back what was active, so that nothing after the
        # request (a test, the next request on the thread) inherits this user's.
        with translation.override(language):
            response = self.get_response(request)
        if user is None or not user.is_authenticated:
            patch_vary_headers(response, ["Accept-Language"])
        response.headers.setdefault("Content-Language", language)
        return response


def _from_browser(request) -> str:
    """nn or nb from Accept-Language (the first of them the browser names), else Nynorsk."""
    offered = {code for code, _name in settings.LANGUAGES}
    for code, _quality in translation.trans_real.parse_accept_lang_header(
        request.headers.get("Accept-Language", "")
    ):
        code = code.lower().split("-")[0]
        code = "nb" if code == "no" else code
        if code in offered:
            return code
    return DEFAULT_LANGUAGE
