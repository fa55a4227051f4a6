"""Handlingsplan 2026 from the project leader's first edit to KDD's approved report, through
the views as the browser posts them, then read as KDD reads it.

The project leader retitles a measure, adds one with its lead, closes one, moves money so that
a budget check fails, writes the reason and the assessment, and submits, confirming the failing
check; the six municipalities and the county decide, Kviteseid says no with a comment; KDD
sends the plan back; the project leader resubmits; everyone approves; KDD approves, accepting
the failing check in so many words. The PDF (read once) and the workbook hold every text
written here, with the marks, the closing date and the approval date.

The browser walks the same year where a browser is needed (tests/browser/test_yearly_cycle.py):
the confirmations, KDD's tick for the failing check, the downloads.
"""

from __future__ import annotations

import html
import re
from io import BytesIO

import openpyxl
from django.urls import reverse
from django.utils import timezone

from budget.models import Amount, BudgetLine, FundingSource
from measures.models import Organisation
from reporting.models import Approval, Revision, StoredReport
from reporting.revision.workflow import recorded_mark
from tests.support import (
    CONFIRMED,
    MUNICIPALITIES,
    as_user,
    confirmed,
    measure_form_data,
    pdf_text,
    url,
    watermarked_pages,
)

SLUG = "vest-telemark"
TITLE = "«Kompetansesirkel» for heile regionen"
REASON = "Sirkelen tek no inn heile regionen, fordi Tokke og Vinje bad om det i mars."
ASSESSMENT = "Seminaret samla 140 deltakarar og gav tre nye samarbeid om bustadbygging."
REJECTION = "Kviteseid vil sjå budsjettet for delmål 2 retta før vi vedtek planen."
SEND_BACK = "Kviteseid har ikkje godkjent. Rett budsjettet for delmål 2 og send på nytt."
ACCEPT_FAILING_CHECKS = (
    "Eg har sett kontrollane som ikkje stemmer, og vil godkjenne handlingsplanen likevel."
)


def text(response) -> str:
    """What a person reads on the page: no tags, no entities, spaces collapsed."""
    words = html.unescape(re.sub(r"<[^>]+>", " ", response.text)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", words)


def budget_2026(**typed: str) -> dict:
    """The 2026 budget grid as shown, with cells typed as a person types them:
    typed["prosjektleiing__kdd-1350-post-66"] = "1 300 000"."""
    data = {}
    for line in BudgetLine.objects.filter(agreement__slug=SLUG):
        for source in FundingSource.objects.filter(agreement__slug=SLUG):
            amount = Amount.objects.filter(line=line, source=source, year=2026).first()
            shown = "" if amount is None else str(amount.kroner)
            data[f"o-{line.pk}-{source.pk}"] = shown
            data[f"c-{line.pk}-{source.pk}"] = typed.get(f"{line.key}__{source.key}", shown)
    return data


def prepare(client, seed) -> None:
    """The project leader's draft: start, retitle, add, close, move money, write the texts."""
    assert client.post(url("revision-start"), {"year": 2026, **CONFIRMED}).status_code == 302
    circle = seed.measures.get(key="kompetansesirkel")
    edit = reverse("measures:measure-edit", args=[SLUG, "kompetansesirkel"])
    saved = client.post(edit, measure_form_data(circle, title=TITLE), follow=True)
    assert f"Tiltak 1.4: {TITLE}" in text(saved)

    new = {
        "sub_goal": seed.sub_goals.get(number=2).pk,
        "number": 5,
        "title": "Lokal matproduksjon",
        "start_year": 2026,
        "end_year": 2027,
        "priority": "now",
        "leads": [Organisation.objects.get(key="vinje-kommune").pk],
    }
    created = client.post(reverse("measures:measure-create", args=[SLUG]), new, follow=True)
    assert "Tiltak 2.5 er oppretta." in text(created)
    assert seed.measures.get(title="Lokal matproduksjon").leads_display() == "Vinje kommune"

    seminar = seed.measures.get(key="vandrande-seminar")
    close = reverse("measures:measure-close", args=[SLUG, "vandrande-seminar"])
    closing = {"closed_on": "2026-03-01", "version": seminar.version, **CONFIRMED}
    assert "Avslutta 01.03.2026" in text(client.post(close, closing, follow=True))

    # Sub-goal 1 gets more than its 60 %: the weight check fails, and submitting asks first.
    grid = budget_2026(
        **{
            "prosjektleiing__kdd-1350-post-66": "1 300 000",
            "delmal-1__kdd-1350-post-66": "5 200 000",
        }
    )
    edit_budget = reverse("budget:edit", args=[SLUG]) + "?ar=2026"
    assert client.post(edit_budget, grid).status_code == 302
    kdd = Amount.objects.filter(year=2026, source__key="kdd-1350-post-66")
    assert kdd.get(line__key="delmal-1").kroner == 5_200_000
    assert kdd.get(line__key="prosjektleiing").kroner == 1_300_000

    notes = {"note-kompetansesirkel": REASON, "note-vandrande-seminar": ASSESSMENT}
    assert client.post(url("revision-notes", 2026), notes).status_code == 302


def submit(client) -> None:
    """Send the draft for approval, confirming the failing budget check."""
    page = client.get(url("revision", 2026)).text
    assert "av budsjettet stemmer ikkje" in page.split('<div class="action-box">')[1]
    asked = client.post(url("revision-submit", 2026))
    assert "Send handlingsplan 2026 til godkjenning?" in text(asked)
    assert Revision.objects.get(year=2026).is_draft  # nothing happens before the confirmation
    assert client.post(url("revision-submit", 2026), confirmed(asked)).status_code == 302
    page = client.get(url("revision", 2026))
    assert "Til politisk handsaming" in text(page)
    assert ">Send til godkjenning" not in page.text


def decide(client, user, organisation: str, decision: str, comment: str = ""):
    """The party's decision form as the browser posts it with only the final body (kommunestyre,
    fylkesting) filled in: decided today, with a case number; the other bodies as shown."""
    client.force_login(user)
    today = timezone.localdate().isoformat()
    data = {}
    for approval in Approval.objects.filter(
        round__revision__year=2026, organisation__key=organisation, round__send_back__isnull=True
    ):
        body, final = approval.body, approval.is_final
        data |= {
            f"{body}-seen": recorded_mark(approval),
            f"{body}-planned_on": "",
            f"{body}-decided_on": today if final else "",
            f"{body}-decision": decision if final else "pending",
            f"{body}-case_reference": f"26/{len(organisation)}" if final else "",
            f"{body}-comment": comment if final else "",
        }
    return client.post(url("decision", 2026, organisation), data)


def decide_everywhere(client, people, rejecting: str | None) -> None:
    """Each municipality's kommunestyre and the county's fylkesting record their decision."""
    parties = [(name, f"{name}-kommune") for name in MUNICIPALITIES]
    parties.append(("fylkeskommunen", "telemark-fylkeskommune"))
    for name, organisation in parties:
        if name == rejecting:
            response = decide(client, people[name], organisation, "rejected", REJECTION)
        else:
            response = decide(client, people[name], organisation, "approved")
        assert response.status_code == 302, name
        said = text(client.get(response.url))
        assert "er registrert" in said or "Lagra for" in said, name


def test_2026_from_the_first_edit_to_kdds_approved_report(
    client, seed, people, django_capture_on_commit_callbacks
):
    leader, kdd = people["prosjektleiar"], people["kdd"]
    prepare(as_user(client, leader), seed)
    submit(client)
    decide_everywhere(client, people, rejecting="kviteseid")

    page = as_user(client, kdd).get(url("revision", 2026)).text
    [alert] = [a for a in page.split('role="alert"')[1:] if "Kviteseid" in a.split("</div>")[0]]
    assert REJECTION in html.unescape(alert.split("</div>")[0])
    assert "Godkjenn handlingsplan 2026" not in page
    asked = client.post(url("revision-send-back", 2026), {"comment": SEND_BACK})
    assert "går tilbake til prosjektleiaren som utkast" in text(asked)
    sent_back = client.post(url("revision-send-back", 2026), {"comment": SEND_BACK, **CONFIRMED})
    assert "Utkast" in text(client.get(sent_back.url))

    assert SEND_BACK in text(as_user(client, leader).get(url("revision", 2026)))
    submit(client)
    decide_everywhere(client, people, rejecting=None)

    as_user(client, kdd)
    asked = client.post(url("revision-approve", 2026))
    assert "blir godkjend av KDD for godt" in text(asked)
    assert ACCEPT_FAILING_CHECKS in text(asked)
    client.post(url("revision-approve", 2026), CONFIRMED)  # the failing check not accepted
    assert not Revision.objects.get(year=2026).is_approved
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("revision-approve", 2026), confirmed(asked))
    revision = Revision.objects.get(year=2026)
    assert revision.is_approved

    download = client.get(url("report-pdf", 2026))
    assert download.content == StoredReport.objects.newest_pdf(revision)
    read_the_report(download.content)
    read_the_workbook(client.get(url("report-xlsx", 2026)).content)


def read_the_report(pdf: bytes) -> None:
    """The approved PDF holds the texts as written, the marks, the dates."""
    report = pdf_text(pdf)
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Godkjend av KDD {today}" in report
    assert REASON in report and ASSESSMENT in report
    assert "Grunngjeving for endringa: kompetansesirkel" not in report
    assert "Tiltak 5: Vandrande bygdevekstseminar Avslutta 01.03.2026" in report
    assert "Tiltak 5: Lokal matproduksjon Ny" in report
    assert "Rekneskap 2025" not in report  # 2025's accounts not accepted: section 7 has none
    assert f"Tiltak 4: {TITLE} Endra" in report
    assert watermarked_pages(pdf) == []


def read_the_workbook(data: bytes) -> None:
    """The workbook's Endringar sheet holds the same texts as written."""
    workbook = openpyxl.load_workbook(BytesIO(data), data_only=True)
    cells = " ".join(
        str(value) for row in workbook["Endringar"].iter_rows(values_only=True) for value in row
    )
    assert REASON in cells and ASSESSMENT in cells
    assert "Avslutta 01.03.2026" in cells
    assert "Lokal matproduksjon" in cells and TITLE in cells
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Godkjend av KDD {today}" in cells
