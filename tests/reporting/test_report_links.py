"""Links in reports go only to http, https and mailto; the PDF fetches only our static files."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.conf import settings
from pypdf import PdfReader

from measures.markdown import render_markdown
from measures.models import Measure
from reporting.outputs.context import Report
from reporting.outputs.pdf import STATIC_BASE, StaticFilesOnly, html_to_pdf, render_report
from reporting.revision import workflow
from tests.support import pdf_text

HOSTILE_LINKS = (
    "Sjå [rapporten](rapport.pdf), [passorda](../../../etc/passwd), "
    "[fila](file:///etc/passwd), [skriptet](javascript:alert(1)), "
    "[rota](/etc/hosts) og [nettstaden](https://www.regjeringen.no/bygdevekst). "
    "Skriv til [oss](mailto:post@example.no)."
)


@pytest.mark.parametrize(
    "markdown, html",
    [
        ("[rapporten](rapport.pdf)", "<p>rapporten</p>"),
        ("[x](../../../etc/passwd)", "<p>x</p>"),
        ('[x](../../../etc/passwd "Tittel")', "<p>x</p>"),
        ("[x](file:///etc/passwd)", "<p>x</p>"),
        ("[x](javascript:alert(1))", "<p>x</p>"),
        ("[x](//example.com/a)", "<p>x</p>"),
        ('<a href="../x">rå HTML</a>', "<p>rå HTML</p>"),
        (
            "[x](https://example.no/a)",
            '<p><a href="https://example.no/a" rel="noopener noreferrer">x</a></p>',
        ),
        (
            "[x](mailto:post@example.no)",
            '<p><a href="mailto:post@example.no" rel="noopener noreferrer">x</a></p>',
        ),
    ],
)
def test_only_http_https_and_mailto_links_stay_links(markdown, html):
    assert render_markdown(markdown) == html


def link_targets(reader: PdfReader) -> list[str]:
    """The address of every link annotation in the PDF."""
    targets = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def test_the_pdf_links_out_only_to_the_web_and_shows_no_install_path(seed, owner):
    measure = Measure.objects.get(agreement=seed, key="gott-nokk")
    section = measure.sections.first()
    section.body = HOSTILE_LINKS
    section.save()
    revision = workflow.start_revision(agreement=seed, year=2026, user=owner)
    pdf = render_report(Report.from_revision(revision))
    reader = PdfReader(BytesIO(pdf))
    targets = link_targets(reader)
    assert "https://www.regjeringen.no/bygdevekst" in targets
    assert "mailto:post@example.no" in targets
    assert not [t for t in targets if not t.startswith(("https:", "mailto:"))]
    text = pdf_text(pdf)
    assert "passorda" in text and "rapporten" in text  # the words stay, as text
    # The change list quotes the Markdown as typed, so "file:///etc/passwd" may appear as text;
    # the install folder appears nowhere.
    everything = " ".join([*targets, text, str(reader.metadata), str(reader.xmp_metadata)])
    assert str(settings.BASE_DIR) not in everything and str(STATIC_BASE) not in everything


def test_the_pdf_fetches_nothing_outside_the_static_files(tmp_path):
    from PIL import Image

    outside = tmp_path / "utanfor.png"
    Image.new("RGB", (40, 40), "red").save(outside)
    html = (
        '<html lang="nn"><head><title>T</title><link rel="stylesheet" href="css/report.css">'
        f'</head><body><p>Tekst</p><img src="{outside.as_uri()}" alt="x">'
        '<img src="../../../../../../etc/passwd" alt="y"></body></html>'
    )
    reader = PdfReader(BytesIO(html_to_pdf(html)))
    images = [image for page in reader.pages for image in page.images]
    assert images == []
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Inter" in font for font in fonts)  # the static stylesheet and fonts still load


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (STATIC_BASE / ".." / "manage.py").as_uri(),
        (STATIC_BASE / "css" / "finst-ikkje.css").as_uri(),
        "https://example.com/style.css",
        "http://169.254.169.254/latest/meta-data/",
        "data:text/css,body{}",
        "file://evil.example/static/css/report.css",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError, match="only the project's static files"):
        StaticFilesOnly().fetch(url)


def test_the_fetcher_serves_the_report_stylesheet():
    response = StaticFilesOnly().fetch((STATIC_BASE / "css" / "report.css").as_uri())
    try:
        assert b"@font-face" in response.read()
    finally:
        response.close()
