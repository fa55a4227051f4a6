"""Link every round to the events that opened and closed it, moving into the events what only
the round said; drop the copies of the revision's snapshot that submissions kept.

Which events: the newest send-backs closed the rounds (oldest round first; a revision sent back
before rounds were kept has more send-backs than rounds), each round opened by the last
submission before its send-back, the open round by the last submission after every send-back
(as reporting.plan_file.revision_reader.round_events reads a plan file). The app wrote a
round's time and its event's a moment apart; where no event is within a minute of the round's
time, or the send-back's comment says something else, the round's own values become a new
event, so nothing the round said is lost. KDD's comment only the round had moves into its
send-back.

An open round without such a submission opened, as the page reads it now, at the revision's
`submitted_at`; a submitted revision without one takes the round's time. (An approved revision
restored from a plan file without its events has neither: its round's time was the import's
stand-in, the approval's time, and was never shown.)

A submission's snapshot was a copy of the revision's, or of the one its round's send-back kept:
such copies are dropped. The send-back keeps its own: the revision's is cleared then.
"""

import datetime

from django.db import migrations

SAME_MOMENT = datetime.timedelta(minutes=1)


def _round_events(kinds: list[str], closed: int) -> tuple[list[tuple], int | None]:
    """(submission, send-back) indices of each closed round, and the open round's submission."""
    backs = [i for i, kind in enumerate(kinds) if kind == "sent_back"]
    closing = ([None] * closed + backs)[-closed:] if closed else []

    def last_submission(before, after):
        return next((i for i in range(before - 1, after, -1) if kinds[i] == "submitted"), None)

    rounds = []
    for back in closing:
        previous = max((b for b in backs if back is not None and b < back), default=-1)
        rounds.append((None if back is None else last_submission(back, previous), back))
    return rounds, last_submission(len(kinds), backs[-1] if backs else -1)


def _near(event, moment) -> bool:
    return event is not None and moment is not None and abs(event.at - moment) <= SAME_MOMENT


def forward(apps, schema_editor):
    Revision = apps.get_model("reporting", "Revision")
    ApprovalRound = apps.get_model("reporting", "ApprovalRound")
    RevisionEvent = apps.get_model("reporting", "RevisionEvent")

    def new_event(revision, kind, at, comment=""):
        event = RevisionEvent.objects.create(revision=revision, kind=kind, comment=comment)
        RevisionEvent.objects.filter(pk=event.pk).update(at=at)  # past auto_now_add
        event.at = at
        return event

    for revision in Revision.objects.all():
        events = list(RevisionEvent.objects.filter(revision=revision).order_by("at", "pk"))
        rounds = list(ApprovalRound.objects.filter(revision=revision).order_by("number"))
        closed = [r for r in rounds if r.closed_at is not None]
        pairs, current = _round_events([e.kind for e in events], len(closed))
        for round_, (opened, back) in zip(closed, pairs):
            send_back = events[back] if back is not None else None
            differs = send_back is not None and send_back.comment not in ("", round_.comment)
            if not _near(send_back, round_.closed_at) or (round_.comment and differs):
                send_back = new_event(revision, "sent_back", round_.closed_at, round_.comment)
            elif round_.comment and not send_back.comment:
                send_back.comment = round_.comment
                send_back.save(update_fields=["comment"])
            submission = events[opened] if opened is not None else None
            if not _near(submission, round_.opened_at):
                submission = new_event(revision, "submitted", round_.opened_at)
            round_.submission, round_.send_back = submission, send_back
            round_.save(update_fields=["submission", "send_back"])
        for round_ in (r for r in rounds if r.closed_at is None):
            submission = events[current] if current is not None else None
            if _near(submission, round_.opened_at):
                round_.submission = submission
                round_.save(update_fields=["submission"])
            elif revision.status == "submitted" and revision.submitted_at is None:
                revision.submitted_at = round_.opened_at
                revision.save(update_fields=["submitted_at"])
        _drop_copied_snapshots(revision, RevisionEvent)


def _drop_copied_snapshots(revision, RevisionEvent) -> None:
    events = list(RevisionEvent.objects.filter(revision=revision).order_by("at", "pk"))
    own = revision.snapshot["plan"] if revision.snapshot else None
    for index, event in enumerate(events):
        if event.kind != "submitted" or not event.snapshot:
            continue
        sent_back = next((e for e in events[index + 1 :] if e.kind == "sent_back"), None)
        kept = sent_back.snapshot["plan"] if sent_back and sent_back.snapshot else own
        if event.snapshot["plan"] in (kept, own):
            event.snapshot = None
            event.save(update_fields=["snapshot"])


def backward(apps, schema_editor):
    """The rounds' and approvals' columns again, from the events and rounds (the snapshots
    dropped were copies; they are not put back)."""
    ApprovalRound = apps.get_model("reporting", "ApprovalRound")
    Approval = apps.get_model("reporting", "Approval")
    for round_ in ApprovalRound.objects.select_related("revision", "submission", "send_back"):
        revision = round_.revision
        round_.opened_at = (
            round_.submission.at
            if round_.submission
            else revision.submitted_at or revision.approved_at or datetime.datetime.now(datetime.UTC)
        )
        round_.closed_at = round_.send_back.at if round_.send_back else None
        round_.comment = round_.send_back.comment if round_.send_back else ""
        round_.save(update_fields=["opened_at", "closed_at", "comment"])
    for approval in Approval.objects.select_related("round"):
        approval.revision_id = approval.round.revision_id
        approval.save(update_fields=["revision"])


class Migration(migrations.Migration):
    dependencies = [("reporting", "0013_round_links_to_its_events")]

    operations = [migrations.RunPython(forward, backward)]
