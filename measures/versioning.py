"""Conflict-safe saves: every editable row carries a version, bumped on each save.

A form remembers the version it was shown; `save_if_current` refuses the save when someone
else has saved the row since, so neither person's work is silently overwritten.
"""

from __future__ import annotations

from django.db import models, transaction


class Versioned(models.Model):
    """An editable row with an optimistic-locking version number."""

    version = models.PositiveIntegerField("versjon", default=1, editable=False)

    class Meta:
        abstract = True


class StaleVersion(Exception):
    """Someone saved the row after this person opened it; `current` is what they saved."""

    def __init__(self, current: models.Model) -> None:
        self.current = current
        super().__init__(f"{type(current).__name__} {current.pk} is at version {current.version}")


def save_if_current(obj: Versioned, expected_version: int) -> None:
    """Save the row if it is still at `expected_version`, bumping the version; else StaleVersion."""
    with transaction.atomic():
        current = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
        if current.version != expected_version:
            raise StaleVersion(current)
        obj.version = current.version + 1
        obj.save()
