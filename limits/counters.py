"""Counted limits in the database, so that every worker process and every server sees one count.

A process's memory (Django's default cache) would give each gunicorn worker its own count: three
e-mails an hour became three per worker. Django's DatabaseCache would share the count but not
count safely: its `incr` reads and then writes, so two requests at once both write the same
number. Here a count is one INSERT ... ON CONFLICT DO UPDATE (PostgreSQL and SQLite alike), which
the database runs as one step however many processes count at once.

Windows are fixed (the hour from 10:00, from 11:00, ...): a key may see up to twice its limit
across the turn of a window, never more.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import connection
from django.utils import timezone

from .models import WindowCount

UPSERT = (
    'INSERT INTO "{table}" ("key", "window_start", "expires_at", "count") VALUES (%s, %s, %s, 1) '
    'ON CONFLICT ("key", "window_start") DO UPDATE SET "count" = "{table}"."count" + 1 '
    'RETURNING "count"'
)


def key_for(kind: str, value: str) -> str:
    """A key for `value` (an address, an e-mail) that stores no personal data in the table."""
    return f"{kind}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()}"


def window_start(window: datetime.timedelta, now: datetime.datetime) -> datetime.datetime:
    """The start of the fixed window `now` falls in (windows counted from the Unix epoch)."""
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % seconds, tz=datetime.UTC)


def count(key: str, window: datetime.timedelta) -> int:
    """Count one event under `key` in the current window; the window's count, this one included.

    Old windows are deleted here too: counting is rare (a reset asked for, a wrong link), so the
    table stays as small as the last hour's events without a scheduled job.
    """
    now = timezone.now()
    start = window_start(window, now)
    WindowCount.objects.filter(expires_at__lte=now).delete()
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            UPSERT.format(table=WindowCount._meta.db_table),
            [key, adapt(start), adapt(start + window)],
        )
        return cursor.fetchone()[0]


def counted(key: str, window: datetime.timedelta) -> int:
    """How many events `key` has in the current window, without counting one."""
    start = window_start(window, timezone.now())
    row = WindowCount.objects.filter(key=key, window_start=start).values_list("count", flat=True)
    return row.first() or 0
