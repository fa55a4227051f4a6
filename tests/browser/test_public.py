"""The public pages in a real browser, as a visitor who is not logged in: printable, and
readable without JavaScript. That they are accessible (axe) and no wider than a phone or a
laptop, test_widths.py checks with every other page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE, LAPTOP = 390, 1280


def test_the_printed_public_plan_shows_the_whole_timeline_and_no_screen_parts(
    transactional_db, live_server, browser, seed, screenshot
):
    context = browser.new_context(viewport={"width": LAPTOP, "height": 900}, locale="nn-NO")
    page = context.new_page()
    assert page.goto(live_server.url + "/offentleg/vest-telemark/").status == 200
    screenshot(page, "offentleg-vest-telemark-1280")
    # Printed: the whole timeline in one picture (the wide chart, not the phone's), no skip link.
    page.emulate_media(media="print")
    assert page.locator("svg.chart--wide").is_visible()
    assert not page.locator("svg.chart--narrow").is_visible()
    assert not page.get_by_text("Hopp til hovudinnhaldet").is_visible()
    context.close()


def test_the_public_plan_reads_without_javascript(
    transactional_db, live_server, browser, seed, screenshot
):
    context = browser.new_context(
        viewport={"width": PHONE, "height": 844}, locale="nn-NO", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + "/offentleg/")
    page.get_by_role("link", name="Bygdevekstavtale for Vest-Telemark").click()
    page.wait_for_url(live_server.url + "/offentleg/vest-telemark/")
    heading = page.get_by_role(
        "heading", name="Handlingsplan 2025 – Bygdevekstavtale for Vest-Telemark"
    )
    assert heading.is_visible()
    # A measure in its sub-goal's table leads to its description further down.
    table = page.get_by_role("table", name="Tabell 1: tiltak under delmål 1")
    table.get_by_role("link", name="«Kompetansesirkel»").click()
    assert page.url.endswith("#tiltak-kompetansesirkel")
    assert page.get_by_role("heading", name="Tiltak 1.4: «Kompetansesirkel»").is_visible()
    screenshot(page, "offentleg-vest-telemark-390-utan-javascript")
    context.close()
