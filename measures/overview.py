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
# History ids are handed out when a row is written, not when its transaction commits: an edit
# that commits after a later one leaves the newest id where it was. The stamp also counts the
# rows among the newest RECENT ids, so that late commit moves it too (concurrent edits are close
# in id), and no process keeps serving a page cached from before it.
RECENT = 1000
# Written out once, at import: each `Model.history` access makes a new manager class, about
# 1 ms for the seven, which would be a third of a reader's cached page.
STAMP_QUERY = "SELECT " + ", ".join(
    f"(SELECT MAX(history_id) FROM {table}), (SELECT COUNT(*) FROM {table} WHERE history_id > "
    f"(SELECT MAX(history_id) FROM {table}) - {RECENT})"
    for table in (model.history.model._meta.db_table for model in STAMPED_MODELS)
)


def plan_stamp() -> str:
    """The newest history row of every tracked plan model and how many rows are near it, in one
    query: read from the database, so every process and server derives the same stamp."""
    with connection.cursor() as cursor:
        cursor.execute(STAMP_QUERY)
        return "-".join(str(value or 0) for value in cursor.fetchone())
