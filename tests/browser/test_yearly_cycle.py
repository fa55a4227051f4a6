"""The yearly revision in the browser, where a browser is needed: the project leader starts
Handlingsplan 2026 and closes a measure, each by its confirmation, and submits it, ticking the
failing budget check; KDD reads a municipality's «no» and sends the plan back by its
confirmation; after the second round KDD approves it, ticking the failing check in so many
words, and downloads the PDF and the workbook. Every confirmation passes axe.

The rest of the year (the edits by form, the texts, each party's decision) is set up through
the workflow here, and walked through the views, the PDF and the workbook read, by
tests/reporting/test_approved_2026.py.
"""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone

from access.models import Role
from budget.models import Amount
from measures.models import Measure, Organisation
from reporting.models import Revision, StoredReport
from reporting.revision import workflow
from tests.factories import make_user
from tests.support import (
    ARTIFACTS,
    MUNICIPALITIES,
    approver_of,
    editor_of,
    failing_checks,
    serious_violations,
    sign_in,
)

pytestmark = pytest.mark.browser

PLAN = "/avtale/vest-telemark/"
REVISION = "/rullering/vest-telemark/2026/"
REASON = "Sirkelen tek no inn heile regionen, fordi Tokke og Vinje bad om det i mars."
ASSESSMENT = "Seminaret samla 140 deltakarar og gav tre nye samarbeid om bustadbygging."
REJECTION = "Kviteseid vil sjå budsjettet for delmål 2 retta før vi vedtek planen."
SEND_BACK = "Kviteseid har ikkje godkjent. Rett budsjettet for delmål 2 og send på nytt."

# KDD accepts the failing budget check the project leader sent the plan on with.
ACCEPT_FAILING_CHECKS = (
    "Eg har sett kontrollane som ikkje stemmer, og vil godkjenne handlingsplanen likevel."
)


@pytest.fixture
def parties(seed, owner):
    """An approver for each municipality and the county, and KDD."""
    for name in MUNICIPALITIES:
        make_user(name, seed, Role.Kind.APPROVER, Organisation.objects.get(key=f"{name}-kommune"))
    county = Organisation.objects.get(key="telemark-fylkeskommune")
    make_user("fylkeskommunen", seed, Role.Kind.APPROVER, county)
    kdd = Organisation.objects.get(kind=Organisation.Kind.MINISTRY)
    make_user("kdd", seed, Role.Kind.MINISTRY, kdd)


def signed_in(browser, base: str, username: str, path: str):
    """A fresh browser window with this user logged in, at `path`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nn-NO")
    page = context.new_page()
    sign_in(page, base, username, path)
    return page


def text(locator) -> str:
    return locator.inner_text().replace("\xa0", " ")


def test_the_yearly_cycle_in_the_browser(
    transactional_db, live_server, browser, seed, parties, screenshot
):
    base = live_server.url
    leader = signed_in(browser, base, "prosjektleiar", PLAN)
    start_and_close(leader, base)
    change_the_plan(seed)
    submit(leader, base)

    revision = Revision.objects.get(year=2026)
    decide_everywhere(revision, rejecting="kviteseid")
    kdd = signed_in(browser, base, "kdd", REVISION)
    alert = text(kdd.get_by_role("alert").filter(has_text="Kviteseid"))
    assert REJECTION in alert
    assert kdd.get_by_role("button", name="Godkjenn handlingsplan 2026").count() == 0
    kdd.get_by_label("Kvifor blir handlingsplanen sendt tilbake?").fill(SEND_BACK)
    kdd.get_by_role("button", name="Send tilbake …").click()
    # Nothing happens before the confirmation, which says what will.
    kdd.get_by_text("går tilbake til prosjektleiaren som utkast").wait_for()
    assert serious_violations(kdd) == []
    kdd.get_by_role("button", name="Send handlingsplan 2026 tilbake").click()
    kdd.get_by_text("Utkast").first.wait_for()

    revision.refresh_from_db()
    workflow.submit(
        revision=revision, user=editor_of(revision.agreement), accepted=failing_checks(revision)
    )
    decide_everywhere(revision, rejecting=None)

    kdd.goto(base + REVISION)
    assert serious_violations(kdd) == []
    kdd.get_by_role("button", name="Godkjenn handlingsplan 2026 …").click()
    kdd.get_by_text("blir godkjend av KDD for godt").wait_for()
    assert serious_violations(kdd) == []
    screenshot(kdd, "syklus-godkjenn-stadfest")
    kdd.get_by_label(ACCEPT_FAILING_CHECKS).check()  # the failing check the leader sent on
    kdd.get_by_role("button", name="Godkjenn handlingsplan 2026 for godt").click()
    kdd.get_by_text("Godkjend av KDD").first.wait_for()
    screenshot(kdd, "syklus-godkjend")

    revision.refresh_from_db()
    assert revision.is_approved
    with kdd.expect_download() as download:
        kdd.get_by_role("link", name=re.compile("Last ned handlingsplanen")).click()
    assert download.value.suggested_filename == "handlingsplan-vest-telemark-2026.pdf"
    pdf = download.value.path().read_bytes()
    (ARTIFACTS / "handlingsplan-2026-godkjend.pdf").write_bytes(pdf)  # for a person to read
    # The rendering stored at KDD's approval; test_approved_2026.py reads one such report.
    assert pdf.startswith(b"%PDF") and pdf == StoredReport.objects.newest_pdf(revision)
    with kdd.expect_download() as download:
        kdd.get_by_role("link", name=re.compile("Last ned tabellane")).click()
    read_the_workbook(download.value.path().read_bytes())


def start_and_close(page, base: str) -> None:
    """Start 2026 from the process page and close 1.5, each after its confirmation."""
    page.get_by_role("link", name="Politisk handsaming").first.click()
    page.get_by_label("År").select_option("2026")
    page.get_by_role("button", name="Start ny handlingsplan").click()
    page.get_by_role("button", name="Start handlingsplan 2026").click()  # the confirmation
    page.wait_for_url(re.compile(r"/rullering/vest-telemark/2026/$"))

    page.goto(base + PLAN + "tiltak/vandrande-seminar/")
    page.get_by_label("Avslutningsdato").fill("2026-03-01")
    page.get_by_role("button", name="Avslutt tiltaket").click()
    page.get_by_role("button", name=re.compile(r"^Avslutt tiltak 1\.5")).click()
    page.get_by_text("01.03.2026").first.wait_for()


def change_the_plan(seed) -> None:
    """What the project leader writes by plain forms (test_approved_2026.py posts them): 1.4
    retitled, 2.5 new, sub-goal 1 given more than its 60 % (a failing check), the texts."""
    circle = seed.measures.get(key="kompetansesirkel")
    circle.title = "«Kompetansesirkel» for heile regionen"
    circle.save()
    Measure.objects.create(
        agreement=seed,
        sub_goal=seed.sub_goals.get(number=2),
        key="lokal-matproduksjon",
        number=5,
        title="Lokal matproduksjon",
        start_year=2026,
        end_year=2027,
    )
    for line, kroner in (("prosjektleiing", 1_300_000), ("delmal-1", 5_200_000)):
        amount = Amount.objects.get(line__key=line, year=2026, source__key="kdd-1350-post-66")
        amount.kroner = kroner
        amount.save()
    workflow.save_notes(
        revision=Revision.objects.get(year=2026),
        notes={
            "kompetansesirkel": ("reason", REASON),
            "vandrande-seminar": ("assessment", ASSESSMENT),
        },
        progress={},
    )


def submit(page, base: str) -> None:
    """Send the draft for approval, confirming the budget checks if any fail."""
    page.goto(base + REVISION)
    assert "av budsjettet stemmer ikkje" in text(page.locator(".action-box"))
    page.get_by_role("button", name="Send til godkjenning …").click()
    page.get_by_role("heading", name="Send handlingsplan 2026 til godkjenning?").wait_for()
    page.get_by_label(re.compile("vil sende handlingsplanen likevel")).check()
    page.get_by_role("button", name="Send handlingsplan 2026 til godkjenning").click()
    page.get_by_text("Til politisk handsaming").first.wait_for()
    assert page.get_by_role("button", name="Send til godkjenning").count() == 0


def decide_everywhere(revision: Revision, rejecting: str | None) -> None:
    """Each municipality's kommunestyre and the county's fylkesting decide (their forms are
    clicked through in test_revision.py and test_front_pages.py, posted in
    test_approved_2026.py)."""
    for approval in revision.current_approvals().exclude(body="kdd"):
        if not approval.is_final:
            continue
        rejects = approval.organisation.key == f"{rejecting}-kommune"
        values = {"decided_on": timezone.localdate(), "decision": "approved"}
        if rejects:
            values |= {"decision": "rejected", "comment": REJECTION}
        workflow.record_decision(approval=approval, user=approver_of(approval), values=values)


def read_the_workbook(data: bytes) -> None:
    """The workbook's Endringar sheet holds the same texts as written."""
    workbook = openpyxl.load_workbook(BytesIO(data), data_only=True)
    cells = " ".join(
        str(value) for row in workbook["Endringar"].iter_rows(values_only=True) for value in row
    )
    assert REASON in cells and ASSESSMENT in cells
    assert "Avslutta 01.03.2026" in cells
    assert "Lokal matproduksjon" in cells and "«Kompetansesirkel» for heile regionen" in cells
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Godkjend av KDD {today}" in cells
