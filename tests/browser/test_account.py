"""A user switches the web interface to Bokmål on their own page, in a real browser."""

from __future__ import annotations

import pytest

from tests.support import serious_violations, sign_in

pytestmark = pytest.mark.browser


def test_the_project_leader_switches_to_bokmal_and_back(
    transactional_db, live_server, browser, page, owner, screenshot
):
    sign_in(page, live_server.url, "prosjektleiar")
    page.get_by_role("link", name="prosjektleiar").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kontoen din"
    assert serious_violations(page) == []
    page.get_by_label("Bokmål").check()
    page.get_by_role("button", name="Lagre målform").click()
    assert page.get_by_role("status").inner_text() == "Målformen er lagret."
    assert page.locator("html").get_attribute("lang") == "nb"
    assert serious_violations(page) == []
    screenshot(page, "konto-bokmal")

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(phone, live_server.url, "prosjektleiar")
    phone.get_by_role("link", name="Bygdevekstavtale for Vest-Telemark").click()
    assert phone.get_by_role("link", name="Politisk behandling").is_visible()
    assert phone.get_by_role("link", name="Organisasjoner").is_visible()
    screenshot(phone, "oversikt-bokmal-mobil")
    phone.close()

    page.get_by_label("Som avtalene mine").check()
    page.get_by_role("button", name="Lagre målform").click()
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_role("status").inner_text() == "Målforma er lagra."
