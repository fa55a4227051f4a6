"""An operator sets up a new agreement in a real browser, and previews a plan file upload."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from measures.models import Agreement
from tests.support import PASSWORD, SEED_FILE, serious_violations, sign_in

pytestmark = pytest.mark.browser

GOALS = [
    ("Boliger", 30),
    ("Arbeid", 20),
    ("Kompetanse", 20),
    ("Tilflytting", 20),
    ("Prosjektledelse", 10),
]


def test_an_operator_sets_up_an_agreement_through_the_form(
    transactional_db, live_server, page, seed, screenshot
):
    get_user_model().objects.create_superuser("operator", password=PASSWORD)
    base = live_server.url
    sign_in(page, base, "operator")
    page.get_by_role("link", name="Ny avtale").click()
    page.get_by_label("Namn på avtala").fill("Bygdevekstavtale for Fjellbygda")
    page.get_by_label("Namn på piloten").fill("Fjellbygda-piloten")
    page.get_by_label("Målform").select_option("nb")
    page.get_by_label("Første år", exact=True).fill("2024")
    page.get_by_label("Siste år").fill("2027")
    page.get_by_label("Første handlingsplan (år)").fill("2024")
    # The register is searched, not listed whole: both are found as "kommune" and kept ticked.
    page.get_by_label("Søk etter fleire organisasjonar i registeret").fill("kommune")
    page.get_by_label("Vinje kommune").check()
    page.get_by_label("Tokke kommune").check()
    for _ in range(2):  # three blank sub-goal rows to start with; five are needed
        page.locator('button[name="add"][value="sub_goals"]').click()
    assert page.get_by_label("Namn på avtala").input_value() == "Bygdevekstavtale for Fjellbygda"
    for i, (title, weight) in enumerate(GOALS):
        page.locator(f'[name="sub_goals-{i}-title"]').fill(title)
        page.locator(f'[name="sub_goals-{i}-main_goal"]').fill(f"Mål for {title.lower()}.")
        page.locator(f'[name="sub_goals-{i}-weight"]').fill(str(weight))
    for i, name in enumerate(["KDD 13.50 post 66", "Statsforvalteren", "Fylkeskommunen"]):
        page.locator(f'[name="sources-{i}-name"]').fill(name)
    page.locator('[name="sources-0-state_cofinancing"]').check()
    assert serious_violations(page) == []
    screenshot(page, "ny-avtale-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "ny-avtale-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Set opp avtala").click()
    page.get_by_role("heading", level=1, name="Bygdevekstavtale for Fjellbygda").wait_for()
    assert "Avtala «Bygdevekstavtale for Fjellbygda» er sett opp." in page.content()
    agreement = Agreement.objects.get(slug="bygdevekstavtale-for-fjellbygda")
    assert agreement.language == "nb"
    assert [g.title for g in agreement.sub_goals.all()] == [t for t, _ in GOALS]
    assert agreement.funding_sources.count() == 3


def test_a_plan_file_upload_is_previewed(
    transactional_db, live_server, page, seed, tmp_path, screenshot
):
    get_user_model().objects.create_superuser("operator", password=PASSWORD)
    text = SEED_FILE.read_text(encoding="utf-8")
    changed = tmp_path / "plan.yaml"
    changed.write_text(
        text.replace("title: Fleire eigna bustader i Vest-Telemark", "title: Fleire bustader", 1)
    )
    base = live_server.url
    sign_in(page, base, "operator")
    page.get_by_role("link", name="Les inn planfil").click()
    page.get_by_label("Planfil (.yaml)").set_input_files(str(changed))
    page.get_by_role("button", name="Les fila").click()
    page.get_by_role(
        "heading", name="Dette blir endra i «Bygdevekstavtale for Vest-Telemark»"
    ).wait_for()
    assert "1. Fleire bustader" in page.inner_text("table")
    assert serious_violations(page) == []
    screenshot(page, "planfil-forhandsvis-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "planfil-forhandsvis-390")
    page.get_by_role("button", name="Les inn og byt ut planen").click()
    page.get_by_role("heading", level=1, name="Bygdevekstavtale for Vest-Telemark").wait_for()
    assert (
        Agreement.objects.get(slug="vest-telemark").sub_goals.get(number=1).title
        == "Fleire bustader"
    )

    broken = tmp_path / "feil.yaml"
    broken.write_text(text.replace("  first_year: 2025", "  first_year: snart", 1))
    page.goto(base + "/planfil/")
    page.get_by_label("Planfil (.yaml)").set_input_files(str(broken))
    page.get_by_role("button", name="Les fila").click()
    page.get_by_text("agreement.first_year").wait_for()
    assert serious_violations(page) == []
    screenshot(page, "planfil-feil-390")
