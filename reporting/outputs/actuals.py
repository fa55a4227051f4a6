"""Section 7's look back: the previous year's accepted accounts beside the new year's budget.

Only accounts KDD has accepted are shown. An approved plan's report shows them as they stood
when KDD approved the plan (read from the cells' history), so that rendering it again later
gives the same figures even if the accounts were corrected since; a draft shows them as they
are now.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from budget.models import BudgetLine, FundingSource
from measures.models import Agreement
from money.approved import approved_budget
from money.comparison import Cell
from money.models import Accounts, AccountsEvent, Spending


@dataclass(frozen=True)
class ActualsRow:
    """One budget line: last year's approved budget and accounts, and this year's budget."""

    number: int | None
    title: str
    last_year: Cell
    budget: int


@dataclass(frozen=True)
class PreviousActuals:
    """Last year's accepted accounts, per budget line, beside the report year's budget."""

    year: int
    accepted_on: datetime.date
    rows: list[ActualsRow]
    state: Cell | None  # the state's co-financing, approved and spent, when a source is it

    @property
    def total(self) -> ActualsRow:
        return ActualsRow(
            None,
            "SUM",
            Cell(
                sum(r.last_year.planned for r in self.rows),
                sum(r.last_year.actual for r in self.rows),
            ),
            sum(r.budget for r in self.rows),
        )


def previous_actuals(
    agreement: Agreement, plan: dict, year: int, as_of: datetime.datetime | None = None
) -> PreviousActuals | None:
    """The accounts of the year before `year`, if KDD had accepted them (by `as_of`, when
    given), beside the budget for `year` that `plan` (plan data, a snapshot's "plan") holds."""
    accounts = Accounts.objects.filter(agreement=agreement, year=year - 1).first()
    accepted = _accepted_at(accounts, as_of)
    if accepted is None:
        return None
    lines = {line.pk: line for line in BudgetLine.objects.filter(agreement=agreement)}
    sources = {s.pk: s for s in FundingSource.objects.filter(agreement=agreement)}
    spending = Spending.objects
    if as_of and Spending.history.filter(accounts_id=accounts.pk, history_date__lte=as_of).exists():
        spending = Spending.history.as_of(as_of)
    # Else the cells are younger than the plan's submission though accepted before it: restored
    # from a plan file after the fact, so they are as they stood (and have no history before).
    spent: dict[str, dict[str, int]] = {}
    for line_id, source_id, kroner in spending.filter(accounts_id=accounts.pk).values_list(
        "line_id", "source_id", "kroner"
    ):
        spent.setdefault(lines[line_id].key, {})[sources[source_id].key] = kroner
    approved = approved_budget(agreement, year - 1)
    planned = {
        key: years.get(str(year - 1), {})
        for key, years in (approved.amounts if approved else {}).items()
    }
    budget = plan.get("budget") or {}
    shown = [(line["key"], line["number"], line["title"]) for line in budget.get("lines", [])]
    # A line the plan no longer has, but last year's budget or accounts do, is shown too, so
    # that the sums are last year's whole accounts.
    keys = {key for key, _number, _title in shown}
    living = {line.key: line for line in lines.values()}
    shown += [
        (key, getattr(living.get(key), "number", None), getattr(living.get(key), "title", key))
        for key in sorted((planned.keys() | spent.keys()) - keys)
        if sum(planned.get(key, {}).values()) or sum(spent.get(key, {}).values())
    ]
    rows = [
        ActualsRow(
            number,
            title,
            Cell(sum(planned.get(key, {}).values()), sum(spent.get(key, {}).values())),
            sum((budget.get("amounts", {}).get(key, {}).get(str(year)) or {}).values()),
        )
        for key, number, title in shown
    ]
    state_key = approved.state_key if approved else None
    state = None
    if state_key:
        state = Cell(
            sum(cells.get(state_key, 0) for cells in planned.values()),
            sum(cells.get(state_key, 0) for cells in spent.values()),
        )
    return PreviousActuals(year - 1, timezone.localdate(accepted), rows, state)


def _accepted_at(
    accounts: Accounts | None, as_of: datetime.datetime | None
) -> datetime.datetime | None:
    if accounts is None:
        return None
    events = accounts.events.filter(kind=AccountsEvent.Kind.ACCEPTED)
    if as_of is not None:
        events = events.filter(at__lte=as_of)
    return events.order_by("at").values_list("at", flat=True).last()
