"""The 2025 report holds the approved document's running text word for word.

Every sentence and heading of the source (fixtures/handlingsplan-2025-kjelde.txt) outside its
tables must appear in the text of the rendered 2025 report. The only departures allowed are the
corrections listed in docs/source-corrections.md, which this test reads and applies first.
"""

from __future__ import annotations

import re

import pytest

from reporting.outputs.context import Report
from reporting.outputs.pdf import render_report
from tests.support import ROOT, SOURCE_DOCUMENT, pdf_pages

# The report is rendered once for the module, from the seed every database test sees.
pytestmark = pytest.mark.django_db

CORRECTIONS_FILE = ROOT / "docs" / "source-corrections.md"
# A sentence ends at . ! ? or : before a capital letter or an opening quote or bracket.
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ«“”\"(])")


def corrections() -> list[tuple[str, str]]:
    """The (source, report) pairs of the table in docs/source-corrections.md."""
    text = CORRECTIONS_FILE.read_text(encoding="utf-8")
    table = text.split("<!-- corrections: start -->")[1].split("<!-- corrections: end -->")[0]
    rows = [line.strip().strip("|").split("|") for line in table.strip().splitlines()[2:]]
    return [(source.strip(), report.strip()) for source, report, _why in rows]


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def running_text_lines() -> list[str]:
    """The source's lines of running text, corrected: no table rows, markers or emphasis."""
    lines = []
    for line in SOURCE_DOCUMENT.read_text(encoding="utf-8").splitlines():
        if not line.strip() or "\t" in line:
            continue
        for source, report in corrections():
            line = line.replace(source, report)
        line = re.sub(r"^\s*(?:[-•]|\d+\.)\s+", "", line).replace("*", "")
        lines.append(collapse(line))
    return [line for line in lines if line]


def sentences() -> list[str]:
    return [part for line in running_text_lines() for part in SENTENCE_END.split(line) if part]


def page_body(page_text: str) -> str:
    """A page's text without its running header and footer, which pdftotext gives last."""
    lines = page_text.rstrip().split("\n")
    if lines and re.fullmatch(r"Side \d+ av \d+", lines[-1].strip()):
        lines = lines[:-1]
        if lines and lines[-1].startswith("Handlingsplan 2025"):
            lines = lines[:-1]
    return "\n".join(lines)


def report_text(pdf: bytes) -> str:
    """The report's text as a reader sees it, joined across lines and pages."""
    text = "\n".join(page_body(page) for page in pdf_pages(pdf))
    # A line broken after a hyphen ("Vest-\nTelemark") is one word again.
    return collapse(re.sub(r"(?<=\w)-\n(?=\w)", "-", text))


@pytest.fixture(scope="module")
def text_of_2025_report(django_db_setup, django_db_blocker) -> str:
    from measures.models import Agreement

    with django_db_blocker.unblock():
        revision = Agreement.objects.get(slug="vest-telemark").revisions.get(year=2025)
        return report_text(render_report(Report.from_revision(revision)))


def test_every_correction_names_text_the_source_holds():
    source = SOURCE_DOCUMENT.read_text(encoding="utf-8")
    assert corrections(), "the corrections table is empty or was not found"
    stale = [wrong for wrong, _ in corrections() if wrong not in source]
    assert stale == [], f"corrections of text the source does not hold: {stale}"


def test_the_source_is_split_into_sentences_and_headings():
    found = sentences()
    assert "1. Introduksjon" not in found and "Introduksjon" in found  # numbering is a marker
    assert "Hovudmål:" in found  # a heading on its own line
    assert "Tabellen under pkt. 7 gjev oversikt over finansiering av tiltaka." in found


def test_the_2025_report_holds_every_sentence_and_heading_of_the_source(text_of_2025_report):
    missing = [sentence for sentence in sentences() if sentence not in text_of_2025_report]
    assert missing == [], "not in the 2025 report:\n" + "\n".join(missing)


def test_the_financing_table_names_its_sources_under_one_heading(text_of_2025_report):
    assert "Finansieringskjelder" in text_of_2025_report
