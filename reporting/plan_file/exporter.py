"""Writing the plan out: the YAML file (`export_plan`) and the frozen snapshot of a revision."""

from __future__ import annotations

import json
from typing import Any

import yaml
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, Q
from django.utils import timezone

from budget.models import Amount
from measures.models import Agreement, Measure, Organisation, Section
from reporting.models import Approval

from .reader import AGREEMENT_TEXTS, FORMAT

SNAPSHOT_FORMAT = "bygdevekst-snapshot/1"


def take_snapshot(agreement: Agreement) -> dict:
    """The whole living plan frozen as versioned JSON: enough to render it years later."""
    frozen = {
        "snapshot_format": SNAPSHOT_FORMAT,
        "taken_at": timezone.now(),
        "plan": living_plan(agreement),
    }
    return json.loads(json.dumps(frozen, cls=DjangoJSONEncoder))


def living_plan(agreement: Agreement) -> dict:
    """The living plan (without its revisions) as plain data: the plan file's content."""
    return _drop_empty(
        {
            "format": FORMAT,
            "organisations": [_export_organisation(o) for o in _organisations_of(agreement)],
            "agreement": _export_agreement(agreement),
            "sub_goals": _export_sub_goals(agreement),
            "budget": _export_budget(agreement),
        }
    )


def export_plan(agreement: Agreement) -> str:
    """The agreement's whole plan as YAML, in the order and style of docs/plan-format.md."""
    data = living_plan(agreement) | {"revisions": _drop_empty(_export_revisions(agreement))}
    return yaml.dump(
        _drop_empty(data),
        Dumper=_PlanDumper,
        sort_keys=False,
        allow_unicode=True,
        width=float("inf"),
    )


def _organisations_of(agreement: Agreement) -> list[Organisation]:
    """The parties in order, then every other organisation the plan names, by key."""
    parties = agreement.ordered_parties()
    involved = Q(involvements__measure__agreement=agreement) | Q(
        approvals__revision__agreement=agreement
    )
    named = (
        Organisation.objects.filter(involved)
        .exclude(pk__in=[p.pk for p in parties])
        .distinct()
        .order_by("key")
    )
    return [*parties, *named]


def _export_organisation(org: Organisation) -> dict:
    return {"key": org.key, "name": org.name, "short_name": org.short_name, "kind": org.kind}


def _export_agreement(agreement: Agreement) -> dict:
    data = {
        "slug": agreement.slug,
        "name": agreement.name,
        "pilot_name": agreement.pilot_name,
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
            "measures": [_export_measure(m) for m in by_goal.get(goal.pk, [])],
        }
        for goal in agreement.sub_goals.all()
    ]


def _export_measure(measure: Measure) -> dict:
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


def _export_revisions(agreement: Agreement) -> list[dict]:
    # The current round's approvals: the decisions that count (a draft's are history only).
    current = Approval.objects.filter(round__closed_at__isnull=True).select_related("organisation")
    revisions = agreement.revisions.order_by("year").prefetch_related(
        Prefetch("approvals", queryset=current)
    )
    return [
        {
            "year": r.year,
            "status": r.status,
            "approvals": [
                {
                    "organisation": a.organisation.key,
                    "body": a.body,
                    "planned_on": a.planned_on,
                    "decided_on": a.decided_on,
                    "decision": a.decision,
                    "case_reference": a.case_reference,
                }
                for a in sorted(r.approvals.all(), key=_approval_order)
            ],
        }
        for r in revisions
    ]


def _approval_order(approval: Approval) -> tuple:
    bodies = list(Approval.Body.values)
    return (approval.organisation.key, bodies.index(approval.body))


def _drop_empty(value: Any) -> Any:
    """Leave out optional keys with no value, so the file holds only what the plan says."""
    if isinstance(value, dict):
        kept = {k: _drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


class _PlanDumper(yaml.SafeDumper):
    """Long and multi-line texts as literal blocks, so Markdown reads as written."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    if "\n" in text or len(text) > 80:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text + "\n", style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_PlanDumper.add_representer(str, _represent_text)
