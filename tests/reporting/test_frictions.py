"""Small frictions of the yearly cycle, read on the pages: the budget opens on the year being
worked on, an approved plan shows its decisions and no deadline, a person named as their
organisation is named once."""

from __future__ import annotations

import datetime

from django.urls import reverse

from reporting.revision import workflow
from tests.support import CONFIRMED, SEED_SLUG, approve, as_user, revision_2026, url

BUDGET = reverse("budget:detail", args=[SEED_SLUG])


def test_the_budget_page_opens_on_the_open_revisions_year(client, seed, people):
    page = as_user(client, people["prosjektleiar"]).get(BUDGET).text
    assert "7. Samla budsjett og finansiering for 2025" in page  # only 2025, approved
    workflow.start_revision(agreement=seed, year=2026, user=people["prosjektleiar"])
    page = client.get(BUDGET).text
    assert "7. Samla budsjett og finansiering for 2026" in page
    assert "Endre budsjettet for 2026" in page
    # A year asked for is still the one shown.
    assert "for 2025" in client.get(BUDGET + "?ar=2025").text
    grid = client.get(reverse("budget:edit", args=[SEED_SLUG])).text
    assert "2026" in grid.split("<h1", 1)[1].split("</h1>", 1)[0]


def test_an_approved_plan_shows_its_decisions_not_a_deadline(client, seed, people):
    revision = revision_2026(seed)
    workflow.set_due_date(revision=revision, due_on=datetime.date.today())
    approve(revision, people["kdd"])
    page = as_user(client, people["vinje"]).get(url("revision", 2026)).text
    assert "Frist for vedtak" not in page
    assert "Godkjend av KDD" in page and "Vedteke" in page


def test_an_open_plan_still_shows_its_deadline(client, seed, people):
    as_user(client, people["prosjektleiar"]).post(
        url("revision-start"), {"year": 2026, **CONFIRMED}
    )
    due = datetime.date.today() + datetime.timedelta(days=20)
    client.post(url("revision-due", 2026), {"due_on": due.isoformat()})
    assert f"Frist for vedtak: {due:%d.%m.%Y}" in client.get(url("revision", 2026)).text


def test_a_person_named_as_their_organisation_is_named_once(client, seed, people):
    vinje = people["vinje"]
    vinje.first_name = "Vinje kommune"
    vinje.save()
    people["tokke"].first_name = "Kari Nordmann"
    people["tokke"].save()
    as_user(client, people["prosjektleiar"]).post(
        url("revision-start"), {"year": 2026, **CONFIRMED}
    )
    asked = client.post(url("revision-submit", 2026)).text
    assert "Vinje kommune (Vinje kommune)" not in asked
    assert "Vinje kommune" in asked and "Kari Nordmann (Tokke kommune)" in asked
