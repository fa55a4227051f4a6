"""The yearly revision (rullering): start, submit, decide, approve or send back.

Each step is one function that checks its preconditions, writes atomically and says in Nynorsk
why it refuses. Views only call these.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.rules import why_not_decider, why_not_editor
from budget.tables import Check
from measures.models import Agreement, Organisation
from reporting.plan_data.living import take_snapshot

from .changes import ChangeList, compare
from .mail import (
    late_parties,
    notify_approved,
    notify_approvers,
    notify_rejection,
    notify_sent_back,
    send_reminders,
)
from .models import (
    REASON_REQUIRED,
    Approval,
    ApprovalRound,
    ImmutableRevisionError,
    MeasureNote,
    MeasureProgress,
    Revision,
    RevisionEvent,
)
from .review import failed, frozen_overview

logger = logging.getLogger(__name__)
__all__ = ["late_parties", "send_reminders"]  # with the revision's other steps, for its callers


NOT_RETURNABLE = gettext_lazy("Berre ein handlingsplan som er til handsaming kan sendast tilbake.")


class WorkflowError(Exception):
    """A step of the revision cannot be taken now; the message says why, in Nynorsk."""


class ChecksFailed(WorkflowError):
    """Budget checks fail for the plan to be submitted, and the editor has not accepted them."""

    def __init__(self, checks: list[Check]) -> None:
        self.checks = checks
        super().__init__(
            _(
                "Kontrollane av budsjettet stemmer ikkje: %(checks)s. "
                "Stadfest at du vil sende handlingsplanen likevel."
            )
            % {"checks": "; ".join(str(check.label) for check in checks)}
        )


def _lock(revision: Revision) -> None:
    """Lock the revision's row for the rest of the transaction, and read it afresh.

    Every step takes this lock first, so steps on one revision happen one after the other and
    each judges the revision (and its approvals) as the step before it left them: a party's
    decision and KDD's approval cannot cross.
    """
    revision.refresh_from_db(from_queryset=Revision.objects.select_for_update())


def plan_of(revision: Revision) -> dict:
    """What the revision holds: its snapshot once submitted, the living plan while a draft."""
    if revision.snapshot and not revision.is_draft:
        return revision.snapshot["plan"]
    return take_snapshot(revision.agreement)["plan"]


def previous_approved(revision: Revision) -> Revision | None:
    """The latest approved revision before this one: what its change list compares with."""
    return (
        Revision.objects.filter(
            agreement_id=revision.agreement_id,
            year__lt=revision.year,
            status=Revision.Status.APPROVED,
        )
        .order_by("-year")
        .first()
    )


def change_list(revision: Revision, plan: dict | None = None) -> ChangeList:
    """The revision's plan compared with the latest approved one before it."""
    base = previous_approved(revision)
    old = base.snapshot["plan"] if base and base.snapshot else None
    return compare(old, plan if plan is not None else plan_of(revision))


def active_measures(plan: dict) -> list[dict]:
    """The plan's measures that are not closed: key, code and title."""
    return [
        {"key": m["key"], "code": f"{goal['number']}.{m['number']}", "title": m["title"]}
        for goal in plan.get("sub_goals", [])
        for m in goal.get("measures", [])
        if m.get("status", "active") != "closed"
    ]


def required_notes(changes: ChangeList) -> list[tuple[str, str, str]]:
    """(measure key, label, kind) of every text the editor must write before submitting."""
    needed = [(m.key, f"{m.code} {m.title}", MeasureNote.Kind.REASON) for m in changes.changed]
    needed += [(m.key, f"{m.code} {m.title}", MeasureNote.Kind.ASSESSMENT) for m in changes.closed]
    return needed


def missing_notes(revision: Revision, changes: ChangeList) -> list[str]:
    """Labels of the measures whose reason or assessment is still missing."""
    written = {n.measure_key for n in revision.notes.all() if n.text.strip()}
    return [label for key, label, _kind in required_notes(changes) if key not in written]


def why_not_startable(agreement: Agreement, year: int) -> str | None:
    """Why "Handlingsplan YEAR" cannot be started now, or None if it can."""
    if year not in agreement.years:
        return _("%(year)s er utanfor avtaleperioden %(period)s.") % {
            "year": year,
            "period": agreement.period,
        }
    if agreement.revisions.filter(year=year).exists():
        return _("Det finst alt ein handlingsplan for %(year)s.") % {"year": year}
    if agreement.revisions.filter(year__gt=year).exists():
        return _("Det finst alt ein handlingsplan etter %(year)s.") % {"year": year}
    open_one = agreement.revisions.exclude(status=Revision.Status.APPROVED).first()
    if open_one is not None:
        return _("Handlingsplan %(year)s er ikkje godkjend enno.") % {"year": open_one.year}
    return None


def why_not_submittable(revision: Revision, plan: dict | None = None) -> str | None:
    """Why the revision cannot be sent to the parties now, or None if it can: the page
    explains with it, and submit() refuses with it. `plan`: the living plan, if the caller has
    taken it already."""
    if not revision.is_draft:
        return _("Berre eit utkast kan sendast til godkjenning.")
    missing = missing_notes(revision, change_list(revision, plan))
    if missing:
        return _("Skriv grunngjeving eller vurdering for %(measures)s før du sender.") % {
            "measures": ", ".join(missing)
        }
    return None


@transaction.atomic
def start_revision(*, agreement: Agreement, year: int, user) -> Revision:
    """A draft "Handlingsplan YEAR" of the living plan."""
    # Two starts at once would both pass the checks below: the agreement's row serialises them.
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    refusal = why_not_editor(user, agreement) or why_not_startable(agreement, year)
    if refusal:
        raise WorkflowError(refusal)
    revision = Revision.objects.create(agreement=agreement, year=year)
    RevisionEvent.objects.create(revision=revision, kind=RevisionEvent.Kind.STARTED, user=user)
    return revision


@transaction.atomic
def save_notes(*, revision: Revision, notes: dict[str, tuple[str, str]], progress: dict) -> None:
    """Store the editor's reasons/assessments and the yearly status of each measure."""
    _lock(revision)
    if not revision.is_draft:
        raise WorkflowError(_("Tekstane kan berre endrast medan handlingsplanen er eit utkast."))
    for key, (kind, text) in notes.items():
        note = revision.notes.filter(measure_key=key).first() or MeasureNote(
            revision=revision, measure_key=key
        )
        if (note.kind, note.text) != (kind, text):
            note.kind, note.text = kind, text
            note.save()
    for key, (state, text) in progress.items():
        refusal = MeasureProgress.refusal(state, text)
        if refusal:
            raise WorkflowError(refusal)
        row = revision.progress.filter(measure_key=key).first()
        if not state:
            if row:
                row.delete()
            continue
        row = row or MeasureProgress(revision=revision, measure_key=key)
        if (row.state, row.text) != (state, text):
            row.state, row.text = state, text
            row.save()


@transaction.atomic
def submit(*, revision: Revision, user, accepted: Iterable[str] = ()) -> list[str]:
    """Freeze the plan into the revision and ask the parties to decide; returns who is mailed.

    A budget check that fails for the frozen plan stops the submission (ChecksFailed) unless
    its label is among `accepted`: the failures the editor was shown and chose to send anyway.
    The submission opens the revision's next approval round, with a pending approval for every
    body that treats the plan: decisions of earlier rounds no longer count.
    """
    _lock(revision)
    if refusal := why_not_editor(user, revision.agreement):
        raise WorkflowError(refusal)
    snapshot = take_snapshot(revision.agreement)
    if refusal := why_not_submittable(revision, snapshot["plan"]):
        raise WorkflowError(refusal)
    revision.snapshot = snapshot
    failing = failed(frozen_overview(revision.snapshot["plan"], revision.year).checks)
    if any(check.label not in set(accepted) for check in failing):
        raise ChecksFailed(failing)
    submission = RevisionEvent.objects.create(
        revision=revision,
        kind=RevisionEvent.Kind.SUBMITTED,
        user=user,
        comment=_accepted_failures(revision, failing),
    )
    revision.status = Revision.Status.SUBMITTED
    revision.submitted_at, revision.submitted_by = submission.at, user
    revision.save()
    round_ = ApprovalRound.objects.create(
        revision=revision,
        number=(revision.rounds.aggregate(last=Max("number"))["last"] or 0) + 1,
        submission=submission,
    )
    Approval.objects.bulk_create(
        Approval(round=round_, organisation=organisation, body=body)
        for organisation, bodies in revision.deciding_parties()
        for body in bodies
    )
    return notify_approvers(revision)


def _accepted_failures(revision: Revision, failing: list[Check], approving: bool = False) -> str:
    """The record of the failing checks sent or approved anyway, in the agreement's målform."""
    with translation.override(revision.agreement.language):
        sentence = (
            _("Godkjend med ein kontroll som ikkje stemmer: %(check)s (%(detail)s).")
            if approving
            else _("Sendt med ein kontroll som ikkje stemmer: %(check)s (%(detail)s).")
        )
        return "\n".join(
            sentence % {"check": check.label, "detail": check.detail} for check in failing
        )


@transaction.atomic
def set_due_date(*, revision: Revision, due_on: datetime.date | None) -> None:
    """The date by which the parties should have decided; nothing else of the row is written."""
    _lock(revision)
    if revision.is_approved:
        raise WorkflowError(_("Handlingsplanen er godkjend av KDD, og fristen kan ikkje endrast."))
    revision.due_on = due_on
    revision.save(update_fields=["due_on"])


def recorded_mark(approval: Approval) -> str:
    """When the approval was last recorded, as a form carries it ("" if never)."""
    return approval.recorded_at.isoformat() if approval.recorded_at else ""


@transaction.atomic
def record_decision(*, approval: Approval, user, values: dict, seen: str | None = None) -> Approval:
    """An approver records a body's meeting and decision for its own organisation.

    `seen` is recorded_mark() of the approval as the approver's form showed it: if someone has
    recorded this body's decision since, nothing is saved (WorkflowError).
    """
    revision = approval.revision
    refusal = why_not_decider(user, revision.agreement, approval.organisation)
    if refusal:
        raise WorkflowError(refusal)
    _lock(revision)
    if revision.is_approved:
        raise ImmutableRevisionError(revision)
    if revision.status != Revision.Status.SUBMITTED:
        raise WorkflowError(
            _("Vedtak kan berre registrerast medan handlingsplanen er til handsaming.")
        )
    current = revision.current_round()
    if current is None or approval.round_id != current.pk:
        raise WorkflowError(
            _(
                "Handlingsplanen er sendt tilbake og sendt på nytt sidan du opna skjemaet. "
                "Registrer vedtaket i den nye runden."
            )
        )
    if seen is not None and recorded_mark(Approval.objects.get(pk=approval.pk)) != seen:
        raise WorkflowError(
            _(
                "Nokon andre har registrert vedtaket i %(body)s sidan du opna skjemaet, "
                "så ingenting er lagra. Sjå vedtaket slik det er no, og prøv igjen."
            )
            % {"body": approval.decider}
        )
    before = Approval.objects.filter(pk=approval.pk).values_list("decision", flat=True).first()
    for name, value in values.items():
        setattr(approval, name, value)
    if approval.lacks_reason:
        raise WorkflowError(REASON_REQUIRED)
    approval.recorded_by, approval.recorded_at = user, timezone.now()
    approval.recorded_via, approval.restored_from = Approval.Via.APP, ""
    approval.save()
    if approval.decision == Approval.Decision.REJECTED and before != approval.decision:
        notify_rejection(approval)  # the project leader learns of it now, not at the deadline
    return approval


def why_not_approvable(revision: Revision) -> str | None:
    """Why KDD cannot approve the revision as it stands, or None if it can."""
    if revision.status != Revision.Status.SUBMITTED:
        return _("Berre ein handlingsplan som er til handsaming kan godkjennast.")
    if not revision.approved_by_every_party():
        return _("Alle partane må ha godkjent handlingsplanen før KDD kan godkjenne han.")
    return None


@transaction.atomic
def kdd_approve(*, revision: Revision, user, accepted: Iterable[str] = ()) -> Revision:
    """KDD approves once every party has; from then on the revision is immutable.

    As at submission, a budget check that fails stops the approval (ChecksFailed) unless its
    label is among `accepted`; the failures accepted are kept with KDD's decision.
    """
    refusal = why_not_decider(user, revision.agreement)
    if refusal:
        raise WorkflowError(refusal)
    _lock(revision)
    parties = revision.agreement.ordered_parties()
    ministry = next((o for o in parties if o.kind == Organisation.Kind.MINISTRY), None)
    if ministry is None:
        raise WorkflowError(_("Avtala har ikkje departementet som part."))
    refusal = why_not_approvable(revision)
    if refusal:
        raise WorkflowError(refusal)
    failing = failed(frozen_overview(plan_of(revision), revision.year).checks)
    if any(check.label not in set(accepted) for check in failing):
        raise ChecksFailed(failing)
    today = timezone.localdate()
    Approval.objects.update_or_create(
        round=revision.current_round(),
        organisation=ministry,
        body=Approval.Body.KDD,
        defaults={
            "decision": Approval.Decision.APPROVED,
            "decided_on": today,
            "recorded_by": user,
            "recorded_at": timezone.now(),
            "recorded_via": Approval.Via.APP,
            "restored_from": "",
            "comment": _accepted_failures(revision, failing, approving=True),
        },
    )
    RevisionEvent.objects.create(revision=revision, kind=RevisionEvent.Kind.APPROVED, user=user)
    revision.status, revision.approved_at = Revision.Status.APPROVED, timezone.now()
    revision.save()
    notify_approved(revision)
    return revision


@transaction.atomic
def send_back(*, revision: Revision, user, comment: str) -> Revision:
    """KDD returns the revision to the editor; the plan it returns and the comment stay in its
    history, in the send-back's event (the revision holds no snapshot again until resubmitted).

    The send-back closes the approval round: its decisions stay visible, but no longer count.
    """
    refusal = why_not_decider(user, revision.agreement)
    if refusal:
        raise WorkflowError(refusal)
    _lock(revision)
    if revision.status != Revision.Status.SUBMITTED:
        raise WorkflowError(NOT_RETURNABLE)
    if not comment.strip():
        raise WorkflowError(_("Skriv kvifor handlingsplanen blir sendt tilbake."))
    event = RevisionEvent.objects.create(
        revision=revision,
        kind=RevisionEvent.Kind.SENT_BACK,
        user=user,
        comment=comment,
        snapshot=revision.snapshot,
    )
    round_ = revision.current_round()
    if round_ is not None:
        round_.send_back = event
        round_.save(update_fields=["send_back"])
    revision.status = Revision.Status.DRAFT
    revision.snapshot = None
    revision.save()
    notify_sent_back(revision, comment)
    return revision
