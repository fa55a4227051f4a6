"""The budget tables of an action plan, computed from the fact table, and their checks.

Section 6 of the plan (the whole period) is the state co-financing source by year; section 7
(one year) is every source for that year. Both are views of the same amounts, so totals are
always computed here and never stored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from measures.models import Agreement

from .models import Amount, BudgetLine, Footnote, FundingSource
from .money import as_kroner


@dataclass
class Row:
    """One line of a table: its cells in column order and their total."""

    number: int | None
    title: str
    cells: list[int | None]
    markers: dict[str, str] = field(default_factory=dict)
    column_keys: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(cell or 0 for cell in self.cells)

    @property
    def marked_cells(self) -> list[tuple[int | None, str]]:
        """Each cell in column order with its footnote marker, or ""."""
        return [
            (cell, self.markers.get(key, ""))
            for key, cell in zip(self.column_keys, self.cells, strict=True)
        ]


@dataclass
class Table:
    """A budget table: column headings, rows, a computed sum row and the table's footnotes."""

    caption: str
    column_keys: list[str]
    column_labels: list[str]
    rows: list[Row]
    footnotes: list[Footnote]
    sum_row: Row = field(init=False)

    def __post_init__(self) -> None:
        sums = [sum(row.cells[i] or 0 for row in self.rows) for i in range(len(self.column_keys))]
        self.sum_row = Row(None, "SUM", sums)
        for row in [*self.rows, self.sum_row]:
            row.column_keys = self.column_keys
        for note in self.footnotes:
            row = next(
                (r for r in self.rows if r.number == getattr(note.line, "number", None)), None
            )
            target = row if note.line_id else self.sum_row
            if target is not None:
                target.markers[note.column] = note.marker

    @property
    def total(self) -> int:
        return self.sum_row.total

    def column_total(self, key: str) -> int:
        return self.sum_row.cells[self.column_keys.index(key)]


# How far (in percentage points) a sub-goal's share of the money may lie from its weight.
SHARE_TOLERANCE = 0.05


@dataclass
class Check:
    """A consistency check the reader can see, passed or not."""

    label: str
    ok: bool
    detail: str


@dataclass
class BudgetOverview:
    """Everything the budget page shows, gathered in a fixed number of queries."""

    agreement: Agreement
    allocation: Table
    financing: Table
    financing_year: int
    financing_years: list[int]
    checks: list[Check]
    lines: list[BudgetLine]
    sources: list[FundingSource]

    @classmethod
    def from_agreement(
        cls, agreement: Agreement, year: int | None = None, typed: dict | None = None
    ) -> BudgetOverview:
        """The tables from the saved amounts, or with `typed` cells of `year` in their place.

        `typed` maps (line id, source id) to kroner or None, as the grid form holds them, so
        totals and checks can be shown for what the editor is typing before it is saved.
        """
        lines = list(BudgetLine.objects.filter(agreement=agreement).select_related("sub_goal"))
        sources = list(FundingSource.objects.filter(agreement=agreement))
        amounts = list(Amount.objects.filter(line__agreement=agreement))
        footnotes = list(Footnote.objects.filter(agreement=agreement).select_related("line"))
        weights = [goal.weight for goal in agreement.sub_goals.all()]
        return cls.from_rows(agreement, lines, sources, amounts, footnotes, weights, year, typed)

    @classmethod
    def from_rows(
        cls,
        agreement: Agreement,
        lines: list[BudgetLine],
        sources: list[FundingSource],
        amounts: list[Amount],
        footnotes: list[Footnote],
        weights: list[int],
        year: int | None = None,
        typed: dict | None = None,
    ) -> BudgetOverview:
        """The tables and checks of these rows, saved or not (a frozen plan's, made unsaved).

        Lines and sources need a pk each (amounts refer to them by id); a line's sub-goal needs
        its number and weight.
        """
        cells = defaultdict(int)
        for amount in amounts:
            cells[(amount.line_id, amount.year, amount.source_id)] += amount.kroner
        for (line_id, source_id), kroner in (typed or {}).items():
            if kroner:
                cells[(line_id, year, source_id)] = kroner
            else:
                cells.pop((line_id, year, source_id), None)
        state = next((s for s in sources if s.is_state_cofinancing), None)
        years_with_data = sorted({a.year for a in amounts})
        if year is None:
            year = _default_financing_year(amounts, state, agreement)
        allocation = _allocation_table(agreement, lines, state, cells, footnotes)
        financing = _financing_table(year, lines, sources, cells, footnotes)
        checks = _checks(weights, lines, allocation, financing, state, year, cells)
        financing_years = [y for y in agreement.years if y in years_with_data or y == year]
        return cls(agreement, allocation, financing, year, financing_years, checks, lines, sources)


def _default_financing_year(
    amounts: list[Amount], state: FundingSource | None, agreement: Agreement
) -> int:
    """The latest year for which sources other than the state have planned money, else the first."""
    other_years = [a.year for a in amounts if state is None or a.source_id != state.pk]
    return max(other_years) if other_years else agreement.first_year


def _allocation_table(agreement, lines, state, cells, footnotes) -> Table:
    years = list(agreement.years)
    rows = [
        Row(
            line.number,
            line.title,
            [cells.get((line.pk, y, state.pk)) if state else None for y in years],
        )
        for line in lines
    ]
    notes = [f for f in footnotes if f.table == Footnote.Table.ALLOCATION]
    if state:
        caption = _(
            "Fordeling av budsjett for heile avtaleperioden (statleg medfinansiering, %(source)s)"
        ) % {"source": state.name}
    else:
        caption = _("Fordeling av budsjett for heile avtaleperioden (statleg medfinansiering)")
    return Table(
        caption=caption,
        column_keys=[str(y) for y in years],
        column_labels=[str(y) for y in years],
        rows=rows,
        footnotes=notes,
    )


def _financing_table(year, lines, sources, cells, footnotes) -> Table:
    rows = [
        Row(line.number, line.title, [cells.get((line.pk, year, s.pk)) for s in sources])
        for line in lines
    ]
    notes = [f for f in footnotes if f.table == Footnote.Table.FINANCING and f.year == year]
    return Table(
        caption=_("Samla budsjett og finansiering for %(year)s") % {"year": year},
        column_keys=[s.key for s in sources],
        column_labels=[s.name for s in sources],
        rows=rows,
        footnotes=notes,
    )


def _checks(
    weights: list[int], lines, allocation: Table, financing: Table, state, year: int, cells: dict
) -> list[Check]:
    # What each table should hold, summed straight from the amounts, not from the table.
    state_money = sum(kr for (_, _, source), kr in cells.items() if state and source == state.pk)
    year_money = sum(kr for (_, y, _), kr in cells.items() if y == year)
    checks = [
        _sum_check(allocation, state_money),
        _sum_check(financing, year_money),
        _weight_total_check(weights),
    ]
    checks += _share_checks(lines, allocation)
    if state is not None and str(year) in allocation.column_keys:
        checks.append(_state_check(state.name, state.key, year, allocation, financing))
    return checks


def _sum_check(table: Table, amounts: int) -> Check:
    """The table's row totals and column totals each add up to every amount it should show."""
    by_rows = sum(row.total for row in table.rows)
    by_columns = sum(table.sum_row.cells)
    return Check(
        _("Radene og kolonnane i «%(table)s» gir same sum som beløpa") % {"table": table.caption},
        by_rows == by_columns == amounts,
        _("sum av rader %(rows)s, sum av kolonnar %(columns)s, sum av beløpa %(amounts)s")
        % {
            "rows": as_kroner(by_rows),
            "columns": as_kroner(by_columns),
            "amounts": as_kroner(amounts),
        },
    )


def _state_check(name: str, key: str, year: int, allocation: Table, financing: Table) -> Check:
    """The state's column of the year's financing table is the year's column of the period's."""
    in_financing = financing.column_total(key)
    in_allocation = allocation.column_total(str(year))
    return Check(
        _(
            "%(source)s i finansieringa for %(year)s er lik %(year)s-kolonna i budsjettet for "
            "heile perioden"
        )
        % {"source": name, "year": year},
        in_financing == in_allocation,
        _("%(financing)s mot %(allocation)s")
        % {"financing": as_kroner(in_financing), "allocation": as_kroner(in_allocation)},
    )


def _weight_total_check(weights: list[int]) -> Check:
    total = sum(weights)
    return Check(_("Vektinga av delmåla er til saman 100 %"), total == 100, f"{total} %")


def _share_checks(lines: list[BudgetLine], allocation: Table) -> list[Check]:
    """Each sub-goal's share of the state money to the sub-goals matches its weight.

    Within SHARE_TOLERANCE: any deviation that shows when the share is written with one
    decimal fails.
    """
    goal_rows = [
        (line, row) for line, row in zip(lines, allocation.rows, strict=True) if line.sub_goal
    ]
    goal_total = sum(row.total for _, row in goal_rows)
    checks = []
    for line, row in goal_rows:
        share = 100 * row.total / goal_total if goal_total else 0
        deviation = share - line.sub_goal.weight
        checks.append(
            Check(
                _("Delmål %(number)s har %(weight)s %% av midlane til delmåla")
                % {"number": line.sub_goal.number, "weight": line.sub_goal.weight},
                abs(deviation) < SHARE_TOLERANCE,
                _(
                    "%(part)s av %(whole)s = %(share)s %%, avvik %(deviation)s prosentpoeng, "
                    "toleranse ±%(tolerance)s prosentpoeng"
                )
                % {
                    "part": as_kroner(row.total),
                    "whole": as_kroner(goal_total),
                    "share": _decimal(share),
                    "deviation": _decimal(deviation, sign=True),
                    "tolerance": _decimal(SHARE_TOLERANCE, places=2),
                },
            )
        )
    return checks


def _decimal(number: float, *, places: int = 1, sign: bool = False) -> str:
    """A number as Norwegian writes it: 60,3; with sign=True +0,3 or \N{MINUS SIGN}0,4, and ±0,0."""
    text = f"{abs(number):.{places}f}".replace(".", ",")
    if not sign:
        return text
    if text.strip("0,") == "":
        return f"±{text}"
    return ("+" if number > 0 else "\N{MINUS SIGN}") + text
