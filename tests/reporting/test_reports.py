"""The annual report (PDF) and the workbook (Excel): complete, consistent, reproducible."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from budget.models import Amount
from reporting.models import Revision, StoredReport
from reporting.outputs import pdf as pdfs
from reporting.outputs.context import Report
from reporting.outputs.pdf import render_report, report_html, revision_pdf
from reporting.outputs.workbook.writer import report_workbook
from tests.factories import make_user
from tests.support import ASSESSMENT_2026, PROGRESS_2026, REASON_2026, approve, revision_2026

SLUG = "vest-telemark"


@pytest.fixture
def approved_pdf(seed) -> PdfReader:
    pdf, _ = revision_pdf(Revision.objects.get(year=2025))
    return PdfReader(BytesIO(pdf))


def pdf_text(reader: PdfReader) -> str:
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def test_the_pdf_holds_every_measure_amount_and_approval_date(approved_pdf, seed):
    text = pdf_text(approved_pdf)
    for measure in seed.measures.all():
        assert measure.title in text, measure.title
    for amount in Amount.objects.filter(line__agreement=seed):
        assert f"{amount.kroner:,}".replace(",", " ") in text
    for total in ["10 800 000*", "22 000 000", "2 700 000", "300 000*"]:
        assert total in text
    for date in [
        "19.06.2025",
        "12.06.2025",
        "17.06.2025",
        "24.06.2025",
        "22. mai 2025",
        "11. juni 2025",
    ]:
        assert date in text
    assert "*Kommunal eigeninnsats – ikkje heilårsverknad i 2025." in text


def test_the_pdf_has_page_numbers_contents_and_no_watermark_when_approved(approved_pdf):
    pages = len(approved_pdf.pages)
    assert f"Side 2 av {pages}" in approved_pdf.pages[1].extract_text()
    contents = approved_pdf.pages[1].extract_text()
    assert "Innhald" in contents and re.search(r"1\. Introduksjon\s*\.*\s*\d+", contents)
    assert "UTKAST" not in pdf_text(approved_pdf)


def test_the_pdf_embeds_its_fonts_and_carries_metadata(approved_pdf):
    metadata = approved_pdf.metadata
    assert metadata.title == "Handlingsplan 2025 – Bygdevekstavtale for Vest-Telemark"
    assert metadata.author == "Vest-Telemarkpiloten"
    assert approved_pdf.trailer["/Root"].get("/Lang") == "nn"
    fonts = set()
    for page in approved_pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), (
                font["/BaseFont"]
            )
            fonts.add(str(font["/BaseFont"]))
    assert any("Inter" in name for name in fonts)
    assert b"pdfaid:part" in approved_pdf.xmp_metadata.stream.get_data()


def test_a_draft_carries_the_watermark(seed):
    reader = PdfReader(BytesIO(render_report(Report.draft(seed, 2026))))
    assert "UTKAST" in reader.pages[2].extract_text()
    assert "Handlingsplan 2026" in reader.pages[0].extract_text()


def test_an_approved_report_is_rendered_once_and_then_served_from_storage(
    seed, client, collaborator
):
    revision = Revision.objects.get(year=2025)
    client.force_login(collaborator)
    url = reverse("reporting:report-pdf", args=[SLUG, 2025])
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert (
        first["Content-Disposition"]
        == 'attachment; filename="handlingsplan-vest-telemark-2025.pdf"'
    )
    assert first.content.startswith(b"%PDF")
    stored = StoredReport.objects.get(revision=revision)
    # Even if the living plan changes, the approved report stays the stored one.
    measure = seed.measures.get(key="gott-nokk")
    measure.title = "Heilt ny tittel"
    measure.save()
    second = client.get(url)
    assert second.content == first.content
    assert StoredReport.objects.count() == 1 and stored.pdf.name.endswith(".pdf")


def stored_files() -> set[str]:
    """The report files in storage (which lives as long as the test process)."""
    if not default_storage.exists("rapportar"):
        return set()
    return set(default_storage.listdir("rapportar")[1])


def test_two_first_downloads_at_once_keep_one_file_and_serve_the_same_bytes(
    seed, client, collaborator, monkeypatch
):
    """The slower of two first downloads finds the other's report stored, and serves that."""
    revision = Revision.objects.get(year=2025)
    files_before = stored_files()
    depth = len(connection.atomic_blocks)  # the test's own transaction
    renders = []

    def render(report: Report) -> bytes:
        assert len(connection.atomic_blocks) == depth, "rendered inside a transaction"
        renders.append(report)
        if len(renders) == 1:  # while this one renders, another download renders and stores
            revision_pdf(Revision.objects.get(year=2025))
        return f"%PDF-1.7 rendering {len(renders)}".encode()

    monkeypatch.setattr(pdfs, "render_report", render)
    served, _ = revision_pdf(revision)

    assert served == b"%PDF-1.7 rendering 2"
    assert len(stored_files() - files_before) == 1
    client.force_login(collaborator)
    download = client.get(reverse("reporting:report-pdf", args=[SLUG, 2025]))
    assert download.content == served and len(renders) == 2


def test_outsiders_cannot_download_the_report(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("reporting:report-pdf", args=[SLUG, 2025])).status_code == 404
    assert client.get(reverse("reporting:report-xlsx", args=[SLUG, 2025])).status_code == 404


def test_render_report_command(seed, tmp_path):
    target = tmp_path / "utkast.pdf"
    call_command("render_report", SLUG, "2027", "--draft", "-o", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="Bruk --draft"):
        call_command("render_report", SLUG, "2027", "-o", str(target))
    with pytest.raises(CommandError, match="utanfor avtaleperioden"):
        call_command("render_report", SLUG, "2031", "--draft", "-o", str(target))


# --- the yearly update: changes, marks, texts as written, dates ----------------------------


def toc_page(reader: PdfReader, heading: str) -> int:
    """The page number the table of contents (page 2) gives for a heading."""
    contents = re.sub(r"\s+", " ", reader.pages[1].extract_text())
    found = re.search(re.escape(heading) + r" ?\.* ?(\d+)", contents)
    assert found, f"{heading!r} is not in the table of contents"
    return int(found.group(1))


def page_of(reader: PdfReader, text: str, after: int = 2) -> int:
    """The number of the first page from `after` on whose text holds `text`."""
    for number, page in enumerate(reader.pages[after:], start=after + 1):
        if text in re.sub(r"\s+", " ", page.extract_text().replace("\xa0", " ")):
            return number
    raise AssertionError(f"{text!r} is on no page")


def test_the_approved_2025_report_is_dated_by_section_8_and_says_it_is_the_first_plan(
    approved_pdf,
):
    title_page = approved_pdf.pages[0].extract_text()
    assert "Godkjend av partane 24.06.2025" in title_page  # Vinje's kommunestyre, the last
    text = pdf_text(approved_pdf)
    assert (
        "Det finst ingen tidlegare godkjend handlingsplan i avtaleperioden 2025–2028 å "
        "samanlikne med, så alle tiltaka i handlingsplan 2025 er nye." in text
    )
    assert " → " not in text and "Ingen nye tiltak" not in text
    assert "Tiltak 1.1 Samarbeid" not in text  # no list of every measure as new
    assert toc_page(approved_pdf, "2.1 Endringar i handlingsplanen") < toc_page(
        approved_pdf, "3. Handlingsplan 2025 per delmål"
    )


def test_the_2026_report_shows_what_changed_where_the_reader_looks(seed, client, collaborator):
    """Downloaded as KDD's case officer would: reasons and assessments as written, marks
    beside the measures, the change section numbered before the measures."""
    revision = revision_2026(seed)
    client.force_login(collaborator)
    reader = PdfReader(
        BytesIO(client.get(reverse("reporting:report-pdf", args=[SLUG, 2026])).content)
    )
    text = pdf_text(reader)

    assert REASON_2026 in text and ASSESSMENT_2026 in text and PROGRESS_2026 in text
    for note in revision.notes.all():
        assert str(note) not in text  # "Grunngjeving for endringa: kompetansesirkel"
    assert "**" not in text and "<" not in text and ">" not in text
    assert "Føremålet med dialogen er todelt: tredelt, og kommunane leier han:" in text

    # Marks at the head of each measure's own section, and beside it in its sub-goal's table.
    assert "Tiltak 4: Kompetansesirkel for planleggjarar Endra" in text
    assert "Tiltak 5: Lokal matproduksjon Ny" in text
    assert "Tiltak 5: Vandrande bygdevekstseminar Avslutta 01.03.2026" in text
    for cell in [
        "planleggjarar Endra",
        "Lokal matproduksjon Ny",
        "bygdevekstseminar Avslutta 01.03.2026",
    ]:
        assert text.count(cell) >= 2, cell  # the table and the measure's section
    for unchanged in [
        "Tiltak 1: Samarbeid om innsiktsarbeid og kartlegging for bustadstrategi",
        "Tiltak 2: Verkemiddelapparatet – synleggjere moglegheitene",
    ]:
        assert unchanged + " Ny" not in text and unchanged + " Endra" not in text
    assert "Tiltak 3: Pilot: «Gøtt nøkk» Prioritert seinare i perioden" in text

    # 2.1 and 2.2 are in the contents, and the changes come before the first measure.
    changes = toc_page(reader, "2.1 Endringar i handlingsplanen")
    assert "2.1 Endringar i handlingsplanen" in reader.pages[changes - 1].extract_text()
    assert toc_page(reader, "2.2 Årsstatus for tiltaka i 2026") >= changes
    first_measure = page_of(reader, "Tiltak 1: Samarbeid om innsiktsarbeid")
    assert changes <= toc_page(reader, "3. Handlingsplan 2026 per delmål") <= first_measure
    section = text.split("Endringar sidan den godkjende handlingsplanen for 2025.")[1]
    section = section.split("3. Handlingsplan 2026 per delmål")[0]
    assert "Tiltak 2.5 Lokal matproduksjon" in section.split("Endra tiltak")[0]
    assert "Eit nettverk for småskala matprodusentar i dei seks kommunane." in section
    assert "Tiltak 1.5 Vandrande bygdevekstseminar (s. " in section
    assert (
        "Avslutta 01.03.2026 Vurdering av kva tiltaket har bidrege til " + ASSESSMENT_2026
        in section
    )
    assert "Grunngjeving for endringa " + REASON_2026 in section
    assert "2 000 000 kr 1 800 000 kr \u2212200 000 kr" in section
    assert "Sum alle liner, 2026 10 500 000 kr 10 300 000 kr \u2212200 000 kr" in section
    assert "1.3 Pilot: «Gøtt nøkk» Forseinka " + PROGRESS_2026 in section

    assert f"Utkast per {timezone.localdate():%d.%m.%Y}" in reader.pages[0].extract_text()


def test_the_2026_report_marks_removed_and_added_words_in_rendered_text(seed):
    html = report_html(Report.from_revision(revision_2026(seed)))
    changes = html.split('id="endringar"')[1].split('id="delmal"')[0]
    assert "<del>todelt:</del> <ins>tredelt, og kommunane leier han:</ins>" in changes
    assert "<del>«Kompetansesirkel»</del> <ins>Kompetansesirkel for planleggjarar</ins>" in changes
    assert "**" not in changes and "&lt;b&gt;" not in changes


def test_a_draft_from_the_command_carries_the_revisions_texts(seed, tmp_path):
    revision_2026(seed)
    target = tmp_path / "utkast.pdf"
    call_command("render_report", SLUG, "2026", "--draft", "-o", str(target))
    text = pdf_text(PdfReader(Path(target)))
    assert REASON_2026 in text and ASSESSMENT_2026 in text
    assert "Grunngjeving for endringa: kompetansesirkel" not in text


def test_an_approved_2026_report_is_dated_by_kdds_approval(seed, time_machine):
    revision = revision_2026(seed)
    time_machine.move_to("2026-06-25 10:00+02:00")
    approve(revision, make_user("kdd-saksbehandlar"))
    time_machine.move_to("2026-09-01 10:00+02:00")
    report = Report.from_revision(Revision.objects.get(year=2026))
    assert (report.dated_as, report.dated.isoformat()) == ("Godkjend av KDD", "2026-06-25")
    title = report_html(report).split('class="toc"')[0]
    assert "Godkjend av KDD 25.06.2026" in title and "Utkast" not in title


# --- Excel out -------------------------------------------------------------------------------


@pytest.fixture
def workbook(seed) -> openpyxl.Workbook:
    data = report_workbook(Report.from_revision(Revision.objects.get(year=2025)))
    return openpyxl.load_workbook(BytesIO(data))


def test_the_workbook_has_the_sheets_and_the_numbers_of_the_database(workbook, seed):
    assert workbook.sheetnames == ["Tiltak", "Budsjett", "Finansiering 2025", "Godkjenningar"]
    measures = workbook["Tiltak"]
    assert measures.freeze_panes == "A2"
    assert [row[0] for row in measures.iter_rows(min_row=2, values_only=True)] == [
        m.code for m in seed.measures.select_related("sub_goal")
    ]
    budget = workbook["Budsjett"]
    for amount in Amount.objects.filter(line__agreement=seed, source__key="kdd-1350-post-66"):
        row = amount.line.number + 1
        column = 4 + amount.year - 2025
        assert budget.cell(row=row, column=column).value == amount.kroner
    assert budget["C2"].value == "=SUM(D2:G2)" and budget["C6"].value == "=SUM(C2:C5)"
    assert budget["D2"].number_format == "#,##0"
    financing = workbook["Finansiering 2025"]
    assert financing["E2"].value == 100_000 and financing["B6"].value == "SUM"
    approvals = workbook["Godkjenningar"]
    assert ("Vinje kommune", "Kommunestyre") in [
        r[:2] for r in approvals.iter_rows(values_only=True)
    ]


def test_text_that_looks_like_a_formula_stays_text(seed):
    measure = seed.measures.get(key="gott-nokk")
    measure.title = '=HYPERLINK("http://example.com")'
    measure.save()
    data = report_workbook(Report.draft(seed, 2026))
    sheet = openpyxl.load_workbook(BytesIO(data))["Tiltak"]
    cell = next(c for c in sheet["B"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_export_xlsx_command_and_download(seed, tmp_path, owner_client):
    target = tmp_path / "plan.xlsx"
    call_command("export_xlsx", SLUG, "2025", "-o", str(target))
    assert openpyxl.load_workbook(target).sheetnames[0] == "Tiltak"
    response = owner_client.get(reverse("reporting:report-xlsx", args=[SLUG, 2025]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="handlingsplan-vest-telemark-2025.xlsx"'
    )
