"""Reading a plan file's revisions: approvals and their rounds, notes, statuses, events and
frozen snapshots (part of `parse_plan`)."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from measures.models import Agreement
from reporting.plan_data.schema import KEYS, RETIRED_KEYS
from reporting.plan_data.snapshots import stored_plan
from reporting.revision.models import (
    Approval,
    MeasureNote,
    MeasureProgress,
    Revision,
    RevisionEvent,
)

from .checks import _check_model, _check_unique, _check_year, _entries, _positive
from .problems import _Reader


def _read_revision(
    reader: _Reader, entry: Any, path: str, *, org_keys: set[str], period: Agreement | None
) -> dict:
    entry = reader.mapping(entry, path, KEYS["revisions"])
    year = reader.year(entry, "year", path)
    _check_year(reader, period, year, f"{path}.year")
    moment = partial(reader.field, entry, path=path, kind=datetime.datetime, required=False)
    status = reader.choice(entry, "status", path, Revision.Status)
    approvals = _read_approvals(reader, entry, path, org_keys)
    if approvals and status == Revision.Status.DRAFT:
        reader.problem(
            f"{path}.approvals",
            _(
                "eit utkast har ingen open godkjenningsrunde: vedtak frå ein runde KDD sende "
                "tilbake står under rounds"
            ),
        )
    round_paths, rounds = _entries(
        reader, entry, "rounds", path, partial(_read_round, org_keys=org_keys)
    )
    _check_rounds(reader, round_paths, rounds)
    note_paths, notes = _entries(reader, entry, "notes", path, _read_note)
    _check_unique(reader, note_paths, notes, "measure", _("tiltaket"))
    row_paths, progress = _entries(reader, entry, "progress", path, _read_progress)
    _check_unique(reader, row_paths, progress, "measure", _("tiltaket"))
    events = _entries(reader, entry, "events", path, _read_event)[1]
    if not reader.problems:
        events = _round_events(reader, round_paths, rounds, events)
    return {
        "year": year,
        "status": status,
        "due_on": reader.field(entry, "due_on", path, datetime.date, required=False),
        "submitted_at": moment("submitted_at"),
        "approved_at": moment("approved_at"),
        "approvals": approvals,
        "rounds": rounds,
        "notes": notes,
        "progress": progress,
        "events": events,
        "snapshot": _read_snapshot(reader, entry.get("snapshot"), f"{path}.snapshot"),
    }


def _read_approvals(reader: _Reader, entry: dict, path: str, org_keys: set[str]) -> list[dict]:
    """One round's decisions: at most one per organisation and body."""
    paths, approvals = _entries(
        reader, entry, "approvals", path, partial(_read_approval, org_keys=org_keys)
    )
    _check_unique(
        reader, paths, approvals, ("organisation", "body"), _("organet for organisasjonen")
    )
    return approvals


def _read_round(reader: _Reader, entry: Any, path: str, *, org_keys: set[str]) -> dict:
    """An earlier approval round: submitted, then sent back by KDD (those events say when, and
    why). An older file's `opened_at`, `closed_at` and `comment` are read as `retired`."""
    entry = reader.mapping(entry, path, KEYS["rounds"] + RETIRED_KEYS["rounds"])
    number = _positive(reader, entry, "number", path)
    moment = partial(reader.field, entry, path=path, kind=datetime.datetime, required=False)
    retired = {"opened_at": moment("opened_at"), "closed_at": moment("closed_at")}
    retired["comment"] = reader.field(entry, "comment", path, str, required=False, default="")
    opened_at, closed_at = retired["opened_at"], retired["closed_at"]
    if opened_at is not None and closed_at is not None and closed_at < opened_at:
        reader.problem(
            f"{path}.closed_at", _("runden kan ikkje vere sendt tilbake før han vart opna")
        )
    return {
        "number": number,
        "approvals": _read_approvals(reader, entry, path, org_keys),
        "retired": retired if any(retired.values()) else None,
    }


# How far apart an older file's round time and its event's may be: the app wrote the two a
# moment apart, in one step.
SAME_MOMENT = datetime.timedelta(minutes=1)


def round_events(kinds: list[str], closed: int) -> tuple[list[tuple], int | None]:
    """Which events (by index into `kinds`, the events' kinds in time order) opened and closed
    each of the `closed` earlier rounds, oldest first, and which opened the current round.

    The newest send-backs closed the rounds (a revision sent back before rounds were kept has
    more of them); a round was opened by the last submission before its send-back, and the
    current round by the last submission after every send-back. None where there is none.
    """
    backs = [i for i, kind in enumerate(kinds) if kind == RevisionEvent.Kind.SENT_BACK]
    closing = ([None] * closed + backs)[-closed:] if closed else []

    def last_submission(before: int, after: int) -> int | None:
        return next(
            (i for i in range(before - 1, after, -1) if kinds[i] == RevisionEvent.Kind.SUBMITTED),
            None,
        )

    rounds = []
    for back in closing:
        previous = max((b for b in backs if back is not None and b < back), default=-1)
        rounds.append((None if back is None else last_submission(back, previous), back))
    return rounds, last_submission(len(kinds), backs[-1] if backs else -1)


def _round_events(reader: _Reader, paths: list[str], rounds: list[dict], events: list[dict]):
    """The events in time order, each earlier round with its submission and send-back among
    them. An older file's round times and comment are checked against those events, or, in a
    file with no submission or send-back at all, become them (as the app kept them before)."""
    retired = [round_.pop("retired") for round_ in rounds]
    steps = (RevisionEvent.Kind.SUBMITTED, RevisionEvent.Kind.SENT_BACK)
    if any(retired) and not any(e["kind"] in steps for e in events):
        events = events + [event for old in retired if old for event in _retired_events(old)]
    events = sorted(events, key=lambda event: event["at"])  # stable: as listed at a tie
    pairs, _current = round_events([e["kind"] for e in events], len(rounds))
    for path, round_, old, (opened, closed) in zip(paths, rounds, retired, pairs, strict=True):
        words = {"number": round_["number"]}
        if closed is None:
            reader.problem(
                path,
                _(
                    "runde %(number)s er sendt tilbake, men events har inga hending sent_back "
                    "for han"
                )
                % words,
            )
        elif opened is None:
            reader.problem(
                path,
                _(
                    "runde %(number)s har inga hending submitted i events før ho som sende han "
                    "tilbake"
                )
                % words,
            )
        elif old:
            _check_retired(reader, path, old, events[opened], events[closed])
    return events


def _retired_events(old: dict) -> list[dict]:
    """An older file's round as the events that now hold its times and comment."""
    events = []
    if old["opened_at"] is not None:
        events.append(
            {"kind": "submitted", "at": old["opened_at"], "comment": "", "snapshot": None}
        )
    if old["closed_at"] is not None:
        events.append(
            {
                "kind": "sent_back",
                "at": old["closed_at"],
                "comment": old["comment"],
                "snapshot": None,
            }
        )
    return events


def _check_retired(reader: _Reader, path: str, old: dict, opened: dict, closed: dict) -> None:
    """An older file's round says what its events say; a comment only the round has moves
    into its send-back."""
    for key, event in (("opened_at", opened), ("closed_at", closed)):
        if old[key] is not None and abs(old[key] - event["at"]) > SAME_MOMENT:
            reader.problem(f"{path}.{key}", _retired_problem(key, event))
    if old["comment"] and not closed["comment"]:
        closed["comment"] = old["comment"]
    elif old["comment"] and old["comment"] != closed["comment"]:
        reader.problem(f"{path}.comment", _retired_problem("comment", closed))


def _retired_problem(key: str, event: dict) -> str:
    return _(
        "%(key)s høyrer ikkje lenger til runden: det står i hendinga %(kind)s %(at)s i events, "
        "som seier noko anna. Ta bort %(key)s, eller rett hendinga."
    ) % {"key": key, "kind": event["kind"], "at": f"{event['at']:%Y-%m-%d %H:%M}"}


def _check_rounds(reader: _Reader, paths: list[str], rounds: list[dict]) -> None:
    """Oldest first: each round's number above the one before it (so no number twice)."""
    last = 0
    for path, round_ in zip(paths, rounds, strict=True):
        if round_["number"] is None:
            continue
        if round_["number"] <= last:
            reader.problem(
                f"{path}.number",
                _("rundane står eldste først: runde %(number)s kan ikkje kome etter runde %(last)s")
                % {"number": round_["number"], "last": last},
            )
        last = max(last, round_["number"])


def _read_approval(reader: _Reader, entry: Any, path: str, *, org_keys: set[str]) -> dict:
    """One body's treatment of the revision (with approval rounds: of one round)."""
    entry = reader.mapping(entry, path, KEYS["approvals"])
    organisation = reader.field(entry, "organisation", path, str)
    if organisation is not None and organisation not in org_keys:
        words = {"key": repr(organisation)}
        reader.problem(f"{path}.organisation", _("ukjend organisasjon %(key)s") % words)
    decision = reader.choice(
        entry, "decision", path, Approval.Decision, default=Approval.Decision.PENDING
    )
    decided_on = reader.field(entry, "decided_on", path, datetime.date, required=False)
    comment = reader.field(entry, "comment", path, str, required=False, default="")
    read = Approval(decision=decision, decided_on=decided_on, comment=comment or "")
    _check_model(reader, read.clean, path)
    return {
        "organisation": organisation,
        "body": reader.choice(entry, "body", path, Approval.Body),
        "planned_on": reader.field(entry, "planned_on", path, datetime.date, required=False),
        "decided_on": decided_on,
        "decision": decision,
        "case_reference": reader.field(
            entry, "case_reference", path, str, required=False, default="", model=Approval
        ),
        "comment": comment,
    }


def _read_note(reader: _Reader, entry: Any, path: str) -> dict:
    """A reason (a changed measure) or an assessment (a closed one)."""
    entry = reader.mapping(entry, path, KEYS["notes"])
    return {
        "measure": _measure_key(reader, entry, path, MeasureNote),
        "kind": reader.choice(entry, "kind", path, MeasureNote.Kind),
        # Empty while the editor has not written it: the form saves it so.
        "text": reader.field(entry, "text", path, str, required=False, default=""),
    }


def _read_progress(reader: _Reader, entry: Any, path: str) -> dict:
    """The yearly status of one measure."""
    entry = reader.mapping(entry, path, KEYS["progress"])
    return {
        "measure": _measure_key(reader, entry, path, MeasureProgress),
        "state": reader.choice(entry, "state", path, MeasureProgress.State),
        "text": reader.field(entry, "text", path, str, required=False, default=""),
    }


def _measure_key(reader: _Reader, data: dict, path: str, model) -> str | None:
    # By key, as the models keep it: a closed measure may since have left the living plan.
    return reader.field(data, "measure", path, str, model=model, name="measure_key")


def _read_event(reader: _Reader, entry: Any, path: str) -> dict:
    entry = reader.mapping(entry, path, KEYS["events"])
    return {
        "kind": reader.choice(entry, "kind", path, RevisionEvent.Kind),
        "at": reader.field(entry, "at", path, datetime.datetime),
        "comment": reader.field(entry, "comment", path, str, required=False, default=""),
        "snapshot": _read_snapshot(reader, entry.get("snapshot"), f"{path}.snapshot"),
    }


def _read_snapshot(reader: _Reader, value: Any, path: str) -> dict | None:
    """A frozen plan, checked as a plan file without revisions; as the database stores it."""
    if value is None:
        return None
    # A snapshot is a plan: the plan's reader checks it (imported here, as it imports us).
    from .reader import _read_plan

    data = reader.mapping(value, path, KEYS["snapshot"])
    known = len(reader.problems)
    _read_plan(reader, data, path)
    return stored_plan(data) if len(reader.problems) == known else None
