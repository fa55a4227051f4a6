"""Writing budget cells: the one writer of amounts, used by the budget grid and by an uploaded
workbook alike, so both take the same lock and refuse the same conflicts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from .models import Amount, BudgetLine, FundingSource


@dataclass(frozen=True)
class CellChange:
    """One cell as the person saw it (`old`) and as they want it (`new`); None is empty."""

    line: BudgetLine
    year: int
    source: FundingSource
    old: int | None
    new: int | None

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.line.pk, self.year, self.source.pk)


class BudgetConflict(Exception):
    """Cells someone else saved, to another value, since the person saw them:
    (change, the value saved now)."""

    def __init__(self, conflicts: list[tuple[CellChange, int | None]]) -> None:
        self.conflicts = conflicts
        super().__init__(f"{len(conflicts)} budget cells changed meanwhile")


@transaction.atomic
def write_cells(agreement_id: int, changes: list[CellChange]) -> int:
    """Write the changes and return how many cells changed; BudgetConflict, and nothing
    written, if a cell holds neither what the person saw nor what they want.

    Checked against the amounts as saved now, under the budget's lock, in the transaction that
    writes: two people saving at once (grid or workbook) go one after the other.
    """
    current = Amount.objects.locked_cells(agreement_id)
    found = conflicts(changes, current)
    if found:
        raise BudgetConflict(found)
    wanted = [c for c in changes if _kroner(current.get(c.key)) != _kroner(c.new)]
    existing = _rows(agreement_id, wanted)
    for change in wanted:
        row = existing.get(change.key)
        if not change.new:
            row.delete()
        elif row is None:
            Amount.objects.create(
                line=change.line, year=change.year, source=change.source, kroner=change.new
            )
        else:
            row.kroner = change.new
            row.save(update_fields=["kroner"])
    return len(wanted)


def _kroner(value: int | None) -> int | None:
    """An empty cell and 0 kr are the same: no amount."""
    return value or None


def conflicts(changes: list, current: dict) -> list[tuple]:
    """The changes whose cell now holds neither what the person saw nor what they want, each
    with the value saved now. For any cells with `key`, `old` and `new` (the accounts' too)."""
    found = []
    for change in changes:
        saved = _kroner(current.get(change.key))
        if saved not in (_kroner(change.old), _kroner(change.new)):
            found.append((change, saved))
    return found


def _rows(agreement_id: int, changes: list[CellChange]) -> dict[tuple[int, int, int], Amount]:
    years = {change.year for change in changes}
    rows = Amount.objects.filter(line__agreement_id=agreement_id, year__in=years)
    return {(a.line_id, a.year, a.source_id): a for a in rows}
