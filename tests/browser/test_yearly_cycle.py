"""The whole yearly revision, clicked through as its real users do it, then read as KDD reads it.

The project leader changes, adds and closes measures, edits the budget, writes the reasons and
the assessment, and submits; the six municipalities and the county decide, one of them says no
with a comment; KDD sends the plan back; the project leader resubmits; everyone approves; KDD
approves. Then the PDF and the workbook are downloaded and read: every text written in the test
must be in both, with the marks, the closing date and the approval date.
"""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone
from pypdf import PdfReader

from access.models import Role
from measures.models import Organisation
from tests.factories import make_user
from tests.support import ARTIFACTS, MUNICIPALITIES, log_in, serious_violations

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


def signed_in(browser, base: str, username: str):
    """A fresh browser window with this user logged in through the login form."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nn-NO")
    page = context.new_page()
    log_in(page, base, username)
    return page


def text(locator) -> str:
    return locator.inner_text().replace("\xa0", " ")


def test_the_whole_yearly_cycle_in_the_browser(
    transactional_db, live_server, browser, seed, parties, screenshot
):
    base = live_server.url
    leader = signed_in(browser, base, "prosjektleiar")
    prepare_the_revision(leader, base)
    submit(leader, base)

    decide_everywhere(browser, base, rejecting="kviteseid")
    kdd = signed_in(browser, base, "kdd")
    kdd.goto(base + REVISION)
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

    leader.goto(base + REVISION)
    assert SEND_BACK in text(leader.locator("main"))  # the earlier round and KDD's reason
    submit(leader, base)
    decide_everywhere(browser, base, rejecting=None)

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

    with kdd.expect_download() as download:
        kdd.get_by_role("link", name=re.compile("Last ned handlingsplanen")).click()
    pdf = download.value.path().read_bytes()
    (ARTIFACTS / "handlingsplan-2026-godkjend.pdf").write_bytes(pdf)  # for a person to read
    read_the_report(pdf)
    with kdd.expect_download() as download:
        kdd.get_by_role("link", name=re.compile("Last ned tabellane")).click()
    read_the_workbook(download.value.path().read_bytes())


def prepare_the_revision(page, base: str) -> None:
    """Start 2026, change a measure, add one, close one, edit the budget, write the texts."""
    page.get_by_role("link", name="Bygdevekstavtale for Vest-Telemark").first.click()
    page.get_by_role("link", name="Politisk handsaming").first.click()
    page.get_by_label("År").select_option("2026")
    page.get_by_role("button", name="Start ny handlingsplan").click()
    page.get_by_role("button", name="Start handlingsplan 2026").click()  # the confirmation
    page.wait_for_url(re.compile(r"/rullering/vest-telemark/2026/$"))

    page.goto(base + PLAN + "tiltak/kompetansesirkel/")
    page.get_by_role("link", name="Endre tiltaket").click()
    page.get_by_label("Tittel", exact=True).fill("«Kompetansesirkel» for heile regionen")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("heading", name=re.compile("for heile regionen")).wait_for()

    page.goto(base + PLAN)
    page.get_by_role("link", name="Nytt tiltak under delmål 2").click()
    page.get_by_label("Nummer", exact=True).fill("5")
    page.get_by_label("Tittel", exact=True).fill("Lokal matproduksjon")
    page.get_by_label("Frå år").fill("2026")
    page.get_by_label("Til år").fill("2027")
    page.get_by_label("Vinje kommune som hovudansvarleg").check()  # a new measure names its lead
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("heading", name=re.compile("Lokal matproduksjon")).wait_for()

    page.goto(base + PLAN + "tiltak/vandrande-seminar/")
    page.get_by_label("Avslutningsdato").fill("2026-03-01")
    page.get_by_role("button", name="Avslutt tiltaket").click()
    page.get_by_role("button", name=re.compile(r"^Avslutt tiltak 1\.5")).click()
    page.get_by_text("01.03.2026").first.wait_for()

    page.goto(base + "/budsjett/vest-telemark/endre/?ar=2026")
    page.get_by_label("Prosjektleiing, KDD 13.50 post 66, 2026").fill("1 300 000")
    # Delmål 1 gets more than its 60 %: the weight check fails and submitting asks first.
    page.get_by_label("Fleire eigna bustader i Vest-Telemark, KDD 13.50 post 66, 2026").fill(
        "5 200 000"
    )
    page.get_by_role("button", name="Lagre budsjettet").click()
    page.wait_for_url(re.compile(r"/budsjett/vest-telemark/\?ar=2026$"))

    page.goto(base + REVISION)
    page.get_by_role("link", name="Skriv grunngjevingar og årsstatus").click()
    page.get_by_label(re.compile("Grunngjeving.*Kompetansesirkel")).fill(REASON)
    page.get_by_label(re.compile("Vurdering.*seminar")).fill(ASSESSMENT)
    page.get_by_role("button", name="Lagre tekstane").click()
    page.wait_for_url(re.compile(r"/rullering/vest-telemark/2026/$"))


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


def decide_everywhere(browser, base: str, rejecting: str | None) -> None:
    """Each municipality's kommunestyre and the county's fylkesting record their decision."""
    for name in [*MUNICIPALITIES, "fylkeskommunen"]:
        page = signed_in(browser, base, name)
        page.goto(base + REVISION)
        page.get_by_role("link", name="Registrer vedtak").click()
        body = "Fylkesting" if name == "fylkeskommunen" else "Kommunestyre"
        group = page.get_by_role("group", name=body)
        group.get_by_label("Vedteke").fill(timezone.localdate().isoformat())
        if name == rejecting:
            group.get_by_label("Vedtak", exact=True).select_option("rejected")
            group.get_by_label("Merknad").fill(REJECTION)
        else:
            group.get_by_label("Vedtak", exact=True).select_option("approved")
        group.get_by_label("Saksnummer").fill(f"26/{len(name)}")
        page.get_by_role("button", name="Registrer vedtaket").click()
        # Only the final body is filled in: saved, and the formannskap said to be missing.
        page.get_by_text(re.compile("er registrert|Lagra for")).first.wait_for()
        page.context.close()


def read_the_report(pdf: bytes) -> None:
    """The approved PDF holds the texts as written, the marks, the dates."""
    pages = [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]
    report = re.sub(r"\s+", " ", " ".join(pages))
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Godkjend av KDD {today}" in report
    assert REASON in report and ASSESSMENT in report
    assert "Grunngjeving for endringa: kompetansesirkel" not in report
    assert "Tiltak 5: Vandrande bygdevekstseminar Avslutta 01.03.2026" in report
    assert "Tiltak 5: Lokal matproduksjon Ny" in report
    assert "Tiltak 4: «Kompetansesirkel» for heile regionen Endra" in report
    assert "UTKAST" not in report


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
