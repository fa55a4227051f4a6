"""The «Rekneskap ÅÅÅÅ» workbook, and the same workbook read back.

One writer for the template and the report: the budget workbook's layout (title block, header
in HEADER_ROW, column A the line's number), with each source's figure in the approved plan
beside its «Rekneskap» column, empty until spent. A sheet of the explanations and one with
planned against actual per sub-goal and year, drawn as a chart. The reader takes the
«Rekneskap» columns back with the bounded reader of the budget workbook, every problem named by
sheet, row and column, and nothing applied unless the whole sheet is valid.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from xlsxwriter import Workbook
from xlsxwriter.utility import xl_col_to_name

from measures.models import Agreement
from money.cells import SpendingChange
from money.comparison import Comparison
from money.models import Spending
from reporting.outputs.workbook.bounded_sheets import (
    MAX_SECONDS,
    WorkbookError,
    located,
    open_workbook,
    sheet_cells,
)
from reporting.outputs.workbook.layout import FIRST_ROW, FIRST_VALUE_COLUMN, HEADER_ROW
from reporting.outputs.workbook.reader import _body, _header, _kroner, _line_of
from reporting.outputs.workbook.writer import Formats, _start, _write_row

from .context import AccountsReport


def accounts_sheet_name(year: int) -> str:
    return _("Rekneskap %(year)s") % {"year": year}


def actual_header(source_name: str) -> str:
    return _("Rekneskap: %(source)s") % {"source": source_name}


def planned_header(source_name: str) -> str:
    return _("Plan: %(source)s") % {"source": source_name}


def accounts_workbook(report: AccountsReport) -> bytes:
    """The workbook as .xlsx bytes, in the agreement's målform."""
    buffer = BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with translation.override(report.language), Workbook(buffer, options) as workbook:
        workbook.set_properties({"title": report.title, "author": "Bygdevekst"})
        formats = Formats(workbook)
        _accounts_sheet(workbook, formats, report)
        _explanations_sheet(workbook, formats, report)
        if report.corrections:
            _corrections_sheet(workbook, formats, report)
        _chart_sheet(workbook, formats, report)
    return buffer.getvalue()


def _accounts_sheet(workbook, formats: Formats, report: AccountsReport) -> None:
    sheet = workbook.add_worksheet(accounts_sheet_name(report.year))
    c = report.comparison
    headers = [_("Nr."), _("Delmål"), _("Rekneskap totalt")]
    for source in c.sources:
        headers += [planned_header(source.name), actual_header(source.name)]
    widths = [6, 45, 16, *[16] * (2 * len(c.sources))]
    unit = _("Skriv rekneskapen i kolonnane «Rekneskap». Alle beløp i kr.")
    _start(sheet, formats, report, c.agreement.name, headers, widths, unit)
    for row, line_row in enumerate(c.rows, start=FIRST_ROW - 1):
        sheet.write_number(row, 0, line_row.line.number, formats.text)
        sheet.write_string(row, 1, line_row.line.title, formats.text)
        actual_columns = [xl_col_to_name(FIRST_VALUE_COLUMN + 2 * i) for i in range(len(c.sources))]
        total = "=" + "+".join(f"{col}{row + 1}" for col in actual_columns)
        sheet.write_formula(row, 2, total, formats.kroner(), line_row.total.actual)
        for i, cell in enumerate(line_row.cells):
            column = FIRST_VALUE_COLUMN - 1 + 2 * i
            _number(sheet, row, column, cell.planned, formats.kroner())
            spent = c.accounts is not None and cell.actual
            _number(sheet, row, column + 1, cell.actual if spent else None, formats.kroner())


def _number(sheet, row: int, column: int, value: int | None, style) -> None:
    if value:
        sheet.write_number(row, column, value, style)
    else:
        sheet.write_blank(row, column, None, style)


def _explanations_sheet(workbook, formats: Formats, report: AccountsReport) -> None:
    sheet = workbook.add_worksheet(_("Forklaringar"))
    headers = [
        _("Nr."),
        _("Budsjettline"),
        _("Budsjett i godkjend plan"),
        _("Rekneskap"),
        _("Avvik (kr)"),
        _("Forklaring"),
    ]
    widths = [6, 40, 16, 16, 16, 60]
    _start(sheet, formats, report, _("Forklaringar av avvik"), headers, widths)
    for row, line_row in enumerate(report.comparison.rows, start=FIRST_ROW - 1):
        total = line_row.total
        values = [
            line_row.line.number,
            line_row.line.title,
            total.planned,
            total.actual,
            total.deviation,
            line_row.explanation,
        ]
        _write_row(sheet, formats, row, values, widths, formats.text)


def _corrections_sheet(workbook, formats: Formats, report: AccountsReport) -> None:
    """KDD's corrections of the accepted accounts: when, by whom, what changed and why."""
    sheet = workbook.add_worksheet(_("Rettingar"))
    headers = [_("Tid"), _("Retta av"), _("Endringar"), _("Grunngjeving")]
    widths = [18, 30, 60, 60]
    _start(sheet, formats, report, _("Rettingar etter godkjenninga"), headers, widths)
    for row, correction in enumerate(report.corrections, start=FIRST_ROW - 1):
        who = correction.user
        values = [
            timezone.localtime(correction.at).strftime("%d.%m.%Y %H:%M"),
            (who.get_full_name() or who.get_username()) if who else "–",
            correction.changes,
            correction.reason,
        ]
        _write_row(sheet, formats, row, values, widths, formats.text)


def _chart_sheet(workbook, formats: Formats, report: AccountsReport) -> None:
    """Planned against actual per sub-goal and year, as a table and a column chart."""
    name = _("Per delmål og år")
    sheet = workbook.add_worksheet(name)
    headers = [_("Delmål"), _("År"), _("Budsjett i godkjend plan"), _("Rekneskap")]
    widths = [45, 8, 18, 18]
    _start(sheet, formats, report, _("Planlagt mot brukt per delmål og år"), headers, widths)
    row = FIRST_ROW - 1
    for group in report.chart:
        for bar in group.bars:
            _write_row(
                sheet,
                formats,
                row,
                [group.title, bar.year, bar.planned, bar.actual],
                widths,
                formats.text,
            )
            row += 1
    if row == FIRST_ROW - 1:
        return
    chart = workbook.add_chart({"type": "column"})
    first, last = FIRST_ROW - 1, row - 1
    for column, title in ((2, headers[2]), (3, headers[3])):
        chart.add_series(
            {
                "name": title,
                "categories": [name, first, 0, last, 1],
                "values": [name, first, column, last, column],
            }
        )
    chart.set_title({"name": _("Planlagt mot brukt per delmål og år")})
    sheet.insert_chart(row + 1, 0, chart)


@dataclass(frozen=True)
class AccountsUpload:
    """What an uploaded workbook would change in the year's accounts, and where it has the
    approved plan's figures changed, which are not read back (the plan changes only through
    its revision)."""

    changes: list[SpendingChange]
    ignored: list[str]


def read_accounts_workbook(agreement: Agreement, year: int, data: bytes) -> AccountsUpload:
    """The changes the workbook's «Rekneskap» columns make to the year's accounts, or
    WorkbookError naming every problem."""
    deadline = time.monotonic() + MAX_SECONDS
    comparison = Comparison.of(agreement, year)
    lines = {row.line.number: row for row in comparison.rows}
    with translation.override(agreement.language):
        name = accounts_sheet_name(year)
        actual = {actual_header(s.name): s for s in comparison.sources}
        planned = {planned_header(s.name): i for i, s in enumerate(comparison.sources)}
    workbook = open_workbook(data)
    problems: list[str] = []
    try:
        rows = sheet_cells(workbook, name, problems, deadline)
    finally:
        workbook.close()
    wanted, ignored = {}, []
    if rows is not None:
        columns, plan_columns = {}, {}
        for column, value in _header(rows).items():
            if value in actual:
                columns[column] = actual[value]
            elif value in planned:
                plan_columns[column] = planned[value]
            else:
                words = {"where": located(name, HEADER_ROW, column), "value": value}
                problems.append(_("%(where)s: ukjend kolonne «%(value)s».") % words)
        for row_number, row in _body(rows):
            line_row = _line_of(name, row_number, row.get(1), lines, problems)
            for column, source in columns.items() if line_row else []:
                where = located(name, row_number, column)
                wanted[(line_row.line, source)] = _kroner(row.get(column), where, problems)
            for column, index in plan_columns.items() if line_row else []:
                if _edited(row.get(column), line_row.cells[index].planned):
                    ignored.append(located(name, row_number, column))
    if problems:
        raise WorkbookError(problems)
    current = Spending.objects.cells(comparison.accounts)
    changes = [
        SpendingChange(line, source, current.get((line.pk, source.pk)), kroner)
        for (line, source), kroner in wanted.items()
        if (current.get((line.pk, source.pk)) or None) != (kroner or None)
    ]
    return AccountsUpload(changes, ignored)


def _edited(value, approved: int) -> bool:
    """A plan figure in the file is not the approved plan's (empty counts as 0)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return bool(approved)
    return not isinstance(value, int | float) or isinstance(value, bool) or value != approved
