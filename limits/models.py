"""One row per key and window: how many times the event happened in it (limits.counters)."""

from __future__ import annotations

from django.db import models


class WindowCount(models.Model):
    """Events under `key` (e.g. password-reset mails to one address) since `window_start`.

    Rows are written only by `limits.counters.count`, in one atomic statement, so two processes
    or servers counting at once both count; a row past `expires_at` no longer counts and is
    deleted by the next count.
    """

    key = models.CharField(max_length=150)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_count_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
