"""Budget tables: totals computed from the amounts, and checks that can fail."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from budget.models import Amount, BudgetLine, FundingSource
from budget.tables import BudgetOverview, Row, Table, _state_check
from measures.models import Agreement


def test_the_whole_period_table_matches_section_6(seed):
    table = BudgetOverview.from_agreement(seed).allocation
    assert table.column_labels == ["2025", "2026", "2027", "2028"]
    assert [(row.title, row.total) for row in table.rows] == [
        ("Fleire eigna bustader i Vest-Telemark", 10_800_000),
        ("Korleis få fleire arbeidsplassar i privat sektor", 3_600_000),
        ("Meir kompetanse innan helse og oppvekst", 3_600_000),
        ("Prosjektleiing", 4_000_000),
    ]
    assert table.rows[0].cells == [500_000, 5_000_000, 4_000_000, 1_300_000]
    assert table.sum_row.cells == [2_400_000, 10_500_000, 6_750_000, 2_350_000]
    assert table.total == 22_000_000
    assert table.rows[0].markers == {"total": "*"}


def test_the_financing_table_matches_section_7(seed):
    overview = BudgetOverview.from_agreement(seed)
    table = overview.financing
    assert overview.financing_year == 2025
    assert table.column_labels[:2] == ["KDD 13.50 post 66", "Kommunal eigendel"]
    assert [row.total for row in table.rows] == [600_000, 300_000, 300_000, 1_500_000]
    assert table.total == 2_700_000
    assert table.column_total("kommunal-eigendel") == 300_000
    assert table.sum_row.markers == {"kommunal-eigendel": "*"}


def test_every_check_passes_for_the_approved_plan(seed):
    checks = BudgetOverview.from_agreement(seed).checks
    assert len(checks) == 7
    assert all(check.ok for check in checks), [c for c in checks if not c.ok]


def test_a_share_that_no_longer_matches_its_weight_fails_its_check(seed):
    amount = Amount.objects.get(line__key="delmal-1", year=2026, source__key="kdd-1350-post-66")
    amount.kroner = 1_000_000
    amount.save()
    failed = [c for c in BudgetOverview.from_agreement(seed).checks if not c.ok]
    assert [c.label for c in failed] == [
        "Delmål 1 har 60 % av midlane til delmåla",
        "Delmål 2 har 20 % av midlane til delmåla",
        "Delmål 3 har 20 % av midlane til delmåla",
    ]


def test_the_weight_check_states_its_tolerance_and_the_deviation_in_points(seed):
    amount = Amount.objects.get(line__key="delmal-1", year=2027, source__key="kdd-1350-post-66")
    amount.kroner += 54_000  # 10 854 000 of 18 054 000 kr: 60.12 %
    amount.save()
    details = {c.label: c.detail for c in BudgetOverview.from_agreement(seed).checks}
    assert details["Delmål 1 har 60 % av midlane til delmåla"] == (
        "10\xa0854\xa0000 kr av 18\xa0054\xa0000 kr = 60,1 %, avvik +0,1 prosentpoeng, "
        "toleranse ±0,05 prosentpoeng"
    )
    assert details["Delmål 2 har 20 % av midlane til delmåla"].endswith(
        "= 19,9 %, avvik \N{MINUS SIGN}0,1 prosentpoeng, toleranse ±0,05 prosentpoeng"
    )


def test_weights_not_summing_to_100_fail_their_check(seed):
    goal = seed.sub_goals.get(number=2)
    goal.weight = 30
    goal.save()
    failed = {c.label for c in BudgetOverview.from_agreement(seed).checks if not c.ok}
    assert "Vektinga av delmåla er til saman 100 %" in failed


def test_the_budget_page_shows_both_tables_footnotes_and_checks(owner_client):
    text = owner_client.get(reverse("budget:detail", args=["vest-telemark"])).text
    assert "10\xa0800\xa0000*" in text
    assert "22\xa0000\xa0000" in text and "2\xa0700\xa0000" in text and "300\xa0000*" in text
    assert "*Vest-Telemark prioriterer delmål 1 med 60 %" in text
    assert "*Kommunal eigeninnsats – ikkje heilårsverknad i 2025." in text
    assert text.count("Stemmer:") == 7 and "Stemmer ikkje" not in text


def test_another_year_can_be_chosen_and_nonsense_falls_back(owner_client):
    url = reverse("budget:detail", args=["vest-telemark"])
    assert "Samla budsjett og finansiering for 2027" in owner_client.get(url, {"ar": "2027"}).text
    assert "Samla budsjett og finansiering for 2025" in owner_client.get(url, {"ar": "abc"}).text
    assert "Samla budsjett og finansiering for 2025" in owner_client.get(url, {"ar": "1999"}).text


def test_the_database_refuses_negative_amounts(seed):
    amount = Amount.objects.first()
    amount.kroner = -1
    with pytest.raises(IntegrityError), transaction.atomic():
        amount.save()


def test_one_amount_per_line_source_and_year(seed):
    existing = Amount.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Amount.objects.create(
            line=existing.line, source=existing.source, year=existing.year, kroner=1
        )


def test_an_amount_outside_the_period_fails_validation(seed):
    amount = Amount(
        line=BudgetLine.objects.get(key="prosjektleiing"),
        source=FundingSource.objects.get(key="anna"),
        year=2029,
        kroner=10,
    )
    with pytest.raises(ValidationError, match="utanfor avtaleperioden 2025–2028"):
        amount.full_clean()


def test_the_database_refuses_an_amount_outside_the_period(seed):
    line = BudgetLine.objects.get(key="prosjektleiing")
    source = FundingSource.objects.get(key="anna")
    with pytest.raises(IntegrityError), transaction.atomic():
        Amount.objects.create(line=line, source=source, year=2029, kroner=10)
    amount = Amount.objects.filter(line=line).first()
    amount.year = 2024
    with pytest.raises(IntegrityError), transaction.atomic():
        amount.save()


def test_the_period_cannot_shrink_away_from_planned_money(seed):
    seed.last_year = 2027
    with pytest.raises(IntegrityError), transaction.atomic():
        seed.save()


def failed_checks(checks: list) -> dict[str, str]:
    return {check.label: check.detail.replace("\xa0", " ") for check in checks if not check.ok}


def test_money_the_financing_table_leaves_out_fails_its_check(owner_client, seed):
    """An amount from another agreement's source: the admin refuses it, the database does not."""
    other = Agreement.objects.create(
        slug="nordfjord", name="Nordfjord", pilot_name="P", first_year=2025, last_year=2028
    )
    source = FundingSource.objects.create(agreement=other, key="anna", name="Anna")
    line = BudgetLine.objects.get(agreement=seed, key="prosjektleiing")
    Amount.objects.create(line=line, source=source, year=2025, kroner=10)
    text = owner_client.get(reverse("budget:detail", args=["vest-telemark"])).text
    assert (
        "Stemmer ikkje: Radene og kolonnane i «Samla budsjett og finansiering for 2025» gir "
        "same sum som beløpa (sum av rader 2 700 000 kr, sum av kolonnar 2 700 000 kr, "
        "sum av beløpa 2 700 010 kr)"
    ) in re.sub(r"<[^>]+>", "", re.sub(r"\s+", " ", text))
    assert text.count("Stemmer ikkje:") == 1


def test_money_the_whole_period_table_leaves_out_fails_its_check(seed):
    """State money typed for a year outside the period (the database refuses to store it)."""
    line = BudgetLine.objects.get(agreement=seed, key="prosjektleiing")
    state = FundingSource.objects.get(agreement=seed, is_state_cofinancing=True)
    overview = BudgetOverview.from_agreement(seed, 2029, typed={(line.pk, state.pk): 10})
    assert failed_checks(overview.checks) == {
        "Radene og kolonnane i «Fordeling av budsjett for heile avtaleperioden (statleg "
        "medfinansiering, KDD 13.50 post 66)» gir same sum som beløpa": "sum av rader "
        "22 000 000 kr, sum av kolonnar 22 000 000 kr, sum av beløpa 22 000 010 kr"
    }


def test_the_state_column_check_fails_when_the_two_tables_disagree():
    allocation = Table("Heile perioden", ["2025"], ["2025"], [Row(1, "Delmål 1", [500_000])], [])
    financing = Table(
        "2025", ["kdd", "kommunal"], ["KDD", "Kommunal"], [Row(1, "Delmål 1", [400_000, 1])], []
    )
    check = _state_check("KDD 13.50 post 66", "kdd", 2025, allocation, financing)
    assert not check.ok
    assert check.label == (
        "KDD 13.50 post 66 i finansieringa for 2025 er lik 2025-kolonna i budsjettet for heile "
        "perioden"
    )
    assert check.detail.replace("\xa0", " ") == "400 000 kr mot 500 000 kr"
