"""The political process of each yearly revision: meetings planned and decisions made."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from measures.rules import get_agreement_for_user

from .process import PoliticalProcess


def process_detail(request: HttpRequest, slug: str, year: int | None = None) -> HttpResponse:
    """Local and regional anchoring (section 5) and who approved the plan (section 8)."""
    agreement = get_agreement_for_user(request, slug)
    revisions = list(agreement.revisions.order_by("-year"))
    if not revisions:
        revision = None
    elif year is None:
        revision = revisions[0]
    else:
        revision = next((r for r in revisions if r.year == year), None)
        if revision is None:
            raise Http404("Det finst ingen handlingsplan for dette året.")
    context = {
        "agreement": agreement,
        "revisions": revisions,
        "revision": revision,
        "process": PoliticalProcess.from_revision(revision) if revision else None,
        "section": "process",
    }
    return render(request, "reporting/process_detail.html", context)
