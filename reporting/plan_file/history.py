"""A plan file uploaded in the browser carries plan content, never authority.

The history of a revision is written only by the workflow's steps, each by the person who holds
it: its state and times, its approval rounds, the decisions in them, its events and its frozen
snapshot; and, once it has left the draft, its reasons, assessments, statuses and deadline.
A file in the browser may carry that history unchanged (an exported file goes back in as it
came out) and may add a draft year with none of it, but it may not add, change or remove any
of it. Restoring history from a backup is an operator's job on the command line
(`import_plan FILE`, docs/operations.md), and the decisions it writes say so. The money's
authority is kept the same way (money_history.py): the accounts' status and events, the figures
of accounts sent to KDD, payments and corrections.

The rule is checked on what importing would actually write: the file is imported inside a
transaction, the history before and after compared, and the import undone on any difference.
So the importer's own reading of a file (an implied snapshot, an omitted event) is what is
judged, and the preview and the apply step judge alike.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from measures.models import Agreement
from reporting.revision.models import Revision

from .importer import import_plan
from .loader import load_yaml
from .money_history import money_changes, money_history
from .problems import PlanFileError, Problem, _Reader


class _Undo(Exception):
    """Raised to roll a trial import back."""


def import_content(plan: dict, text: str) -> Agreement:
    """Import the plan as `import_plan` does, or PlanFileError (nothing written) if it would
    add, change or remove any revision's history."""
    with transaction.atomic():
        agreement, problems = _imported(plan, text)
        if problems:
            raise PlanFileError(problems)
    return agreement


def history_problems(plan: dict, text: str) -> list[Problem]:
    """What in the file would change history, each with its line; nothing is written."""
    try:
        with transaction.atomic():
            _agreement, problems = _imported(plan, text)
            raise _Undo
    except _Undo:
        return problems


def _imported(plan: dict, text: str) -> tuple[Agreement, list[Problem]]:
    """Import inside the caller's transaction; the history problems of having done so."""
    existing = Agreement.objects.filter(slug=plan["agreement"]["slug"]).first()
    before, money_before = _history(existing), money_history(existing)
    reader = _Reader(load_yaml(text)[1])
    try:
        agreement = import_plan(plan)
    except PlanFileError as error:  # the importer's own refusals, given their lines
        raise PlanFileError(
            [Problem(p.path, p.message, p.line or reader.line_of(p.path)) for p in error.problems]
        ) from error
    after = _history(agreement)
    index = {data["year"]: i for i, data in enumerate(plan["revisions"])}
    for year in sorted(before.keys() | after.keys()):
        path = f"revisions[{index[year]}]" if year in index else "revisions"
        for part in _changed_parts(before.get(year), after.get(year)):
            reader.problem(f"{path}.{part}" if year in index else path, _message(year, part))
    for path, message in money_changes(money_before, money_history(agreement), plan["money"]):
        reader.problem(path, message)
    return agreement, reader.problems


# The parts of a revision's history, as named in the file and in the messages.
PARTS = ("status", "rounds", "approvals", "events", "snapshot", "notes")


def _history(agreement: Agreement | None) -> dict[int, dict]:
    """Each revision's history by year: what only the workflow's steps may write."""
    if agreement is None:
        return {}
    revisions = agreement.revisions.prefetch_related(
        "rounds__approvals__organisation", "events", "notes", "progress"
    )
    return {revision.year: _parts(revision) for revision in revisions}


def _parts(revision: Revision) -> dict:
    draft = revision.is_draft
    events = list(revision.events.all())
    place = {event.pk: index for index, event in enumerate(events)}
    return {
        "status": (
            revision.status,
            revision.submitted_at,
            revision.submitted_by_id,
            revision.approved_at,
            None if draft else revision.due_on,
        ),
        # Which events opened and closed each round (their times and KDD's comment are "events").
        "rounds": sorted(
            (r.number, place.get(r.submission_id), place.get(r.send_back_id))
            for r in revision.rounds.all()
        ),
        "approvals": sorted(
            (
                r.number,
                a.organisation.key,
                a.body,
                a.planned_on,
                a.decided_on,
                a.decision,
                a.case_reference,
                a.comment,
                a.recorded_by_id,
                a.recorded_via,
            )
            for r in revision.rounds.all()
            for a in r.approvals.all()
        ),
        "events": [(e.kind, e.at, e.user_id, e.comment, e.snapshot) for e in events],
        "snapshot": revision.snapshot,
        # A draft's texts are the editor's to write; once sent, they are what was decided on.
        "notes": None
        if draft
        else (
            sorted((n.measure_key, n.kind, n.text) for n in revision.notes.all()),
            sorted((p.measure_key, p.state, p.text) for p in revision.progress.all()),
        ),
    }


def _changed_parts(before: dict | None, after: dict | None) -> list[str]:
    """The parts of one revision's history the import changed (a new draft changes none)."""
    if before is None:
        return [] if after is None else [part for part in PARTS if _not_blank(after, part)]
    if after is None:
        # A draft never sent has no history but its start; removing it is plan content.
        return [] if before["status"][0] == Revision.Status.DRAFT and not before["rounds"] else [""]
    return [part for part in PARTS if before[part] != after[part]]


def _not_blank(revision: dict, part: str) -> bool:
    """Whether a new revision has this part of history: only a bare draft has none."""
    if part == "status":
        return revision["status"][0] != Revision.Status.DRAFT
    return part != "notes" and bool(revision[part])


def _message(year: int, part: str) -> str:
    words = {"year": year}
    messages = {
        "": _(
            "handlingsplan %(year)s er sendt til godkjenning og kan ikkje fjernast med ei planfil"
        ),
        "status": _(
            "status, tidspunkt og frist for handlingsplan %(year)s blir berre endra av stega i "
            "arbeidsflyten (send, vedtak, godkjenning), ikkje av ei planfil"
        ),
        "rounds": _(
            "godkjenningsrundane for handlingsplan %(year)s kan ikkje endrast med ei planfil"
        ),
        "approvals": _(
            "vedtaka for handlingsplan %(year)s blir berre registrerte av den som har vedtaket, "
            "ikkje med ei planfil"
        ),
        "events": _("hendingane i handlingsplan %(year)s kan ikkje endrast med ei planfil"),
        "snapshot": _(
            "den frosne planen i handlingsplan %(year)s kan ikkje endrast med ei planfil"
        ),
        "notes": _(
            "grunngjevingane og statusane i handlingsplan %(year)s er sende til godkjenning og "
            "kan ikkje endrast med ei planfil"
        ),
    }
    return messages[part] % words
