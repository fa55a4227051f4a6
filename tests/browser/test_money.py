"""The accounts grid in a real browser: the totals and deviations follow what the project leader
types (htmx), before anything is saved; saving shows the accounts page with the figures."""

from __future__ import annotations

import pytest

from money.models import Spending
from tests.support import serious_violations, sign_in

pytestmark = pytest.mark.browser

GRID = "/rekneskap/vest-telemark/2025/endre/"
CELL = "Prosjektleiing, KDD 13.50 post 66, 2025"
MINUS = "\N{MINUS SIGN}"


def text_of(locator) -> str:
    return locator.inner_text().replace("\xa0", " ")


def test_the_totals_follow_what_is_typed_and_are_saved_with_it(
    transactional_db, live_server, page, owner, screenshot
):
    sign_in(page, live_server.url, "prosjektleiar", GRID)
    assert text_of(page.locator("#total-4")) == "0 kr"

    page.get_by_label(CELL).fill("1 275 000")
    deviation = page.locator("#deviation-4")
    deviation.filter(has_text=f"{MINUS}225 000 kr").wait_for()
    assert text_of(deviation) == f"{MINUS}225 000 kr\n{MINUS}15,0 %"
    assert text_of(page.locator("#total-4")) == "1 275 000 kr"
    assert text_of(page.locator("#total-sum")) == "1 275 000 kr"
    assert text_of(page.locator("#col-sum-1")) == "1 275 000 kr"
    assert not Spending.objects.exists()  # typed, not saved
    assert serious_violations(page) == []
    screenshot(page, "rekneskap-summar-medan-ein-skriv")

    page.get_by_role("button", name="Lagre rekneskapen").click()
    page.get_by_text("Rekneskapen for 2025 er lagra (1 celle endra).").wait_for()
    row = page.get_by_role("row", name="4. Prosjektleiing").first
    assert "1 275 000 kr" in text_of(row)
    assert Spending.objects.get().kroner == 1_275_000
