"""Reading the budget and financing sheets of an uploaded workbook back into the plan.

The workbook is the one writer.py writes, laid out as layout.py says: sheet "Budsjett" (the
state co-financing per line and year) and "Finansiering ÅÅÅÅ" (every source per line for one
year). Every problem is named by sheet, row and column, and nothing is applied unless the whole
file is valid.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO

import openpyxl
from openpyxl.utils import get_column_letter

from budget.models import Amount, BudgetLine, FundingSource
from measures.models import Agreement

from .layout import BUDGET_SHEET, FIRST_VALUE_COLUMN, HEADER_ROW, financing_sheet_name

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class CellChange:
    line: BudgetLine
    year: int
    source: FundingSource
    old: int | None
    new: int | None


class WorkbookError(Exception):
    """The workbook cannot be read; `problems` says where, in Nynorsk."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def read_budget_workbook(agreement: Agreement, data: bytes, year: int) -> list[CellChange]:
    """The changes the workbook makes to the agreement's amounts, or WorkbookError."""
    workbook = _open(data)
    lines = {line.number: line for line in BudgetLine.objects.filter(agreement=agreement)}
    sources = list(FundingSource.objects.filter(agreement=agreement))
    state = next((s for s in sources if s.is_state_cofinancing), None)
    problems: list[str] = []
    wanted: dict[tuple[int, int, int], int | None] = {}
    if state is not None:
        _read_budget_sheet(workbook, agreement, lines, state, wanted, problems)
    _read_financing_sheet(workbook, year, lines, sources, state, wanted, problems)
    if problems:
        raise WorkbookError(problems)
    return _changes(agreement, wanted, lines, sources)


def _open(data: bytes) -> openpyxl.Workbook:
    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkbookError([f"Fila er for stor (over {MAX_UPLOAD_BYTES // 1024 // 1024} MB)."])
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise WorkbookError(["Fila pakkar seg ut til meir enn 50 MB og blir ikkje lesen."])
        # defusedxml is installed, so openpyxl parses the XML safely.
        return openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    except WorkbookError:
        raise
    except Exception as error:
        raise WorkbookError(["Fila er ikkje ei Excel-fil (.xlsx) som kan lesast."]) from error


def _sheet(workbook, name: str, problems: list[str]):
    if name not in workbook.sheetnames:
        problems.append(f"Arket «{name}» manglar i fila.")
        return None
    return workbook[name]


def _where(sheet: str, row: int, column: int) -> str:
    return f"Arket «{sheet}», rad {row}, kolonne {get_column_letter(column)}"


def _kroner(value, where: str, problems: list[str]) -> int | None:
    """A cell as whole kroner: empty is none; text, fractions and negatives are problems."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{where}: «{value}» er tekst, ikkje eit beløp.")
        return None
    if value != int(value):
        problems.append(f"{where}: {value} er ikkje heile kroner.")
        return None
    if value < 0:
        problems.append(f"{where}: beløpet {int(value)} er negativt.")
        return None
    return int(value)


def _line_of(sheet_name: str, row_number: int, value, lines: dict, problems: list[str]):
    """The budget line a row is about, by its number in column A; None for the SUM row."""
    if value is None:
        return None
    if not isinstance(value, int | float) or int(value) not in lines:
        problems.append(f"{_where(sheet_name, row_number, 1)}: ukjend budsjettline «{value}».")
        return None
    return lines[int(value)]


def _read_budget_sheet(workbook, agreement, lines, state, wanted, problems) -> None:
    sheet = _sheet(workbook, BUDGET_SHEET, problems)
    if sheet is None:
        return
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else ()
    years = {}
    for column, value in enumerate(header[FIRST_VALUE_COLUMN - 1 :], start=FIRST_VALUE_COLUMN):
        if value is None:
            continue
        year = int(value) if isinstance(value, int | float) or str(value).isdigit() else None
        if year is None or year not in agreement.years:
            problems.append(
                f"{_where(BUDGET_SHEET, HEADER_ROW, column)}: «{value}» er ikkje eit år i "
                f"avtaleperioden {agreement.period}."
            )
            continue
        years[column] = year
    for row_number, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        line = _line_of(BUDGET_SHEET, row_number, row[0] if row else None, lines, problems)
        if line is None:
            continue
        for column, year in years.items():
            value = row[column - 1] if len(row) >= column else None
            kroner = _kroner(value, _where(BUDGET_SHEET, row_number, column), problems)
            wanted[(line.pk, year, state.pk)] = kroner


def _read_financing_sheet(workbook, year, lines, sources, state, wanted, problems) -> None:
    name = financing_sheet_name(year)
    sheet = _sheet(workbook, name, problems)
    if sheet is None:
        return
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else ()
    by_name = {source.name: source for source in sources}
    columns = {}
    for column, value in enumerate(header[FIRST_VALUE_COLUMN - 1 :], start=FIRST_VALUE_COLUMN):
        if value is None:
            continue
        if value not in by_name:
            problems.append(
                f"{_where(name, HEADER_ROW, column)}: ukjend finansieringskjelde «{value}»."
            )
            continue
        columns[column] = by_name[value]
    for row_number, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        line = _line_of(name, row_number, row[0] if row else None, lines, problems)
        if line is None:
            continue
        for column, source in columns.items():
            value = row[column - 1] if len(row) >= column else None
            kroner = _kroner(value, _where(name, row_number, column), problems)
            key = (line.pk, year, source.pk)
            if source == state and key in wanted and wanted[key] != kroner:
                problems.append(
                    f"{_where(name, row_number, column)}: {source.name} er {kroner or 0} her, men "
                    f"{wanted[key] or 0} i arket «{BUDGET_SHEET}» for {year}. Rett den eine."
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


def apply_changes(changes: list[CellChange]) -> None:
    """Write the changes; the caller wraps this in a transaction."""
    for change in changes:
        row = Amount.objects.filter(
            line=change.line, year=change.year, source=change.source
        ).first()
        if row is None and change.new:
            Amount.objects.create(
                line=change.line, year=change.year, source=change.source, kroner=change.new
            )
        elif row is not None and not change.new:
            row.delete()
        elif row is not None:
            row.kroner = change.new
            row.save(update_fields=["kroner"])
