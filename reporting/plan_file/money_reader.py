"""Reading a plan file's money: each year's accounts with their spending, explanations, events
and corrections, and KDD's payments with theirs (part of `parse_plan`)."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Agreement
from money.models import Accounts, AccountsEvent, Correction, Explanation, Payment, Spending
from reporting.plan_data.schema import MONEY_KEYS

from .checks import _check_kroner, _check_unique, _check_year, _entries
from .problems import _Reader

# Each step of the accounts: the statuses it may follow, and the status it leads to
# (money/workflow.py: submit, return_accounts, accept).
_S = Accounts.Status
STEPS = {
    AccountsEvent.Kind.SUBMITTED: ({_S.DRAFT, _S.RETURNED}, _S.SUBMITTED),
    AccountsEvent.Kind.RETURNED: ({_S.SUBMITTED}, _S.RETURNED),
    AccountsEvent.Kind.ACCEPTED: ({_S.SUBMITTED}, _S.ACCEPTED),
}


def read_money(
    reader: _Reader, data: Any, *, lines: set, sources: set, period: Agreement | None
) -> dict:
    """The file's `money`, checked: accounts by year, payments known by when they were
    recorded (their `recorded_at`: a payment has no other key, and a correction keeps it)."""
    if data is None:
        return {"accounts": [], "payments": []}
    data = reader.mapping(data, "money", MONEY_KEYS["money"])
    read = partial(_read_accounts, lines=lines, sources=sources, period=period)
    paths, accounts = _entries(reader, data, "accounts", "money", read)
    _check_unique(reader, paths, accounts, "year", _("året"))
    read = partial(_read_payment, period=period)
    paths, payments = _entries(reader, data, "payments", "money", read)
    twice = _(
        "to utbetalingar er registrerte same tid, %(at)s: ei utbetaling er kjend på recorded_at"
    )
    _check_times(reader, paths, payments, "recorded_at", twice)
    return {"accounts": accounts, "payments": payments}


def _read_accounts(
    reader: _Reader, entry: Any, path: str, *, lines: set, sources: set, period: Agreement | None
) -> dict:
    entry = reader.mapping(entry, path, MONEY_KEYS["accounts"])
    year = reader.year(entry, "year", path)
    _check_year(reader, period, year, f"{path}.year")
    status = reader.choice(entry, "status", path, Accounts.Status)
    event_paths, events = _entries(reader, entry, "events", path, _read_event)
    steps = _in_time_order(event_paths, events)
    accepted_at = _check_steps(reader, path, status, steps)
    correction_paths, corrections = _entries(reader, entry, "corrections", path, _read_correction)
    if corrections and status != Accounts.Status.ACCEPTED:
        reader.problem(
            f"{path}.corrections", _("berre ein rekneskap som KDD har godkjent, kan ha rettingar")
        )
    _check_corrections(reader, correction_paths, corrections, accepted_at)
    return {
        "year": year,
        "status": status,
        "spending": _read_spending(
            reader, entry.get("spending"), f"{path}.spending", lines, sources
        ),
        "explanations": _read_explanations(
            reader, entry.get("explanations"), f"{path}.explanations", lines
        ),
        "events": [event for _path, event in steps],
        "corrections": [c for _path, c in _in_time_order(correction_paths, corrections)],
    }


def _in_time_order(paths: list[str], entries: list[dict]) -> list[tuple[str, dict]]:
    """(path, entry) by time, as listed at a tie; an entry without its time (the reader has
    said so) last."""
    pairs = list(zip(paths, entries, strict=True))
    return sorted(pairs, key=lambda pair: (pair[1]["at"] is None, pair[1]["at"] or 0))


def _check_steps(
    reader: _Reader, path: str, status: str | None, steps: list[tuple[str, dict]]
) -> datetime.datetime | None:
    """The events, in time order, are steps the accounts can take, and end in their status;
    return when KDD accepted them."""
    state, accepted_at = Accounts.Status.DRAFT, None
    for event_path, event in steps:
        if event["kind"] not in STEPS or event["at"] is None:
            return None  # the reader has said what is wrong with the event
        allowed, after = STEPS[event["kind"]]
        if state not in allowed:
            words = {"kind": event["kind"], "state": state}
            reader.problem(
                f"{event_path}.kind",
                _(
                    "rekneskapen kan ikkje få hendinga %(kind)s når han er %(state)s "
                    "(hendingane blir lesne i tidsrekkjefølgje)"
                )
                % words,
            )
            return None
        if event["kind"] == AccountsEvent.Kind.RETURNED and not event["comment"]:
            reader.problem(
                f"{event_path}.comment",
                _("manglar: KDD seier alltid kvifor rekneskapen blir sendt tilbake"),
            )
        state = after
        accepted_at = event["at"] if state == Accounts.Status.ACCEPTED else accepted_at
    if status is not None and status != state:
        words = {"status": status, "state": state}
        reader.problem(
            f"{path}.status",
            _("status %(status)s passar ikkje med hendingane: etter dei er rekneskapen %(state)s")
            % words,
        )
    return accepted_at


def _check_corrections(
    reader: _Reader, paths: list[str], corrections: list[dict], since: datetime.datetime | None
) -> None:
    """No two at one time, and none before what they correct was accepted or recorded."""
    _check_times(reader, paths, corrections, "at", _("to rettingar har same tid, %(at)s"))
    for path, correction in zip(paths, corrections, strict=True):
        if since is not None and correction["at"] is not None and correction["at"] < since:
            reader.problem(
                f"{path}.at",
                _(
                    "ein retting kan ikkje vere før det han rettar, vart godkjend eller "
                    "registrert (%(at)s)"
                )
                % {"at": _shown_time(since)},
            )


def _check_times(
    reader: _Reader, paths: list[str], entries: list[dict], key: str, message: str
) -> None:
    """No two entries have the same time `key`, said at the second."""
    seen = set()
    for path, entry in zip(paths, entries, strict=True):
        if entry[key] is not None and entry[key] in seen:
            reader.problem(f"{path}.{key}", message % {"at": _shown_time(entry[key])})
        seen.add(entry[key])


def _shown_time(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}"


def _read_spending(reader: _Reader, data: Any, path: str, lines: set, sources: set) -> dict:
    """Budget line key → source key → whole kroner, as (line, source) → kroner."""
    cells = {}
    for line, by_source in reader.mapping({} if data is None else data, path).items():
        line_path = f"{path}.{line}"
        if line not in lines:
            reader.problem(line_path, _("ukjend budsjettline %(key)s") % {"key": repr(line)})
        for source, kroner in reader.mapping(by_source, line_path).items():
            cell_path = f"{line_path}.{source}"
            if source not in sources:
                words = {"key": repr(source)}
                reader.problem(cell_path, _("ukjend finansieringskjelde %(key)s") % words)
            elif _check_kroner(reader, kroner, cell_path) and reader.valid(
                Spending, "kroner", kroner, cell_path
            ):
                cells[(line, source)] = kroner
    return cells


def _read_explanations(reader: _Reader, data: Any, path: str, lines: set) -> dict:
    """Budget line key → the project leader's explanation of its deviation."""
    data = reader.mapping({} if data is None else data, path)
    texts = {}
    for line in data:
        if line not in lines:
            words = {"key": repr(line)}
            reader.problem(f"{path}.{line}", _("ukjend budsjettline %(key)s") % words)
        text = reader.field(data, line, path, str, model=Explanation, name="text")
        if text is not None:
            texts[line] = text
    return texts


def _read_event(reader: _Reader, entry: Any, path: str) -> dict:
    entry = reader.mapping(entry, path, MONEY_KEYS["events"])
    return {
        "kind": reader.choice(entry, "kind", path, AccountsEvent.Kind),
        "at": reader.field(entry, "at", path, datetime.datetime),
        "comment": reader.field(entry, "comment", path, str, required=False, default=""),
    }


def _read_correction(reader: _Reader, entry: Any, path: str) -> dict:
    entry = reader.mapping(entry, path, MONEY_KEYS["corrections"])
    return {
        "at": reader.field(entry, "at", path, datetime.datetime),
        "reason": reader.field(entry, "reason", path, str, model=Correction),
        "changes": reader.field(entry, "changes", path, str, model=Correction),
    }


def _read_payment(reader: _Reader, entry: Any, path: str, *, period: Agreement | None) -> dict:
    entry = reader.mapping(entry, path, MONEY_KEYS["payments"])
    year = reader.year(entry, "year", path)
    _check_year(reader, period, year, f"{path}.year")
    paid_on = reader.field(entry, "paid_on", path, datetime.date)
    if paid_on is not None and paid_on > timezone.localdate():
        reader.problem(
            f"{path}.paid_on",
            _("ei utbetaling kan ikkje vere datert fram i tid (%(date)s)") % {"date": paid_on},
        )
    kroner = reader.field(entry, "kroner", path, int)
    if kroner is not None and not _check_kroner(reader, kroner, f"{path}.kroner", least=1):
        kroner = None
    recorded_at = reader.field(entry, "recorded_at", path, datetime.datetime)
    paths, corrections = _entries(reader, entry, "corrections", path, _read_correction)
    _check_corrections(reader, paths, corrections, recorded_at)
    return {
        "year": year,
        "paid_on": paid_on,
        "kroner": kroner,
        "reference": reader.field(entry, "reference", path, str, model=Payment),
        "recorded_at": recorded_at,
        "corrections": [c for _path, c in _in_time_order(paths, corrections)],
    }
