"""Hostile workbooks, generated from a downloaded one: each breaks one limit or one cell.

Every builder takes the bytes of a workbook as the app writes it and returns the hostile
file's bytes; `HOSTILE` pairs each with what the upload must answer. Nothing is stored as a
binary file. To look at them in Excel or LibreOffice, write them out from a downloaded file:

    python -m tests.hostile.workbooks handlingsplan.xlsx /tmp/hostile/
"""

from __future__ import annotations

import os
import re
import sys
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from reporting.outputs.workbook.layout import BUDGET_SHEET, FIRST_ROW, HEADER_ROW

BUDGET = BUDGET_SHEET
FIRST = FIRST_ROW  # the first line of the budget table
MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def _sheet_part(parts: dict[str, bytes], sheet: str) -> str:
    """The zip part holding the named sheet, found through the workbook's relationships."""
    workbook = parts["xl/workbook.xml"].decode()
    rel = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook)[1]
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rel}"', rels)
    target = target or re.search(rf'<Relationship [^>]*Id="{rel}"[^>]*Target="([^"]+)"', rels)
    return "xl/" + target[1].removeprefix("/xl/")


def edit_sheet(edit: Callable[[bytes], bytes], sheet: str = BUDGET) -> Callable[[bytes], bytes]:
    """A builder that changes the XML of one sheet."""

    def build(data: bytes) -> bytes:
        parts = _parts(data)
        name = _sheet_part(parts, sheet)
        parts[name] = edit(parts[name])
        return _zip(parts)

    return build


def cell(reference: str, xml: str) -> Callable[[bytes], bytes]:
    """A builder that puts raw cell XML in place of the cell (the cell must exist)."""

    def edit(sheet: bytes) -> bytes:
        pattern = rb'<c r="' + reference.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)'
        changed, count = re.subn(pattern, xml.encode(), sheet, count=1, flags=re.S)
        assert count == 1, f"no cell {reference} to replace"
        return changed

    return edit_sheet(edit)


def append_rows(rows: Callable[[], bytes], dimension: str | None = None):
    """A builder that adds rows at the end of the sheet's data (and a false dimension)."""

    def edit(sheet: bytes) -> bytes:
        if dimension:
            sheet = re.sub(
                rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), sheet
            )
        return sheet.replace(b"</sheetData>", rows() + b"</sheetData>", 1)

    return edit_sheet(edit)


def empty_rows(first: int, count: int) -> Callable[[], bytes]:
    return lambda: b"".join(
        b'<row r="%d" spans="1:16384"/>' % n for n in range(first, first + count)
    )


def small_rows(first: int, count: int) -> Callable[[], bytes]:
    return lambda: b"".join(
        b'<row r="%d"><c r="D%d"><v>1</v></c></row>' % (n, n) for n in range(first, first + count)
    )


def truncated_sheet(data: bytes) -> bytes:
    return edit_sheet(lambda sheet: sheet[: len(sheet) * 2 // 3])(data)


def truncated_file(data: bytes) -> bytes:
    return data[: len(data) // 2]


def entities_in_sheet(data: bytes) -> bytes:
    """Billion laughs: an entity that expands ten-fold, nine levels deep, used in a cell."""
    dtd = (
        '<!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
        + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
        + "]>"
    ).encode()

    def edit(sheet: bytes) -> bytes:
        declaration = re.match(rb"<\?xml[^>]*\?>", sheet)
        at = declaration.end() if declaration else 0
        sheet = sheet[:at] + dtd + sheet[at:]
        return sheet.replace(
            b"</sheetData>",
            b'<row r="30"><c r="B30" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>',
            1,
        )

    return edit_sheet(edit)(data)


def many_shared_strings(data: bytes) -> bytes:
    """300,000 one-letter texts: a few kilobytes zipped, seconds of parsing when loaded."""
    parts = _parts(data)
    parts["xl/sharedStrings.xml"] = (
        b"<sst " + MAIN + b">" + b"<si><t>a</t></si>" * 300_000 + b"</sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return _zip(parts)


def many_parts(data: bytes) -> bytes:
    parts = _parts(data)
    parts.update({f"customXml/item{n}.xml": b"<a/>" for n in range(150)})
    return _zip(parts)


def without_workbook_part(data: bytes) -> bytes:
    parts = _parts(data)
    del parts["xl/workbook.xml"]
    return _zip(parts)


def too_large(data: bytes) -> bytes:
    """A real workbook followed by 6 MB of noise that does not compress."""
    return data + os.urandom(6 * 1024 * 1024)


# Each hostile workbook and (part of) the message the upload answers with.
HOSTILE: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "dimension-claim-40000-empty-rows": (
        append_rows(empty_rows(20, 40_000), dimension="A1:XFD1048576"),
        "Arket «Budsjett» har meir enn 1000 rader",
    ),
    "million-small-rows": (
        append_rows(small_rows(20, 1_000_000)),
        "Fila pakkar seg ut til meir enn 20 MB og blir ikkje lesen.",
    ),
    "five-thousand-small-rows": (
        append_rows(small_rows(20, 5_000)),
        "Arket «Budsjett», rad 1001, kolonne D: arket går ut over rad 1000.",
    ),
    "value-in-column-xfd": (
        append_rows(lambda: b'<row r="20"><c r="XFD20"><v>5</v></c></row>'),
        "Arket «Budsjett», rad 20, kolonne XFD: arket går ut over kolonne 100.",
    ),
    "1e999": (
        cell(f"D{FIRST}", f'<c r="D{FIRST}"><v>1e999</v></c>'),
        f"Arket «Budsjett», rad {FIRST}, kolonne D: talet er for stort til å vere eit beløp.",
    ),
    "abc-in-a-number-cell": (
        cell(f"D{FIRST}", f'<c r="D{FIRST}" t="n"><v>abc</v></c>'),
        f"Arket «Budsjett», rad {FIRST}, kolonne D: «abc» er ikkje eit gyldig tal.",
    ),
    "superscript-two-as-year": (
        cell(f"E{HEADER_ROW}", f'<c r="E{HEADER_ROW}" t="inlineStr"><is><t>²</t></is></c>'),
        f"Arket «Budsjett», rad {HEADER_ROW}, kolonne E: «²» er ikkje eit år i avtaleperioden "
        "2025–2028.",
    ),
    "invalid-date-cell": (
        cell(f"D{FIRST + 1}", f'<c r="D{FIRST + 1}" t="d"><v>2025-02-30</v></c>'),
        f"Arket «Budsjett», rad {FIRST + 1}, kolonne D: «2025-02-30» er ikkje ein gyldig dato.",
    ),
    "formula-without-stored-value": (
        cell(f"D{FIRST}", f'<c r="D{FIRST}"><f>4000000+800000</f></c>'),
        f"Arket «Budsjett», rad {FIRST}, kolonne D: formelen har ingen lagra verdi",
    ),
    "error-value": (
        cell(f"D{FIRST}", f'<c r="D{FIRST}" t="e"><v>#DIV/0!</v></c>'),
        f"Arket «Budsjett», rad {FIRST}, kolonne D: cella viser feilen #DIV/0!",
    ),
    "missing-shared-string": (
        cell(f"B{FIRST}", f'<c r="B{FIRST}" t="s"><v>99999</v></c>'),
        f"Arket «Budsjett», rad {FIRST}, kolonne B: cella viser til tekst nummer «99999»",
    ),
    "broken-cell-reference": (
        cell(f"D{FIRST}", f'<c r="ZZZZ{FIRST}"><v>5</v></c>'),
        f"Arket «Budsjett», rad {FIRST}, kolonne D: cellereferansen «ZZZZ{FIRST}» er ugyldig.",
    ),
    "truncated-sheet": (
        truncated_sheet,
        "Arket «Budsjett» kan ikkje lesast etter rad",
    ),
    "truncated-file": (
        truncated_file,
        "Fila er ikkje ei Excel-fil (.xlsx) som kan lesast: ho er ikkje eit heilt zip-arkiv",
    ),
    "billion-laughs-in-a-sheet": (
        entities_in_sheet,
        "XML-en har ein DTD eller einingar (entities), og slikt blir ikkje lese.",
    ),
    "300000-shared-strings": (
        many_shared_strings,
        "av dei i delen «xl/sharedStrings.xml»; ei handlingsplan-fil har under 250000.",
    ),
    "150-extra-parts": (many_parts, "delar; ei Excel-fil har under 100."),
    "no-workbook-part": (
        without_workbook_part,
        "Fila kan ikkje opnast som Excel-arbeidsbok: ein del manglar",
    ),
    "six-megabytes": (too_large, "Fila er for stor (6,"),
}


if __name__ == "__main__":
    base, folder = Path(sys.argv[1]).read_bytes(), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    for name, (build, _message) in HOSTILE.items():
        (folder / f"{name}.xlsx").write_bytes(build(base))
        print(folder / f"{name}.xlsx")
