"""Reading a plan file's revisions: approvals and their rounds, notes, statuses, events and
frozen snapshots (part of `parse_plan`)."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from measures.models import Agreement
from reporting.plan_data.schema import KEYS
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
        "events": _entries(reader, entry, "events", path, _read_event)[1],
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
    """An earlier approval round: submitted, then sent back by KDD with its comment."""
    entry = reader.mapping(entry, path, KEYS["rounds"])
    number = _positive(reader, entry, "number", path)
    opened_at = reader.field(entry, "opened_at", path, datetime.datetime)
    closed_at = reader.field(entry, "closed_at", path, datetime.datetime)
    if opened_at is not None and closed_at is not None and closed_at < opened_at:
        reader.problem(
            f"{path}.closed_at", _("runden kan ikkje vere sendt tilbake før han vart opna")
        )
    return {
        "number": number,
        "opened_at": opened_at,
        "closed_at": closed_at,
        "comment": reader.field(entry, "comment", path, str, required=False, default=""),
        "approvals": _read_approvals(reader, entry, path, org_keys),
    }


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
