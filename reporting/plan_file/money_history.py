"""The money's authority, which a plan file uploaded in the browser may carry only unchanged
(history.py does the same for the revisions).

Only the workflow's steps write it, each by the person who holds it (money/workflow.py): the
accounts' status and events, the figures and explanations of accounts sent to KDD, the
payments and every correction. The figures and explanations of a draft or returned year are
the project leader's to edit, in the app and in a plan file alike, and a draft year never
sent may be added or removed.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from measures.models import Agreement
from money.models import Accounts, Correction, Explanation, Spending

# The parts of a year's accounts only the workflow writes, as named in the file.
PARTS = ("status", "events", "spending", "corrections")


def money_history(agreement: Agreement | None) -> dict:
    """The accounts' authority by year, and the payments with their corrections by when each
    was recorded."""
    if agreement is None:
        return {"accounts": {}, "payments": {}}
    corrections = Prefetch("corrections", queryset=Correction.objects.order_by("at", "pk"))
    accounts = agreement.accounts.prefetch_related(
        Prefetch("spending", queryset=Spending.objects.select_related("line", "source")),
        Prefetch("explanations", queryset=Explanation.objects.select_related("line")),
        "events",
        corrections,
    )
    payments = agreement.payments.prefetch_related(corrections)
    return {
        "accounts": {a.year: _accounts_parts(a) for a in accounts},
        "payments": {
            p.recorded_at: (
                p.year,
                p.paid_on,
                p.kroner,
                p.reference,
                p.recorded_by_id,
                _corrections(p.corrections.all()),
            )
            for p in payments
        },
    }


def _accounts_parts(accounts: Accounts) -> dict:
    return {
        "status": accounts.status,
        "events": [(e.kind, e.at, e.user_id, e.comment) for e in accounts.events.all()],
        # Open, they are the project leader's to edit; sent, they are what KDD decides on.
        "spending": None
        if accounts.is_open
        else (
            sorted((s.line.key, s.source.key, s.kroner) for s in accounts.spending.all()),
            sorted((e.line.key, e.text) for e in accounts.explanations.all()),
        ),
        "corrections": _corrections(accounts.corrections.all()),
    }


def _corrections(corrections) -> list[tuple]:
    return [(c.at, c.user_id, c.reason, c.changes) for c in corrections]


def money_changes(before: dict, after: dict, money: dict) -> list[tuple[str, str]]:
    """(place in the file, message) for each part of the money's authority the import changed."""
    index = {data["year"]: i for i, data in enumerate(money["accounts"])}
    changes = []
    for year in sorted(before["accounts"].keys() | after["accounts"].keys()):
        was, now = before["accounts"].get(year), after["accounts"].get(year)
        if now is None:
            if _has_history(was):
                changes.append(("money.accounts", _message(year, "")))
            continue
        changed = [p for p in PARTS if (_has_part(now, p) if was is None else was[p] != now[p])]
        changes += [(f"money.accounts[{index[year]}].{p}", _message(year, p)) for p in changed]
    times = {data["recorded_at"]: i for i, data in enumerate(money["payments"])}
    for moment in sorted(before["payments"].keys() | after["payments"].keys()):
        if before["payments"].get(moment) != after["payments"].get(moment):
            path = f"money.payments[{times[moment]}]" if moment in times else "money.payments"
            message = _(
                "utbetalingar og rettingar av dei blir berre registrerte av KDD i appen, ikkje "
                "med ei planfil"
            )
            changes.append((path, message))
    return changes


def _has_history(accounts: dict) -> bool:
    """Whether the year has left the draft: a draft never sent is only its figures."""
    return any(_has_part(accounts, part) for part in PARTS)


def _has_part(accounts: dict, part: str) -> bool:
    if part == "status":
        return accounts["status"] != Accounts.Status.DRAFT
    if part == "spending":  # None while open
        return accounts["spending"] is not None
    return bool(accounts[part])


def _message(year: int, part: str) -> str:
    words = {"year": year}
    messages = {
        "": _("rekneskapen for %(year)s er sendt til KDD og kan ikkje fjernast med ei planfil"),
        "status": _(
            "status for rekneskapen for %(year)s blir berre endra av stega i arbeidsflyten "
            "(send, send tilbake, godkjenn), ikkje av ei planfil"
        ),
        "events": _("hendingane i rekneskapen for %(year)s kan ikkje endrast med ei planfil"),
        "spending": _(
            "rekneskapen for %(year)s er sendt til KDD: tala og forklaringane kan ikkje endrast "
            "med ei planfil"
        ),
        "corrections": _(
            "rettingane i rekneskapen for %(year)s blir berre registrerte av KDD i appen, ikkje "
            "med ei planfil"
        ),
    }
    return messages[part] % words
