"""Hostile query parameters and form values: each gets a message or a 400/404, never a 500,
and nothing is saved.

The values are those an adversarial probe sent (NUL, text where a number belongs, years outside
the period, amounts of 10^23), and their kind wherever a view reads a parameter or a form.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from access.models import Role
from budget.models import Amount, BudgetLine, FundingSource
from reporting.models import Revision, RevisionEvent
from tests.factories import make_user
from tests.support import CONFIRMED, dump_database

SLUG = "vest-telemark"
APPLY = reverse("reporting:workbook-apply", args=[SLUG]) + "?ar=2025"


@pytest.fixture
def editor(client, owner):
    """The project leader's client; a server error answers 500 instead of raising."""
    client.raise_request_exception = False
    client.force_login(owner)
    return client


@pytest.mark.parametrize(
    "query",
    ["?q=%00", "?q=Vinje%00kommune", "?q=%00%00%00"],
)
def test_nul_in_the_organisation_search_is_a_bad_request(editor, seed, query):
    url = reverse("measures:measure-organisations", args=[SLUG, "gott-nokk"]) + query
    before = dump_database()
    response = editor.get(url)
    assert response.status_code == 400
    assert "Ugyldig førespurnad" in response.text and "Traceback" not in response.text
    assert dump_database() == before


def test_an_ordinary_organisation_search_still_finds(editor, seed):
    url = reverse("measures:measure-organisations", args=[SLUG, "gott-nokk"]) + "?q=Vinje"
    assert "Vinje kommune" in editor.get(url).text


@pytest.mark.parametrize("delmal", ["abc", "%00", "1.5", "-1", "²", "99", "1e3", "٣"])
def test_a_new_measure_under_a_sub_goal_that_is_not_there_is_not_found(editor, seed, delmal):
    url = reverse("measures:measure-create", args=[SLUG]) + f"?delmal={delmal}"
    response = editor.get(url)
    assert response.status_code == 404 and "Fann ikkje sida" in response.text


def test_a_new_measure_under_sub_goal_two_starts_there(editor, seed):
    url = reverse("measures:measure-create", args=[SLUG]) + "?delmal=2"
    response = editor.get(url)
    goal = seed.sub_goals.get(number=2)
    assert response.status_code == 200
    assert f'<option value="{goal.pk}" selected>' in response.text


@pytest.fixture
def submitted(client, owner, seed) -> Revision:
    """The 2026 revision sent for approval, and KDD's client."""
    client.force_login(owner)
    client.post(reverse("reporting:revision-start", args=[SLUG]), {"year": 2026, "confirmed": "ja"})
    client.post(reverse("reporting:revision-submit", args=[SLUG, 2026]), CONFIRMED)
    client.force_login(make_user("kdd", seed, Role.Kind.MINISTRY))
    client.raise_request_exception = False
    revision = Revision.objects.get(agreement=seed, year=2026)
    assert revision.status == Revision.Status.SUBMITTED
    return revision


@pytest.mark.parametrize(
    "comment, message",
    [
        ("Sjå\x00over budsjettet", "Null-teikn er ikkje tillate."),
        ("\x00", "Null-teikn er ikkje tillate."),
        ("   ", "Skriv kvifor handlingsplanen blir sendt tilbake."),
    ],
)
def test_kdd_sending_back_with_a_bad_comment_is_told_and_nothing_changes(
    client, submitted, comment, message
):
    url = reverse("reporting:revision-send-back", args=[SLUG, 2026])
    response = client.post(url, {"comment": comment, **CONFIRMED}, follow=True)
    assert response.status_code == 200 and message in response.text
    submitted.refresh_from_db()
    assert submitted.status == Revision.Status.SUBMITTED
    assert not RevisionEvent.objects.filter(kind=RevisionEvent.Kind.SENT_BACK).exists()


def change(seed, year: int, new: int | str, old: int | str | None = None) -> str:
    """One previewed change of line 1's state co-financing, as the preview page posts it."""
    line = BudgetLine.objects.get(agreement=seed, number=1)
    source = FundingSource.objects.get(agreement=seed, is_state_cofinancing=True)
    if old is None:
        saved = Amount.objects.filter(line=line, source=source, year=year).first()
        old = saved.kroner if saved else ""
    return f"{line.pk}:{year}:{source.pk}:{old}:{new}"


@pytest.mark.parametrize(
    "year, new, message",
    [
        (1999, 5, "1999 er ikkje eit år i avtaleperioden 2025–2028."),
        (2031, 5, "2031 er ikkje eit år i avtaleperioden 2025–2028."),
        (2025, 10**23, f"Beløpet {10**23} kr er urimeleg stort."),
        (2025, 10**12 + 1, f"Beløpet {10**12 + 1} kr er urimeleg stort."),
        (2025, "abc", "Endringane kunne ikkje lesast. Last opp fila på nytt."),
        (2025, "%00", "Endringane kunne ikkje lesast. Last opp fila på nytt."),
        (2025, "-5", "Endringane kunne ikkje lesast. Last opp fila på nytt."),
        (2025, "9" * 5000, "Endringane kunne ikkje lesast. Last opp fila på nytt."),
    ],
)
def test_applying_a_forged_change_is_refused_with_the_reason(editor, seed, year, new, message):
    before = dump_database()
    response = editor.post(APPLY, {"change": [change(seed, year, new)]}, follow=True)
    assert response.status_code == 200 and message in response.text
    assert dump_database() == before


def test_apply_accepts_what_the_grid_accepts(editor, seed):
    """10^12 is the grid's largest amount; apply takes it too (and 10^12 + 1 not, above)."""
    response = editor.post(APPLY, {"change": [change(seed, 2025, 10**12)]}, follow=True)
    assert "1 beløp frå Excel-fila er lagra." in response.text
    line = BudgetLine.objects.get(agreement=seed, number=1)
    assert Amount.objects.get(line=line, year=2025, source__is_state_cofinancing=True).kroner == (
        10**12
    )


@pytest.mark.parametrize(
    "url",
    [
        f"/budsjett/{SLUG}/?ar=%00",
        f"/budsjett/{SLUG}/?ar={'9' * 5000}",
        f"/budsjett/{SLUG}/endre/?ar=abc",
        f"/budsjett/{SLUG}/last-opp/?ar=%00",
        f"/avtale/{SLUG}/organisasjonar/?q=%00",
        "/?q=%00",
    ],
)
def test_other_query_parameters_fall_back_to_their_default(editor, seed, url):
    assert editor.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/rullering/{SLUG}/{10**30}/",
        f"/rullering/{SLUG}/{10**30}/handlingsplan.pdf",
        f"/avtale/{SLUG}/delmal/{10**30}/endre/",
        f"/avtale/{SLUG}/tiltak/gott-nokk/seksjonar/{10**30}/endre/",
    ],
)
def test_numbers_in_the_path_beyond_any_row_are_not_found(editor, seed, url):
    assert editor.get(url).status_code == 404


@pytest.mark.parametrize(
    "name, args, data",
    [
        ("measures:measure-title", ["gott-nokk"], {"title": "Ny\x00tittel", "version": 1}),
        ("measures:measure-title", ["gott-nokk"], {"title": "Ny tittel", "version": 10**30}),
        ("measures:agreement-edit", [], {"name": "x", "version": "\x00"}),
        ("measures:sub-goal-edit", [1], {"weight": 10**30, "version": 1}),
        ("measures:measure-close", ["gott-nokk"], {"closed_on": "99999-01-01"}),
        ("measures:measure-organisations", ["gott-nokk"], {"organisation": 10**30}),
        ("measures:organisation-create", ["gott-nokk"], {"name": "A\x00", "role": "lead\x00"}),
        ("budget:edit", [], {"o-1-1": 10**30}),
        ("budget:recompute", [], {"o-1-1": "\x00"}),
        ("reporting:revision-start", [], {"year": "\x00"}),
        ("reporting:revision-due", [2025], {"due_on": "2025-02-30"}),
    ],
)
def test_hostile_form_values_save_nothing(editor, seed, name, args, data):
    before = dump_database()
    response = editor.post(reverse(name, args=[SLUG, *args]), data)
    assert response.status_code in {200, 302, 400, 403, 404}
    assert dump_database() == before


def test_nul_in_a_login_is_a_failed_login(client, owner):
    response = client.post(reverse("login"), {"username": "prosjekt\x00leiar", "password": "x\x00"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
