"""The stamp that keys the readers' cached copy of the agreement overview.

The overview is the page everyone opens first and the heaviest to render (every measure with
its leads and partners). Readers get it from the cache, keyed by `plan_stamp()`, which moves
whenever anything the overview shows changes, in any plan; editors always get it fresh,
because their copy carries forms with their own CSRF tokens.
"""

from __future__ import annotations

from django.db import connection

from .models import Agreement, Involvement, Measure, Organisation, Party, SubGoal

# What the overview shows. Not Section: a measure's texts are on its own page, and editing them
# (the most frequent change) then leaves the readers' copy of the overview in place.
STAMPED_MODELS = [Organisation, Agreement, Party, SubGoal, Measure, Involvement]
# Written out once, at import: each `Model.history` access makes a new manager class, about
# 1 ms for the six, which would be a third of a reader's cached page.
STAMP_QUERY = "SELECT " + ", ".join(
    f"(SELECT MAX(history_id) FROM {model.history.model._meta.db_table})"
    for model in STAMPED_MODELS
)


def plan_stamp() -> str:
    """The newest history row of every tracked plan model, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(STAMP_QUERY)
        return "-".join(str(value or 0) for value in cursor.fetchone())
