"""Each role starts at the front page and reaches its next step by clicking only.

The municipality records its decision, the project leader reaches the submit button, KDD the
approve button. Every front page passes axe, and none scrolls sideways at 390 or 1280 px; the
pictures of each role's front page, with one and with three agreements, land in test-artifacts/.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from access.models import Role
from measures.models import Organisation
from reporting.plan_file import import_plan, parse_plan
from reporting.revision import workflow
from tests.factories import make_user
from tests.support import (
    MUNICIPALITIES,
    approver_of,
    edited_seed,
    editor_of,
    revision_2026,
    serious_violations,
    sign_in,
)

pytestmark = pytest.mark.browser

ROLES = ["kviteseid", "fylkeskommunen", "prosjektleiar", "kdd"]


@pytest.fixture
def parties(seed):
    """The project leader, an approver for each municipality and the county, and KDD."""
    make_user("prosjektleiar", seed, Role.Kind.EDITOR)
    for name in MUNICIPALITIES:
        make_user(name, seed, Role.Kind.APPROVER, Organisation.objects.get(key=f"{name}-kommune"))
    county = Organisation.objects.get(key="telemark-fylkeskommune")
    make_user("fylkeskommunen", seed, Role.Kind.APPROVER, county)
    make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(kind="ministry"))


def submitted(seed):
    """Handlingsplan 2026 sent to the parties, with three weeks to decide."""
    revision = revision_2026(seed)
    try:
        workflow.submit(revision=revision, user=editor_of(revision.agreement))
    except workflow.ChecksFailed as failing:
        workflow.submit(
            revision=revision,
            user=editor_of(revision.agreement),
            accepted=[c.label for c in failing.checks],
        )
    due = timezone.localdate() + datetime.timedelta(days=21)
    workflow.set_due_date(revision=revision, due_on=due)
    return revision


def approve_everywhere(revision) -> None:
    for approval in revision.current_approvals().exclude(body="kdd"):
        workflow.record_decision(
            approval=approval,
            user=approver_of(approval),
            values={"decided_on": timezone.localdate(), "decision": "approved"},
        )


def window(browser, base: str, username: str, path: str | None = "/"):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nn-NO")
    page = context.new_page()
    sign_in(page, base, username, path)
    return page


def sideways(page) -> int:
    """How far the page scrolls sideways, in pixels (0: not at all)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_a_municipality_records_its_decision_from_the_front_page(
    transactional_db, live_server, browser, seed, parties
):
    submitted(seed)
    page = window(browser, live_server.url, "kviteseid")
    assert "Handlingsplan 2026 ventar på vedtaket dykkar" in page.locator("main").inner_text()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Registrer vedtak for Kviteseid kommune").click()
    group = page.get_by_role("group", name="Kommunestyre")
    group.get_by_label("Vedteke").fill(timezone.localdate().isoformat())
    group.get_by_label("Vedtak", exact=True).select_option("approved")
    page.get_by_role("button", name="Registrer vedtaket").click()
    # Only the kommunestyre is filled in: saved, and the formannskap said to be still missing.
    page.get_by_text("Lagra for Kviteseid kommunestyre.").wait_for()
    page.get_by_text("Framleis manglar vedtak frå Kviteseid formannskap.").wait_for()
    page.get_by_role("link", name="Bygdevekst", exact=True).click()
    assert "Kommunestyre: Godkjend" in page.locator("main").inner_text()
    page.context.close()


def test_the_project_leader_reaches_the_submit_step_from_the_front_page(
    transactional_db, live_server, browser, seed, parties
):
    revision_2026(seed)
    page = window(browser, live_server.url, "prosjektleiar")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Send handlingsplan 2026 til godkjenning").click()
    page.wait_for_url(re.compile(r"/rullering/vest-telemark/2026/$"))
    page.get_by_role("button", name="Send til godkjenning").wait_for()
    page.context.close()


def test_kdd_reaches_the_approve_button_from_the_front_page(
    transactional_db, live_server, browser, seed, parties
):
    approve_everywhere(submitted(seed))
    page = window(browser, live_server.url, "kdd")
    assert "1 handlingsplan ventar på KDD." in page.locator("main").inner_text()
    assert serious_violations(page) == []
    row = page.get_by_role("row").filter(has_text="Vest-Telemarkpiloten")
    assert "Ventar på godkjenning frå KDD" in row.inner_text()
    row.get_by_role("link", name="Handlingsplan 2026", exact=True).click()
    page.get_by_role("button", name="Godkjenn handlingsplan 2026").wait_for()
    page.context.close()


def another_pilot(slug: str, name: str, roles: list[tuple[str, str, str | None]]) -> None:
    """The seed's plan as another pilot's, where these users (name, kind, organisation key) too
    have a role."""

    def rename(data):
        data["agreement"].update(slug=slug, name=f"Bygdevekstavtale for {name}", pilot_name=name)

    agreement = import_plan(parse_plan(edited_seed(rename)))
    for username, kind, organisation in roles:
        Role.objects.create(
            user=User.objects.get(username=username),
            agreement=agreement,
            kind=kind,
            organisation=Organisation.objects.get(key=organisation) if organisation else None,
        )
    workflow.start_revision(agreement=agreement, year=2026, user=editor_of(agreement))


def test_every_front_page_fits_the_screen_with_one_and_three_agreements(
    transactional_db, live_server, browser, seed, parties, screenshot
):
    submitted(seed)
    # One window per role, loaded at each width's turn: a phone's first, then widened.
    pages = {name: window(browser, live_server.url, name, path=None) for name in ROLES}
    for agreements in (1, 3):
        if agreements == 3:
            another_pilot(
                "nordfjord",
                "Nordfjordpiloten",
                [("prosjektleiar", "editor", None), ("kviteseid", "approver", "kviteseid-kommune")],
            )
            another_pilot(
                "hallingdal",
                "Hallingdalpiloten",
                [("fylkeskommunen", "approver", "telemark-fylkeskommune")],
            )
        for username, page in pages.items():
            page.set_viewport_size({"width": 390, "height": 900})
            page.goto(live_server.url + "/")
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                assert sideways(page) <= 0, (username, width, agreements)
                if width == 390:
                    assert serious_violations(page) == [], username
                screenshot(page, f"framside-{username}-{agreements}-avtalar-{width}")
    for page in pages.values():
        page.context.close()
