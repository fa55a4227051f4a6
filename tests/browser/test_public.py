"""The public pages in a real browser, as a visitor who is not logged in: accessible (axe),
no wider than a phone, readable without JavaScript, and printable."""

from __future__ import annotations

import pytest

from tests.support import serious_violations

pytestmark = pytest.mark.browser

PHONE, LAPTOP = 390, 1280
PATHS = ["/offentleg/", "/offentleg/vest-telemark/"]


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_public_pages_are_accessible_and_fit_a_phone(
    transactional_db, live_server, browser, seed, screenshot
):
    context = browser.new_context(viewport={"width": PHONE, "height": 844}, locale="nn-NO")
    page = context.new_page()
    problems = []
    for path in PATHS:
        for width in (PHONE, LAPTOP):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.goto(live_server.url + path).status == 200
            if overflow(page) > 0:
                problems.append(f"{path} at {width} px: {overflow(page)} px too wide")
            problems += [f"{path} at {width} px: {v}" for v in serious_violations(page)]
    screenshot(page, "offentleg-vest-telemark-1280")
    # Printed: the whole timeline in one picture, nothing wider than the paper.
    page.emulate_media(media="print")
    assert page.locator("svg.chart--wide").is_visible()
    assert not page.locator("svg.chart--narrow").is_visible()
    assert not page.get_by_text("Hopp til hovudinnhaldet").is_visible()
    context.close()
    assert problems == [], "\n".join(problems)


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
