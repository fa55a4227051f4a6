"""Checks every part of the plan-file reader shares: lists, uniqueness, the models' rules."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from budget.models import MAX_KRONER
from measures.models import Agreement

from .problems import _Reader

# Parking numbers for rows whose number changes, so that swapping two numbers never trips
# the unique constraints half-way through an import; no real number reaches them.
_PARKING_START = 30000


def _entries(
    reader: _Reader, data: dict, key: str, root: str, read: Callable
) -> tuple[list[str], list[dict]]:
    """The paths of a list's entries, and each entry as `read(reader, entry, path)`.

    Every list may be left out when it is empty, as the exporter does: an agreement that has
    no sub-goals or parties yet must come back from its backup too.
    """
    entries = reader.items(data, key, root)
    return [path for path, _entry in entries], [
        read(reader, entry, path) for path, entry in entries
    ]


def _check_unique(
    reader: _Reader, paths: list[str], entries: list[dict], key: str | tuple, label: str
) -> None:
    """No two entries have the same value of `key` (or keys), said at the second."""
    keys = key if isinstance(key, tuple) else (key,)
    seen: set = set()
    for path, entry in zip(paths, entries, strict=True):
        values = tuple(entry.get(k) for k in keys)
        if None in values:
            continue
        if values in seen:
            shown = values if len(values) > 1 else values[0]
            words = {"what": label, "value": repr(shown)}
            reader.problem(f"{path}.{keys[-1]}", _("%(what)s %(value)s er brukt før") % words)
        seen.add(values)


def _check_model(
    reader: _Reader, check: Callable[[], None], path: str, paths: dict[str, str] | None = None
) -> bool:
    """Ask a model's own rule (its clean() on an unsaved instance) about data from the file.

    Each error becomes a problem at its field's place: `path`.field, or `paths[field]` where
    the file names the field otherwise. True if the data keeps the rule.
    """
    try:
        check()
    except ValidationError as error:
        by_field = ValidationError(error.update_error_dict({})).message_dict  # also for non-field
        for name, messages in by_field.items():
            where = (paths or {}).get(name) or (
                path if name == NON_FIELD_ERRORS else f"{path}.{name}"
            )
            for message in messages:
                # The models speak in sentences, beside a form field; problems in lower case.
                reader.problem(where, message[:1].lower() + message[1:].rstrip("."))
        return False
    return True


def _check_year(reader: _Reader, period: Agreement | None, year: Any, where: str) -> None:
    """The year lies in the agreement period (Agreement.check_year)."""
    if period is not None and year is not None:
        _check_model(reader, partial(period.check_year, year), where, {"year": where})


def _positive(reader: _Reader, entry: dict, key: str, path: str) -> int | None:
    value = reader.field(entry, key, path, int)
    if value is not None and not 1 <= value < _PARKING_START:
        words = {"highest": _PARKING_START - 1}
        reader.problem(f"{path}.{key}", _("nummeret skal vere mellom 1 og %(highest)s") % words)
        return None
    return value


def _check_kroner(reader: _Reader, kroner: Any, path: str, *, least: int = 0) -> bool:
    """Whole kroner from `least` (0 for a cell, 1 for a payment) to MAX_KRONER; else say why."""
    if not isinstance(kroner, int) or isinstance(kroner, bool):
        words = {"value": repr(kroner)}
        reader.problem(path, _("beløpet skal vere heile kroner, ikkje %(value)s") % words)
    elif kroner < 0:
        reader.problem(path, _("beløpet kan ikkje vere negativt (%(kroner)s)") % {"kroner": kroner})
    elif kroner < least:
        reader.problem(path, _("ei utbetaling må vere over 0 kr"))
    elif kroner > MAX_KRONER:
        words = {"limit": f"{MAX_KRONER:,}".replace(",", "\xa0")}
        reader.problem(path, _("beløpet er urimeleg stort; grensa er %(limit)s kr") % words)
    else:
        return True
    return False
