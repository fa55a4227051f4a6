"""The annual report as PDF bytes (WeasyPrint), from a Report context."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from .contexts import Report

# The print stylesheet and fonts are read from static/, never fetched.
STATIC_BASE = settings.BASE_DIR / "static"


def report_html(report: Report) -> str:
    return render_to_string("reporting/report_pdf.html", {"report": report})


def html_to_pdf(html: str) -> bytes:
    """PDF/A-2b, tagged for accessibility, with the title, author and language of the HTML."""
    document = HTML(string=html, base_url=str(STATIC_BASE) + "/")
    return document.write_pdf(pdf_variant="pdf/a-2b", pdf_tags=True)


def render_report(report: Report) -> bytes:
    return html_to_pdf(report_html(report))
