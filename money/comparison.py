"""Planned against actual: a year's accounts beside the budget KDD approved for the year.

Per budget line and source, per source and in total: approved, actual, the deviation in kroner
and percent; the sub-goals' shares as planned and as spent. A line whose deviation is above the
threshold (settings.ACCOUNTS_DEVIATION_THRESHOLD: percent and kroner, both) needs the project
leader's explanation before the accounts can be submitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from budget.models import BudgetLine, FundingSource
from measures.models import Agreement

from .approved import approved_budget
from .models import Accounts, Explanation, Spending


@dataclass(frozen=True)
class Cell:
    """Approved and actual kroner of one cell or sum, and how far apart they are."""

    planned: int
    actual: int

    @property
    def deviation(self) -> int:
        return self.actual - self.planned

    @property
    def percent(self) -> float | None:
        """The deviation as a share of the approved amount; None when nothing was approved."""
        return 100 * self.deviation / self.planned if self.planned else None

    def above(self, threshold: tuple[int, int]) -> bool:
        """The deviation is larger than both the percent and the kroner of the threshold."""
        percent, kroner = threshold
        if abs(self.deviation) <= kroner:
            return False
        return self.percent is None or abs(self.percent) > percent


def _sum(cells: list[Cell]) -> Cell:
    return Cell(sum(c.planned for c in cells), sum(c.actual for c in cells))


@dataclass
class LineRow:
    """One budget line: a cell per source, its total and the project leader's explanation."""

    line: BudgetLine
    cells: list[Cell]
    explanation: str
    needs_explanation: bool = False

    @property
    def total(self) -> Cell:
        return _sum(self.cells)

    @property
    def missing_explanation(self) -> bool:
        return self.needs_explanation and not self.explanation.strip()


@dataclass
class Share:
    """A sub-goal's weight in the plan, and its share of the sub-goals' money planned and spent."""

    line: BudgetLine
    weight: int
    planned: float | None
    spent: float | None


@dataclass
class Comparison:
    """The year's planned-against-actual tables, for the page, the PDF and the workbook."""

    agreement: Agreement
    year: int
    accounts: Accounts | None
    sources: list[FundingSource]
    rows: list[LineRow]
    has_approved_plan: bool
    threshold: tuple[int, int]
    shares: list[Share] = field(init=False)

    def __post_init__(self) -> None:
        goals = [row for row in self.rows if row.line.sub_goal_id]
        planned = sum(row.total.planned for row in goals)
        actual = sum(row.total.actual for row in goals)
        self.shares = [
            Share(
                row.line,
                row.line.sub_goal.weight,
                100 * row.total.planned / planned if planned else None,
                100 * row.total.actual / actual if actual else None,
            )
            for row in goals
        ]

    @classmethod
    def of(cls, agreement: Agreement, year: int, typed: dict | None = None) -> Comparison:
        """The comparison as saved, or with `typed` spending ((line id, source id) → kroner or
        None, as the grid holds it) in place of the saved cells."""
        lines = list(BudgetLine.objects.filter(agreement=agreement).select_related("sub_goal"))
        sources = list(FundingSource.objects.filter(agreement=agreement))
        accounts = Accounts.objects.filter(agreement=agreement, year=year).first()
        actual = Spending.objects.cells(accounts)
        if typed is not None:
            actual = {**actual, **typed}
        texts = {}
        if accounts is not None:
            texts = {e.line_id: e.text for e in Explanation.objects.filter(accounts=accounts)}
        budget = approved_budget(agreement, year)
        planned = budget.cells(year, lines, sources) if budget else {}
        return cls.from_cells(
            agreement, year, accounts, lines, sources, planned, actual, texts, budget is not None
        )

    @classmethod
    def from_cells(
        cls, agreement, year, accounts, lines, sources, planned, actual, texts, has_plan=True
    ) -> Comparison:
        threshold = tuple(settings.ACCOUNTS_DEVIATION_THRESHOLD)
        rows = []
        for line in lines:
            cells = [
                Cell(planned.get((line.pk, s.pk)) or 0, actual.get((line.pk, s.pk)) or 0)
                for s in sources
            ]
            row = LineRow(line, cells, texts.get(line.pk, ""))
            row.needs_explanation = row.total.above(threshold)
            rows.append(row)
        return cls(agreement, year, accounts, sources, rows, has_plan, threshold)

    @property
    def source_totals(self) -> list[Cell]:
        return [_sum([row.cells[i] for row in self.rows]) for i in range(len(self.sources))]

    @property
    def by_source(self) -> list[tuple[FundingSource, Cell]]:
        return list(zip(self.sources, self.source_totals, strict=True))

    @property
    def used_cells(self) -> list[tuple[BudgetLine, FundingSource, Cell]]:
        """Every line × source with money approved or spent."""
        return [
            (row.line, source, cell)
            for row in self.rows
            for source, cell in zip(self.sources, row.cells, strict=True)
            if cell.planned or cell.actual
        ]

    @property
    def total(self) -> Cell:
        return _sum([row.total for row in self.rows])

    @property
    def missing_explanations(self) -> list[LineRow]:
        return [row for row in self.rows if row.missing_explanation]

    @property
    def explained(self) -> list[LineRow]:
        """The lines that carry an explanation, needed or not."""
        return [row for row in self.rows if row.explanation.strip()]
