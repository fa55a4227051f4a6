"""Writing the plan out: the YAML file (`export_plan`) and the frozen snapshot of a revision."""

from __future__ import annotations

import datetime
from typing import Any

import yaml
from django.db.models import Prefetch, Q
from django.utils import timezone

from budget.models import Amount
from measures.models import Agreement, Measure, Organisation, Section
from reporting.models import Approval, ApprovalRound, Revision, RevisionEvent

from .schema import AGREEMENT_TEXTS, FORMAT, drop_empty
from .snapshots import as_snapshot, written_plan

# The events that keep the plan as it was at that step: without a snapshot of their own in the
# file, they have their revision's.
EVENTS_WITH_SNAPSHOT = (RevisionEvent.Kind.SUBMITTED, RevisionEvent.Kind.SENT_BACK)


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


def export_plan(agreement: Agreement) -> str:
    """The agreement's whole plan as YAML, in the order and style of docs/plan-format.md."""
    plan = living_plan(agreement)
    return plan_text(plan | {"revisions": _export_revisions(agreement, as_snapshot(plan)["plan"])})


def plan_text(data: dict) -> str:
    """Plan data in the file's form (keys in file order) as the YAML of a plan file."""
    return yaml.dump(
        drop_empty(data),
        Dumper=_PlanDumper,
        sort_keys=False,
        allow_unicode=True,
        width=float("inf"),
    )


def _organisations_of(agreement: Agreement) -> list[Organisation]:
    """The parties in order, then every other organisation the plan names, by key."""
    parties = agreement.ordered_parties()
    involved = (
        Q(involvements__measure__agreement=agreement)
        | Q(approvals__revision__agreement=agreement)
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


def _export_revisions(agreement: Agreement, living: dict) -> list[dict]:
    """Every revision whole; a snapshot only where it is not `living`, the plan the file carries.

    Left out, a snapshot is that plan when the file is imported (docs/plan-format.md), so
    export → import → export is exact and the seed file needs no copy of itself.
    """
    rounds = ApprovalRound.objects.order_by("number").prefetch_related(
        Prefetch("approvals", queryset=Approval.objects.select_related("organisation"))
    )
    revisions = agreement.revisions.order_by("year").prefetch_related(
        Prefetch("rounds", queryset=rounds), "notes", "progress", "events"
    )
    return [_export_revision(revision, living) for revision in revisions]


def _export_revision(revision: Revision, living: dict) -> dict:
    """`approvals` are the current (open) round's; `rounds` the earlier ones, KDD sent back.

    The current round is not written as a round: its number follows the earlier rounds' and it
    opened at `submitted_at`, as a submission opens it (docs/plan-format.md).
    """
    frozen = revision.snapshot["plan"] if revision.snapshot else None
    implied = None if revision.is_draft else living
    rounds = list(revision.rounds.all())
    current = next((r for r in rounds if r.is_open), None)
    return {
        "year": revision.year,
        "status": revision.status,
        "due_on": revision.due_on,
        "submitted_at": _local(revision.submitted_at),
        "approved_at": _local(revision.approved_at),
        "approvals": _export_approvals(current),
        "rounds": [
            {
                "number": r.number,
                "opened_at": _local(r.opened_at),
                "closed_at": _local(r.closed_at),
                "comment": r.comment,
                "approvals": _export_approvals(r),
            }
            for r in rounds
            if not r.is_open
        ],
        "notes": [
            {"measure": n.measure_key, "kind": n.kind, "text": n.text} for n in revision.notes.all()
        ],
        "progress": [
            {"measure": p.measure_key, "state": p.state, "text": p.text}
            for p in revision.progress.all()
        ],
        "events": [_export_event(event, frozen) for event in revision.events.all()],
        "snapshot": _unless(frozen, implied),
    }


def _export_approvals(round_: ApprovalRound | None) -> list[dict]:
    """A round's decisions (none without a round: a draft's decisions are its earlier rounds')."""
    return [
        {
            "organisation": a.organisation.key,
            "body": a.body,
            "planned_on": a.planned_on,
            "decided_on": a.decided_on,
            "decision": a.decision,
            "case_reference": a.case_reference,
            "comment": a.comment,
        }
        for a in sorted(round_.approvals.all() if round_ else [], key=_approval_order)
    ]


def _export_event(event: RevisionEvent, revision_plan: dict | None) -> dict:
    frozen = event.snapshot["plan"] if event.snapshot else None
    implied = revision_plan if event.kind in EVENTS_WITH_SNAPSHOT else None
    return {
        "kind": event.kind,
        "at": _local(event.at),
        "comment": event.comment,
        "snapshot": _unless(frozen, implied),
    }


def _unless(frozen: dict | None, implied: dict | None) -> dict | None:
    """The snapshot as written, or None where the file implies it."""
    return None if frozen is None or frozen == implied else written_plan(frozen)


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A time as the installation's clock shows it (with its offset), for people to read."""
    return timezone.localtime(moment) if moment else None


def _approval_order(approval: Approval) -> tuple:
    bodies = list(Approval.Body.values)
    return (approval.organisation.key, bodies.index(approval.body))


class _PlanDumper(yaml.SafeDumper):
    """Long and multi-line texts as literal blocks, so Markdown reads as written."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    if "\n" in text or len(text) > 80:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text + "\n", style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_PlanDumper.add_representer(str, _represent_text)
