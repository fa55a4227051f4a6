"""The pictures in a real browser: the right layout for the screen, links that work, axe clean."""

from __future__ import annotations

import pytest

from tests.support import ARTIFACTS, serious_violations, sign_in

pytestmark = pytest.mark.browser

OVERVIEW = "/avtale/vest-telemark/"
BUDGET = "/budsjett/vest-telemark/"


def visible_timelines(page) -> list[str]:
    return [
        svg.get_attribute("class")
        for svg in page.locator("svg.chart--timeline").all()
        if svg.is_visible()
    ]


def test_the_timeline_and_money_charts_on_a_wide_screen(
    transactional_db, live_server, page, owner, screenshot
):
    sign_in(page, live_server.url, "prosjektleiar", OVERVIEW)
    timeline = page.get_by_role("group", name="Tidsline for tiltaka 2025–2028")
    assert timeline.is_visible()
    assert visible_timelines(page) == ["chart chart--timeline chart--wide"]
    # Every measure's row is a link; the picture is drawn, not blank.
    assert timeline.get_by_role("link").count() == 14
    box = timeline.bounding_box()
    assert box["width"] > 800 and box["height"] > 400
    assert serious_violations(page) == []
    screenshot(page, "oversikt-tidsline-1280")
    page.locator("#tidsline").screenshot(path=str(ARTIFACTS / "tidsline-1280.png"))

    timeline.get_by_role("link", name="Tiltak 1.3: Pilot: «Gøtt nøkk»", exact=False).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tiltak 1.3: Pilot: «Gøtt nøkk»"

    page.goto(live_server.url + BUDGET)
    years = page.get_by_role(
        "img", name="Statleg medfinansiering per år, fordelt på delmål og andre budsjettliner"
    )
    sources = page.get_by_role("img", name="Finansiering for 2025 etter kjelde")
    assert years.is_visible() and sources.is_visible()
    assert page.locator("svg.chart--years rect[data-kroner]").count() == 16
    assert serious_violations(page) == []
    screenshot(page, "budsjett-diagram-1280")


def test_the_pictures_fit_a_phone(transactional_db, live_server, browser, owner, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    sign_in(phone, live_server.url, "prosjektleiar", path=None)
    for path, name in [(OVERVIEW, "tidsline-390"), (BUDGET, "budsjett-diagram-390")]:
        phone.goto(live_server.url + path)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
        for svg in phone.locator("svg.chart").all():
            if svg.is_visible():
                assert svg.bounding_box()["width"] <= 390
        assert serious_violations(phone) == []
        screenshot(phone, name)
        if path == OVERVIEW:
            phone.locator("#tidsline").screenshot(path=str(ARTIFACTS / "tidsline-390.png"))
    phone.goto(live_server.url + OVERVIEW)
    assert visible_timelines(phone) == ["chart chart--timeline chart--narrow"]
    context.close()
