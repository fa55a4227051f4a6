"""The budget grid: one year's amounts, saved whole or not at all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budget.models import Amount, BudgetLine, FundingSource
from tests.support import dump_database

URL = reverse("budget:edit", args=["vest-telemark"]) + "?ar=2025"
RECOMPUTE = reverse("budget:recompute", args=["vest-telemark"]) + "?ar=2025"


def grid_data(**typed) -> dict:
    """The 2025 grid as shown, with some cells typed: typed["delmal-1__kommunal-eigendel"]="1"."""
    data = {}
    for line in BudgetLine.objects.all():
        for source in FundingSource.objects.all():
            amount = Amount.objects.filter(line=line, source=source, year=2025).first()
            value = "" if amount is None else str(amount.kroner)
            data[f"o-{line.pk}-{source.pk}"] = value
            data[f"c-{line.pk}-{source.pk}"] = typed.get(f"{line.key}__{source.key}", value)
    return data


def kroner(line: str, source: str, year: int = 2025) -> int | None:
    amount = Amount.objects.filter(line__key=line, source__key=source, year=year).first()
    return amount.kroner if amount else None


def test_the_grid_shows_the_years_amounts_with_separators(owner_client):
    text = owner_client.get(URL).text
    assert 'value="1\xa0500\xa0000"' in text
    assert '<output id="grand-total">2\xa0700\xa0000</output>' in text


def test_saving_changes_adds_and_removes_amounts(owner_client, seed):
    data = grid_data(
        **{
            "delmal-1__fylkeskommunen": "250 000",
            "delmal-2__kommunal-eigendel": "",
            "prosjektleiing__kdd-1350-post-66": "1\xa0400\xa0000",
        }
    )
    response = owner_client.post(URL, data)
    assert response.status_code == 302
    assert kroner("delmal-1", "fylkeskommunen") == 250_000
    assert kroner("delmal-2", "kommunal-eigendel") is None
    assert kroner("prosjektleiing", "kdd-1350-post-66") == 1_400_000
    page = owner_client.get(response["Location"]).text
    assert "2\xa0750\xa0000" in page  # 2 700 000 + 250 000 - 100 000 - 100 000


@pytest.mark.parametrize(
    "typed, message",
    [
        ("-5", "Beløpet kan ikkje vere negativt."),
        ("1000,50", "Skriv heile kroner, utan øre."),
        ("1.5", "Skriv heile kroner, utan øre."),
        ("mykje", "Skriv eit beløp i heile kroner, til dømes 500 000."),
    ],
)
def test_bad_amounts_are_refused_beside_the_cell_and_nothing_is_saved(
    owner_client, seed, typed, message
):
    before = dump_database()
    data = grid_data(**{"delmal-1__kdd-1350-post-66": typed, "delmal-3__anna": "5000"})
    response = owner_client.post(URL, data)
    assert response.status_code == 200
    assert message in response.text
    assert "Ingenting er lagra" in response.text
    assert f'value="{typed}"' in response.text
    assert dump_database() == before


def test_a_year_outside_the_period_is_not_offered(owner_client):
    response = owner_client.get(reverse("budget:edit", args=["vest-telemark"]) + "?ar=2031")
    assert "Budsjett og finansiering for 2025" in response.text


def test_totals_and_checks_are_recomputed_for_what_is_typed(owner_client, seed):
    data = grid_data(**{"delmal-1__kdd-1350-post-66": "900 000"})
    response = owner_client.post(RECOMPUTE, data, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert (
        '<output id="row-total-1" data-hx-swap-oob="true">1\xa0000\xa0000</output>' in response.text
    )
    assert (
        '<output id="grand-total" data-hx-swap-oob="true">3\xa0100\xa0000</output>' in response.text
    )
    assert "Stemmer ikkje:</span>\n      Delmål 1 har 60 %" in response.text
    assert kroner("delmal-1", "kdd-1350-post-66") == 500_000  # nothing saved


def test_a_cell_changed_by_someone_else_is_a_conflict_and_keeps_what_was_typed(owner_client, seed):
    data = grid_data(**{"delmal-1__kdd-1350-post-66": "600 000"})
    amount = Amount.objects.get(line__key="delmal-1", source__key="kdd-1350-post-66", year=2025)
    amount.kroner = 550_000
    amount.save()
    response = owner_client.post(URL, data)
    assert response.status_code == 200
    assert "Nokon andre har endra budsjettet medan du skreiv" in response.text
    assert 'value="600 000"' in response.text
    assert kroner("delmal-1", "kdd-1350-post-66") == 550_000
    # The form now knows the saved value: saving again overwrites deliberately.
    data[f"o-{amount.line_id}-{amount.source_id}"] = "550000"
    assert owner_client.post(URL, data).status_code == 302
    assert kroner("delmal-1", "kdd-1350-post-66") == 600_000


def test_a_cell_others_changed_but_this_person_left_alone_is_not_a_conflict(owner_client, seed):
    data = grid_data(**{"delmal-2__anna": "1000"})
    amount = Amount.objects.get(line__key="delmal-1", source__key="kdd-1350-post-66", year=2025)
    amount.kroner = 550_000
    amount.save()
    data[f"c-{amount.line_id}-{amount.source_id}"] = "550000"
    assert owner_client.post(URL, data).status_code == 302
    assert kroner("delmal-2", "anna") == 1000 and kroner("delmal-1", "kdd-1350-post-66") == 550_000


def test_a_cell_someone_else_saved_is_kept_when_this_person_saves_other_cells(owner_client, seed):
    data = grid_data(**{"delmal-2__anna": "1000"})  # the grid as shown, one cell typed
    amount = Amount.objects.get(line__key="delmal-1", source__key="kdd-1350-post-66", year=2025)
    amount.kroner = 550_000  # meanwhile, someone else saves another cell
    amount.save()
    response = owner_client.post(URL, data)
    assert response.status_code == 302
    assert kroner("delmal-2", "anna") == 1000 and kroner("delmal-1", "kdd-1350-post-66") == 550_000


def test_after_a_conflict_the_cells_left_alone_show_what_is_saved_now(owner_client, seed):
    data = grid_data(**{"delmal-1__kdd-1350-post-66": "600 000"})
    mine, other = (
        Amount.objects.get(line__key=line, source__key="kdd-1350-post-66", year=2025)
        for line in ("delmal-1", "delmal-2")
    )
    mine.kroner, other.kroner = 550_000, 250_000  # someone else saves both cells
    mine.save()
    other.save()
    response = owner_client.post(URL, data)
    assert "Nokon andre har endra budsjettet medan du skreiv" in response.text
    assert f'name="c-{other.line_id}-{other.source_id}" value="250000"' in response.text
    # Saving again from that page writes this person's cell and keeps the other one.
    data[f"o-{mine.line_id}-{mine.source_id}"] = "550000"
    data[f"o-{other.line_id}-{other.source_id}"] = "250000"
    data[f"c-{other.line_id}-{other.source_id}"] = "250000"
    assert owner_client.post(URL, data).status_code == 302
    assert kroner("delmal-1", "kdd-1350-post-66") == 600_000
    assert kroner("delmal-2", "kdd-1350-post-66") == 250_000
