"""The front page per role: what waits for each user, read as the user reads it."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import Role
from budget.money import as_kroner
from budget.tables import BudgetOverview
from measures.models import Organisation
from reporting.plan_file import import_plan, parse_plan
from reporting.revision import workflow
from tests.factories import make_agreement, make_user
from tests.support import (
    MUNICIPALITIES,
    SEED_SLUG,
    as_user,
    decide,
    edited_seed,
    editor_of,
    revision_2026,
    submitted_2026,
    url,
)

TODAY = "2026-06-01 12:00+02:00"


@pytest.fixture(autouse=True)
def _in_june_2026(time_machine):
    time_machine.move_to(TODAY, tick=False)


def read(client, user) -> str:
    """The front page's main content as text, spaces collapsed."""
    page = as_user(client, user).get("/").text
    main = page.split('<main id="innhald"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main))).replace("\xa0", " ")


def due(revision, date: str) -> None:
    workflow.set_due_date(revision=revision, due_on=datetime.date.fromisoformat(date))


def another_pilot(slug: str, name: str, pilot: str):
    """A second agreement with its own approved 2025 plan: the seed under another name."""

    def rename(data):
        data["agreement"].update(slug=slug, name=name, pilot_name=pilot)

    return import_plan(parse_plan(edited_seed(rename)))


# --- a municipality and the county -----------------------------------------------------------


def test_a_municipality_sees_the_plan_its_bodies_must_decide_the_deadline_and_days_left(
    client, people, seed
):
    revision = submitted_2026(client, people, seed)
    due(revision, "2026-06-13")
    text = read(client, people["kviteseid"])
    assert "Vedtak for Kviteseid kommune" in text
    assert "Handlingsplan 2026 ventar på vedtaket dykkar" in text
    assert "Manglar vedtak i Formannskap, Kommunestyre" in text
    assert "Frist 13.06.2026 · 12 dagar att" in text
    page = client.get("/").text
    own = url("decision", 2026, "kviteseid-kommune")
    assert f'href="{own}"' in page and "Registrer vedtak for Kviteseid kommune" in text
    for other in MUNICIPALITIES:
        if other != "kviteseid":
            assert url("decision", 2026, f"{other}-kommune") not in page
    # What it decided before: the seed's kommunestyre decision on Handlingsplan 2025.
    assert "Vedtak de har gjort før" in text
    assert "Handlingsplan 2025 : Kommunestyre – godkjend 12.06.2025" in text


def test_one_day_left_is_singular_and_a_passed_deadline_is_said(client, people, seed):
    revision = submitted_2026(client, people, seed)
    due(revision, "2026-06-02")
    assert "1 dag att" in read(client, people["tokke"])
    due(revision, "2026-05-29")
    assert "Fristen gjekk ut for 3 dagar sidan" in read(client, people["tokke"])


def test_the_county_decides_in_its_fylkesting(client, people, seed):
    submitted_2026(client, people, seed)
    text = read(client, people["fylkeskommunen"])
    assert "Vedtak for Telemark fylkeskommune" in text
    assert "Manglar vedtak i Fylkesting" in text
    assert "Ingen frist sett" in text
    assert url("decision", 2026, "telemark-fylkeskommune") in client.get("/").text


def test_once_decided_the_municipality_reads_its_decisions_and_no_longer_a_call(
    client, people, seed
):
    submitted_2026(client, people, seed)
    decide(client, people["vinje"], "vinje-kommune", ["formannskap", "kommunestyre"])
    text = read(client, people["vinje"])
    assert "ventar på vedtaket dykkar" not in text
    assert "Vedtaka om handlingsplan 2026 er registrerte" in text
    today = timezone.localdate().strftime("%d.%m.%Y")  # decide() records decisions today
    assert f"Kommunestyre: Godkjend {today}" in text


def test_without_a_plan_under_treatment_nothing_waits(client, people, seed):
    text = read(client, people["seljord"])
    assert "Ingen handlingsplan ventar på vedtak no. Handlingsplan 2025: Godkjend av KDD." in text
    assert "/vedtak/" not in client.get("/").text


# --- the project leader ----------------------------------------------------------------------


def test_the_project_leader_is_told_which_texts_are_missing_and_where_to_write_them(
    client, people, seed
):
    circle = seed.measures.get(key="kompetansesirkel")
    circle.title = "Kompetansesirkel for planleggjarar"
    circle.save()
    workflow.start_revision(agreement=seed, year=2026, user=editor_of(seed))
    text = read(client, people["prosjektleiar"])
    assert "Handlingsplan 2026 Utkast" in text
    assert "Manglar grunngjeving eller vurdering for: 1.4 Kompetansesirkel for planleggjarar." in (
        text
    )
    assert "Neste steg" in text and "Skriv grunngjevingar og vurderingar" in text
    assert f'href="{url("revision-notes", 2026)}"' in client.get("/").text


def test_the_project_leader_sees_failing_checks_and_the_submit_step(client, people, seed):
    revision_2026(seed)
    text = read(client, people["prosjektleiar"])
    assert "Manglar grunngjeving" not in text
    # 200 000 kr less for sub-goal 2 in 2026: its share no longer matches its weight.
    assert "kontrollar av budsjettet stemmer ikkje" in text
    assert "Delmål 2 har 20 % av midlane til delmåla" in text
    assert "Send handlingsplan 2026 til godkjenning" in text
    assert f'href="{url("revision", 2026)}"' in client.get("/").text


def test_the_project_leader_counts_decisions_and_names_the_late(client, people, seed):
    revision = submitted_2026(client, people, seed)
    for name in MUNICIPALITIES[:5]:
        decide(client, people[name], f"{name}-kommune", ["formannskap", "kommunestyre"])
    decide(client, people["fylkeskommunen"], "telemark-fylkeskommune", ["fylkesting"])
    due(revision, "2026-05-30")
    text = read(client, people["prosjektleiar"])
    assert "11 av 13 vedtak registrerte" in text
    assert "Frist 30.05.2026 · Fristen gjekk ut for 2 dagar sidan" in text
    assert "desse har ikkje registrert vedtak: Vinje kommune." in text
    assert "Følg vedtaka om handlingsplan 2026" in text


def test_a_submission_without_a_deadline_asks_for_one(client, people, seed):
    submitted_2026(client, people, seed)
    text = read(client, people["prosjektleiar"])
    assert "0 av 13 vedtak registrerte" in text
    assert "Set ein frist for vedtaka om handlingsplan 2026" in text


def test_after_approval_the_next_step_is_the_next_year(client, people, seed):
    text = read(client, people["prosjektleiar"])
    assert "Handlingsplan 2025 Godkjend av KDD" in text
    assert "Start handlingsplan 2026" in text


def test_the_next_revision_starts_from_the_front_page_after_one_confirmation(client, people, seed):
    front = as_user(client, people["prosjektleiar"]).get("/").text
    start = reverse("reporting:revision-start", args=[SEED_SLUG])
    assert f'action="{start}"' in front and 'name="year" value="2026"' in front
    asked = client.post(start, {"year": "2026"})
    assert "Starte handlingsplan 2026?" in asked.text
    assert "Avtala kan ha berre éin handlingsplan for kvart år." in asked.text
    assert not seed.revisions.filter(year=2026).exists()  # nothing before the confirmation
    started = client.post(start, {"year": "2026", "confirmed": "ja"}, follow=True)
    assert started.redirect_chain[-1][0] == reverse("reporting:revision", args=[SEED_SLUG, 2026])
    assert "Handlingsplan 2026 er starta som utkast." in started.text
    assert seed.revisions.get(year=2026).is_draft
    # A start that would be refused is refused at once, without asking.
    again = client.post(start, {"year": "2027"}, follow=True)
    assert "Handlingsplan 2026 er ikkje godkjend enno." in again.text
    assert "Starte handlingsplan 2027?" not in again.text


# --- KDD -------------------------------------------------------------------------------------


def kroner(amount: int) -> str:
    return as_kroner(amount).replace("\xa0", " ")


def kdd_rows(client, user) -> list[str]:
    """The rows of KDD's table, each as text."""
    return rows_of(as_user(client, user).get("/").text)


def rows_of(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    # The headings repeated in each cell for a phone are hidden from screen readers, and here.
    body = re.sub(r'<span class="front-table__label" aria-hidden="true">.*?</span>', "", body)
    return [
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row))).replace("\xa0", " ")
        for row in body.split("</tr>")[:-1]
    ]


def test_kdd_reads_every_agreement_with_its_money_as_the_budget_tables_sum_it(client, people, seed):
    allocation = BudgetOverview.from_agreement(seed).allocation
    make_agreement("nordfjord", "Bygdevekstavtale for Nordfjord")
    (other, row) = kdd_rows(client, people["kdd"])  # neither waits for KDD: by pilot name
    assert row.startswith(" Vest-Telemarkpiloten 2025–2028 Handlingsplan 2025 Godkjend av KDD")
    assert f"{kroner(allocation.total)} i perioden" in row
    assert f"{kroner(allocation.column_total('2026'))} i 2026" in row
    assert "vedtak registrert" not in row  # an approved plan's count would only puzzle
    assert "24.06.2025 Handlingsplan 2025" in row  # KDD's last approval
    assert "Ingen handlingsplan enno" in other and "Ingen godkjend plan" in other
    page = client.get("/").text
    for year in range(2025, 2029):
        amount = allocation.column_total(str(year))
        assert f'data-year="{year}" data-kroner="{amount}"' in page
    assert reverse("reporting:report-pdf", args=[SEED_SLUG, 2025]) in page
    assert reverse("reporting:process", args=[SEED_SLUG]) in page
    assert "Ingen handlingsplan ventar på KDD no." in read(client, people["kdd"])


def test_what_waits_for_kdd_comes_first(client, people, seed):
    submitted_2026(client, people, seed)
    draft = another_pilot("nordfjord", "Bygdevekstavtale for Nordfjord", "Nordfjordpiloten")
    workflow.start_revision(agreement=draft, year=2026, user=editor_of(draft))
    make_agreement("agder", "Bygdevekstavtale for Agder")  # "Agder" comes first by name
    for name in MUNICIPALITIES:
        decide(client, people[name], f"{name}-kommune", ["formannskap", "kommunestyre"])
    decide(client, people["fylkeskommunen"], "telemark-fylkeskommune", ["fylkesting"])
    rows = kdd_rows(client, people["kdd"])
    assert [row.split()[0] for row in rows] == [
        "Vest-Telemarkpiloten",
        "Nordfjordpiloten",
        "Bygdevekstavtale",
    ]
    assert "Ventar på godkjenning frå KDD" in rows[0] and "13 av 13 vedtak registrerte" in rows[0]
    assert "Utkast hos prosjektleiaren" in rows[1]
    assert "1 handlingsplan ventar på KDD." in read(client, people["kdd"])


def test_kdd_table_takes_as_many_queries_for_four_agreements_as_for_one(
    client, people, seed, django_assert_max_num_queries
):
    as_user(client, people["kdd"])
    client.get("/")  # the session and the user's roles, as on any later page
    with CaptureQueriesContext(connection) as one:
        assert client.get("/").status_code == 200
    for n, name in enumerate(["Nordfjord", "Hallingdal", "Namdalen"]):
        pilot = another_pilot(name.lower(), f"Bygdevekstavtale for {name}", f"{name}piloten")
        revision = workflow.start_revision(agreement=pilot, year=2026, user=editor_of(pilot))
        if n:
            workflow.submit(revision=revision, user=editor_of(revision.agreement), accepted=[])
    with django_assert_max_num_queries(len(one)):
        page = client.get("/").text
    assert [row.split()[0] for row in rows_of(page)] == [
        "Hallingdalpiloten",  # submitted
        "Namdalenpiloten",  # submitted
        "Nordfjordpiloten",  # a draft
        "Vest-Telemarkpiloten",
    ]


def test_an_operator_sees_the_table_too(client, seed):
    operator = make_user("drift")
    operator.is_superuser = True
    operator.save()
    assert "Vest-Telemarkpiloten" in kdd_rows(client, operator)[0]


# --- several roles, no role, outsiders -------------------------------------------------------


def test_a_user_with_several_roles_sees_each_part(client, people, seed):
    submitted_2026(client, people, seed)
    leader = people["prosjektleiar"]
    Role.objects.create(
        user=leader,
        agreement=seed,
        kind=Role.Kind.APPROVER,
        organisation=Organisation.objects.get(key="nissedal-kommune"),
    )
    text = read(client, leader)
    assert "Vedtak for Nissedal kommune" in text and "0 av 13 vedtak registrerte" in text
    assert "Alle bygdevekstavtalane" not in text


def test_a_partner_sees_its_agreements(client, collaborator):
    text = read(client, collaborator)
    assert "Avtalane dine" in text and "Vest-Telemarkpiloten · avtaleperiode 2025–2028" in text
    assert "Neste steg" not in text and "Registrer vedtak" not in text


def test_an_outsider_sees_nothing_of_the_agreement(client, people, seed, outsider):
    submitted_2026(client, people, seed)
    text = read(client, outsider)
    assert "Vest-Telemark" not in text and "vest-telemark" not in client.get("/").text
    assert "Bygdevekstavtale for Nordfjord" in text


def test_a_user_without_a_role_is_told_so(client, seed):
    text = read(client, make_user("ny"))
    assert "Du har ikkje tilgang til nokon bygdevekstavtale enno" in text
    assert "Vest-Telemark" not in text
