"""Writing a year's spending: the one writer of the accounts' cells, used by the grid, by an
uploaded workbook and by KDD's correction alike, so all take the same lock and refuse the same
conflicts (as budget.cells does for the budget)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from budget.cells import conflicts
from budget.models import BudgetLine, FundingSource

from .models import Accounts, FrozenMoneyError, Spending


@dataclass(frozen=True)
class SpendingChange:
    """One cell as the person saw it (`old`) and as they want it (`new`); None is empty."""

    line: BudgetLine
    source: FundingSource
    old: int | None
    new: int | None

    @property
    def key(self) -> tuple[int, int]:
        return (self.line.pk, self.source.pk)


class SpendingConflict(Exception):
    """Cells someone else saved, to another value, since the person saw them:
    (change, the value saved now)."""

    def __init__(self, conflicts: list[tuple[SpendingChange, int | None]]) -> None:
        self.conflicts = conflicts
        super().__init__(f"{len(conflicts)} accounts cells changed meanwhile")


def lock(accounts: Accounts) -> None:
    """Lock the accounts' row for the rest of the transaction, and read it afresh: every
    writer of its cells and every step takes it first, so they go one after the other."""
    accounts.refresh_from_db(from_queryset=Accounts.objects.select_for_update())


@transaction.atomic
def write_spending(
    accounts: Accounts, changes: list[SpendingChange], *, correction: bool = False
) -> list[tuple[SpendingChange, int | None]]:
    """Write the changes; return each cell changed with the value it held before.

    SpendingConflict, and nothing written, if a cell holds neither what the person saw nor
    what they want; FrozenMoneyError if the accounts are no longer open (submitted or accepted)
    and this is not KDD's recorded correction of accepted accounts.
    """
    lock(accounts)
    if not (accounts.is_open or (correction and accounts.is_accepted)):
        raise FrozenMoneyError(accounts.get_status_display())
    rows = {(s.line_id, s.source_id): s for s in Spending.objects.filter(accounts=accounts)}
    current = {key: row.kroner for key, row in rows.items()}
    found = conflicts(changes, current)
    if found:
        raise SpendingConflict(found)
    written = []
    for change in changes:
        before = current.get(change.key)
        if (before or None) == (change.new or None):
            continue
        row = rows.get(change.key)
        if not change.new:
            row.delete(correction=correction)
        elif row is None:
            Spending(
                accounts=accounts, line=change.line, source=change.source, kroner=change.new
            ).save(correction=correction)
        else:
            row.kroner = change.new
            row.save(correction=correction, update_fields=["kroner"])
        written.append((change, before))
    return written
