"""The annual report (PDF) and the workbook (Excel): complete, consistent, reproducible."""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from budget.models import Amount
from reporting.models import Revision, StoredReport
from reporting.outputs import pdf as pdfs
from reporting.outputs.context import Report
from reporting.outputs.pdf import render_report, revision_pdf
from reporting.outputs.workbook.writer import report_workbook

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
    assert StoredReport.objects.count() == 1 and bytes(stored.pdf) == first.content


def test_two_first_downloads_at_once_keep_one_report_and_serve_the_same_bytes(
    seed, client, collaborator, monkeypatch
):
    """The slower of two first downloads finds the other's report stored, and serves that."""
    revision = Revision.objects.get(year=2025)
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
    assert StoredReport.objects.filter(revision=revision).count() == 1
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
