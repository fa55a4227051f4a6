"""The public face: approved plans for anyone, without logging in, cacheable (docs/open-data.md).

Every view here is a `public_page` (bygdevekst/sessions.py): the one exemption from login and
from `private, no-store`. Each answer carries an ETag and Last-Modified from the approvals it
shows, found in one query, so a conditional request is answered 304 before anything is read or
rendered; what is rendered is kept in the cache under its ETag.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from bygdevekst.sessions import public_page
from reporting.outputs.context import Report
from reporting.outputs.pdf import revision_pdf
from reporting.outputs.workbook.writer import report_workbook

from . import open_data
from .index import index_entries
from .plan import PublicPlan
from .published import PublishedAgreement, index_state, newest_report_mark, public_revisions

# A rendered answer is kept under its ETag, which changes with whatever it is made of.
CACHE_SECONDS = 7 * 24 * 60 * 60
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _answer(
    request: HttpRequest,
    *,
    etag: str,
    modified: datetime.datetime,
    build: Callable[[], bytes],
    content_type: str,
    language: str,
    filename: str = "",
    cached: bool = True,
) -> HttpResponse:
    """304 if the client holds this version, else the body (from the cache, or built now)."""
    last_modified = int(modified.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        key = f"public:{etag}"
        body = cache.get(key) if cached else None
        if body is None:
            body = build()
            if cached:
                cache.set(key, body, CACHE_SECONDS)
        response = HttpResponse(body, content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Content-Language"] = language
    # The index speaks the browser's målform; an agreement's answers their own, but the
    # målform middleware varies every anonymous answer by it all the same.
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _plan(slug: str, year: int) -> PublicPlan:
    revision = get_object_or_404(
        public_revisions().select_related("agreement"), agreement__slug=slug, year=year
    )
    return PublicPlan.from_revision(revision)


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    """Every agreement with a public plan: pilot, municipalities, period, money, approval."""
    language = translation.get_language()
    etag, modified = index_state(language)

    def build() -> bytes:
        context = {
            "entries": index_entries(),
            "canonical": open_data.absolute(reverse("public:index")),
        }
        return render_to_string("public/index.html", context).encode()

    return _answer(
        request,
        etag=etag,
        modified=modified,
        build=build,
        content_type="text/html; charset=utf-8",
        language=language,
    )


@require_safe
@public_page
def plan_page(request: HttpRequest, slug: str, year: int | None = None) -> HttpResponse:
    """An agreement's approved plan of a year (the latest without one), in its målform."""
    published = PublishedAgreement.get(slug)
    year = published.year(year)

    def build() -> bytes:
        plan = _plan(slug, year)
        context = {
            "plan": plan,
            "years": open_data.years_of(slug, published.years),
            "latest": published.latest,
            "files": open_data.files_of(slug, year),
        }
        with translation.override(plan.language):
            return render_to_string("public/plan_page.html", context).encode()

    return _answer(
        request,
        etag=published.etag("page", year),
        modified=published.last_modified,
        build=build,
        content_type="text/html; charset=utf-8",
        language=published.language,
    )


def _data(kind: str, content_type: str, write: Callable[[PublishedAgreement, PublicPlan], bytes]):
    """A view answering one year's plan as a file of open data."""

    @require_safe
    @public_page
    def view(request: HttpRequest, slug: str, year: int | None = None) -> HttpResponse:
        published = PublishedAgreement.get(slug)
        year = published.year(year)
        return _answer(
            request,
            etag=published.etag(kind, year),
            modified=published.last_modified,
            build=lambda: write(published, _plan(slug, year)),
            content_type=content_type,
            language=published.language,
        )

    view.__name__ = view.__qualname__ = f"plan_{kind}"
    view.__doc__ = f"The approved plan of a year as {kind} (docs/open-data.md)."
    return view


plan_json = _data(
    "json",
    "application/json",
    lambda published, plan: open_data.plan_json(plan, published.years),
)
measures_csv = _data(
    "measures-csv", "text/csv; charset=utf-8", lambda _, plan: open_data.measures_csv(plan)
)
budget_csv = _data(
    "budget-csv", "text/csv; charset=utf-8", lambda _, plan: open_data.budget_csv(plan)
)


@require_safe
@public_page
def plan_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The approved year's report as stored when KDD approved it (the newest rendering)."""
    published = PublishedAgreement.get(slug)
    year = published.year(year)

    def build() -> bytes:
        revision = (
            public_revisions().select_related("agreement").get(agreement__slug=slug, year=year)
        )
        return revision_pdf(revision)[0]

    return _answer(
        request,
        etag=published.etag("pdf", year, newest_report_mark(slug, year)),
        modified=published.last_modified,
        build=build,
        content_type="application/pdf",
        language=published.language,
        filename=f"handlingsplan-{slug}-{year}.pdf",
        cached=False,  # kept in the database already (StoredReport)
    )


@require_safe
@public_page
def plan_xlsx(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The approved year's workbook, made from its snapshot."""
    published = PublishedAgreement.get(slug)
    year = published.year(year)

    def build() -> bytes:
        revision = (
            public_revisions().select_related("agreement").get(agreement__slug=slug, year=year)
        )
        return report_workbook(Report.from_revision(revision))

    return _answer(
        request,
        etag=published.etag("xlsx", year),
        modified=published.last_modified,
        build=build,
        content_type=XLSX,
        language=published.language,
        filename=f"handlingsplan-{slug}-{year}.xlsx",
    )


@require_safe
@public_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Search engines may read the public pages, and nothing behind the login."""
    body = render_to_string("public/robots.txt", {"site": open_data.absolute("")}).encode()
    etag, modified = index_state("robots")
    return _answer(
        request,
        etag=etag,
        modified=modified,
        build=lambda: body,
        content_type="text/plain; charset=utf-8",
        language=translation.get_language(),
        cached=False,
    )


@require_safe
@public_page
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    """The index, each agreement's latest plan and every approved year's page."""
    etag, modified = index_state("sitemap")

    def build() -> bytes:
        entries = index_entries()
        pages = [(open_data.absolute(reverse("public:index")), None)]
        for entry in entries:
            pages.append((open_data.absolute(reverse("public:plan", args=[entry.slug])), entry))
            pages += [(open_data.files_of(entry.slug, y)["page"], entry) for y in entry.years]
        return render_to_string("public/sitemap.xml", {"pages": pages}).encode()

    return _answer(
        request,
        etag=etag,
        modified=modified,
        build=build,
        content_type="application/xml; charset=utf-8",
        language=translation.get_language(),
    )
