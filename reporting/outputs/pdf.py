"""The annual report as PDF bytes (WeasyPrint), from a Report context."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reporting.revision.models import Revision

from .context import Report
from .models import StoredReport

# The print stylesheet and fonts are read from static/, never fetched.
STATIC_BASE = settings.BASE_DIR / "static"
# The reason a rendering is stored, when no person asked for it.
logger = logging.getLogger(__name__)

ON_APPROVAL = "Godkjend av KDD"
FIRST_DOWNLOAD = "Første nedlasting (ikkje laga ved godkjenninga)"


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
    """The report's HTML, in the målform of its agreement whoever asks for it."""
    with translation.override(report.language):
        return render_to_string("reporting/report_pdf.html", {"report": report})


def html_to_pdf(html: str) -> bytes:
    """PDF/A-2b, tagged for accessibility, with the title, author and language of the HTML."""
    document = HTML(string=html, base_url=str(STATIC_BASE) + "/", url_fetcher=StaticFilesOnly())
    return document.write_pdf(pdf_variant="pdf/a-2b", pdf_tags=True)


def render_report(report: Report) -> bytes:
    return html_to_pdf(report_html(report))


def revision_pdf(revision: Revision) -> tuple[bytes, str]:
    """The revision's report and its file name: the newest stored once approved, fresh before."""
    report_name = f"handlingsplan-{revision.agreement.slug}-{revision.year}.pdf"
    if not revision.is_approved:
        return render_report(Report.from_revision(revision)), report_name
    pdf = StoredReport.objects.newest_pdf(revision)
    if pdf is None:
        # Stored when KDD approved; this is the fallback if that rendering failed.
        pdf = bytes(store_report(revision, reason=FIRST_DOWNLOAD).pdf)
    return pdf, report_name


def store_report(
    revision: Revision, *, reason: str, user=None, replace: bool = False
) -> StoredReport:
    """Render the approved revision's report from its snapshot and keep it.

    Without `replace` a rendering stored meanwhile wins (two first downloads at once serve the
    same bytes); with it, the new rendering becomes the newest and the one before is marked
    replaced, by `user`, now.
    """
    if not revision.is_approved:
        raise ValueError(f"{revision} is not approved; only approved reports are stored.")
    # Rendering takes seconds: never inside a transaction, holding locks meanwhile.
    pdf = render_report(Report.from_revision(revision))
    with transaction.atomic():
        # One storer at a time per revision, so "the newest" is never two rows.
        Revision.objects.select_for_update().only("pk").get(pk=revision.pk)
        newest = StoredReport.objects.newest().filter(revision=revision).defer("pdf").first()
        if newest is not None and not replace:
            return StoredReport.objects.get(pk=newest.pk)
        if newest is not None:
            newest.replaced_at, newest.replaced_by = timezone.now(), user
            newest.save(update_fields=["replaced_at", "replaced_by"])
        return StoredReport.objects.create(
            revision=revision, pdf=pdf, created_by=user, reason=reason
        )


def store_when_approved(revision: Revision, user) -> None:
    """Render and store the approved report once KDD's approval has committed, so that no
    reader waits for it; outside the approving transaction, which would otherwise hold its
    locks for the seconds rendering takes. If rendering fails, the approval stands and the
    first download renders it."""

    def store() -> None:
        try:
            store_report(revision, reason=ON_APPROVAL, user=user)
        except Exception:  # any failure of rendering must not look like a failed approval
            logger.exception("The report of %s could not be rendered on approval", revision)

    transaction.on_commit(store)
