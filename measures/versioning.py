"""Conflict-safe saves: every editable row carries a version, bumped on each save.

A form remembers the version it was shown; `save_if_current` refuses the save when someone
else has saved the row since, so neither person's work is silently overwritten.
"""

from __future__ import annotations

from django.db import models, transaction


class Versioned(models.Model):
    """An editable row with an optimistic-locking version number, bumped by every save."""

    version = models.PositiveIntegerField("versjon", default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        """Save the row as a new version: the one place versions move."""
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "version" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "version"]
        super().save(*args, **kwargs)

    def mark_changed(self) -> None:
        """A new version without a changed field: a part of the row (its texts, its
        organisations) changed, so forms opened before are stale."""
        self.save(update_fields=["version"])


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
        obj.version = current.version
        obj.save()
