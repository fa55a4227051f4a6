"""The login button in a real browser: out to the provider (a process of its own), its login
form, and back to the front page, logged in; then logged out at both."""

from __future__ import annotations

import pytest

from access.models import Identity
from tests.oidc_provider.scenarios import PASSWORD
from tests.support import serious_violations

pytestmark = pytest.mark.browser


def test_a_person_logs_in_with_the_provider_button_and_out_again(
    transactional_db, live_server, oidc_provider, settings, page, owner, screenshot
):
    oidc_provider.allow(live_server.url)
    settings.OIDC_PROVIDERS = oidc_provider.settings_for()
    Identity.objects.create(user=owner, provider="testid", subject="testid-kari")

    page.goto(live_server.url + "/konto/login/")
    assert serious_violations(page) == []
    screenshot(page, "logg-inn-med-testid")
    page.get_by_role("link", name="Logg inn med TestID").click()
    page.get_by_label("Brukar").fill("kari")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn hos TestID").click()

    page.get_by_role("heading", name="Avtalar").wait_for()
    assert page.url.startswith(live_server.url)
    assert page.get_by_role("link", name="Bygdevekstavtale for Vest-Telemark").is_visible()
    assert page.get_by_role("link", name=owner.get_full_name() or owner.username).is_visible()

    page.get_by_role("button", name="Logg ut").click()
    page.get_by_role("heading", name="Logg inn").wait_for()
    assert page.url.startswith(live_server.url + "/konto/login/")
    # Logged out at the provider too: its login form asks again.
    page.get_by_role("link", name="Logg inn med TestID").click()
    page.get_by_label("Brukar").wait_for()
