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
        """Save the row as a new version: the one place versions move.

        The database adds one to the version it holds, not to this copy's: a save from a copy
        loaded earlier can never take the version back and make stale forms look current.
        Django reads the new number back in the UPDATE itself (RETURNING), so this copy holds
        it after the save.
        """
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        self.version = models.F("version") + 1
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


class RowDeleted(StaleVersion):
    """Someone deleted the row after this person opened it: there is nothing to save onto."""

    def __init__(self, obj: models.Model) -> None:
        self.current, self.obj = None, obj
        Exception.__init__(self, f"{type(obj).__name__} {obj.pk} was deleted")


def still_as_seen(current: Versioned | None, obj: Versioned, expected_version: int) -> Versioned:
    """`current` (the row as locked now, None if deleted) if it is still at the version the
    person saw; else RowDeleted or StaleVersion. The one place versions are compared."""
    if current is None:
        raise RowDeleted(obj)
    if current.version != expected_version:
        raise StaleVersion(current)
    return current


def _locked_current(obj: Versioned, expected_version: int) -> Versioned:
    """The row as saved now, locked to the end of the transaction, if still at the version."""
    current = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).first()
    return still_as_seen(current, obj, expected_version)


def update_if_current(obj: Versioned, expected_version: int, **changes) -> None:
    """Write only these fields of the row (and a new version), if it is still at
    `expected_version`; else StaleVersion. Checked under the row's lock, in the transaction
    that writes, so nothing saved in between is overwritten or undone."""
    with transaction.atomic():
        _locked_current(obj, expected_version)
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(changes))


def save_if_current(obj: Versioned, expected_version: int) -> None:
    """Save the row if it is still at `expected_version`, bumping the version; else StaleVersion."""
    with transaction.atomic():
        obj.version = _locked_current(obj, expected_version).version
        obj.save()
