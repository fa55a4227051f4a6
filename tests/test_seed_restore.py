"""The seed a test gets after a transactional test has emptied the database is the seed as
imported, row for row (tests/conftest.py copies the import's rows back instead of importing)."""

from __future__ import annotations

from django.core.management import call_command

from measures.models import Agreement
from tests.support import SEED_ROWS, restore_seed, rows_of_the_plan_apps


def test_the_rows_kept_are_the_rows_the_import_wrote(seed):
    assert SEED_ROWS, "the session kept no rows of the seed"
    assert rows_of_the_plan_apps() == SEED_ROWS
    assert {model._meta.label for model, _ in SEED_ROWS} >= {
        "measures.Measure",
        "measures.HistoricalMeasure",
        "budget.Amount",
        "reporting.Approval",
    }


def test_after_the_database_is_emptied_the_seed_comes_back_as_imported(transactional_db):
    call_command("flush", interactive=False, verbosity=0)  # as a transactional test ends
    assert not Agreement.objects.exists()
    restore_seed()
    assert rows_of_the_plan_apps() == SEED_ROWS
    assert Agreement.objects.get(slug="vest-telemark").measures.count() == 14
