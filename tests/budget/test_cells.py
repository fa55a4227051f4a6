"""The one writer of budget cells (budget.cells.write_cells), used by the grid and the workbook."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budget.cells import BudgetConflict, CellChange, write_cells
from budget.models import MAX_KRONER, Amount


@pytest.fixture
def cell(seed):
    line = seed.budget_lines.order_by("number").first()
    source = seed.funding_sources.order_by("position").first()
    return line, source


def _saved(line, source, year=2025) -> int | None:
    row = Amount.objects.filter(line=line, source=source, year=year).first()
    return row.kroner if row else None


def test_a_cell_is_written_when_it_still_holds_what_was_seen(seed, cell):
    line, source = cell
    seen = _saved(line, source)
    assert write_cells(seed.pk, [CellChange(line, 2025, source, seen, 123_000)]) == 1
    assert _saved(line, source) == 123_000


def test_a_cell_someone_changed_meanwhile_is_refused_and_nothing_is_written(seed, cell):
    line, source = cell
    other = seed.budget_lines.order_by("number").last()
    seen, other_seen = _saved(line, source), _saved(other, source)
    Amount.objects.filter(line=line, source=source, year=2025).delete()  # someone emptied it
    with pytest.raises(BudgetConflict) as refused:
        write_cells(
            seed.pk,
            [
                CellChange(other, 2025, source, other_seen, 7_000),
                CellChange(line, 2025, source, seen, 9_000),
            ],
        )
    [(change, saved)] = refused.value.conflicts
    assert (change.line, saved) == (line, None)
    assert _saved(other, source) == other_seen


def test_the_same_value_saved_by_someone_else_is_no_conflict(seed, cell):
    line, source = cell
    seen = _saved(line, source)
    write_cells(seed.pk, [CellChange(line, 2025, source, seen, 555_000)])
    assert write_cells(seed.pk, [CellChange(line, 2025, source, seen, 555_000)]) == 0


def test_zero_or_empty_removes_the_amount(seed, cell):
    line, source = cell
    write_cells(seed.pk, [CellChange(line, 2025, source, _saved(line, source), 0)])
    assert _saved(line, source) is None


def test_no_amount_beyond_the_limit_is_stored_by_any_path(seed, cell):
    line, source = cell
    amount = Amount(line=line, source=source, year=2027, kroner=MAX_KRONER + 1)
    with pytest.raises(ValidationError):
        amount.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        amount.save()
