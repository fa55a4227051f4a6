"""Which plans are public, and the validators (ETag, Last-Modified) of what the public reads.

A plan is public when KDD has approved it (its revision is approved and has its frozen
snapshot) and no operator holds its agreement back (`Agreement.published`). A public answer
changes only when an approval, the holding back or the code that renders it changes: its ETag
is made of exactly those, so it is found in one query, before anything is rendered.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.http import Http404

from measures.models import Agreement
from reporting.models import Revision, StoredReport

# What renders the public answers: a change to any of these (a deploy) changes every ETag.
RENDERING_CODE = ("public", "templates", "reporting", "budget", "measures", "locale")
RENDERING_SUFFIXES = {".py", ".html", ".svg", ".txt", ".xml", ".mo"}


def public_revisions():
    """Every approved revision the public may read."""
    return Revision.objects.filter(
        status=Revision.Status.APPROVED, snapshot__isnull=False, agreement__published=True
    )


@cache
def release() -> str:
    """A fingerprint of the code and templates that render public answers, and of the static
    files' manifest (the pages name hashed stylesheets), taken once per process."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in RENDERING_CODE:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in RENDERING_SUFFIXES and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def etag_of(*parts: object) -> str:
    """A strong ETag of what an answer is made of; the site's address is in the answers' links."""
    text = "|".join(str(part) for part in (release(), settings.SITE_URL, *parts))
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class ApprovedYear:
    year: int
    approved_at: datetime.datetime


@dataclass(frozen=True)
class PublishedAgreement:
    """An agreement's public years, found in one query: enough to answer a conditional request."""

    slug: str
    name: str
    language: str
    years: tuple[ApprovedYear, ...]  # oldest first

    @classmethod
    def get(cls, slug: str) -> PublishedAgreement:
        """The agreement's public years, or 404: none approved, or held back."""
        rows = list(
            public_revisions()
            .filter(agreement__slug=slug)
            .order_by("year")
            .values_list(
                "year", "approved_at", "submitted_at", "agreement__name", "agreement__language"
            )
        )
        if not rows:
            raise Http404("No public plan")
        years = tuple(ApprovedYear(row[0], _moment(row[1] or row[2])) for row in rows)
        return cls(slug, rows[0][3], rows[0][4], years)

    @property
    def latest(self) -> int:
        return self.years[-1].year

    def year(self, year: int | None) -> int:
        """The year asked for (the latest if none), or 404 if it has no public plan."""
        if year is None:
            return self.latest
        if year not in {y.year for y in self.years}:
            raise Http404("No public plan that year")
        return year

    @property
    def last_modified(self) -> datetime.datetime:
        """The latest approval: every page of the agreement names every approved year."""
        return max(y.approved_at for y in self.years)

    def etag(self, kind: str, year: int, *more: object) -> str:
        """The ETag of one answer about `year` (kind: page, json, csv …): its approvals."""
        approvals = ",".join(f"{y.year}@{y.approved_at.isoformat()}" for y in self.years)
        return etag_of(kind, self.slug, self.language, year, approvals, *more)


def newest_report_mark(slug: str, year: int) -> str:
    """Which rendering of the year's PDF is served (an operator may render it again), in one
    query; "" before the first."""
    row = (
        StoredReport.objects.newest()
        .filter(revision__agreement__slug=slug, revision__year=year)
        .values_list("pk", "created_at")
        .first()
    )
    return f"{row[0]}@{row[1].isoformat()}" if row else ""


def index_state(language: str) -> tuple[str, datetime.datetime]:
    """The index's ETag and Last-Modified: every public approval, and when any agreement was
    last held back or let out (which changes the list without an approval)."""
    rows = list(
        public_revisions()
        .order_by("agreement__slug", "year")
        .values_list("agreement__slug", "year", "approved_at", "submitted_at")
    )
    changed = Agreement.objects.aggregate(at=Max("published_changed_at"))["at"]
    moments = [_moment(row[2] or row[3]) for row in rows] + ([changed] if changed else [])
    last = max(moments, default=_moment(None))
    state = ",".join(f"{slug}/{year}@{_moment(a or s).isoformat()}" for slug, year, a, s in rows)
    return etag_of("index", language, state, changed), last


def _moment(value: datetime.datetime | None) -> datetime.datetime:
    """A revision approved without a recorded time (an old import) counts from the epoch."""
    return value or datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
