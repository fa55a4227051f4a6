"""The living plan as plain data: the content of a plan file, and a revision's frozen snapshot.

Shared by the yearly revision (snapshots, marks), the reports and the plan file, which all sit
above it: it reads the plan's and the budget's models, and nothing of the cycle.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from budget.models import Amount
from measures.models import Agreement, Measure, Organisation, Section

from .schema import AGREEMENT_TEXTS, FORMAT, drop_empty
from .snapshots import as_snapshot


def take_snapshot(agreement: Agreement) -> dict:
    """The whole living plan frozen as versioned JSON: enough to render it years later."""
    return as_snapshot(living_plan(agreement))


def living_plan(agreement: Agreement) -> dict:
    """The living plan (without its revisions) as plain data: the plan file's content."""
    return drop_empty(
        {
            "format": FORMAT,
            "organisations": _export_organisations(agreement),
            "agreement": _export_agreement(agreement),
            "sub_goals": _export_sub_goals(agreement),
            "budget": _export_budget(agreement),
        }
    )


def _organisations_of(agreement: Agreement) -> list[Organisation]:
    """The parties in order, then every other organisation the plan names, by key."""
    parties = agreement.ordered_parties()
    involved = (
        Q(involvements__measure__agreement=agreement)
        | Q(approvals__round__revision__agreement=agreement)
        | Q(member_links__agreement=agreement)
        | Q(collective_links__agreement=agreement)
    )
    named = (
        Organisation.objects.filter(involved)
        .exclude(pk__in=[p.pk for p in parties])
        .distinct()
        .order_by("key")
    )
    return [*parties, *named]


def _export_organisations(agreement: Agreement) -> list[dict]:
    """Every organisation the plan names; a collective with its members here, in key order."""
    members: dict[int, list[str]] = {}
    links = agreement.memberships.order_by("member__key").values_list("collective", "member__key")
    for collective, member in links:
        members.setdefault(collective, []).append(member)
    return [
        {
            "key": org.key,
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.kind,
            "members": members.get(org.pk, []),
        }
        for org in _organisations_of(agreement)
    ]


def _export_agreement(agreement: Agreement) -> dict:
    data = {
        "slug": agreement.slug,
        "name": agreement.name,
        "pilot_name": agreement.pilot_name,
        "language": agreement.language,
        "signed_on": agreement.signed_on,
        "first_year": agreement.first_year,
        "last_year": agreement.last_year,
        "parties": [p.key for p in agreement.ordered_parties()],
    }
    return data | {name: getattr(agreement, name) for name in AGREEMENT_TEXTS}


def _export_sub_goals(agreement: Agreement) -> list[dict]:
    measures = agreement.measures.select_related("sub_goal").with_organisations().with_sections()
    by_goal: dict[int, list[Measure]] = {}
    for measure in measures:
        by_goal.setdefault(measure.sub_goal_id, []).append(measure)
    return [
        {
            "number": goal.number,
            "title": goal.title,
            "main_goal": goal.main_goal,
            "weight": goal.weight,
            "introduction": goal.introduction,
            "remark": goal.remark,
            "measures": [export_measure(m) for m in by_goal.get(goal.pk, [])],
        }
        for goal in agreement.sub_goals.all()
    ]


def export_measure(measure: Measure) -> dict:
    if measure.at_next_revision:
        timeframe: Any = "next_revision"
    else:
        timeframe = {"start": measure.start_year, "end": measure.end_year}
    return {
        "key": measure.key,
        "number": measure.number,
        "title": measure.title,
        "tagline": measure.tagline,
        "leads": [o.key for o in measure.leads()],
        "leads_more": measure.leads_more,
        "partners": [o.key for o in measure.partners()],
        "partners_more": measure.partners_more,
        "timeframe": timeframe,
        "priority": None if measure.priority == Measure.Priority.NOW else measure.priority,
        "status": None if measure.status == Measure.Status.ACTIVE else measure.status,
        "closed_on": measure.closed_on,
        "sections": [
            {
                "kind": None if s.kind == Section.Kind.OTHER else s.kind,
                "heading": s.heading,
                "body": s.body,
            }
            for s in measure.sections.all()
        ],
    }


def _export_budget(agreement: Agreement) -> dict:
    lines = list(agreement.budget_lines.select_related("sub_goal"))
    amounts: dict = {}
    for amount in (
        Amount.objects.filter(line__agreement=agreement)
        .select_related("line", "source")
        .order_by("line__number", "year", "source__position")
    ):
        amounts.setdefault(amount.line.key, {}).setdefault(amount.year, {})[amount.source.key] = (
            amount.kroner
        )
    return {
        "lines": [
            {
                "key": line.key,
                "number": line.number,
                "title": line.title,
                "sub_goal": line.sub_goal.number if line.sub_goal else None,
            }
            for line in lines
        ],
        "sources": [
            {"key": s.key, "name": s.name, "state_cofinancing": s.is_state_cofinancing or None}
            for s in agreement.funding_sources.all()
        ],
        "amounts": amounts,
        "footnotes": [
            {
                "table": f.table,
                "year": f.year,
                "marker": f.marker,
                "line": f.line.key if f.line else None,
                "column": int(f.column) if f.column.isdigit() else f.column,
                "text": f.text,
            }
            for f in agreement.footnotes.select_related("line").order_by("pk")
        ],
    }
