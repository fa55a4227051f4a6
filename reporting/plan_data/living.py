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
    parties = agreement.ordered_parties()
    return drop_empty(
        {
            "format": FORMAT,
            "organisations": _export_organisations(agreement, parties),
            "agreement": _export_agreement(agreement, parties),
            "sub_goals": _export_sub_goals(agreement),
            "budget": _export_budget(agreement),
        }
    )


def _organisations_of(agreement: Agreement, parties: list[Organisation]) -> list[Organisation]:
    """The parties in order, then every other organisation the plan names, by key."""
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


def _export_organisations(agreement: Agreement, parties: list[Organisation]) -> list[dict]:
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
        for org in _organisations_of(agreement, parties)
    ]


def _export_agreement(agreement: Agreement, parties: list[Organisation]) -> dict:
    data = {
        "slug": agreement.slug,
        "name": agreement.name,
        "pilot_name": agreement.pilot_name,
        "language": agreement.language,
        "signed_on": agreement.signed_on,
        "first_year": agreement.first_year,
        "last_year": agreement.last_year,
        "parties": [p.key for p in parties],
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
    """The budget's lines, sources, amounts and footnotes, read as values: no row is needed as
    an object, and the plan is read into data at every submission, export and preview."""
    amounts: dict = {}
    cells = (
        Amount.objects.filter(line__agreement=agreement)
        .order_by("line__number", "year", "source__position")
        .values_list("line__key", "year", "source__key", "kroner")
    )
    for line, year, source, kroner in cells:
        amounts.setdefault(line, {}).setdefault(year, {})[source] = kroner
    lines = agreement.budget_lines.values_list("key", "number", "title", "sub_goal__number")
    sources = agreement.funding_sources.values_list("key", "name", "is_state_cofinancing")
    footnotes = agreement.footnotes.order_by("pk").values_list(
        "table", "year", "marker", "line__key", "column", "text"
    )
    return {
        "lines": [
            {"key": key, "number": number, "title": title, "sub_goal": sub_goal}
            for key, number, title, sub_goal in lines
        ],
        "sources": [
            {"key": key, "name": name, "state_cofinancing": state or None}
            for key, name, state in sources
        ],
        "amounts": amounts,
        "footnotes": [
            {
                "table": table,
                "year": year,
                "marker": marker,
                "line": line,
                "column": int(column) if column.isdigit() else column,
                "text": text,
            }
            for table, year, marker, line, column, text in footnotes
        ],
    }
