"""Opening an uploaded workbook and reading its sheets' cells, bounded before and while it runs.

Anyone with an editor's login can upload anything, so the reading is bounded before it starts
and while it runs: the file's size, its unpacked size and its number of XML elements (what
openpyxl's parse costs grows with, when it loads the workbook), then, sheet by sheet, the rows
and columns actually found (not those the file's `dimension` claims) and the time taken.
Every problem is named by sheet, row and column.
"""

from __future__ import annotations

import re
import time
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

MAX_UPLOAD_BYTES = settings.UPLOAD_MAX_BYTES
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
MAX_PARTS = 100
# The downloaded workbook has about 2,000 elements; one of a plan fifty times the seed's, 40,000.
MAX_ELEMENTS = 250_000
MAX_ROWS = 1000
MAX_COLUMNS = 100
MAX_SECONDS = 10.0


class WorkbookError(Exception):
    """The workbook cannot be read; `problems` says where, in Nynorsk."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Unreadable:
    """A cell that holds no value the reader can use, and why.

    A malformed cell is a problem wherever it is; a formula without a stored value, or an error
    value such as #DIV/0!, only where the reader uses the cell (the totals in column C are
    formulas the writer leaves uncomputed).
    """

    reason: str
    malformed: bool = False


NO_STORED_VALUE = gettext_lazy(
    "formelen har ingen lagra verdi, så beløpet er ukjent. Opne fila i Excel eller LibreOffice "
    "og lagre ho (då blir formelen rekna ut), eller skriv inn talet."
)


def open_workbook(data: bytes) -> openpyxl.Workbook:
    """The workbook, opened for streaming, once the file has passed every limit."""
    if len(data) > MAX_UPLOAD_BYTES:
        words = {"limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        raise WorkbookError([_("Fila er for stor (over %(limit)s MB).") % words])
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            _check_size(archive)
        # defusedxml is installed, so openpyxl parses the XML safely.
        return openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    except WorkbookError:
        raise
    except zipfile.BadZipFile as error:
        raise WorkbookError([_broken_zip(error)]) from error
    except Exception as error:
        raise WorkbookError(
            [_("Fila kan ikkje opnast som Excel-arbeidsbok: %(why)s") % {"why": _why(error)}]
        ) from error


def _check_size(archive: zipfile.ZipFile) -> None:
    """Refuse a file that unpacks, or parses, into far more than a workbook of a plan."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        words = {"parts": len(parts), "limit": MAX_PARTS}
        raise WorkbookError(
            [_("Fila har %(parts)s delar; ei Excel-fil har under %(limit)s.") % words]
        )
    if sum(part.file_size for part in parts) > MAX_UNZIPPED_BYTES:
        limit = MAX_UNZIPPED_BYTES // 1024 // 1024
        words = {"limit": limit}
        problem = _("Fila pakkar seg ut til meir enn %(limit)s MB og blir ikkje lesen.") % words
        raise WorkbookError([problem])
    # zipfile unpacks no part beyond the size it claims, and checks each part's CRC.
    elements = {part.filename: _count_elements(archive, part) for part in parts}
    if sum(elements.values()) > MAX_ELEMENTS:
        largest = max(elements, key=elements.get)
        words = {
            "elements": sum(elements.values()),
            "in_part": elements[largest],
            "part": largest,
            "limit": MAX_ELEMENTS,
        }
        raise WorkbookError(
            [
                _(
                    "Fila har %(elements)s XML-element, %(in_part)s av dei i delen «%(part)s»; "
                    "ei handlingsplan-fil har under %(limit)s."
                )
                % words
            ]
        )


def _count_elements(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    """About how many XML elements a part has: its tags, counted a megabyte at a time."""
    count = 0
    with archive.open(part) as source:
        while piece := source.read(1024 * 1024):
            count += piece.count(b"<")
    return count


def _broken_zip(error: Exception) -> str:
    return _(
        "Fila er ikkje ei Excel-fil (.xlsx) som kan lesast: ho er ikkje eit heilt zip-arkiv "
        "(øydelagd eller avkutta: %(error)s)."
    ) % {"error": error}


def _why(error: Exception) -> str:
    """What is wrong with a part of the file, as far as the parser says, in Nynorsk.

    openpyxl wraps what went wrong in a ValueError of its own: the cause says more.
    """
    for cause in _causes(error):
        if isinstance(cause, DefusedXmlException):
            return _("XML-en har ein DTD eller einingar (entities), og slikt blir ikkje lese.")
        if isinstance(cause, ParseError):
            return _("XML-en er øydelagd eller sluttar midt i (%(cause)s).") % {"cause": cause}
        if isinstance(cause, zipfile.BadZipFile | zlib.error | EOFError):
            return _("zip-arkivet er øydelagt eller avkutta (%(cause)s).") % {"cause": cause}
        if isinstance(cause, KeyError):
            return _("ein del manglar (%(cause)s).") % {"cause": cause}
    words = {"kind": type(error).__name__, "error": error}
    return _("innhaldet følgjer ikkje Excel-formatet (%(kind)s: %(error)s).") % words


def _causes(error: BaseException | None):
    """The error, then what caused it, and so on."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


class _SheetParser(WorkSheetParser):
    """openpyxl's parser of one sheet, naming each cell it cannot read instead of failing
    midway, and marking a formula without a stored result instead of reading it as empty."""

    def parse_cell(self, element) -> dict:
        try:
            problem = self._bad_date(element)
            cell = None if problem else super().parse_cell(element)
        except Exception as error:  # a malformed value, style or reference in this one cell
            problem, cell = _bad_cell(element, error), None
        if cell is None:
            row, column = self._place(element)
            return {"row": row, "column": column, "value": Unreadable(problem, malformed=True)}
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = Unreadable(NO_STORED_VALUE)
        elif cell["data_type"] == "e":
            cell["value"] = Unreadable(_("cella viser feilen %(error)s") % {"error": cell["value"]})
        return cell

    def _bad_date(self, element) -> str | None:
        """A date cell's serial number outside every date (openpyxl would only warn)."""
        raw = element.findtext(VALUE_TAG)
        style = int(element.get("s", 0) or 0)
        if element.get("t", "n") != "n" or raw is None or style not in self.date_formats:
            return None
        try:
            from_excel(float(raw), self.epoch, timedelta=style in self.timedelta_formats)
        except (OverflowError, ValueError):
            return _("«%(value)s» er ikkje ein gyldig dato.") % {"value": raw[:40]}
        return None

    def _place(self, element) -> tuple[int, int]:
        """The cell's row and column: by its reference, or by counting if that is broken."""
        try:
            row, column = coordinate_to_tuple(element.get("r") or "")
        except (ValueError, TypeError):
            row, column = self.row_counter, self.col_counter + 1
        self.col_counter = column
        return row, column


def _bad_cell(element, error: Exception) -> str:
    """Why openpyxl could not read a cell, by the kind of value the cell says it holds."""
    raw = (element.findtext(VALUE_TAG) or "")[:40]
    reference = element.get("r")
    if reference is not None and not re.fullmatch(r"[A-Z]{1,3}[0-9]{1,7}", reference):
        return _("cellereferansen «%(reference)s» er ugyldig.") % {"reference": reference[:20]}
    kind = element.get("t", "n")
    words = {"value": raw}
    if kind == "n":
        return _("«%(value)s» er ikkje eit gyldig tal.") % words
    if kind == "d":
        return _("«%(value)s» er ikkje ein gyldig dato.") % words
    if kind == "s":
        return _("cella viser til tekst nummer «%(value)s», som ikkje finst i fila.") % words
    if kind == "b":
        return _("«%(value)s» er ikkje ein gyldig sannverdi.") % words
    return _("cella kan ikkje lesast (%(kind)s).") % {"kind": type(error).__name__}


def _parser(sheet) -> _SheetParser:
    """A parser of the sheet's XML, set up as openpyxl's read-only worksheet sets up its own
    (`ReadOnlyWorksheet._cells_by_row`), which gives no way to name a bad cell."""
    workbook = sheet.parent
    return _SheetParser(
        sheet._get_source(),
        sheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )


# Broken XML or zip data, or a malformed row or other element of a sheet (openpyxl's parser
# raises ValueError, TypeError or KeyError for those; defusedxml's refusals are ValueErrors).
BROKEN_SHEET = (
    ParseError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ValueError,
    TypeError,
    KeyError,
)


def sheet_cells(workbook, name: str, problems: list[str], deadline: float) -> dict | None:
    """The sheet's cells with a value, as {row: {column: value}}, read within the limits;
    None if the sheet is missing. A sheet that breaks off is a problem naming the last row."""
    if name not in workbook.sheetnames:
        problems.append(_("Arket «%(sheet)s» manglar i fila.") % {"sheet": name})
        return None
    rows: dict[int, dict[int, object]] = {}
    parser = _parser(workbook[name])
    try:
        for count, (row, cells) in enumerate(parser.parse(), start=1):
            if time.monotonic() > deadline:
                words = {"sheet": name, "limit": f"{MAX_SECONDS:g}"}
                problems.append(
                    _("Arket «%(sheet)s» tok for lang tid å lese (over %(limit)s s).") % words
                )
                break
            values = {cell["column"]: cell["value"] for cell in cells if cell["value"] is not None}
            if problem := _out_of_bounds(name, count, row, values):
                problems.append(problem)
                break
            rows[row] = values
    except BROKEN_SHEET as error:
        last = max(rows, default=0)
        words = {"sheet": name, "row": last, "why": _why(error)}
        problems.append(_("Arket «%(sheet)s» kan ikkje lesast etter rad %(row)s: %(why)s") % words)
    finally:
        parser.source.close()
    _unreadable_anywhere(name, rows, problems)
    return rows


def _out_of_bounds(name: str, count: int, row: int, values: dict) -> str | None:
    """The problem with a row beyond the rows and columns a plan's sheet can have, if any."""
    if count > MAX_ROWS:
        words = {"sheet": name, "limit": MAX_ROWS}
        return (
            _("Arket «%(sheet)s» har meir enn %(limit)s rader; eit budsjettark har nokre titals.")
            % words
        )
    if values and row > MAX_ROWS:
        words = {"where": located(name, row, min(values)), "limit": MAX_ROWS}
        return _("%(where)s: arket går ut over rad %(limit)s.") % words
    if wide := [column for column in values if column > MAX_COLUMNS]:
        words = {"where": located(name, row, min(wide)), "limit": MAX_COLUMNS}
        return _("%(where)s: arket går ut over kolonne %(limit)s.") % words
    return None


def _unreadable_anywhere(name: str, rows: dict, problems: list[str]) -> None:
    """Every malformed cell is a problem, used or not: the sheet is not what Excel writes."""
    for row, values in rows.items():
        for column, value in values.items():
            if isinstance(value, Unreadable) and value.malformed:
                problems.append(f"{located(name, row, column)}: {value.reason}")
                values[column] = None


def located(sheet: str, row: int, column: int) -> str:
    """Where a cell is, as a problem names it: sheet, row and column letter."""
    words = {"sheet": sheet, "row": row, "column": get_column_letter(column)}
    return _("Arket «%(sheet)s», rad %(row)s, kolonne %(column)s") % words
