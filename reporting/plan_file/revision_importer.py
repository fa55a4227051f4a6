"""Importing a plan file's revisions: their state, approval rounds, notes, statuses and events;
an approved revision is refused any change (part of `import_plan`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Agreement
from reporting.plan_data.living import take_snapshot
from reporting.plan_data.schema import KEYS
from reporting.plan_data.snapshots import as_snapshot
from reporting.revision.models import (
    Approval,
    ApprovalRound,
    MeasureNote,
    MeasureProgress,
    Revision,
    RevisionEvent,
)

from .problems import PlanFileError, Problem
from .revision_reader import round_events
from .rows import sync_row, write_row


def _import_revisions(
    agreement: Agreement, revisions: list[dict], orgs: dict, source: str = ""
) -> None:
    """Create and update revisions; an approved one may only be confirmed, never changed.

    A decision the file adds or changes is marked restored from `source` (the file's name).
    """
    existing = {r.year: r for r in agreement.revisions.all()}
    wanted = {data["year"] for data in revisions}
    for year, revision in existing.items():
        if year not in wanted:
            if revision.is_approved:
                raise PlanFileError([_frozen_problem("revisions", year)])
            revision.delete()
    open_ones = []
    for index, data in enumerate(revisions):
        revision = existing.get(data["year"])
        if revision is not None and revision.is_approved:
            if _content_of(revision, data) != _content_in(data):
                raise PlanFileError([_frozen_problem(f"revisions[{index}]", revision.year)])
            continue
        revision = revision or Revision.objects.create(agreement=agreement, year=data["year"])
        events, surplus = _sync_events(revision, data["events"])
        _import_rounds(revision, data, orgs, source, events)
        for event in surplus:  # once no round points at it any more
            event.delete()
        _replace_notes(revision, data["notes"], data["progress"])
        open_ones.append((revision, data))
    # Snapshots (the revisions' and their send-backs') and statuses last: a snapshot the file
    # leaves out is the whole plan as imported (later revisions' approvals name organisations
    # too), and an approved revision takes nothing more.
    living = None
    for revision, data in open_ones:
        frozen = data["snapshot"]
        if frozen is None and data["status"] != Revision.Status.DRAFT:
            # Left out, a snapshot is the one stored, or for a revision new to the database the
            # plan the file carries: the exporter leaves it out only where the two are equal.
            living = living or take_snapshot(agreement)["plan"]
            frozen = _plan_of(revision.snapshot) or living
        _set_event_plans(revision, data["events"], frozen)
        _set_state(revision, data, frozen)


def _set_state(revision: Revision, data: dict, frozen: dict | None) -> None:
    """Status, times and snapshot as the file says; a row that is already so is not saved."""
    values = {k: data[k] for k in ("status", "due_on", "submitted_at", "approved_at")}
    if data["status"] == Revision.Status.APPROVED and not values["approved_at"]:
        values["approved_at"] = revision.approved_at or timezone.now()
    changed = [name for name, value in values.items() if getattr(revision, name) != value]
    if _plan_of(revision.snapshot) != frozen:
        revision.snapshot = as_snapshot(frozen) if frozen is not None else None
        changed.append("snapshot")
    if changed:
        for name in changed:
            if name != "snapshot":
                setattr(revision, name, values[name])
        revision.save(update_fields=changed)


def _plan_of(snapshot: dict | None) -> dict | None:
    return snapshot["plan"] if snapshot else None


def _frozen_problem(path: str, year: int) -> Problem:
    words = {"year": year}
    return Problem(
        path, _("handlingsplan %(year)s er godkjend av KDD og kan ikkje endrast") % words
    )


def _content_of(revision: Revision, data: dict) -> dict:
    """What an approved revision holds, as _content_in reads the file: the snapshots and the
    time of approval only where the file states them (the seed, and edited copies, do not)."""
    stated = data["snapshot"] is not None
    return {
        "status": revision.status,
        "due_on": revision.due_on,
        "submitted_at": revision.submitted_at,
        "approved_at": revision.approved_at if data["approved_at"] else None,
        "approvals": _approvals_of(revision.current_approvals()),
        "rounds": [
            (r.number, _approvals_of(r.approvals.all()))
            for r in revision.rounds.filter(send_back__isnull=False).order_by("number")
        ],
        "notes": _notes_of(revision),
        "events": [
            (e.kind, e.at, e.comment, _plan_of(e.snapshot) if stated else None)
            for e in revision.events.all()
        ],
        "snapshot": _plan_of(revision.snapshot) if stated else None,
    }


def _content_in(data: dict) -> dict:
    stated = data["snapshot"] is not None
    return {
        "status": data["status"],
        "due_on": data["due_on"],
        "submitted_at": data["submitted_at"],
        "approved_at": data["approved_at"],
        "approvals": _approvals_in(data["approvals"]),
        "rounds": [(r["number"], _approvals_in(r["approvals"])) for r in data["rounds"]],
        "notes": _notes_in(data["notes"], data["progress"]),
        "events": [
            (kind, at, comment, plan if stated else None)
            for kind, at, comment, plan in _events_in(data["events"], data["snapshot"])
        ],
        "snapshot": data["snapshot"],
    }


# The file's keys (plan_data/schema.py), compared and written field by field.
_APPROVAL_FIELDS = KEYS["approvals"]


def _approvals_of(approvals) -> list[tuple]:
    return sorted(
        (a.organisation.key, *(getattr(a, name) for name in _APPROVAL_FIELDS[1:]))
        for a in approvals.select_related("organisation")
    )


def _approvals_in(approvals: list[dict]) -> list[tuple]:
    return sorted(tuple(a[k] for k in _APPROVAL_FIELDS) for a in approvals)


def _import_rounds(
    revision: Revision, data: dict, orgs: dict, source: str, events: list[RevisionEvent]
) -> None:
    """The revision's approval rounds exactly as the file has them, each pointing at the events
    (`events`, in time order) that opened and closed it (`round_events`).

    `rounds` are the earlier rounds, closed by KDD's send-back; `approvals` the current round's,
    which is open while the revision is submitted or approved (a draft has none). The current
    round is numbered after the earlier ones (docs/plan-format.md).
    """
    pairs, current = round_events([e.kind for e in events], len(data["rounds"]))
    wanted = [
        (r["number"], {"submission": events[opened], "send_back": events[closed]}, r["approvals"])
        for r, (opened, closed) in zip(data["rounds"], pairs, strict=True)
    ]
    if data["status"] != Revision.Status.DRAFT:
        number = (wanted[-1][0] if wanted else 0) + 1
        submission = events[current] if current is not None else None
        wanted.append((number, {"submission": submission, "send_back": None}, data["approvals"]))
    revision.rounds.exclude(number__in=[number for number, _, _ in wanted]).delete()
    # Closed first, so that the round to be opened never meets another still open.
    for number, values, approvals in sorted(wanted, key=lambda w: w[1]["send_back"] is None):
        round_ = sync_row(ApprovalRound, {"revision": revision, "number": number}, values)
        _import_approvals(round_, approvals, orgs, source)


def _import_approvals(
    round_: ApprovalRound, approvals: list[dict], orgs: dict, source: str
) -> None:
    """The round's decisions exactly as the file has them; those it adds or changes say they
    were restored from `source` by an operator, not recorded by anyone in the app."""
    wanted = {(a["organisation"], a["body"]): a for a in approvals}
    current = {}
    for approval in round_.approvals.select_related("organisation"):
        pair = (approval.organisation.key, approval.body)
        if pair in wanted:
            current[pair] = approval
        else:
            approval.delete()
    for (org_key, body), approval in wanted.items():
        values = {k: approval[k] for k in _APPROVAL_FIELDS[2:]}
        existing = current.get((org_key, body))
        if existing is None or any(getattr(existing, k) != v for k, v in values.items()):
            values |= {
                "recorded_via": Approval.Via.RESTORED,
                "restored_from": source,
                "recorded_by": None,
                "recorded_at": timezone.now(),
            }
        lookup = {"round": round_, "organisation": orgs[org_key], "body": body}
        write_row(Approval.objects, existing, lookup, values)


def _notes_of(revision: Revision) -> tuple[list, list]:
    return (
        sorted((n.measure_key, n.kind, n.text) for n in revision.notes.all()),
        sorted((p.measure_key, p.state, p.text) for p in revision.progress.all()),
    )


def _notes_in(notes: list[dict], progress: list[dict]) -> tuple[list, list]:
    return (
        sorted((n["measure"], n["kind"], n["text"]) for n in notes),
        sorted((p["measure"], p["state"], p["text"]) for p in progress),
    )


def _replace_notes(revision: Revision, notes: list[dict], progress: list[dict]) -> None:
    """The reasons, assessments and yearly statuses exactly as the file has them."""
    if _notes_of(revision) == _notes_in(notes, progress):
        return
    revision.notes.all().delete()
    revision.progress.all().delete()
    for note in notes:
        MeasureNote.objects.create(
            revision=revision, measure_key=note["measure"], kind=note["kind"], text=note["text"]
        )
    for row in progress:
        MeasureProgress.objects.create(
            revision=revision, measure_key=row["measure"], state=row["state"], text=row["text"]
        )


def _events_in(events: list[dict], frozen: dict | None) -> list[tuple]:
    """The file's events as the database keeps them: (kind, at, comment, plan), by time.

    A send-back without a snapshot of its own sent back the revision's (`frozen`). A
    submission keeps none where it would be a copy: of the plan its round's send-back kept, or
    of the revision's.
    """
    ordered = sorted(events, key=lambda event: event["at"])  # stable: as listed at a tie
    plans = [
        e["snapshot"] or (frozen if e["kind"] == RevisionEvent.Kind.SENT_BACK else None)
        for e in ordered
    ]
    for index, event in enumerate(ordered):
        if event["kind"] == RevisionEvent.Kind.SUBMITTED and plans[index] is not None:
            sent_back = next(
                (
                    plans[later]
                    for later in range(index + 1, len(ordered))
                    if ordered[later]["kind"] == RevisionEvent.Kind.SENT_BACK
                ),
                frozen,
            )
            if plans[index] in (sent_back, frozen):
                plans[index] = None
    return [
        (e["kind"], e["at"], e["comment"], plan) for e, plan in zip(ordered, plans, strict=True)
    ]


def _sync_events(revision: Revision, events: list[dict]) -> tuple[list[RevisionEvent], list]:
    """The revision's history as the file has it (kind, time, comment; the plans come later,
    `_set_event_plans`): the rows in time order, and those left over, to delete once no round
    points at them.

    Rows are rewritten in place, the oldest row taking the earliest event, so an unchanged
    history writes nothing and a round's events keep their rows.
    """
    desired = [(kind, at, comment) for kind, at, comment, _plan in _events_in(events, None)]
    rows = sorted(revision.events.all(), key=lambda event: event.pk)
    kept = []
    for (kind, at, comment), row in zip(desired, rows, strict=False):  # the shorter of the two
        if (row.kind, row.at, row.comment) != (kind, at, comment):
            row.kind, row.at, row.comment = kind, at, comment
            row.save(update_fields=["kind", "at", "comment"])
        kept.append(row)
    for kind, at, comment in desired[len(rows) :]:
        row = RevisionEvent.objects.create(revision=revision, kind=kind, comment=comment)
        row.at = at  # auto_now_add set it on create; a second save keeps the file's time
        row.save(update_fields=["at"])
        kept.append(row)
    return kept, rows[len(desired) :]


def _set_event_plans(revision: Revision, events: list[dict], frozen: dict | None) -> None:
    """Each event's snapshot as the file has it (`_events_in`), the rows already in order."""
    rows = list(revision.events.order_by("pk"))
    for row, (*_step, plan) in zip(rows, _events_in(events, frozen), strict=True):
        if _plan_of(row.snapshot) != plan:
            row.snapshot = as_snapshot(plan) if plan is not None else None
            row.save(update_fields=["snapshot"])
