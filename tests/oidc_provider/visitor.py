"""A person's browser at the provider: follows its redirects and fills in its login form over
HTTP, until the provider sends the person back to the application."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import requests

from .scenarios import PASSWORD


class ProviderVisitor:
    """One person's cookies at the provider (a second login there finds them logged in)."""

    def __init__(self, username: str, app_url: str = "http://testserver") -> None:
        self.username = username
        self.app_url = app_url
        self.session = requests.Session()
        self.logins = 0

    def back_to_app(self, url: str) -> str:
        """Follow the provider from `url` (the application's redirect to it), logging in when
        asked; returns the application's address it is sent back to (path and query)."""
        for _ in range(10):
            if url.startswith(self.app_url):
                return url.removeprefix(self.app_url)
            response = self.session.get(url, allow_redirects=False, timeout=10)
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                continue
            if 'name="password"' not in response.text:
                raise AssertionError(f"The provider answered {response.status_code}: {url}")
            url = self._log_in(url, response.text)
        raise AssertionError("Too many redirects at the provider")

    def _log_in(self, url: str, form: str) -> str:
        self.logins += 1
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        following = re.search(r'name="next" value="([^"]*)"', form).group(1)
        response = self.session.post(
            url,
            data={
                "csrfmiddlewaretoken": csrf,
                "username": self.username,
                "password": PASSWORD,
                "next": following.replace("&amp;", "&"),
            },
            allow_redirects=False,
            timeout=10,
        )
        assert response.is_redirect, "The provider refused the test person's password"
        return urljoin(url, response.headers["Location"])
