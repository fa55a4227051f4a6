"""The project leader edits the plan in a real browser, with htmx and with plain forms."""

from __future__ import annotations

import re

import pytest

from tests.support import serious_violations, sign_in

pytestmark = pytest.mark.browser

MEASURE = "/avtale/vest-telemark/tiltak/gott-nokk/"
BUDGET_CELL = "Fleire eigna bustader i Vest-Telemark, KDD 13.50 post 66, 2025"


def text_of(locator) -> str:
    return locator.inner_text().replace("\xa0", " ")


def test_editing_in_place_with_htmx(transactional_db, live_server, page, owner, screenshot):
    base = live_server.url
    sign_in(page, base, "prosjektleiar", MEASURE)
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("link", name="Endre tittel").click()
    page.get_by_label("Tittel").fill("Gøtt nøkk – modulhus for bygda")
    assert serious_violations(page) == []
    screenshot(page, "rediger-tittel")
    page.get_by_role("button", name="Lagre tittel").click()
    heading = page.get_by_role("heading", level=1)
    heading.filter(has_text="modulhus for bygda").wait_for()
    # The save answers beside the title, and the change log below has the change: no reload.
    assert text_of(page.locator("#measure-title").get_by_role("status")).startswith("Lagra")
    newest = page.locator("#tiltak-endringslogg .changelog__entry").first
    assert "prosjektleiar endra tiltaket" in text_of(newest)
    assert "Gøtt nøkk – modulhus for bygda" in text_of(newest)
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_role("link", name="Endre seksjonen Moglege målgrupper").click()
    page.get_by_label("Tekst").fill("- Eldre\n- Unge på veg inn i bustadmarknaden\n- Lærarar")
    page.get_by_role("button", name="Førehandsvis").click()
    page.locator(".preview li", has_text="Lærarar").wait_for()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Lagre seksjonen").click()
    page.locator(".measure-section li", has_text="Lærarar").wait_for()
    section = page.locator(".measure-section", has_text="Lærarar")
    assert text_of(section.get_by_role("status")).startswith("Lagra")
    newest = page.locator("#tiltak-endringslogg .changelog__entry").first
    assert "prosjektleiar endra seksjonen «Moglege målgrupper»" in text_of(newest)
    assert "Lærarar" in text_of(newest)
    assert serious_violations(page) == []
    screenshot(page, "lagra-i-staden")
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_role("link", name="Hovudansvarlege og samarbeidspartar").click()
    results = page.locator("#search-results")
    assert results.get_by_label("Husbanken", exact=True).count() == 1
    page.get_by_label("Søk etter organisasjon").fill("distrikt")
    results.get_by_label("Husbanken", exact=True).wait_for(state="detached")
    results.get_by_label("Distriktssenteret").check()
    page.get_by_label("Rolle", exact=True).select_option("partner")
    page.get_by_role("button", name="Legg til", exact=True).click()
    page.get_by_text("Distriktssenteret – samarbeidspart").wait_for()
    assert serious_violations(page) == []

    page.goto(base + "/budsjett/vest-telemark/endre/?ar=2025")
    assert text_of(page.locator("#grand-total")) == "2 700 000"
    page.get_by_label(BUDGET_CELL).fill("600 000")
    page.locator("#grand-total").filter(has_text=re.compile("800")).wait_for()
    assert text_of(page.locator("#grand-total")) == "2 800 000"
    assert text_of(page.locator("#row-total-1")) == "700 000"
    assert serious_violations(page) == []
    screenshot(page, "rediger-budsjett")
    page.get_by_role("button", name="Lagre budsjettet").click()
    page.wait_for_url(re.compile(r"/budsjett/vest-telemark/\?ar=2025$"))

    page.reload()
    assert "2 800 000" in text_of(page.locator("main"))
    page.goto(base + MEASURE)
    assert "Gøtt nøkk – modulhus for bygda" in text_of(page.get_by_role("heading", level=1))
    assert "Lærarar" in text_of(page.locator("article"))
    assert "Distriktssenteret" in text_of(page.locator(".facts"))
    changelog = text_of(page.locator(".changelog"))
    assert "prosjektleiar endra tiltaket" in changelog
    assert "prosjektleiar oppretta Distriktssenteret som samarbeidspart" in changelog
    screenshot(page, "tiltak-etter-redigering")


def test_editing_without_javascript_through_plain_forms(
    transactional_db, live_server, browser, owner
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "prosjektleiar", MEASURE)

    page.get_by_role("link", name="Endre tittel").click()
    assert page.url.endswith("/tittel/")
    page.get_by_label("Tittel").fill("Gøtt nøkk utan JavaScript")
    page.get_by_role("button", name="Lagre").click()
    assert page.url.endswith(MEASURE)
    assert "Gøtt nøkk utan JavaScript" in text_of(page.get_by_role("heading", level=1))

    page.get_by_role("link", name="Endre seksjonen Moglege målgrupper").click()
    page.get_by_label("Tekst").fill("- Berre **éi** gruppe")
    page.get_by_role("button", name="Førehandsvis teksten").click()
    assert "éi" in text_of(page.locator(".preview strong"))
    page.get_by_role("button", name="Lagre", exact=True).click()
    assert "Berre éi gruppe" in text_of(page.locator("article"))

    page.get_by_role("link", name="Hovudansvarlege og samarbeidspartar").click()
    page.get_by_label("Søk etter organisasjon").fill("USN")
    page.get_by_role("button", name="Søk").click()
    page.get_by_label("Universitetet i Søraust-Noreg").check()
    page.get_by_role("button", name="Legg til", exact=True).click()
    assert "Universitetet i Søraust-Noreg – samarbeidspart" in text_of(
        page.locator(".involvements")
    )

    page.goto(base + "/budsjett/vest-telemark/endre/?ar=2025")
    page.get_by_label(BUDGET_CELL).fill("400000")
    page.get_by_role("button", name="Lagre budsjettet").click()
    assert "2 600 000" in text_of(page.locator("main"))
    page.reload()
    assert "2 600 000" in text_of(page.locator("main"))
    context.close()


def test_a_new_measure_with_a_lead_and_a_partner_in_one_step(
    transactional_db, live_server, page, owner, screenshot
):
    """From the overview to a new measure with its organisations, by keyboard, in one form."""
    base = live_server.url
    sign_in(page, base, "prosjektleiar", "/avtale/vest-telemark/")
    page.get_by_role("link", name="Nytt tiltak under delmål 2").click()
    page.get_by_label("Tittel", exact=True).fill("Lokal matproduksjon")
    page.get_by_label("Husbanken som samarbeidspart").check()
    page.get_by_role("button", name="Lagre").click()
    error = page.get_by_text("Vel minst éin hovudansvarleg")
    error.wait_for()
    assert page.get_by_label("Husbanken som samarbeidspart").is_checked()
    assert serious_violations(page) == []
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"nytt-tiltak-{width}")

    lead = page.get_by_label("Vest-Telemarkrådet som hovudansvarleg")
    lead.focus()
    page.keyboard.press("Space")
    assert lead.is_checked()
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("er oppretta").wait_for()
    facts = text_of(page.locator(".facts"))
    assert "Vest-Telemarkrådet" in facts and "Husbanken" in facts
    assert "Lokal matproduksjon" in text_of(page.get_by_role("heading", level=1))


def test_a_municipality_page_shows_what_it_leads_via_pilotkommunane(
    transactional_db, live_server, page, owner, screenshot
):
    base = live_server.url
    sign_in(page, base, "prosjektleiar", "/avtale/vest-telemark/organisasjonar/")
    page.get_by_role("link", name="Seljord kommune").click()
    leads = page.locator("main ul.ds-list").first
    assert "via Pilotkommunane" in text_of(leads)
    assert "Ingen tiltak" not in text_of(leads)
    assert serious_violations(page) == []
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"kommune-via-pilotkommunane-{width}")


def test_a_bad_amount_is_shown_beside_its_cell(transactional_db, live_server, page, owner):
    sign_in(page, live_server.url, "prosjektleiar", "/budsjett/vest-telemark/endre/?ar=2025")
    page.get_by_label(BUDGET_CELL).fill("-10")
    page.get_by_role("button", name="Lagre budsjettet").click()
    assert page.get_by_text("Beløpet kan ikkje vere negativt.").is_visible()
    assert serious_violations(page) == []
