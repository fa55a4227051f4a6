"""Writing the rows of an import: created when missing, saved only where a value differs."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from django.db.models import Manager, Model


def sync_row(model: type[Model], lookup: dict, values: dict) -> Model:
    """Get or create the row, and save it only if a value differs: a re-import writes nothing."""
    return write_row(model.objects, model.objects.filter(**lookup).first(), lookup, values)


def synced(
    manager: Manager,
    key: str,
    wanted: dict[Hashable, dict],
    existing: Iterable[Model] | None = None,
) -> dict[Hashable, Model]:
    """`sync_row` for many rows of one table, found by their `key` field among `existing` (the
    manager's rows when not given) read in one query: {key value: values} in, {key value: row}
    out, in the order wanted. A missing row is created through `manager`, so a related manager
    (agreement.measures) fills in its parent."""
    found = {getattr(row, key): row for row in (manager.all() if existing is None else existing)}
    return {
        value: write_row(manager, found.get(value), {key: value}, values)
        for value, values in wanted.items()
    }


def write_row(manager: Manager, row: Model | None, lookup: dict, values: dict) -> Model:
    """The row already read (None: there is none) made to hold `values`, or created."""
    if row is None:
        return manager.create(**lookup, **values)
    changed = [name for name, value in values.items() if _differs(row, name, value)]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        # A versioned row gets a new version: an editor who opened it before this import
        # must not overwrite it unawares.
        row.save(update_fields=changed)
    return row


def _differs(row: Model, name: str, value) -> bool:
    """Whether the row's field holds another value; a foreign key compared by its id, without
    fetching the row it points to."""
    field = row._meta.get_field(name)
    if field.many_to_one:
        return getattr(row, field.attname) != (value.pk if value is not None else None)
    return getattr(row, name) != value
