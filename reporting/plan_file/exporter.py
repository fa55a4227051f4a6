"""Writing the plan out as the YAML file (`export_plan`): the living plan (plan_data), every
revision whole, and the money (accounts, payments and their corrections)."""

from __future__ import annotations

import datetime

import yaml
from django.db.models import Prefetch
from django.utils import timezone

from measures.models import Agreement
from money.models import Accounts, Correction, Explanation, Spending
from reporting.plan_data.living import living_plan
from reporting.plan_data.schema import drop_empty
from reporting.plan_data.snapshots import as_snapshot, written_plan
from reporting.revision.models import Approval, ApprovalRound, Revision, RevisionEvent


def export_plan(agreement: Agreement) -> str:
    """The agreement's whole plan as YAML, in the order and style of docs/plan-format.md."""
    return plan_text(exported_data(agreement))


def exported_data(agreement: Agreement) -> dict:
    """What the agreement's plan file holds, as data in the file's order."""
    plan = living_plan(agreement)
    revisions = _export_revisions(agreement, as_snapshot(plan)["plan"])
    return plan | {"revisions": revisions, "money": _export_money(agreement)}


def plan_text(data: dict) -> str:
    """Plan data in the file's form (keys in file order) as the YAML of a plan file."""
    return yaml.dump(
        drop_empty(data),
        Dumper=_PlanDumper,
        sort_keys=False,
        allow_unicode=True,
        width=_NO_LINE_LIMIT,
    )


def _export_revisions(agreement: Agreement, living: dict) -> list[dict]:
    """Every revision whole; a snapshot only where it is not `living`, the plan the file carries.

    Left out, a snapshot is that plan when the file is imported (docs/plan-format.md), so
    export → import → export is exact and the seed file needs no copy of itself.
    """
    # A round's times and comment are its events', which the file lists under `events`.
    rounds = ApprovalRound.objects.order_by("number").prefetch_related(
        Prefetch("approvals", queryset=Approval.objects.select_related("organisation"))
    )
    revisions = agreement.revisions.order_by("year").prefetch_related(
        Prefetch("rounds", queryset=rounds), "notes", "progress", "events"
    )
    return [_export_revision(revision, living) for revision in revisions]


def _export_revision(revision: Revision, living: dict) -> dict:
    """`approvals` are the current (open) round's; `rounds` the earlier ones, KDD sent back.

    The current round is not written as a round: its number follows the earlier rounds'. Which
    events opened and closed each round follows from their order (docs/plan-format.md).
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
            {"number": r.number, "approvals": _export_approvals(r)} for r in rounds if not r.is_open
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
    """A send-back without a snapshot in the file sent back the revision's."""
    frozen = event.snapshot["plan"] if event.snapshot else None
    implied = revision_plan if event.kind == RevisionEvent.Kind.SENT_BACK else None
    return {
        "kind": event.kind,
        "at": _local(event.at),
        "comment": event.comment,
        "snapshot": _unless(frozen, implied),
    }


def _export_money(agreement: Agreement) -> dict:
    """Each year's accounts, and the payments by date (each known by when it was recorded)."""
    corrections = Prefetch("corrections", queryset=Correction.objects.order_by("at", "pk"))
    accounts = agreement.accounts.order_by("year").prefetch_related(
        Prefetch(
            "spending",
            queryset=Spending.objects.select_related("line", "source").order_by(
                "line__number", "source__position"
            ),
        ),
        Prefetch("explanations", queryset=Explanation.objects.select_related("line")),
        "events",
        corrections,
    )
    payments = agreement.payments.order_by("paid_on", "recorded_at", "pk")
    return {
        "accounts": [_export_accounts(a) for a in accounts],
        "payments": [
            {
                "year": p.year,
                "paid_on": p.paid_on,
                "kroner": p.kroner,
                "reference": p.reference,
                "recorded_at": _local(p.recorded_at),
                "corrections": _export_corrections(p.corrections.all()),
            }
            for p in payments.prefetch_related(corrections)
        ],
    }


def _export_accounts(accounts: Accounts) -> dict:
    """Spending as line key → source key → kroner, in the order of the budget's grid."""
    spending: dict[str, dict[str, int]] = {}
    for cell in accounts.spending.all():
        spending.setdefault(cell.line.key, {})[cell.source.key] = cell.kroner
    explanations = sorted(accounts.explanations.all(), key=lambda e: e.line.number)
    return {
        "year": accounts.year,
        "status": accounts.status,
        "spending": spending,
        "explanations": {e.line.key: e.text for e in explanations},
        "events": [
            {"kind": e.kind, "at": _local(e.at), "comment": e.comment}
            for e in accounts.events.all()
        ],
        "corrections": _export_corrections(accounts.corrections.all()),
    }


def _export_corrections(corrections) -> list[dict]:
    return [{"at": _local(c.at), "reason": c.reason, "changes": c.changes} for c in corrections]


def _unless(frozen: dict | None, implied: dict | None) -> dict | None:
    """The snapshot as written, or None where the file implies it."""
    return None if frozen is None or frozen == implied else written_plan(frozen)


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A time as the installation's clock shows it (with its offset), for people to read."""
    return timezone.localtime(moment) if moment else None


def _approval_order(approval: Approval) -> tuple:
    bodies = list(Approval.Body.values)
    return (approval.organisation.key, bodies.index(approval.body))


# libyaml's writer when PyYAML has it (its wheels do), as the loader reads with libyaml: about
# seven times as fast (the seed's plan: 33 to 5 ms), and, unlike PyYAML's own writer, it keeps
# U+0085 and U+2028 in a text as they are. (A file may end in "...", the end of the document.)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# Lines are never folded (libyaml takes the width as a C int).
_NO_LINE_LIMIT = 2**31 - 1


class _PlanDumper(_BaseDumper):
    """Long and multi-line texts as literal blocks, so Markdown reads as written."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    if "\n" in text or len(text) > 80:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text + "\n", style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_PlanDumper.add_representer(str, _represent_text)
