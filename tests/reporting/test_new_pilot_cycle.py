"""A new Bokmål pilot from the browser to KDD's approved PDF, through the views only (issue 14).

An operator sets the agreement up in the new-agreement form, invites its project leader, who
sets a password through the link, adds a measure with its lead, sets the budget, writes the
year's status and submits the draft the setup started; an invited municipality approver records
its council's decisions, the other municipality's approver too, KDD approves, and the report
and the workbook KDD downloads carry no Nynorsk label of ours.
"""

from __future__ import annotations

import html
import re
from io import BytesIO
from urllib.parse import urlsplit

import openpyxl
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from access.models import Role
from budget.models import Amount, BudgetLine, FundingSource
from measures.models import Agreement, Measure, Organisation
from reporting.models import Approval, Revision
from reporting.revision.workflow import recorded_mark
from tests.client import Client
from tests.factories import make_user
from tests.support import NYNORSK_ONLY, pdf_text

SLUG = "rindal-holtalen"
YEAR = 2025
PASSWORD = "Bygdevekst-2025-sterkt"
GOALS = [
    ("Flere boliger", 25),
    ("Arbeidsplasser i naturnæringene", 25),
    ("Kompetanse der folk bor", 20),
    ("Flere innbyggere", 20),
    ("Prosjektledelse", 10),
]
SOURCES = ["KDD 13.50 post 66", "Statsforvalteren i Trøndelag", "Kommunal egenandel"]
MUNICIPALITIES = ["Rindal kommune", "Holtålen kommune"]
MEASURE = "Boligbygging i sentrum"
# The Bokmål words of our labels must be in a Bokmål report (support.NYNORSK_ONLY must not).
BOKMAL_LABELS = ["Innhold", "Hovedansvarlig", "Samarbeidspartnere", "Godkjent", "Fremdrift"]


# --- what a person reads ----------------------------------------------------------------------


def text_of(response) -> str:
    """The page without its tags, its spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def says(read: str, bokmal: str, nynorsk: str) -> bool:
    """The page says it in Bokmål, or (the reporting pages not yet translated) in Nynorsk."""
    return bokmal in read or nynorsk in read


def found(words: list[str], text: str) -> list[str]:
    return [word for word in words if re.search(rf"(?<!\w){word}(?!\w)", text)]


def workbook_text(xlsx: bytes) -> str:
    workbook = openpyxl.load_workbook(BytesIO(xlsx))
    cells = [
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    return " ".join([*workbook.sheetnames, *cells])


def link_path(message) -> str:
    """The path of the invitation link in an e-mail."""
    return urlsplit(re.search(r"https?://\S+/invitasjon/\S+/", message.body).group(0)).path


# --- what a person posts ----------------------------------------------------------------------


def rows(prefix: str, filled: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(filled)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(filled):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def agreement_form() -> dict:
    """Bokmål, five sub-goals, three sources (the first the state's), KDD from the register and
    two municipalities new to it; «give me the editor's role» left unticked."""
    return {
        "name": "Bygdevekstavtale for Rindal og Holtålen",
        "slug": SLUG,
        "pilot_name": "Rindal–Holtålen",
        "language": "nb",
        "first_year": "2025",
        "last_year": "2027",
        "revision_year": str(YEAR),
        "parties": [str(Organisation.objects.get(key="kdd").pk)],
        **rows(
            "organisations",
            [{"name": name, "short_name": "", "kind": "municipality"} for name in MUNICIPALITIES],
        ),
        **rows(
            "sub_goals",
            [
                {"title": t, "main_goal": f"Mål for {t.lower()}.", "weight": str(w)}
                for t, w in GOALS
            ],
        ),
        **rows("lines", []),
        **rows(
            "sources",
            [
                {"name": name, **({"state_cofinancing": "on"} if i == 0 else {})}
                for i, name in enumerate(SOURCES)
            ],
        ),
    }


def accept_invitation(path: str, username: str, name: str):
    """A fresh browser opens the link and makes its account; the page it lands on."""
    browser = Client()
    form_page = browser.get(path)
    assert form_page.status_code == 200
    data = {"first_name": name, "username": username, "password1": PASSWORD, "password2": PASSWORD}
    return browser, browser.post(path, data, follow=True)


def invite(client, agreement, capture, **data):
    """The people page's form; the e-mail leaves when the transaction commits."""
    with capture(execute=True):
        return client.post(reverse("measures:people", args=[agreement.slug]), data, follow=True)


def grid(agreement, year: int, kroner: dict[tuple[str, str], int]) -> dict:
    """The year's budget grid as the browser posts it, with the cells (line, source) typed."""
    data = {}
    for line in BudgetLine.objects.filter(agreement=agreement):
        for source in FundingSource.objects.filter(agreement=agreement):
            data[f"o-{line.pk}-{source.pk}"] = ""
            data[f"c-{line.pk}-{source.pk}"] = str(kroner.get((line.title, source.name), ""))
    return data


def decide(client, agreement, organisation, on: str):
    """Both councils' decisions of the organisation, as its decision form posts them."""
    url = reverse("reporting:decision", args=[agreement.slug, YEAR, organisation.key])
    data = {}
    for approval in Approval.objects.filter(
        round__revision__agreement=agreement,
        organisation=organisation,
        round__send_back__isnull=True,
    ):
        body = approval.body
        data |= {
            f"{body}-seen": recorded_mark(approval),
            f"{body}-planned_on": on,
            f"{body}-decided_on": on,
            f"{body}-decision": "approved",
            f"{body}-case_reference": "25/7",
            f"{body}-comment": "",
        }
    return client.post(url, data, follow=True)


# --- the cycle --------------------------------------------------------------------------------


def test_a_new_bokmal_pilot_from_the_form_to_kdds_approved_report(
    client, seed, django_capture_on_commit_callbacks
):
    # 1. The operator sets up the agreement in the browser.
    operator = get_user_model().objects.create_superuser("operatør", password=PASSWORD)
    client.force_login(operator)
    assert "Ny avtale" in text_of(client.get(reverse("reporting:agreement-create")))
    page = client.post(reverse("reporting:agreement-create"), agreement_form(), follow=True)
    read = text_of(page)
    assert "Avtala «Bygdevekstavtale for Rindal og Holtålen» er sett opp." in read
    assert "Inviter prosjektleiaren, som skal redigere planen til avtala." in read
    agreement = Agreement.objects.get(slug=SLUG)
    assert agreement.language == "nb"
    assert [(g.title, g.weight) for g in agreement.sub_goals.order_by("number")] == GOALS
    assert [
        (s.name, s.is_state_cofinancing)
        for s in FundingSource.objects.filter(agreement=agreement).order_by("pk")
    ] == [(SOURCES[0], True), (SOURCES[1], False), (SOURCES[2], False)]
    assert [str(p) for p in agreement.ordered_parties()] == [
        "Kommunal- og distriktsdepartementet",
        *MUNICIPALITIES,
    ]
    draft = Revision.objects.get(agreement=agreement)
    assert (draft.year, draft.status) == (YEAR, Revision.Status.DRAFT)
    assert not agreement.roles.exists()  # the operator did not make himself editor
    rindal, holtalen = (Organisation.objects.get(name=name) for name in MUNICIPALITIES)

    # 2. The operator invites the project leader, who sets a password through the link.
    read = text_of(
        invite(
            client,
            agreement,
            django_capture_on_commit_callbacks,
            email="ola@rindal.kommune.no",
            kind="editor",
            organisation="",
        )
    )
    assert "Invitasjonen er sendt til ola@rindal.kommune.no." in read
    [message] = mail.outbox
    assert message.to == ["ola@rindal.kommune.no"]
    # The invitation is written in the agreement's målform, not the operator's Nynorsk.
    assert "Lenken kan brukes én gang" in message.body
    assert "kan brukast" not in message.body
    leader_client, landed = accept_invitation(link_path(message), "ola", "Ola Nordmann")
    read = text_of(landed)
    assert landed.redirect_chain[-1][0] == agreement.get_absolute_url()
    # The page and the welcome are in the agreement's Bokmål.
    assert (
        "Hopp til hovedinnholdet" in read and "Parter Kommunal- og distriktsdepartementet" in read
    )
    assert "Velkommen! Du er nå prosjektleder i Bygdevekstavtale for Rindal og Holtålen." in read
    leader = get_user_model().objects.get(username="ola")
    assert leader.check_password(PASSWORD) and leader.email == "ola@rindal.kommune.no"
    assert [(r.kind, r.agreement.slug) for r in leader.roles.all()] == [("editor", SLUG)]
    assert leader_client.post(link_path(message), {}).status_code == 410  # used once

    # 3. The project leader edits the plan: a measure with its lead, the budget, the texts.
    new_measure = {
        "sub_goal": agreement.sub_goals.get(number=1).pk,
        "number": 1,
        "title": MEASURE,
        "start_year": 2025,
        "end_year": 2027,
        "priority": "now",
        "leads": [rindal.pk],
        "partners": [holtalen.pk],
    }
    create = reverse("measures:measure-create", args=[SLUG])
    read = text_of(leader_client.post(create, new_measure, follow=True))
    assert "Tiltak 1.1 er opprettet." in read
    measure = Measure.objects.get(agreement=agreement, title=MEASURE)
    assert (measure.leads_display(), measure.partners_display()) == tuple(MUNICIPALITIES)

    # The state's co-financing follows the sub-goals' weights; the municipalities add theirs.
    state, _, own = SOURCES
    kroner = {(title, state): weight * 20_000 for title, weight in GOALS}
    kroner |= {(GOALS[0][0], own): 300_000}
    edit = reverse("budget:edit", args=[SLUG]) + f"?ar={YEAR}"
    budget = leader_client.post(edit, grid(agreement, YEAR, kroner), follow=True)
    assert budget.status_code == 200
    assert Amount.objects.filter(line__agreement=agreement, year=YEAR).count() == 6
    assert "2\xa0300\xa0000" in budget.content.decode()  # the year's total, as shown

    # The draft the setup started is the one to use: another cannot be started beside it.
    start = reverse("reporting:revision-start", args=[SLUG])
    read = text_of(leader_client.post(start, {"year": 2026, "confirmed": "ja"}, follow=True))
    assert Revision.objects.filter(agreement=agreement).count() == 1
    assert says(read, "Handlingsplan 2025 er ikke godkjent", "Handlingsplan 2025 er ikkje godkjend")
    notes = reverse("reporting:revision-notes", args=[SLUG, YEAR])
    status = {f"state-{measure.key}": "in_progress", f"progress-{measure.key}": "Tomter regulert."}
    read = text_of(leader_client.post(notes, status, follow=True))
    assert says(read, "Tekstene er lagret.", "Tekstane er lagra.")
    assert draft.progress.get(measure_key=measure.key).text == "Tomter regulert."

    submit = reverse("reporting:revision-submit", args=[SLUG, YEAR])
    asked = leader_client.post(submit, follow=True)
    assert "Sende handlingsplan 2025 til godkjenning?" in text_of(asked)
    read = text_of(leader_client.post(submit, {"confirmed": "ja"}, follow=True))
    draft.refresh_from_db()
    assert draft.status == Revision.Status.SUBMITTED, read
    assert says(
        read,
        "Handlingsplan 2025 er sendt til godkjenning.",
        "Handlingsplan 2025 er sendt til godkjenning.",
    ), read

    # 4. The project leader invites Rindal's approver, who records the councils' decisions.
    read = text_of(
        invite(
            leader_client,
            agreement,
            django_capture_on_commit_callbacks,
            email="kari@rindal.kommune.no",
            kind="approver",
            organisation=rindal.pk,
        )
    )
    assert "Invitasjonen er sendt til kari@rindal.kommune.no." in read
    approver_client, landed = accept_invitation(link_path(mail.outbox[-1]), "kari", "Kari")
    # The leader's invitation is in the leader's interface language: Bokmål here.
    assert "Rollen din: godkjenner for Rindal kommune." in mail.outbox[-1].body
    assert "Lenken kan brukes én gang" in mail.outbox[-1].body
    assert "Velkommen! Du er nå godkjenner for Rindal kommune" in text_of(landed)
    decision_page = approver_client.get(
        reverse("reporting:decision", args=[SLUG, YEAR, rindal.key])
    )
    assert "Kommunestyre" in text_of(decision_page)
    today = timezone.localdate()
    read = text_of(decide(approver_client, agreement, rindal, today.isoformat()))
    assert "registrert" in read
    # Holtålen's approver has an account already; the same form records its decisions.
    holtalen_approver = make_user("holtalen", agreement, Role.Kind.APPROVER, holtalen)
    other = Client()
    other.force_login(holtalen_approver)
    decide(other, agreement, holtalen, today.isoformat())
    decided = Approval.objects.filter(round__revision=draft).exclude(body=Approval.Body.KDD)
    assert {(a.organisation.name, a.decision) for a in decided} == {
        (name, "approved") for name in MUNICIPALITIES
    }

    # 5. KDD approves, once it has confirmed.
    kdd = make_user("kdd-saksbehandler", agreement, Role.Kind.MINISTRY, seed.parties.get(key="kdd"))
    kdd.groups.add(Group.objects.get(name="KDD"))
    kdd_client = Client()
    kdd_client.force_login(kdd)
    approve = reverse("reporting:revision-approve", args=[SLUG, YEAR])
    assert "Godkjenne handlingsplan 2025?" in text_of(kdd_client.post(approve, follow=True))
    read = text_of(kdd_client.post(approve, {"confirmed": "ja"}, follow=True))
    draft.refresh_from_db()
    assert draft.status == Revision.Status.APPROVED, read

    # 6. KDD downloads the report and the workbook: Bokmål labels, none of Nynorsk.
    pdf = kdd_client.get(reverse("reporting:report-pdf", args=[SLUG, YEAR]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    assert found(NYNORSK_ONLY, text) == []
    assert found(BOKMAL_LABELS, text) == BOKMAL_LABELS
    with override("nb"):
        decided_on = date_format(today, "SHORT_DATE_FORMAT")
    assert f"1 {MEASURE} Rindal kommune Holtålen kommune 2025–2027" in text  # table 1
    section_8 = text[text.rindex("8. Handlingsplanen er godkjent av") :]
    assert f"Rindal kommune {decided_on} Kommunestyre" in section_8
    assert f"Holtålen kommune {decided_on} Kommunestyre" in section_8
    xlsx = kdd_client.get(reverse("reporting:report-xlsx", args=[SLUG, YEAR]))
    assert xlsx.status_code == 200
    words = workbook_text(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content)
    assert found(NYNORSK_ONLY, words) == []
    assert MEASURE in words
    labels = ["Endringer", "Godkjenninger", "Hovedansvarlig", "Begrunnelse", "Fremdrift"]
    assert found(labels, words) == labels
