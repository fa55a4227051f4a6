"""The stamp that keys the cached parts of the agreement overview.

The overview is the page everyone opens first and the heaviest to render (every measure with
its leads and partners, its marks and the timeline). Readers get the whole page from the cache
and editors its timeline and marks, keyed by `plan_stamp()`, which moves whenever anything the
overview shows changes, in any plan; editors' tables are fresh, because they carry forms with
their own CSRF tokens.
"""

from __future__ import annotations

from django.db import connection

from .models import Agreement, Involvement, Measure, Organisation, Party, Section, SubGoal

# What the overview shows. Section too: a text edited since the approved plan marks its
# measure «Endra» in the tables.
STAMPED_MODELS = [Organisation, Agreement, Party, SubGoal, Measure, Involvement, Section]
# Written out once, at import: each `Model.history` access makes a new manager class, about
# 1 ms for the seven, which would be a third of a reader's cached page.
STAMP_QUERY = "SELECT " + ", ".join(
    f"(SELECT MAX(history_id) FROM {model.history.model._meta.db_table})"
    for model in STAMPED_MODELS
)


def plan_stamp() -> str:
    """The newest history row of every tracked plan model, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(STAMP_QUERY)
        return "-".join(str(value or 0) for value in cursor.fetchone())
