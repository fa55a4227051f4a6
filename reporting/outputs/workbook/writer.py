"""The plan's tables as an Excel workbook (openpyxl): measures, budget, financing, approvals.

Built from the same Report context as the PDF. Totals are formulas, so they follow edits; the
budget and financing sheets can be uploaded back (reader.py reads them; layout.py is where).
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from budget.tables import Table
from reporting.outputs.context import Report

from .layout import (
    APPROVALS_SHEET,
    BUDGET_SHEET,
    FIRST_VALUE_COLUMN,
    MEASURES_SHEET,
    financing_sheet_name,
)

KRONER = "#,##0"
HEADER_FILL = PatternFill("solid", fgColor="DDEAF6")
BOLD = Font(bold=True)


def report_workbook(report: Report) -> bytes:
    """The workbook for one agreement and year, as .xlsx bytes."""
    workbook = Workbook()
    _measures_sheet(workbook.active, report)
    _table_sheet(workbook.create_sheet(BUDGET_SHEET), report.allocation, "Totalbudsjett")
    _table_sheet(
        workbook.create_sheet(financing_sheet_name(report.year)), report.financing, "Totalbudsjett"
    )
    _approvals_sheet(workbook.create_sheet(APPROVALS_SHEET), report)
    workbook.properties.title = report.title
    workbook.properties.creator = "Bygdevekst"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value) -> str | None:
    return None if value in (None, "") else str(value)


def _write_row(sheet: Worksheet, row: int, values: list) -> None:
    """Write a row; text is always text, so "=..." typed by a user never becomes a formula."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"


def _header(sheet: Worksheet, titles: list[str], widths: list[int]) -> None:
    _write_row(sheet, 1, titles)
    for column, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def _measures_sheet(sheet: Worksheet, report: Report) -> None:
    sheet.title = MEASURES_SHEET
    _header(
        sheet,
        [
            "Nr.",
            "Tiltak",
            "Delmål",
            "Hovudansvarleg",
            "Samarbeidspartar",
            "Tidsramme",
            "Prioritet",
            "Status",
        ],
        [7, 45, 40, 40, 50, 22, 26, 12],
    )
    row = 2
    for goal in report.sub_goals:
        for measure in goal.measures:
            _write_row(
                sheet,
                row,
                [
                    measure.code,
                    measure.title,
                    f"{goal.number}. {goal.title}",
                    measure.leads,
                    measure.partners,
                    measure.timeframe,
                    measure.priority_label,
                    measure.status_label,
                ],
            )
            for column in range(1, 9):
                sheet.cell(row=row, column=column).alignment = Alignment(
                    wrap_text=True, vertical="top"
                )
            row += 1


def _table_sheet(sheet: Worksheet, table: Table, total_label: str) -> None:
    """Nr., title, total (a formula), then one column per year or source; a SUM row of formulas."""
    columns = len(table.column_labels)
    _header(
        sheet, ["Nr.", "Delmål", total_label, *table.column_labels], [7, 45, 16, *[16] * columns]
    )
    first_value = get_column_letter(FIRST_VALUE_COLUMN)
    last_value = get_column_letter(3 + columns)
    for index, row in enumerate(table.rows, start=2):
        _write_row(sheet, index, [row.number, row.title])
        sheet.cell(row=index, column=3, value=f"=SUM({first_value}{index}:{last_value}{index})")
        for offset, value in enumerate(row.cells):
            sheet.cell(row=index, column=FIRST_VALUE_COLUMN + offset, value=value)
    sum_row = len(table.rows) + 2
    _write_row(sheet, sum_row, [None, "SUM"])
    for column in range(3, 4 + columns):
        letter = get_column_letter(column)
        sheet.cell(row=sum_row, column=column, value=f"=SUM({letter}2:{letter}{sum_row - 1})")
        sheet.cell(row=sum_row, column=column).font = BOLD
    sheet.cell(row=sum_row, column=2).font = BOLD
    for line in sheet.iter_rows(min_row=2, max_row=sum_row, min_col=3, max_col=3 + columns):
        for cell in line:
            cell.number_format = KRONER
    for offset, note in enumerate(table.footnotes, start=2):
        _write_row(sheet, sum_row + offset, [None, f"{note.marker}{note.text}"])


def _approvals_sheet(sheet: Worksheet, report: Report) -> None:
    _header(
        sheet,
        ["Samarbeidspart", "Organ", "Planlagt møte", "Vedtak", "Vedteke", "Saksnummer"],
        [36, 20, 14, 18, 14, 16],
    )
    for row, approval in enumerate(report.approvals, start=2):
        _write_row(
            sheet,
            row,
            [
                approval.organisation.name,
                approval.get_body_display(),
                approval.planned_on,
                approval.get_decision_display(),
                approval.decided_on,
                _text(approval.case_reference),
            ],
        )
        for column in (3, 5):
            sheet.cell(row=row, column=column).number_format = "DD.MM.YYYY"
