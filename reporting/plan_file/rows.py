"""Writing one row of an import: created when missing, saved only where a value differs."""

from __future__ import annotations

from django.db.models import Model


def _sync(model: type[Model], lookup: dict, values: dict) -> Model:
    """Get or create the row, and save it only if a value differs: a re-import writes nothing."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        # A versioned row gets a new version: an editor who opened it before this import
        # must not overwrite it unawares.
        obj.save(update_fields=changed)
    return obj
