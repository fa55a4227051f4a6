"""What is wrong with a plan file, and where: the problems, and the reader that records them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import yaml

_MISSING = object()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file, and where."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path} (linje {self.line})" if self.line else self.path or "fila"
        return f"{where}: {self.message}"


class PlanFileError(Exception):
    """The plan file cannot be imported; nothing has been saved."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def _line_numbers(node: yaml.Node | None, path: str = "", lines: dict | None = None) -> dict:
    """Map every key path of a composed YAML document to the line it starts on (1-based)."""
    lines = {} if lines is None else lines
    if node is None:
        return lines
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = f"{path}.{key_node.value}" if path else str(key_node.value)
            _line_numbers(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_numbers(item, f"{path}[{index}]", lines)
    return lines


class _Reader:
    """Typed access to the loaded YAML that records problems instead of failing at the first."""

    def __init__(self, lines: dict[str, int]) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, self._line_of(path)))

    def _line_of(self, path: str) -> int | None:
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
    ) -> Any:
        """Return data[key] if it has the right type; else record a problem and return default."""
        where = f"{path}.{key}" if path else key
        value = data.get(key, _MISSING) if isinstance(data, dict) else _MISSING
        if value is _MISSING or value is None or value == "":
            if required:
                self.problem(where, "manglar")
            return default
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            self.problem(where, f"skal vere {_kind_name(kind)}, ikkje {value!r}")
            return default
        return value.strip() if isinstance(value, str) else value

    def items(
        self, data: dict, key: str, path: str, *, required: bool = False
    ) -> list[tuple[str, Any]]:
        """The entries of a list field as (path, entry) pairs."""
        value = self.field(data, key, path, list, required=required, default=[])
        where = f"{path}.{key}" if path else key
        return [(f"{where}[{index}]", entry) for index, entry in enumerate(value)]

    def mapping(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            self.problem(path, "skal vere ein oppslagstabell (nøkkel: verdi)")
            return {}
        return value

    def choice(
        self, data: dict, key: str, path: str, choices, *, default: str | None = None
    ) -> str | None:
        value = self.field(data, key, path, str, required=default is None, default=default)
        if value is not None and value not in choices.values:
            self.problem(
                f"{path}.{key}",
                f"ukjend verdi {value!r}; lovlege verdiar: {', '.join(choices.values)}",
            )
        return value

    def year(self, data: dict, key: str, path: str, *, required: bool = True) -> int | None:
        """A whole number; whether it lies in the agreement period is the models' rule."""
        return self.field(data, key, path, int, required=required)


def _kind_name(kind: type | tuple) -> str:
    names = {
        str: "tekst",
        int: "eit heiltal",
        list: "ei liste",
        dict: "ein oppslagstabell",
        bool: "true eller false",
        datetime.date: "ein dato (ÅÅÅÅ-MM-DD)",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " eller ".join(names.get(k, k.__name__) for k in kinds)
