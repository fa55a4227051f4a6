"""A municipality records its decision on the yearly revision in a real browser."""

from __future__ import annotations

import pytest
from django.utils import timezone

from access.models import Role
from measures.models import Organisation
from reporting.outputs import pdf as pdfs
from reporting.revision import workflow
from tests.factories import make_user
from tests.support import approver_of, serious_violations, sign_in

pytestmark = pytest.mark.browser


def test_a_municipality_records_its_decision(
    transactional_db, live_server, page, owner, seed, screenshot
):
    revision = workflow.start_revision(agreement=seed, year=2026, user=owner)
    workflow.submit(revision=revision, user=owner)
    make_user("vinje", seed, Role.Kind.APPROVER, Organisation.objects.get(key="vinje-kommune"))

    sign_in(page, live_server.url, "vinje", "/rullering/vest-telemark/2026/")
    assert serious_violations(page) == []
    screenshot(page, "rullering-kommune")
    assert page.get_by_role("link", name="Registrer vedtak").count() == 1
    page.get_by_role("link", name="Registrer vedtak").click()

    today = timezone.localdate()
    formannskap = page.get_by_role("group", name="Formannskap")
    formannskap.get_by_label("Planlagt møte").fill(today.isoformat())
    kommunestyre = page.get_by_role("group", name="Kommunestyre")
    kommunestyre.get_by_label("Planlagt møte").fill(today.isoformat())
    kommunestyre.get_by_label("Vedteke").fill(today.isoformat())
    kommunestyre.get_by_label("Vedtak", exact=True).select_option("approved")
    kommunestyre.get_by_label("Saksnummer").fill("26/41")
    assert serious_violations(page) == []
    screenshot(page, "vedtak-skjema")
    page.get_by_role("button", name="Registrer vedtaket").click()

    # The formannskap has only a planned meeting: saved, and said to be still missing.
    page.get_by_text("Lagra for Vinje formannskap, Vinje kommunestyre.").wait_for()
    page.get_by_text("Framleis manglar vedtak frå Vinje formannskap.").wait_for()
    row = page.locator("tr", has_text="26/41")
    assert f"{today:%d.%m.%Y}" in row.inner_text() and "Godkjend" in row.inner_text()
    assert serious_violations(page) == []


def test_the_project_leader_confirms_failing_checks_and_kdd_sees_them(
    transactional_db, live_server, page, owner, seed, screenshot
):
    """Weights off by a few tenths: the draft says so and asks for a confirmation, which the
    project leader ticks; KDD's box shows the same checks. Accessible at every step."""
    from budget.models import Amount

    for line, kroner in (("delmal-1", 4_054_000), ("delmal-2", 928_000), ("delmal-3", 1_018_000)):
        amount = Amount.objects.get(line__key=line, year=2027, source__key="kdd-1350-post-66")
        amount.kroner = kroner
        amount.save()
    workflow.start_revision(agreement=seed, year=2026, user=owner)
    make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))

    sign_in(page, live_server.url, "prosjektleiar", "/rullering/vest-telemark/2026/")
    page.get_by_text("3 kontrollar av budsjettet stemmer ikkje:").first.wait_for()
    page.get_by_role("link", name="Prioriteringar").wait_for()
    assert serious_violations(page) == []
    screenshot(page, "rullering-utkast-kontrollar")
    page.get_by_role("button", name="Send til godkjenning …").click()
    page.get_by_role("heading", name="Send handlingsplan 2026 til godkjenning?").wait_for()
    assert serious_violations(page) == []
    page.get_by_label("Eg har sett kontrollane som ikkje stemmer").check()
    page.get_by_role("button", name="Send handlingsplan 2026 til godkjenning").click()
    page.get_by_text("Handlingsplan 2026 er sendt til godkjenning.").wait_for()

    page.context.clear_cookies()
    sign_in(page, live_server.url, "kdd", "/rullering/vest-telemark/2026/")
    box = page.locator(".action-box", has_text="Godkjenning frå KDD")
    assert "Delmål 1 har 60 % av midlane til delmåla" in box.inner_text()
    assert serious_violations(page) == []


def test_kdds_confirmation_of_the_approval_reads_the_same_with_and_without_javascript(
    transactional_db, live_server, browser, owner, seed, screenshot, monkeypatch
):
    """The approval asks first, as a fragment in place (htmx) or as a page (without htmx);
    nothing is approved until its own button is pressed. No wider than the screen, at 390 and
    at 1280 px: one window each way, opened at each width in turn.

    The report the approval stores is a stand-in: what it holds is read in
    test_approved_2026.py, and test_yearly_cycle.py downloads a real one after the same step."""
    monkeypatch.setattr(pdfs, "render_report", lambda report: b"%PDF-1.7 stand-in")
    revision = workflow.start_revision(agreement=seed, year=2026, user=owner)
    workflow.submit(revision=revision, user=owner, accepted=_failing(revision))
    for approval in revision.current_approvals():
        workflow.record_decision(
            approval=approval,
            user=approver_of(approval),
            values={"decision": "approved", "decided_on": timezone.localdate()},
        )
    make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))
    for javascript in (True, False):
        context = browser.new_context(viewport={"width": 390, "height": 900}, locale="nn-NO")
        if not javascript:  # without htmx the buttons post plain forms (axe still needs JS)
            context.route("**/htmx.min.js", lambda route: route.abort())
        page = context.new_page()
        sign_in(page, live_server.url, "kdd", path=None)
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + "/rullering/vest-telemark/2026/")
            page.get_by_role("button", name="Godkjenn handlingsplan 2026 …").click()
            page.get_by_text("blir godkjend av KDD for godt").wait_for()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert serious_violations(page) == []
            suffix = "js" if javascript else "utan-js"
            screenshot(page, f"stadfest-godkjenning-{width}-{suffix}")
            revision.refresh_from_db()
            assert revision.status == "submitted"
        if not javascript:
            page.get_by_role("button", name="Godkjenn handlingsplan 2026 for godt").click()
            page.get_by_text("Handlingsplan 2026 er godkjend av KDD.").wait_for()
            revision.refresh_from_db()
            assert revision.is_approved
            assert bytes(revision.stored_reports.get().pdf) == b"%PDF-1.7 stand-in"
        context.close()


def _failing(revision) -> list[str]:
    """The labels of the budget checks that fail for the revision's plan, accepted to submit."""
    from reporting.revision.review import budget_checks, failed

    return [c.label for c in failed(budget_checks(workflow.plan_of(revision), revision.year))]
