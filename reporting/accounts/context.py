"""The accounts report's data, gathered once for the PDF and the workbook alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from measures.models import Agreement
from money.comparison import Comparison

# The chart's drawing area, in SVG units.
CHART_WIDTH = 480
CHART_HEIGHT = 160


@dataclass
class Bar:
    """One year of one sub-goal in the chart: planned and actual, as heights and kroner."""

    year: int
    planned: int
    actual: int
    planned_height: float
    actual_height: float
    x: float

    @property
    def planned_y(self) -> float:
        return CHART_HEIGHT - self.planned_height

    @property
    def actual_y(self) -> float:
        return CHART_HEIGHT - self.actual_height


@dataclass
class ChartGroup:
    title: str
    bars: list[Bar]


@dataclass
class AccountsReport:
    """The year's comparison, the period's years for the chart, and the document's words."""

    agreement: Agreement
    year: int
    comparison: Comparison
    chart: list[ChartGroup]
    language: str
    status: str
    dated: object
    corrections: list = field(default_factory=list)  # KDD's corrections of the accepted accounts

    @classmethod
    def of(cls, agreement: Agreement, year: int) -> AccountsReport:
        with translation.override(agreement.language):
            comparison = Comparison.of(agreement, year)
            years = [y for y in agreement.years if y <= year]
            earlier = {y: Comparison.of(agreement, y) for y in years if y != year}
            earlier[year] = comparison
            accounts = comparison.accounts
            status = accounts.get_status_display() if accounts else _("Ikkje påbyrja")
        return cls(
            agreement,
            year,
            comparison,
            _chart(earlier),
            agreement.language,
            status,
            timezone.localdate(),
            list(accounts.corrections.select_related("user")) if accounts else [],
        )

    @property
    def title(self) -> str:
        with translation.override(self.language):
            return _("Rekneskap %(year)s") % {"year": self.year}

    @property
    def dated_as(self) -> str:
        """What the date on the title says: a status and the day it was made."""
        with translation.override(self.language):
            return f"{self.status}. " + _("Per")

    @property
    def chart_width(self) -> int:
        return CHART_WIDTH

    @property
    def chart_height(self) -> int:
        return CHART_HEIGHT


def _chart(comparisons: dict[int, Comparison]) -> list[ChartGroup]:
    """Planned against actual per sub-goal line and year, to one scale."""
    years = sorted(comparisons)
    first = comparisons[years[0]]
    goals = [i for i, row in enumerate(first.rows) if row.line.sub_goal_id]
    top = max(
        (
            max(c.rows[i].total.planned, c.rows[i].total.actual)
            for c in comparisons.values()
            for i in goals
        ),
        default=0,
    )
    slot = CHART_WIDTH / max(len(goals) * len(years), 1)
    groups = []
    for n, index in enumerate(goals):
        bars = []
        for m, year in enumerate(years):
            total = comparisons[year].rows[index].total
            bars.append(
                Bar(
                    year,
                    total.planned,
                    total.actual,
                    CHART_HEIGHT * total.planned / top if top else 0,
                    CHART_HEIGHT * total.actual / top if top else 0,
                    (n * len(years) + m) * slot,
                )
            )
        groups.append(ChartGroup(first.rows[index].line.title, bars))
    return groups
