"""The money charts add up to the tables they draw, on the budget page as in the layout."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budget.charts import MoneyCharts, _scale, as_millions
from budget.tables import BudgetOverview
from tests.svg import bars, pictures, text_of

SEED_TOTAL = 22_000_000


def charts_of(seed, year: int | None = None) -> tuple[BudgetOverview, MoneyCharts]:
    overview = BudgetOverview.from_agreement(seed, year)
    charts = MoneyCharts.from_tables(
        overview.allocation, overview.financing, overview.financing_year
    )
    return overview, charts


def test_amounts_read_as_millions():
    assert as_millions(22_000_000) == "22 mill."
    assert as_millions(6_750_000) == "6,75 mill."
    assert as_millions(2_400_000) == "2,4 mill."
    assert as_millions(0) == "0"


@pytest.mark.parametrize(
    ("largest", "top", "ticks"),
    [(10_500_000, 15_000_000, 4), (2_400_000, 3_000_000, 4), (7, 8, 5), (1, 1, 2)],
)
def test_the_axis_ends_on_a_round_number(largest, top, ticks):
    found_top, found_ticks = _scale(largest)
    assert (found_top, len(found_ticks)) == (top, ticks)
    assert found_ticks[0] == 0 and found_ticks[-1] == found_top >= largest


def test_a_table_without_money_draws_no_bars(seed):
    from budget.models import Amount

    Amount.objects.filter(line__agreement=seed).delete()
    _, charts = charts_of(seed)
    assert all(not c.segments for c in charts.allocation.screen.columns)
    assert {b.width for b in charts.financing.screen.bars} == {"0%"}


def test_the_year_chart_segments_sum_to_the_allocation_table(seed):
    overview, charts = charts_of(seed)
    picture = charts.allocation.screen
    segments = [s for column in picture.columns for s in column.segments]
    assert sum(s.kroner for s in segments) == overview.allocation.total == SEED_TOTAL
    for key, column in zip(overview.allocation.column_keys, picture.columns, strict=True):
        assert sum(s.kroner for s in column.segments) == overview.allocation.column_total(key)
    # Heights are to scale: a krone is as tall in every column.
    per_krone = {round(s.height / s.kroner, 12) for s in segments}
    assert len(per_krone) == 1


def test_the_source_chart_bars_sum_to_the_financing_table(seed):
    overview, charts = charts_of(seed)
    picture = charts.financing.screen
    assert [b.key for b in picture.bars] == overview.financing.column_keys
    assert sum(b.kroner for b in picture.bars) == overview.financing.total
    assert max(float(b.width[:-1]) for b in picture.bars) == 100


def test_the_budget_page_draws_both_tables(owner_client, seed):
    html = owner_client.get(reverse("budget:detail", args=[seed.slug])).text
    overview, _ = charts_of(seed)
    (years,) = pictures(html, "years")
    (sources,) = pictures(html, "sources")
    segments = bars(years, "data-kroner")
    assert sum(int(r.get("data-kroner")) for r in segments) == SEED_TOTAL
    for column_key in overview.allocation.column_keys:
        in_year = [r for r in segments if r.get("data-year") == column_key]
        assert sum(int(r.get("data-kroner")) for r in in_year) == (
            overview.allocation.column_total(column_key)
        )
    source_bars = bars(sources, "data-kroner")
    assert sum(int(r.get("data-kroner")) for r in source_bars) == overview.financing.total
    assert len(source_bars) == len(overview.financing.column_keys)
    for svg in (years, sources):
        assert svg.get("role") == "img" and svg.get("aria-labelledby")
    assert "Til saman 22\xa0000\xa0000 kr" in text_of(years)
    # The tables stay beside the pictures.
    assert html.count('class="ds-table budget-table"') == 2


def test_the_source_chart_follows_the_chosen_year(owner_client, seed):
    url = reverse("budget:detail", args=[seed.slug]) + "?ar=2026"
    (sources,) = pictures(owner_client.get(url).text, "sources")
    overview, _ = charts_of(seed, 2026)
    assert "Finansiering for 2026" in text_of(sources)
    assert sum(int(r.get("data-kroner")) for r in bars(sources, "data-kroner")) == (
        overview.financing.total
    )
