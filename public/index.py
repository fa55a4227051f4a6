"""The public index: every agreement with a public plan, read from its latest approved snapshot."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .published import public_revisions


@dataclass
class IndexEntry:
    slug: str
    agreement: str
    pilot: str
    language: str
    municipalities: list[str]
    period: str
    state_cofinancing: int  # kroner over the period, from the state's funding source
    latest_year: int
    approved_on: datetime.date | None
    years: list[int]

    @classmethod
    def from_snapshot(
        cls, plan: dict, year: int, approved_at: datetime.datetime | None, years: list[int]
    ) -> IndexEntry:
        agreement = plan["agreement"]
        organisations = {org["key"]: org for org in plan.get("organisations", [])}
        parties = [organisations.get(key, {}) for key in agreement.get("parties", [])]
        return cls(
            slug=agreement["slug"],
            agreement=agreement["name"],
            pilot=agreement["pilot_name"],
            language=agreement.get("language") or "nn",
            municipalities=[o["name"] for o in parties if o.get("kind") == "municipality"],
            period=f"{agreement['first_year']}–{agreement['last_year']}",
            state_cofinancing=state_cofinancing(plan),
            latest_year=year,
            approved_on=timezone.localdate(approved_at) if approved_at else None,
            years=years,
        )


def state_cofinancing(plan: dict) -> int:
    """The state's co-financing over the agreement period, as section 6 of the plan sums it."""
    agreement, budget = plan["agreement"], plan.get("budget", {})
    state = [s["key"] for s in budget.get("sources", []) if s.get("state_cofinancing")]
    period = {str(y) for y in range(agreement["first_year"], agreement["last_year"] + 1)}
    return sum(
        cells.get(key) or 0
        for years in budget.get("amounts", {}).values()
        for year, cells in years.items()
        if year in period
        for key in state
    )


def index_entries() -> list[IndexEntry]:
    """Each agreement's latest public plan, by agreement name: two queries."""
    latest = public_revisions().filter(agreement=OuterRef("agreement")).order_by("-year")
    revisions = (
        public_revisions()
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .order_by("agreement__name")
        .values_list("agreement_id", "year", "approved_at", "snapshot")
    )
    years: dict[int, list[int]] = {}
    for agreement_id, year in (
        public_revisions().order_by("year").values_list("agreement_id", "year")
    ):
        years.setdefault(agreement_id, []).append(year)
    return [
        IndexEntry.from_snapshot(snapshot["plan"], year, approved_at, years[agreement_id])
        for agreement_id, year, approved_at, snapshot in revisions
    ]
