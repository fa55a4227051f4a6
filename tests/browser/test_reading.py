"""The project leader reads the plan in a real browser; axe-core checks every page."""

from __future__ import annotations

import pytest

from tests.support import log_in, serious_violations

pytestmark = pytest.mark.browser


def test_the_project_leader_reads_overview_measure_and_budget(
    transactional_db, live_server, page, owner, screenshot
):
    log_in(page, live_server.url, "prosjektleiar", "test-passord-123")
    page.get_by_role("link", name="Bygdevekstavtale for Vest-Telemark").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bygdevekstavtale for Vest-Telemark"
    assert page.get_by_role("table", name="Tabell 1: tiltak under delmål 1").is_visible()
    assert serious_violations(page) == []
    icon = page.locator("link[rel=icon]").evaluate("link => link.href")
    assert page.request.get(icon).headers["content-type"] == "image/svg+xml"
    screenshot(page, "oversikt")

    # exact: the timeline's link to the same measure has a longer name.
    page.get_by_role("link", name="Pilot: «Gøtt nøkk»", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tiltak 1.3: Pilot: «Gøtt nøkk»"
    assert page.get_by_role("heading", name="Moglege målgrupper").is_visible()
    assert serious_violations(page) == []
    screenshot(page, "tiltak")

    page.get_by_role("link", name="Budsjett og finansiering").first.click()
    total = page.get_by_role(
        "table",
        name="Fordeling av budsjett for heile avtaleperioden "
        "(statleg medfinansiering, KDD 13.50 post 66)",
    )
    assert "22 000 000" in total.inner_text().replace("\xa0", " ")
    assert serious_violations(page) == []
    screenshot(page, "budsjett")


def test_the_login_page_passes_axe_and_refuses_a_wrong_password(
    transactional_db, live_server, page, owner
):
    page.goto(f"{live_server.url}/konto/login/")
    assert serious_violations(page) == []
    page.get_by_label("Brukarnamn").fill("prosjektleiar")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_role("alert").is_visible()
    assert "/konto/login/" in page.url


def test_the_accessibility_check_names_what_is_wrong(page):
    """What every page above is checked with reports each serious or critical fault, by rule
    and element, and leaves out a moderate one (the skipped heading level, which axe finds too):
    the empty lists above are axe's answer, not a check that is blind."""
    page.set_content(
        '<html lang="nn"><head><title>Prøve</title></head><body><main>'
        '<h1>Prøve</h1><img src="data:,"><button></button>'
        '<p style="color:#777;background:#888">Svak kontrast</p>'
        "<h4>Overskrift utan nivå imellom</h4></main></body></html>"
    )
    assert serious_violations(page) == [
        'button-name (critical): Buttons must have discernible text – [["button"]]',
        "color-contrast (serious): Elements must meet minimum color contrast ratio thresholds"
        ' – [["p"]]',
        'image-alt (critical): Images must have alternative text – [["img"]]',
    ]
