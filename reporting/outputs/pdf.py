"""The annual report as PDF bytes (WeasyPrint), from a Report context."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reporting.revision.models import Revision

from .context import Report
from .models import StoredReport

# The print stylesheet and fonts are read from static/, never fetched.
STATIC_BASE = settings.BASE_DIR / "static"


class StaticFilesOnly(URLFetcher):
    """WeasyPrint's fetcher, limited to the project's own static files (stylesheet, fonts).

    Whatever else a report might name, a file elsewhere on the server or anything on the
    network, is refused: WeasyPrint logs a warning and renders without it.
    """

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = static_file(url)
        if path is None:
            raise ValueError(f"only the project's static files are read, not {url}")
        return super().fetch(path.as_uri(), headers)


def static_file(url: str) -> Path | None:
    """The file under static/ that a file: URL names, or None for any other URL."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in {"", "localhost"}:
        return None
    path = Path(url2pathname(parts.path)).resolve()
    root = STATIC_BASE.resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def report_html(report: Report) -> str:
    return render_to_string("reporting/report_pdf.html", {"report": report})


def html_to_pdf(html: str) -> bytes:
    """PDF/A-2b, tagged for accessibility, with the title, author and language of the HTML."""
    document = HTML(string=html, base_url=str(STATIC_BASE) + "/", url_fetcher=StaticFilesOnly())
    return document.write_pdf(pdf_variant="pdf/a-2b", pdf_tags=True)


def render_report(report: Report) -> bytes:
    return html_to_pdf(report_html(report))


def revision_pdf(revision: Revision) -> tuple[bytes, str]:
    """The revision's report and its file name: stored once approved, rendered fresh before."""
    report_name = f"handlingsplan-{revision.agreement.slug}-{revision.year}.pdf"
    if not revision.is_approved:
        return render_report(Report.from_revision(revision)), report_name
    stored = StoredReport.objects.filter(revision=revision).first()
    if stored is None:
        # Rendering takes seconds: never inside a transaction, holding locks meanwhile.
        stored = _store(revision, report_name, render_report(Report.from_revision(revision)))
    with stored.pdf.open("rb") as file:
        return file.read(), report_name


def _store(revision: Revision, report_name: str, pdf: bytes) -> StoredReport:
    """Keep the PDF, unless a download at the same time stored one first: then that one."""
    stored = StoredReport(revision=revision)
    stored.pdf.save(report_name, ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        stored.pdf.delete(save=False)  # no file without its row
        stored = StoredReport.objects.get(revision=revision)
    return stored
