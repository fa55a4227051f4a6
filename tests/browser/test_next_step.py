"""Nobody waits without knowing, in the browser: a small pilot's plan rejected by its
municipality (first without a reason, refused), sent back by KDD, and each role's front page
read after each step. Pictures of the front pages at 1280 and 390 px land in test-artifacts/.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from access.models import Role
from measures.models import Organisation, Party
from reporting.revision import workflow
from tests.factories import make_agreement, make_user
from tests.support import editor_of, serious_violations, sign_in

pytestmark = pytest.mark.browser

REVISION = "/rullering/smabygd/2026/"
REASON = "Kommunestyret vil ha eit budsjett for delmål 1 før det godkjenner planen."
SEND_BACK = "Legg inn budsjettet for delmål 1, som Småbygd bad om, og send planen på nytt."


@pytest.fixture
def small_plan(transactional_db):
    """Småbygdpiloten: one municipality and KDD as parties, its first plan (2026) submitted."""
    agreement = make_agreement("smabygd", "Bygdevekstavtale for Småbygd", 2026, 2028, goals=1)
    municipality = Organisation.objects.create(
        key="smabygd-kommune", name="Småbygd kommune", short_name="Småbygd", kind="municipality"
    )
    ministry = Organisation.objects.filter(kind="ministry").first() or Organisation.objects.create(
        key="kdd", name="KDD", kind="ministry"
    )
    for position, organisation in enumerate([municipality, ministry]):
        Party.objects.create(agreement=agreement, organisation=organisation, position=position)
    make_user("prosjektleiar", agreement, Role.Kind.EDITOR)
    make_user("smabygd", agreement, Role.Kind.APPROVER, municipality)
    make_user("kdd", agreement, Role.Kind.MINISTRY, ministry)
    revision = workflow.start_revision(agreement=agreement, year=2026, user=editor_of(agreement))
    try:
        workflow.submit(revision=revision, user=editor_of(revision.agreement))
    except workflow.ChecksFailed as failing:
        workflow.submit(
            revision=revision,
            user=editor_of(revision.agreement),
            accepted=[c.label for c in failing.checks],
        )
    return agreement


def window(browser, base: str, username: str, path: str | None = None):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nn-NO")
    page = context.new_page()
    sign_in(page, base, username, path)
    return page


def front(page, base: str, screenshot, name: str) -> str:
    """The front page's text, and its pictures at 1280 and 390 px."""
    page.goto(base + "/")
    screenshot(page, f"next-step-{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"next-step-{name}-390")
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert sideways == 0, name
    return page.locator("main").inner_text().replace("\xa0", " ")


def test_a_rejection_and_a_send_back_reach_every_front_page(
    live_server, browser, small_plan, screenshot
):
    base = live_server.url
    today = timezone.localdate()
    said = f"Småbygd kommunestyre vedtok {today:%d.%m.%Y} å ikkje godkjenne handlingsplanen."

    municipality = window(browser, base, "smabygd", "/")
    municipality.get_by_role("link", name="Registrer vedtak for Småbygd kommune").click()
    group = municipality.get_by_role("group", name="Kommunestyre")
    group.get_by_label("Vedteke").fill(today.isoformat())
    group.get_by_label("Vedtak", exact=True).select_option("rejected")
    municipality.get_by_role("button", name="Registrer vedtaket").click()
    error = municipality.locator("#id_kommunestyre-comment_error")
    assert "Skriv kvifor handlingsplanen ikkje er godkjend" in error.inner_text()
    group = municipality.get_by_role("group", name="Kommunestyre")
    group.get_by_label("Merknad").fill(REASON)
    municipality.get_by_role("button", name="Registrer vedtaket").click()
    municipality.get_by_text("Lagra for").first.wait_for()

    own = front(municipality, base, screenshot, "kommune-avslag")
    assert said in own and REASON in own
    assert "Småbygd kan registrere eit nytt vedtak" in own
    assert serious_violations(municipality) == []

    leader = window(browser, base, "prosjektleiar")
    text = front(leader, base, screenshot, "prosjektleiar-avslag")
    assert said in text and REASON in text
    assert "KDD kan sende han tilbake til deg" in text

    kdd = window(browser, base, "kdd")
    text = front(kdd, base, screenshot, "kdd-avslag")
    assert "1 handlingsplan ventar på KDD." in text
    assert "Ventar på KDD: ein part har ikkje godkjent" in text and REASON in text
    assert serious_violations(kdd) == []

    kdd.goto(base + REVISION)
    kdd.get_by_label("Kvifor blir handlingsplanen sendt tilbake?").fill(SEND_BACK)
    kdd.get_by_role("button", name="Send tilbake …").click()
    kdd.get_by_role("button", name="Send handlingsplan 2026 tilbake").click()
    kdd.get_by_text("er sendt tilbake til prosjektleiaren").wait_for()

    text = front(leader, base, screenshot, "prosjektleiar-sendt-tilbake")
    sent_back = f"KDD sende handlingsplan 2026 tilbake {today:%d.%m.%Y}."
    assert sent_back in text and SEND_BACK in text
    assert text.index(SEND_BACK) < text.index("Neste steg")
    assert serious_violations(leader) == []
    text = front(municipality, base, screenshot, "kommune-sendt-tilbake")
    assert SEND_BACK in text and "De blir bedne om nye vedtak" in text
    text = front(kdd, base, screenshot, "kdd-sendt-tilbake")
    assert "Utkast hos prosjektleiaren" in text
