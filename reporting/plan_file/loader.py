"""Reading a plan file's YAML within bounds: `load_yaml`.

PyYAML alone takes a mapping's last duplicate key silently, expands aliases (a "billion laughs"
file of a few lines takes minutes and gigabytes), recurses into any depth of nesting until
RecursionError, and raises ValueError on `2025-02-30`. Here each of those is a Problem with its
place and line, and nothing is built from a file that has one. Time and memory are bounded by
the limits below: the size is checked before parsing, and the event pass that checks nesting,
the number of values, anchors and tags stops at the first breach, before any node is built.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.utils.translation import gettext as _

from .problems import PlanFileError, Problem

MAX_CHARACTERS = 5_000_000
# The seed has about 1,400 values in 50 kB; a plan with every yearly snapshot and event of a
# four-year period has about ten times that.
MAX_VALUES = 100_000
# The plan's deepest value, revisions[].events[].snapshot.budget.amounts.LINE.YEAR.SOURCE, is
# inside 10 collections.
MAX_DEPTH = 20

# libyaml when PyYAML has it (its wheels do): it parses about ten times as fast.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
_CHECKED_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("int", "float", "timestamp")}
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _PlanLoader(_BaseLoader):
    """The safe loader, refusing a key that a mapping has twice instead of keeping the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) != len(node.value):
            raise yaml.constructor.ConstructorError(
                None, None, _("ein nøkkel står to gonger i same oppslagstabell"), node.start_mark
            )
        return mapping


def load_yaml(text: str) -> tuple[Any, dict[str, int]]:
    """The file's data, and the line (1-based) of every key path in it; else PlanFileError."""
    if len(text) > MAX_CHARACTERS:
        words = {"size": _count(len(text)), "limit": _count(MAX_CHARACTERS)}
        size = _("har %(size)s teikn; ei planfil kan ha høgst %(limit)s") % words
        raise PlanFileError([Problem("", size)])
    try:
        _check_events(text)
        loader = _PlanLoader(text)
        try:
            root = loader.get_single_node()
            lines: dict[str, int] = {}
            problems: list[Problem] = []
            if root is not None:
                _walk(loader, root, "", lines, problems)
            if problems:
                raise PlanFileError(problems)
            return (loader.construct_document(root) if root is not None else None), lines
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        raise PlanFileError([_yaml_problem(error, text)]) from error


def _check_events(text: str) -> None:
    """Nesting, number of values, anchors, aliases and tags, from the parser's event stream."""
    depth = values = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        values += 1
        if values > MAX_VALUES:
            _refuse(_("fila har meir enn %(limit)s verdiar") % {"limit": _count(MAX_VALUES)}, line)
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            _refuse(_("ankrar og alias (&namn, *namn) er ikkje tillatne i ei planfil"), line)
        if event.tag is not None:
            words = {"tag": repr(event.tag)}
            _refuse(_("merkelappar som %(tag)s er ikkje tillatne i ei planfil") % words, line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                _refuse(_too_deep(), line)


def _too_deep() -> str:
    return _("fila er nesta djupare enn %(depth)s nivå") % {"depth": MAX_DEPTH}


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\xa0")


def _refuse(message: str, line: int) -> None:
    raise PlanFileError([Problem("", message, line)])


def _walk(
    loader: _PlanLoader, node: yaml.Node, path: str, lines: dict, problems: list[Problem]
) -> None:
    """Record the line of every path; duplicate keys, bad characters and bad values as problems."""
    line = node.start_mark.line + 1
    lines[path] = line
    if isinstance(node, yaml.ScalarNode):
        _check_scalar(loader, node, path, line, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(loader, item, f"{path}[{index}]", lines, problems)
    elif isinstance(node, yaml.MappingNode):
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    Problem(path, _("ein nøkkel skal vere eit namn eller eit tal"), key_line)
                )
                continue
            if key_node.tag == _MERGE_TAG:
                refused = _("fletting med «<<» er ikkje tillaten i ei planfil")
                problems.append(Problem(f"{path}.<<" if path else "<<", refused, key_line))
                continue
            key = key_node.value
            child = f"{path}.{key}" if path else key
            if key in first_line:
                problems.append(
                    Problem(
                        child,
                        _("nøkkelen %(key)s står to gonger (først på linje %(line)s)")
                        % {"key": repr(key), "line": first_line[key]},
                        key_line,
                    )
                )
                continue
            first_line[key] = key_line
            _check_scalar(loader, key_node, child, key_line, problems)
            _walk(loader, value_node, child, lines, problems)
            lines[child] = key_line


def _check_scalar(
    loader: _PlanLoader, node: yaml.ScalarNode, path: str, line: int, problems: list[Problem]
) -> None:
    bad = _BAD_CHARACTER.search(node.value)
    if bad:
        if bad.group() == "\x00":
            name = _("NUL-teiknet (\\0)")
        else:
            name = _("teiknet U+%(code)s") % {"code": f"{ord(bad.group()):04X}"}
        problem = _("teksten inneheld %(name)s, som ikkje er tillate") % {"name": name}
        problems.append(Problem(path, problem, line))
    elif node.tag in _CHECKED_TAGS:
        try:  # Built once here; construct_document reuses the object.
            loader.construct_object(node)
        except ValueError:
            shown = repr(node.value if len(node.value) <= 40 else node.value[:40] + "…")
            if node.tag.endswith("timestamp"):
                problem = _("%(value)s er ikkje eit gyldig dato") % {"value": shown}
            else:
                problem = _("%(value)s er ikkje eit gyldig tal") % {"value": shown}
            problems.append(Problem(path, problem, line))


def _yaml_problem(error: yaml.YAMLError, text: str) -> Problem:
    """PyYAML's complaint, with its line: from its mark, or from a reader error's position."""
    if isinstance(error, yaml.reader.ReaderError):
        if _BaseLoader is yaml.SafeLoader:
            line = text.count("\n", 0, error.position) + 1
        else:  # libyaml counts bytes of the UTF-8 text it was given
            line = text.encode("utf-8").count(b"\n", 0, error.position) + 1
        code = (
            error.character
            if isinstance(error.character, int)
            else ord(str(error.character)[:1] or "\0")
        )
        words = {"code": f"{code:04x}"}
        return Problem("", _("teiknet #x%(code)s er ikkje tillate i ei planfil") % words, line)
    mark = getattr(error, "problem_mark", None)
    reason = getattr(error, "problem", None) or str(error)
    if "nesting depth" in reason:  # libyaml's own limit, met while it reads ahead
        return Problem("", _too_deep(), mark.line + 1 if mark else None)
    words = {"reason": reason}
    return Problem("", _("ugyldig YAML: %(reason)s") % words, mark.line + 1 if mark else None)
