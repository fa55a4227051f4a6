"""What is wrong with a plan file, and where: the problems, and the reader that records them."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

_MISSING = object()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file, and where."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        words = {"path": self.path, "line": self.line, "message": self.message}
        if not self.path:  # the file as a whole, or a line before any key could be read
            if self.line:
                return _("linje %(line)s: %(message)s") % words
            return _("fila: %(message)s") % words
        if self.line:
            return _("%(path)s (linje %(line)s): %(message)s") % words
        return f"{self.path}: {self.message}"


class PlanFileError(Exception):
    """The plan file cannot be imported; nothing has been saved."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class _Reader:
    """Typed access to the loaded YAML that records problems instead of failing at the first."""

    def __init__(self, lines: dict[str, int]) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, self.line_of(path)))

    def line_of(self, path: str) -> int | None:
        """The line of the path, or of its nearest parent when the key itself is missing."""
        while path and path not in self.lines:
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.lines.get(path) if path else None

    def field(
        self,
        data: dict,
        key: str,
        path: str,
        kind: type | tuple,
        *,
        required: bool = True,
        default: Any = None,
        model: type[Model] | None = None,
        name: str | None = None,
    ) -> Any:
        """Return data[key] if it has the right type; else record a problem and return default.

        With a model, the value must also pass the validators of its field `name` (default: the
        key): max_length, a slug's characters, a year's range.
        """
        where = f"{path}.{key}" if path else key
        value = data.get(key, _MISSING) if isinstance(data, dict) else _MISSING
        if value is _MISSING or value is None or value == "":
            if required:
                self.problem(where, _("manglar"))
            return default
        if not _is_a(value, kind):
            words = {"kind": _kind_name(kind), "value": _shown(value)}
            self.problem(where, _("skal vere %(kind)s, ikkje %(value)s") % words)
            return default
        if isinstance(value, str):
            value = value.strip()
        if isinstance(value, datetime.datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value)
        if model is not None and not self.valid(model, name or key, value, where):
            return default
        return value

    def valid(self, model: type[Model], name: str, value: Any, where: str) -> bool:
        """Whether the value passes the validators of the model's field; else say why."""
        try:
            model._meta.get_field(name).run_validators(value)
        except ValidationError as error:
            for message in error.messages:
                self.problem(where, message[:1].lower() + message[1:].rstrip("."))
            return False
        return True

    def items(
        self, data: dict, key: str, path: str, *, required: bool = False
    ) -> list[tuple[str, Any]]:
        """The entries of a list field as (path, entry) pairs."""
        value = self.field(data, key, path, list, required=required, default=[])
        where = f"{path}.{key}" if path else key
        return [(f"{where}[{index}]", entry) for index, entry in enumerate(value)]

    def mapping(self, value: Any, path: str, keys: tuple[str, ...] | None = None) -> dict:
        """The value as a mapping; with `keys`, every other key is refused by name and line."""
        if not isinstance(value, dict):
            self.problem(path, _("skal vere ein oppslagstabell (nøkkel: verdi)"))
            return {}
        for key in value if keys is not None else ():
            if key not in keys:
                self.problem(f"{path}.{key}" if path else str(key), _unknown_key(key, keys))
        return value

    def choice(
        self, data: dict, key: str, path: str, choices, *, default: str | None = None
    ) -> str | None:
        value = self.field(data, key, path, str, required=default is None, default=default)
        if value is not None and value not in choices.values:
            self.problem(
                f"{path}.{key}",
                _("ukjend verdi %(value)s; lovlege verdiar: %(allowed)s")
                % {"value": _shown(value), "allowed": ", ".join(choices.values)},
            )
        return value

    def year(self, data: dict, key: str, path: str, *, required: bool = True) -> int | None:
        """A whole number; whether it lies in the agreement period is the models' rule."""
        return self.field(data, key, path, int, required=required)


def _unknown_key(key: Any, keys: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(key), keys, n=1) if isinstance(key, str) else []
    if close:
        return _("ukjend nøkkel %(key)s – meinte du %(close)s?") % {
            "key": _shown(key),
            "close": repr(close[0]),
        }
    return _("ukjend nøkkel %(key)s; lovlege nøklar her: %(allowed)s") % {
        "key": _shown(key),
        "allowed": ", ".join(keys),
    }


def _is_a(value: Any, kind: type | tuple) -> bool:
    """isinstance, except that true/false is no number and a date-and-time no date."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool):
        return bool in kinds
    if isinstance(value, datetime.datetime):
        return datetime.datetime in kinds
    return isinstance(value, kinds)


def _shown(value: Any) -> str:
    """The value as the message quotes it: short, whatever the file holds."""
    if isinstance(value, datetime.date):
        text = value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else str(value)
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _kind_name(kind: type | tuple) -> str:
    names = {
        str: _("tekst"),
        int: _("eit heiltal"),
        list: _("ei liste"),
        dict: _("ein oppslagstabell"),
        bool: _("true eller false"),
        datetime.date: _("ein dato (ÅÅÅÅ-MM-DD)"),
        datetime.datetime: _("eit tidspunkt (ÅÅÅÅ-MM-DD TT:MM:SS+01:00)"),
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " eller ".join(names.get(k, k.__name__) for k in kinds)
