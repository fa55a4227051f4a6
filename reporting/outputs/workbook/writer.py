"""The plan's tables as an Excel workbook (XlsxWriter): measures, changes, budget, financing,
approvals.

Built from the same Report context as the PDF, for a case officer who reads it on screen or
prints it: every sheet names the agreement, the year and the unit, prints landscape one page
wide with its header row on every page, and its rows are as high as their wrapped text.
Totals are formulas stored together with their values, so every reader sees the numbers and
Excel recomputes them after an edit. The budget and financing sheets can be uploaded back
(reader.py reads them; layout.py says where everything is).
"""

from __future__ import annotations

import datetime
import textwrap
from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from budget.tables import Row, Table
from reporting.outputs.context import Report, ReportMeasure
from reporting.revision.changes import FieldChange

from .layout import (
    APPROVALS_SHEET,
    BUDGET_SHEET,
    CHANGES_SHEET,
    FIRST_ROW,
    FIRST_VALUE_COLUMN,
    HEADER_ROW,
    MEASURES_SHEET,
    financing_sheet_name,
)

KRONER = "#,##0"
DATE = "dd.mm.yyyy"
A4 = 9
LINE_POINTS = 15  # the height of one line of 11-point text
# A changed text longer than this is written with its old and new wording on lines of their own.
QUOTED_CHANGE = 80
# The change kind of a closed measure, before it is worded with its date.
CLOSED = object()


class Formats:
    """The workbook's cell formats, made once; kroner formats carry their footnote marker."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        cell = {"valign": "top", "border": 1, "border_color": "#BFBFBF"}
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.subject = workbook.add_format({"bold": True})
        self.note = workbook.add_format({"italic": True, "font_color": "#404040"})
        self.header = workbook.add_format(
            {**cell, "bold": True, "bg_color": "#DDEAF6", "text_wrap": True}
        )
        self.text = workbook.add_format({**cell, "text_wrap": True})
        self.bold_text = workbook.add_format({**cell, "text_wrap": True, "bold": True})
        self.date = workbook.add_format({**cell, "num_format": DATE})
        self.footnote = workbook.add_format({"text_wrap": True, "valign": "top"})
        self._cell = cell
        self._kroner: dict[tuple[str, bool], Format] = {}

    def kroner(self, marker: str = "", bold: bool = False) -> Format:
        """Whole kroner; a footnote marker is shown after the number and the cell stays a number."""
        key = (marker, bold)
        if key not in self._kroner:
            shown = KRONER + (f'"{marker.replace(chr(34), "")}"' if marker else "")
            self._kroner[key] = self._workbook.add_format(
                {**self._cell, "num_format": shown, "bold": bold}
            )
        return self._kroner[key]


def report_workbook(report: Report) -> bytes:
    """The workbook for one agreement and year, as .xlsx bytes, in the agreement's målform."""
    with translation.override(report.language):
        return _workbook(report)


def _workbook(report: Report) -> bytes:
    buffer = BytesIO()
    # Text is always written as text: "=..." typed by a user never becomes a formula or link.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with Workbook(buffer, options) as workbook:
        workbook.set_properties({"title": report.title, "author": "Bygdevekst"})
        formats = Formats(workbook)
        _measures_sheet(workbook.add_worksheet(str(MEASURES_SHEET)), formats, report)
        _changes_sheet(workbook.add_worksheet(str(CHANGES_SHEET)), formats, report)
        _table_sheet(workbook.add_worksheet(BUDGET_SHEET), formats, report, report.allocation, None)
        _table_sheet(
            workbook.add_worksheet(financing_sheet_name(report.year)),
            formats,
            report,
            report.financing,
            report.state_source,
        )
        _approvals_sheet(workbook.add_worksheet(str(APPROVALS_SHEET)), formats, report)
    return buffer.getvalue()


# --- what every sheet has ----------------------------------------------------------------------


def _start(
    sheet: Worksheet,
    formats: Formats,
    report: Report,
    subject: str,
    headers: list,
    widths: list[int],
    unit: str = "",
) -> None:
    """Title block, header row, column widths, and the print set-up."""
    state = f"{report.dated_as} {report.dated:%d.%m.%Y}"
    sheet.write_string(0, 0, report.title, formats.title)
    sheet.write_string(1, 0, subject, formats.subject)
    sheet.write_string(2, 0, f"{state}.{' ' + unit if unit else ''}", formats.note)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    _write_row(sheet, formats, HEADER_ROW - 1, headers, widths, formats.header)
    sheet.freeze_panes(HEADER_ROW, 0)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages long as it takes
    sheet.repeat_rows(HEADER_ROW - 1)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    name = sheet.get_name().replace("&", "&&")
    title = report.title.replace("&", "&&")
    page = _("Side %(page)s av %(pages)s") % {"page": "&P", "pages": "&N"}
    sheet.set_footer(f"&L{title} – {name}&R{page}")


def _write_row(
    sheet: Worksheet, formats: Formats, row: int, values: list, widths: list[int], style: Format
) -> None:
    """A row of text, numbers, dates and blanks, as high as its most wrapped cell."""
    for column, value in enumerate(values):
        if value is None or value == "":
            sheet.write_blank(row, column, None, style)
        elif isinstance(value, int) and not isinstance(value, bool):
            sheet.write_number(row, column, value, style)
        elif isinstance(value, datetime.date):
            sheet.write_datetime(row, column, value, formats.date)
        else:
            sheet.write_string(row, column, str(value), style)
    texts = [(str(v), w) for v, w in zip(values, widths, strict=False) if isinstance(v, str)]
    sheet.set_row(row, _height(texts))


def _height(texts: list[tuple[str, float]]) -> float:
    """Points for the tallest of these texts wrapped in columns of these widths.

    An estimate on the safe side: a column width counts digits ("0") of the default font, and
    average text is some 15 % narrower in Calibri (Excel) and its metric twin Carlito
    (LibreOffice); a line is taken to hold 10 % more characters than the width, less one.
    """
    lines = 1
    for text, width in texts:
        per_line = max(int(width * 1.1) - 1, 1)
        wrapped = sum(
            max(len(textwrap.wrap(part, per_line, break_long_words=True)), 1)
            for part in text.splitlines() or [""]
        )
        lines = max(lines, wrapped)
    return lines * LINE_POINTS + 2


# --- the sheets ----------------------------------------------------------------------------------


def _measures_sheet(sheet: Worksheet, formats: Formats, report: Report) -> None:
    headers = [
        _("Nr."),
        _("Tiltak"),
        _("Delmål"),
        _("Hovudansvarleg"),
        _("Samarbeidspartar"),
        _("Tidsramme"),
        _("Prioritet"),
        _("Status"),
    ]
    widths = [6, 40, 28, 28, 36, 13, 15, 13]
    _start(sheet, formats, report, _("Tiltak i handlingsplanen"), headers, widths)
    row = FIRST_ROW - 1
    for goal in report.sub_goals:
        for measure in goal.measures:
            values = [
                measure.code,
                measure.title,
                f"{goal.number}. {goal.title}",
                measure.leads,
                measure.partners,
                measure.timeframe,
                measure.priority_label,
                measure.closed_label if measure.closed_on else measure.status_label,
            ]
            _write_row(sheet, formats, row, values, widths, formats.text)
            row += 1


def _changes_sheet(sheet: Worksheet, formats: Formats, report: Report) -> None:
    """Every measure: what changed since the last approved plan, why, and its yearly status."""
    headers = [
        _("Nr."),
        _("Tiltak"),
        _("Endring"),
        _("Kva er endra"),
        _("Grunngjeving eller vurdering"),
        _("Status %(year)s") % {"year": report.year},
        _("Framdrift"),
    ]
    widths = [6, 32, 14, 40, 45, 13, 35]
    if report.base_year is None:
        subject = _("Første handlingsplan i avtaleperioden: ingen endringar å gjere greie for")
    else:
        subject = _(
            "Endringar sidan handlingsplan %(base)s, med grunngjevingar og vurderingar slik dei "
            "er skrivne, og status %(year)s for kvart tiltak"
        ) % {"base": report.base_year, "year": report.year}
    _start(sheet, formats, report, subject, headers, widths)
    row = FIRST_ROW - 1
    for values in _measure_changes(report):
        _write_row(sheet, formats, row, values, widths, formats.text)
        row += 1
    if report.base_year is None:
        return
    goals = [
        ["", title, "", _described(change)]
        for title, fields in report.changes.sub_goals
        for change in fields
    ]
    if goals:
        sheet.write_string(row + 1, 1, _("Endringar i delmåla"), formats.subject)
        row += 2
        for values in goals:
            _write_row(sheet, formats, row, values, widths, formats.text)
            row += 1
    if report.changes.budget_rows:
        _budget_changes(sheet, formats, row + 1, report.changes.budget_rows, widths)


def _budget_changes(sheet: Worksheet, formats: Formats, row: int, changes, widths) -> None:
    """The changed amounts and their sums, as numbers (kroner) before, now and the change."""
    sheet.write_string(row, 1, _("Endringar i budsjettet"), formats.subject)
    headers = ["", _("Budsjettline, år og kjelde"), "", _("Før (kr)"), _("No (kr)"), _("Endring")]
    _write_row(sheet, formats, row + 1, headers, widths, formats.header)
    row += 2
    for change in changes:
        style = formats.kroner(bold=change.is_sum)
        label = formats.bold_text if change.is_sum else formats.text
        _write_row(sheet, formats, row, ["", change.label], widths, label)
        for column, kroner in ((3, change.old), (4, change.new), (5, change.difference)):
            if kroner is None:
                sheet.write_blank(row, column, None, style)
            else:
                sheet.write_number(row, column, kroner, style)
        row += 1
    note = _(
        "Summane merkte «alle kjelder» tel pengar frå alle finansieringskjeldene, som tabellen "
        "i kapittel 7. Summane merkte «statleg medfinansiering» tel berre den statlege "
        "medfinansieringa, som tabellen i kapittel 6."
    )
    sheet.write_string(row + 1, 1, note, formats.note)


def _measure_changes(report: Report) -> list[list]:
    """One row per measure of the plan, then the closed ones that have left it."""
    if report.base_year is None:  # the first plan: nothing to compare with
        return [_measure_change(report, m, ("", "")) for m in report.measures()]
    changes = report.changes
    marks = {m.key: (_("Ny"), "") for m in changes.new}
    marks |= {
        m.key: (_("Endra"), "\n".join(_described(c) for c in m.changes)) for m in changes.changed
    }
    marks |= {m.key: (CLOSED, "") for m in changes.closed}
    rows = [_measure_change(report, m, marks.get(m.key, ("", ""))) for m in report.measures()]
    for gone in changes.closed:
        if gone.removed:
            note = report.notes.get(gone.key)
            rows.append(
                [gone.code, gone.title, _("Avslutta"), _("Teke ut av planen"), note and note.text]
            )
    return rows


def _measure_change(report: Report, measure: ReportMeasure, mark: tuple[str, str]) -> list:
    """The measure's change, the reason or assessment as written, and its yearly status."""
    kind, what = mark
    if kind is CLOSED:
        kind = measure.closed_label  # "Avslutta 01.03.2026", or "Avslutta" without a date
    note = report.notes.get(measure.key) if kind else None
    progress = measure.progress
    return [
        measure.code,
        measure.title,
        kind,
        what,
        note.text if note else "",
        progress.get_state_display() if progress else "",
        progress.text if progress else "",
    ]


def _described(change: FieldChange) -> str:
    """A changed field as "label: old → new"; a long text with its old and new wording, each
    on lines of its own."""
    if max(len(change.old), len(change.new)) > QUOTED_CHANGE or "\n" in change.old + change.new:
        return _("%(label)s\nFør: %(old)s\nNo: %(new)s") % {
            "label": change.label,
            "old": change.old or "–",
            "new": change.new or "–",
        }
    return f"{change.label}: {change.old or '–'} → {change.new or '–'}"


def _table_sheet(
    sheet: Worksheet, formats: Formats, report: Report, table: Table, state: str | None
) -> None:
    """Nr., title, total, one column per year or source; a SUM row; footnotes below."""
    labels = [int(label) if label.isdigit() else label for label in table.column_labels]
    headers = [_("Nr."), _("Delmål"), _("Totalbudsjett"), *labels]
    widths = [6, 45, 16, *[16] * len(labels)]
    unit = _("Alle beløp i kr.")
    if state:
        unit = _("Statleg medfinansiering: %(source)s.") % {"source": state} + f" {unit}"
    _start(sheet, formats, report, table.caption, headers, widths, unit)
    for row, line in enumerate(table.rows, start=FIRST_ROW - 1):
        sheet.write_number(row, 0, line.number, formats.text)
        sheet.write_string(row, 1, line.title, formats.text)
        _line_amounts(sheet, formats, row, line)
        sheet.set_row(row, _height([(line.title, widths[1])]))
    sum_row = FIRST_ROW - 1 + len(table.rows)
    _sum_row(sheet, formats, sum_row, table)
    for row, note in enumerate(table.footnotes, start=sum_row + 2):
        text = f"{note.marker}{note.text.strip()}"
        sheet.merge_range(row, 1, row, len(widths) - 1, text, formats.footnote)
        sheet.set_row(row, _height([(text, sum(widths[1:]))]))


def _line_amounts(sheet: Worksheet, formats: Formats, row: int, line: Row) -> None:
    """A line's total (a formula across its cells, with its value) and its cells."""
    first = xl_col_to_name(FIRST_VALUE_COLUMN - 1)
    last = xl_col_to_name(FIRST_VALUE_COLUMN - 2 + len(line.cells))
    total = f"=SUM({first}{row + 1}:{last}{row + 1})"
    sheet.write_formula(row, 2, total, formats.kroner(line.markers.get("total", "")), line.total)
    cells = zip(line.cells, line.column_keys, strict=True)
    for column, (cell, key) in enumerate(cells, start=FIRST_VALUE_COLUMN - 1):
        style = formats.kroner(line.markers.get(key, ""))
        if cell is None:
            sheet.write_blank(row, column, None, style)
        else:
            sheet.write_number(row, column, cell, style)


def _sum_row(sheet: Worksheet, formats: Formats, row: int, table: Table) -> None:
    """SUM: each column's formula down the lines, with its value (zeros without lines)."""
    sheet.write_blank(row, 0, None, formats.bold_text)
    sheet.write_string(row, 1, _("SUM"), formats.bold_text)
    values = [table.total, *table.sum_row.cells]
    keys = ["total", *table.column_keys]
    for column, (value, key) in enumerate(zip(values, keys, strict=True), start=2):
        style = formats.kroner(table.sum_row.markers.get(key, ""), bold=True)
        if not table.rows:
            sheet.write_number(row, column, 0, style)
            continue
        letter = xl_col_to_name(column)
        formula = f"=SUM({letter}{FIRST_ROW}:{letter}{row})"
        sheet.write_formula(row, column, formula, style, value)


def _approvals_sheet(sheet: Worksheet, formats: Formats, report: Report) -> None:
    headers = [
        _("Samarbeidspart"),
        _("Organ"),
        _("Planlagt møte"),
        _("Vedtak"),
        _("Vedteke"),
        _("Saksnummer"),
    ]
    widths = [36, 30, 14, 18, 14, 16]
    _start(sheet, formats, report, _("Politisk handsaming"), headers, widths)
    for row, approval in enumerate(report.approvals, start=FIRST_ROW - 1):
        values = [
            approval.organisation.name,
            approval.get_body_display(),
            approval.planned_on,
            approval.get_decision_display(),
            approval.decided_on,
            approval.case_reference,
        ]
        _write_row(sheet, formats, row, values, widths, formats.text)
