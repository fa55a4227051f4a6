"""Reading the budget and financing sheets of an uploaded workbook back into the plan.

The workbook is the one writer.py writes, laid out as layout.py says: sheet "Budsjett" (the
state co-financing per line and year) and "Finansiering ÅÅÅÅ" (every source per line for one
year). Every problem is named by sheet, row and column, and nothing is applied unless the whole
file is valid. bounded_sheets.py opens the file and reads each sheet's cells within limits.
"""

from __future__ import annotations

import datetime
import math
import re
import time

from django.utils.translation import gettext as _

from budget.cells import CellChange
from budget.models import MAX_KRONER, Amount, BudgetLine, FundingSource
from measures.models import Agreement

from .bounded_sheets import (
    MAX_SECONDS,
    Unreadable,
    WorkbookError,
    located,
    open_workbook,
    sheet_cells,
)
from .layout import BUDGET_SHEET, FIRST_VALUE_COLUMN, HEADER_ROW, financing_sheet_name


def read_budget_workbook(agreement: Agreement, data: bytes, year: int) -> list[CellChange]:
    """The changes the workbook makes to the agreement's amounts, or WorkbookError."""
    deadline = time.monotonic() + MAX_SECONDS
    workbook = open_workbook(data)
    try:
        lines = {line.number: line for line in BudgetLine.objects.filter(agreement=agreement)}
        sources = list(FundingSource.objects.filter(agreement=agreement))
        state = next((s for s in sources if s.is_state_cofinancing), None)
        problems: list[str] = []
        wanted: dict[tuple[int, int, int], int | None] = {}
        if state is not None:
            budget = sheet_cells(workbook, BUDGET_SHEET, problems, deadline)
            _read_budget_sheet(budget, agreement, lines, state, wanted, problems)
        financing = sheet_cells(workbook, financing_sheet_name(year), problems, deadline)
        _read_financing_sheet(financing, year, lines, sources, state, wanted, problems)
    finally:
        workbook.close()
    if problems:
        raise WorkbookError(problems)
    return _changes(agreement, wanted, lines, sources)


def _whole_number(value) -> int | None:
    """A cell's value as a whole number, if it is one: not text, a date or a truth value."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value != int(value):
        return None
    return int(value)


def _kroner(value, where: str, problems: list[str]) -> int | None:
    """A cell as whole kroner: empty is none; anything but a sensible amount is a problem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Unreadable):
        problems.append(f"{where}: {value.reason}")
    elif isinstance(value, datetime.date):
        words = {"where": where, "value": f"{value:%d.%m.%Y}"}
        problems.append(_("%(where)s: %(value)s er ein dato, ikkje eit beløp.") % words)
    elif isinstance(value, datetime.time | datetime.timedelta):
        words = {"where": where, "value": value}
        problems.append(_("%(where)s: %(value)s er eit klokkeslett, ikkje eit beløp.") % words)
    elif isinstance(value, bool) or not isinstance(value, int | float):
        words = {"where": where, "value": value}
        problems.append(_("%(where)s: «%(value)s» er tekst, ikkje eit beløp.") % words)
    elif not math.isfinite(value):
        words = {"where": where}
        problems.append(_("%(where)s: talet er for stort til å vere eit beløp.") % words)
    elif value != int(value):
        words = {"where": where, "value": value}
        problems.append(_("%(where)s: %(value)s er ikkje heile kroner.") % words)
    elif value < 0:
        words = {"where": where, "kroner": int(value)}
        problems.append(_("%(where)s: beløpet %(kroner)s er negativt.") % words)
    elif value > MAX_KRONER:
        words = {"where": where, "kroner": int(value)}
        problems.append(_("%(where)s: beløpet %(kroner)s er urimeleg stort.") % words)
    else:
        return int(value)
    return None


def _year(value) -> int | None:
    """A header cell as a year: a whole number, or text of four digits (0–9, nothing else)."""
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]{4}\s*", value):
        return int(value)
    return _whole_number(value)


def _line_of(sheet_name: str, row_number: int, value, lines: dict, problems: list[str]):
    """The budget line a row is about, by its number in column A; None for the SUM row."""
    if value is None:
        return None
    if isinstance(value, Unreadable):
        problems.append(f"{located(sheet_name, row_number, 1)}: {value.reason}")
        return None
    number = _whole_number(value)
    if number not in lines:
        words = {"where": located(sheet_name, row_number, 1), "value": value}
        problems.append(_("%(where)s: ukjend budsjettline «%(value)s».") % words)
        return None
    return lines[number]


def _header(rows: dict) -> dict:
    """The header row's cells from the first value column on."""
    return {c: v for c, v in sorted(rows.get(HEADER_ROW, {}).items()) if c >= FIRST_VALUE_COLUMN}


def _body(rows: dict) -> list[tuple[int, dict]]:
    """The rows below the header, by number: the title block above it is not data."""
    return sorted((number, values) for number, values in rows.items() if number > HEADER_ROW)


def _read_budget_sheet(rows, agreement, lines, state, wanted, problems) -> None:
    if rows is None:
        return
    years = {}
    for column, value in _header(rows).items():
        if isinstance(value, Unreadable):
            problems.append(f"{located(BUDGET_SHEET, HEADER_ROW, column)}: {value.reason}")
            continue
        year = _year(value)
        if year is None or year not in agreement.years:
            words = {
                "where": located(BUDGET_SHEET, HEADER_ROW, column),
                "value": value,
                "period": agreement.period,
            }
            problems.append(
                _("%(where)s: «%(value)s» er ikkje eit år i avtaleperioden %(period)s.") % words
            )
            continue
        years[column] = year
    for row_number, row in _body(rows):
        line = _line_of(BUDGET_SHEET, row_number, row.get(1), lines, problems)
        if line is None:
            continue
        for column, year in years.items():
            where = located(BUDGET_SHEET, row_number, column)
            wanted[(line.pk, year, state.pk)] = _kroner(row.get(column), where, problems)


def _read_financing_sheet(rows, year, lines, sources, state, wanted, problems) -> None:
    if rows is None:
        return
    name = financing_sheet_name(year)
    by_name = {source.name: source for source in sources}
    columns = {}
    for column, value in _header(rows).items():
        if isinstance(value, Unreadable):
            problems.append(f"{located(name, HEADER_ROW, column)}: {value.reason}")
            continue
        if not isinstance(value, str) or value not in by_name:
            words = {"where": located(name, HEADER_ROW, column), "value": value}
            problems.append(_("%(where)s: ukjend finansieringskjelde «%(value)s».") % words)
            continue
        columns[column] = by_name[value]
    for row_number, row in _body(rows):
        line = _line_of(name, row_number, row.get(1), lines, problems)
        if line is None:
            continue
        for column, source in columns.items():
            kroner = _kroner(row.get(column), located(name, row_number, column), problems)
            key = (line.pk, year, source.pk)
            if source == state and key in wanted and wanted[key] != kroner:
                words = {
                    "where": located(name, row_number, column),
                    "source": source.name,
                    "here": kroner or 0,
                    "there": wanted[key] or 0,
                    "sheet": BUDGET_SHEET,
                    "year": year,
                }
                problems.append(
                    _(
                        "%(where)s: %(source)s er %(here)s her, men %(there)s i arket «%(sheet)s» "
                        "for %(year)s. Rett den eine."
                    )
                    % words
                )
            wanted[key] = kroner


def _changes(agreement, wanted, lines, sources) -> list[CellChange]:
    current = {
        (a.line_id, a.year, a.source_id): a.kroner
        for a in Amount.objects.filter(line__agreement=agreement)
    }
    line_by_pk = {line.pk: line for line in lines.values()}
    source_by_pk = {source.pk: source for source in sources}
    return [
        CellChange(line_by_pk[line_id], year, source_by_pk[source_id], current.get(key), kroner)
        for key, kroner in sorted(wanted.items())
        for line_id, year, source_id in [key]
        if current.get(key) != kroner
    ]
