"""The annual report (PDF) and the workbook (Excel): complete, consistent, reproducible."""

from __future__ import annotations

import datetime
import re
from io import BytesIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from budget.models import Amount
from reporting.models import MeasureNote, MeasureProgress, Revision, StoredReport
from reporting.outputs import pdf as pdfs
from reporting.outputs.context import Report
from reporting.outputs.pdf import render_report, report_html, revision_pdf
from reporting.outputs.workbook.writer import report_workbook
from tests.factories import MeasureFactory
from tests.support import (
    ASSESSMENT_2026,
    PROGRESS_2026,
    REASON_2026,
    approve,
    pdf_pages,
    pdf_text,
    revision_2026,
    watermarked_pages,
)

SLUG = "vest-telemark"


@pytest.fixture
def approved_pdf(seed) -> bytes:
    pdf, _ = revision_pdf(Revision.objects.get(year=2025))
    return pdf


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
    pages = len(PdfReader(BytesIO(approved_pdf)).pages)
    contents = pdf_pages(approved_pdf)[1]
    assert f"Side 2 av {pages}" in contents
    assert "Innhald" in contents and re.search(
        r"1\. Introduksjon(?:\s*\.)*\s*\d+(?![.\d])", contents
    )
    assert watermarked_pages(approved_pdf) == []


def test_the_pdf_embeds_its_fonts_and_carries_metadata(approved_pdf):
    reader = PdfReader(BytesIO(approved_pdf))
    metadata = reader.metadata
    assert metadata.title == "Handlingsplan 2025 – Bygdevekstavtale for Vest-Telemark"
    assert metadata.author == "Vest-Telemarkpiloten"
    assert reader.trailer["/Root"].get("/Lang") == "nn"
    fonts = set()
    for page in reader.pages:
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
    assert b"pdfaid:part" in reader.xmp_metadata.stream.get_data()


def test_a_draft_carries_the_watermark(seed):
    # The draft the next tests read (the same HTML, so the session renders it once).
    pdf = render_report(Report.from_revision(revision_2026(seed)))
    assert 3 in watermarked_pages(pdf)
    assert "Handlingsplan 2026" in pdf_pages(pdf)[0]


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
    revision_2026(seed)  # the draft the other tests read, rendered once for the session
    target = tmp_path / "utkast.pdf"
    call_command("render_report", SLUG, "2026", "--draft", "-o", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    assert 3 in watermarked_pages(target.read_bytes())
    with pytest.raises(CommandError, match="Bruk --draft"):
        call_command("render_report", SLUG, "2027", "-o", str(target))
    with pytest.raises(CommandError, match="utanfor avtaleperioden"):
        call_command("render_report", SLUG, "2031", "--draft", "-o", str(target))


# --- the yearly update: changes, marks, texts as written, dates ----------------------------


def toc_page(pages: list[str], heading: str) -> int:
    """The page number the table of contents (page 2) gives for a heading, after the leader's
    dots (which pdftotext reads one by one); not the next heading's number."""
    contents = re.sub(r"\s+", " ", pages[1])
    found = re.search(re.escape(heading) + r"(?: ?\.)* ?(\d+)(?![.\d])", contents)
    assert found, f"{heading!r} is not in the table of contents"
    return int(found.group(1))


def page_of(pages: list[str], text: str, after: int = 2) -> int:
    """The number of the first page from `after` on whose text holds `text`."""
    for number, page in enumerate(pages[after:], start=after + 1):
        if text in re.sub(r"\s+", " ", page):
            return number
    raise AssertionError(f"{text!r} is on no page")


def test_the_approved_2025_report_is_dated_by_section_8_and_says_it_is_the_first_plan(
    approved_pdf,
):
    title_page = pdf_pages(approved_pdf)[0]
    assert "Godkjend av partane 24.06.2025" in title_page  # Vinje's kommunestyre, the last
    text = pdf_text(approved_pdf)
    assert (
        "Det finst ingen tidlegare godkjend handlingsplan i avtaleperioden 2025–2028 å "
        "samanlikne med, så alle tiltaka i handlingsplan 2025 er nye." in text
    )
    assert " → " not in text and "Ingen nye tiltak" not in text
    assert "Tiltak 1.1 Samarbeid" not in text  # no list of every measure as new
    pages = pdf_pages(approved_pdf)
    assert toc_page(pages, "2.1 Endringar i handlingsplanen") < toc_page(
        pages, "3. Handlingsplan 2025 per delmål"
    )


def test_the_2026_report_shows_what_changed_where_the_reader_looks(seed, client, collaborator):
    """Downloaded as KDD's case officer would: reasons and assessments as written, marks
    beside the measures, the change section numbered before the measures."""
    revision = revision_2026(seed)
    client.force_login(collaborator)
    pdf = client.get(reverse("reporting:report-pdf", args=[SLUG, 2026])).content
    text, pages = pdf_text(pdf), pdf_pages(pdf)

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
    changes = toc_page(pages, "2.1 Endringar i handlingsplanen")
    assert "2.1 Endringar i handlingsplanen" in pages[changes - 1]
    assert toc_page(pages, "2.2 Årsstatus for tiltaka i 2026") >= changes
    first_measure = page_of(pages, "Tiltak 1: Samarbeid om innsiktsarbeid")
    assert changes <= toc_page(pages, "3. Handlingsplan 2026 per delmål") <= first_measure
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
    assert (
        "Sum alle liner, 2026, alle kjelder 10 500 000 kr 10 300 000 kr \u2212200 000 kr" in section
    )
    assert "1.3 Pilot: «Gøtt nøkk» Forseinka " + PROGRESS_2026 in section

    assert f"Utkast per {timezone.localdate():%d.%m.%Y}" in pages[0]


def test_the_closed_measure_reads_avslutta_with_its_date_alike_on_the_page_and_in_the_pdf(
    seed, client, collaborator
):
    """One change list, one «Avslutta dd.mm.åååå»: the revision page and the report's 2.1 name
    the closed measure with the same words, its assessment after them."""
    from django.utils.html import strip_tags

    revision_2026(seed)
    client.force_login(collaborator)
    page = client.get(reverse("reporting:revision", args=[SLUG, 2026])).text
    closed = page.split('id="endringar"')[1].split("</section>")[0].split("Avslutta tiltak")[1]
    on_page = re.sub(r"\s+", " ", strip_tags(closed.replace("</dt>", " </dt>"))).strip()
    assert on_page.startswith(
        "Tiltak 1.5 Vandrande bygdevekstseminar Avslutta 01.03.2026 "
        "Vurdering av kva tiltaket har bidrege til " + ASSESSMENT_2026
    )

    pdf = client.get(reverse("reporting:report-pdf", args=[SLUG, 2026])).content
    section = pdf_text(pdf).split("Endringar sidan den godkjende handlingsplanen for 2025.")[1]
    in_pdf = section.split("Avslutta tiltak")[1].split("Endringar i budsjett")[0]
    assert re.fullmatch(
        r" Tiltak 1\.5 Vandrande bygdevekstseminar \(s\. \d+\) Avslutta 01\.03\.2026 "
        r"Vurdering av kva tiltaket har bidrege til " + re.escape(ASSESSMENT_2026) + " ",
        in_pdf,
    ), in_pdf


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
    text = pdf_text(target.read_bytes())
    assert REASON_2026 in text and ASSESSMENT_2026 in text
    assert "Grunngjeving for endringa: kompetansesirkel" not in text


def test_an_approved_2026_report_is_dated_by_kdds_approval(seed, time_machine):
    revision = revision_2026(seed)
    time_machine.move_to("2026-06-25 10:00+02:00")
    approve(revision)
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
    assert workbook.sheetnames == [
        "Tiltak",
        "Endringar",
        "Budsjett",
        "Finansiering 2025",
        "Godkjenningar",
    ]
    measures = workbook["Tiltak"]
    assert measures.freeze_panes == "A6"  # below the title block and the header row
    assert [row[0] for row in measures.iter_rows(min_row=6, values_only=True)] == [
        m.code for m in seed.measures.select_related("sub_goal")
    ]
    budget = workbook["Budsjett"]
    for amount in Amount.objects.filter(line__agreement=seed, source__key="kdd-1350-post-66"):
        row = amount.line.number + 5
        column = 4 + amount.year - 2025
        assert budget.cell(row=row, column=column).value == amount.kroner
    assert budget["C6"].value == "=SUM(D6:G6)" and budget["C10"].value == "=SUM(C6:C9)"
    assert budget["D6"].number_format == "#,##0"
    financing = workbook["Finansiering 2025"]
    assert financing["E6"].value == 100_000 and financing["B10"].value == "SUM"
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


def stored_values(report: Report) -> openpyxl.Workbook:
    """The workbook as a previewer or pandas reads it: each formula's stored result, not itself."""
    return openpyxl.load_workbook(BytesIO(report_workbook(report)), data_only=True)


def test_every_total_is_stored_with_its_value_and_numbers_are_numbers(seed):
    report = Report.from_revision(Revision.objects.get(year=2025))
    values = stored_values(report)
    for sheet, table in [("Budsjett", report.allocation), ("Finansiering 2025", report.financing)]:
        rows = list(
            values[sheet].iter_rows(min_row=6, max_row=6 + len(table.rows), values_only=True)
        )
        *lines, total = rows
        assert [line[:3] for line in lines] == [(r.number, r.title, r.total) for r in table.rows]
        assert [line[3:] for line in lines] == [tuple(r.cells) for r in table.rows]
        assert total[1:] == ("SUM", table.total, *table.sum_row.cells)
    assert values["Budsjett"]["C10"].value == 22_000_000


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_on_each_page(workbook):
    for sheet in workbook:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        # One page wide (1 is the attribute's default, so it may be left out), any pages long.
        assert ((setup.fitToWidth or 1), setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.print_title_rows == "$5:$5", sheet.title


def test_every_sheet_names_the_agreement_year_status_and_unit(workbook):
    for sheet in workbook:
        assert sheet["A1"].value == "Handlingsplan 2025 – Bygdevekstavtale for Vest-Telemark"
        # As the PDF's title page says it: the imported 2025 plan has no KDD row.
        assert sheet["A3"].value.startswith("Godkjend av partane 24.06.2025"), sheet.title
    assert "(statleg medfinansiering, KDD 13.50 post 66)" in workbook["Budsjett"]["A2"].value
    assert workbook["Budsjett"]["A3"].value.endswith("Alle beløp i kr.")
    financing = workbook["Finansiering 2025"]["A3"].value
    assert "Statleg medfinansiering: KDD 13.50 post 66. Alle beløp i kr." in financing
    agreement = Revision.objects.get(year=2025).agreement
    draft = openpyxl.load_workbook(BytesIO(report_workbook(Report.draft(agreement, 2026))))
    assert draft["Tiltak"]["A3"].value.startswith("Utkast per ")


def test_footnote_markers_sit_on_their_cells_which_stay_numbers(seed):
    values = stored_values(Report.from_revision(Revision.objects.get(year=2025)))
    budget, financing = values["Budsjett"], values["Finansiering 2025"]
    # Line 1's total in the period's table; the column total of the municipalities' share.
    for cell, kroner in [(budget["C6"], 10_800_000), (financing["E10"], 300_000)]:
        assert cell.value == kroner and cell.number_format == '#,##0"*"'
    unmarked = [budget["C7"], budget["D6"], financing["E6"], financing["D10"]]
    assert all(cell.number_format == "#,##0" for cell in unmarked)
    assert budget["B12"].value.startswith("*Vest-Telemark prioriterer delmål 1 med 60 %")
    assert financing["B12"].value == "*Kommunal eigeninnsats – ikkje heilårsverknad i 2025."


def test_rows_are_as_high_as_their_wrapped_text(workbook):
    measures = workbook["Tiltak"]
    short, long = measures.row_dimensions[9], measures.row_dimensions[12]  # 1.4, 2.1
    assert measures["A12"].value == "2.1" and len(measures["E12"].value) > 3 * 36
    assert measures["E12"].alignment.wrap_text
    assert long.height >= 4 * 15 > short.height >= 2 * 15


def test_the_changes_sheet_shows_every_change_with_its_reason_and_every_status(seed):
    """What the editor wrote, word for word, beside the measure it is about."""
    revision = Revision.objects.create(agreement=seed, year=2026)
    changed = seed.measures.get(key="smb-utvikling")
    changed.title = "SMB-utvikling i alle seks kommunane"
    changed.save()
    closed = seed.measures.get(key="vandrande-seminar")
    closed.close(datetime.date(2026, 3, 1), version=closed.version)
    MeasureFactory(sub_goal=changed.sub_goal, key="lokal-mat", number=9, title="Lokal mat")
    seed.measures.get(key="interkommunal-bustadutviklar").delete()
    reason = "Alle seks kommunane er med frå 2026, etter vedtak i Vest-Telemarkrådet."
    assessment = "Seminaret vart slått saman med tiltak 1.4 og gav tre nye samarbeid."
    MeasureNote.objects.create(
        revision=revision, measure_key=changed.key, kind="reason", text=reason
    )
    MeasureNote.objects.create(
        revision=revision, measure_key="vandrande-seminar", kind="assessment", text=assessment
    )
    MeasureNote.objects.create(
        revision=revision,
        measure_key="interkommunal-bustadutviklar",
        kind="assessment",
        text="Ordninga vart ikkje prøvd; kommunane valde tiltak 1.4.",
    )
    MeasureProgress.objects.create(
        revision=revision, measure_key="gott-nokk", state="delayed", text="Ventar på utlysing."
    )

    sheet = stored_values(Report.from_revision(revision))["Endringar"]
    assert sheet["A2"].value.startswith("Endringar sidan handlingsplan 2025")
    assert sheet["F5"].value == "Status 2026"
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]}
    assert rows["2.1"][:4] == (
        "SMB-utvikling i alle seks kommunane",
        "Endra",
        "Tittel: SMB-utvikling (små og mellomstore bedrifter) → "
        "SMB-utvikling i alle seks kommunane",
        reason,
    )
    assert rows["1.5"][1:4] == ("Avslutta 01.03.2026", None, assessment)
    assert rows["2.9"][:2] == ("Lokal mat", "Ny")
    assert rows["1.3"][1:] == (None, None, None, "Forseinka", "Ventar på utlysing.")
    assert rows["1.6"] == (
        "«Interkommunal bustadutviklar»",
        "Avslutta",
        "Teke ut av planen",
        "Ordninga vart ikkje prøvd; kommunane valde tiltak 1.4.",
        None,
        None,
    )
    assert len(rows) == seed.measures.count() + 1  # every measure, and the one taken out
    text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert "Grunngjeving for endringa" not in text  # the note's label is not its text
