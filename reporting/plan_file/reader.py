"""Checking a plan file and turning it into plain, normalised data: `parse_plan`."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from budget.models import Amount, BudgetLine, Footnote, FundingSource
from measures.models import Agreement, Measure, Organisation, Section, SubGoal
from reporting.plan_data.schema import AGREEMENT_TEXTS, FORMAT, KEYS

from .checks import (
    _check_kroner,
    _check_model,
    _check_unique,
    _check_year,
    _entries,
    _positive,
)
from .loader import load_yaml
from .money_reader import read_money
from .problems import PlanFileError, Problem, _Reader
from .revision_reader import _read_revision
from .shared import shared_changes


def parse_plan(text: str, *, own_organisations_only: bool = False) -> dict:
    """Check a plan file and return its normalised content, or raise PlanFileError.

    With `own_organisations_only` (the browser), a change to an organisation another agreement
    uses is a problem too, at its line (shared.py).
    """
    data, lines = load_yaml(text)
    reader = _Reader(lines)
    if not isinstance(data, dict):
        problem = _("fila skal vere ein oppslagstabell (nøkkel: verdi)")
        raise PlanFileError([Problem("", problem, 1)])
    data = reader.mapping(data, "", KEYS[""])
    plan = _read_plan(reader, data, "")
    org_keys = {org["key"] for org in plan["organisations"] if org["key"]}
    read = partial(_read_revision, org_keys=org_keys, period=_period(plan["agreement"]))
    paths, plan["revisions"] = _entries(reader, data, "revisions", "", read)
    _check_unique(reader, paths, plan["revisions"], "year", _("året"))
    plan["money"] = read_money(
        reader,
        data.get("money"),
        lines={line["key"] for line in plan["budget"]["lines"]},
        sources={source["key"] for source in plan["budget"]["sources"]},
        period=_period(plan["agreement"]),
    )
    if own_organisations_only:
        for change in shared_changes(plan):
            reader.problems += change.problems(reader.line_of)
    if reader.problems:
        raise PlanFileError(reader.problems)
    return plan


def _at(root: str, key: str) -> str:
    return f"{root}.{key}" if root else key


def _period(agreement: dict) -> Agreement | None:
    """An unsaved Agreement: the models' rules for years and timeframes ask it for the period."""
    if agreement.get("first_year") and agreement.get("last_year"):
        return Agreement(first_year=agreement["first_year"], last_year=agreement["last_year"])
    return None


def _read_plan(reader: _Reader, data: dict, root: str) -> dict:
    """The plan without its revisions: the whole file, or a revision's snapshot at `root`."""
    if data.get("format") != FORMAT:
        reader.problem(_at(root, "format"), _("skal vere %(format)s") % {"format": repr(FORMAT)})
    org_paths, orgs = _entries(reader, data, "organisations", root, _read_organisation)
    _check_unique(reader, org_paths, orgs, "key", _("organisasjonsnøkkelen"))
    org_keys = {org["key"] for org in orgs if org["key"]}
    for path, org in zip(org_paths, orgs, strict=True):
        org["members"] = _read_members(reader, org, path, org_keys)
    where = _at(root, "agreement")
    agreement = _read_agreement(
        reader, reader.mapping(data.get("agreement", {}), where, KEYS["agreement"]), where, org_keys
    )
    period = _period(agreement)
    goal_paths, sub_goals = _entries(
        reader, data, "sub_goals", root, partial(_read_sub_goal, org_keys=org_keys, period=period)
    )
    _check_unique(reader, goal_paths, sub_goals, "number", _("delmålsnummeret"))
    measure_paths = [
        [f"{path}.measures[{j}]" for j in range(len(goal["measures"]))]
        for path, goal in zip(goal_paths, sub_goals, strict=True)
    ]
    _check_unique(
        reader,
        [path for paths in measure_paths for path in paths],
        [measure for goal in sub_goals for measure in goal["measures"]],
        "key",
        _("tiltaksnøkkelen"),
    )
    for paths, goal in zip(measure_paths, sub_goals, strict=True):
        _check_unique(reader, paths, goal["measures"], "number", _("tiltaksnummeret i delmålet"))
    goal_numbers = {g["number"] for g in sub_goals if g["number"]}
    budget = _read_budget(reader, data.get("budget"), _at(root, "budget"), goal_numbers, period)
    return {
        "organisations": orgs,
        "agreement": agreement,
        "sub_goals": sub_goals,
        "budget": budget,
    }


def _read_organisation(reader: _Reader, entry: Any, path: str) -> dict:
    entry = reader.mapping(entry, path, KEYS["organisations"])
    return {
        "key": reader.field(entry, "key", path, str, model=Organisation),
        "name": reader.field(entry, "name", path, str, model=Organisation),
        "short_name": reader.field(
            entry, "short_name", path, str, required=False, default="", model=Organisation
        ),
        "kind": reader.choice(entry, "kind", path, Organisation.Kind),
        # Checked once every organisation's key is known: _read_members.
        "members": {"members": entry["members"]} if "members" in entry else {},
    }


def _read_members(reader: _Reader, org: dict, path: str, org_keys: set[str]) -> list[str]:
    """The keys of a collective organisation's members («Pilotkommunane»: the municipalities)."""
    members = _org_refs(reader, org["members"], "members", path, org_keys)
    if org["key"] in members:
        reader.problem(f"{path}.members", _("ein organisasjon kan ikkje vere medlem av seg sjølv"))
        members.remove(org["key"])
    return members


def _org_refs(
    reader: _Reader, data: dict, key: str, path: str, org_keys: set[str], *, required: bool = False
) -> list[str]:
    refs = []
    for ref_path, ref in reader.items(data, key, path, required=required):
        if not isinstance(ref, str):
            words = {"value": repr(ref)}
            reader.problem(
                ref_path, _("skal vere ein organisasjonsnøkkel, ikkje %(value)s") % words
            )
        elif ref not in org_keys:
            words = {"key": repr(ref)}
            reader.problem(
                ref_path, _("ukjend organisasjon %(key)s (ikkje i organisations)") % words
            )
        elif ref in refs:
            words = {"key": repr(ref)}
            reader.problem(ref_path, _("organisasjonen %(key)s står to gonger") % words)
        else:
            refs.append(ref)
    return refs


def _read_agreement(reader: _Reader, entry: dict, path: str, org_keys: set[str]) -> dict:
    agreement = {
        "slug": reader.field(entry, "slug", path, str, model=Agreement),
        "name": reader.field(entry, "name", path, str, model=Agreement),
        "pilot_name": reader.field(entry, "pilot_name", path, str, model=Agreement),
        "language": reader.choice(
            entry, "language", path, Agreement.Language, default=Agreement.Language.NYNORSK
        ),
        "signed_on": reader.field(entry, "signed_on", path, datetime.date, required=False),
        "first_year": reader.field(entry, "first_year", path, int, model=Agreement),
        "last_year": reader.field(entry, "last_year", path, int, model=Agreement),
        "parties": _org_refs(reader, entry, "parties", path, org_keys),
    }
    for text_field in AGREEMENT_TEXTS:
        agreement[text_field] = reader.field(
            entry, text_field, path, str, required=False, default=""
        )
    period = Agreement(first_year=agreement["first_year"], last_year=agreement["last_year"])
    if not _check_model(reader, period.clean, path):
        agreement["last_year"] = None
    return agreement


def _read_sub_goal(
    reader: _Reader, entry: Any, path: str, *, org_keys: set[str], period: Agreement | None
) -> dict:
    entry = reader.mapping(entry, path, KEYS["sub_goals"])
    weight = reader.field(entry, "weight", path, int)
    if weight is not None and not 0 <= weight <= 100:
        reader.problem(f"{path}.weight", _("vektinga skal vere mellom 0 og 100 prosent"))
    return {
        "number": _positive(reader, entry, "number", path),
        "title": reader.field(entry, "title", path, str, model=SubGoal),
        "main_goal": reader.field(entry, "main_goal", path, str, model=SubGoal),
        "weight": weight,
        "introduction": reader.field(entry, "introduction", path, str, required=False, default=""),
        "remark": reader.field(entry, "remark", path, str, required=False, default=""),
        "measures": [
            _read_measure(reader, m, p, org_keys, period)
            for p, m in reader.items(entry, "measures", path)
        ],
    }


def _read_measure(
    reader: _Reader, entry: Any, path: str, org_keys: set[str], period: Agreement | None
) -> dict:
    entry = reader.mapping(entry, path, KEYS["measures"])
    text = partial(reader.field, entry, path=path, kind=str, model=Measure)
    measure = {
        "key": text("key"),
        "number": _positive(reader, entry, "number", path),
        "title": text("title"),
        "tagline": text("tagline", required=False, default=""),
        "leads": _org_refs(reader, entry, "leads", path, org_keys),
        "leads_more": text("leads_more", required=False, default=""),
        "partners": _org_refs(reader, entry, "partners", path, org_keys),
        "partners_more": text("partners_more", required=False, default=""),
        **_read_timeframe(reader, entry, path, period),
        "priority": reader.choice(
            entry, "priority", path, Measure.Priority, default=Measure.Priority.NOW
        ),
        "status": reader.choice(
            entry, "status", path, Measure.Status, default=Measure.Status.ACTIVE
        ),
        "closed_on": reader.field(entry, "closed_on", path, datetime.date, required=False),
        "sections": [_read_section(reader, s, p) for p, s in reader.items(entry, "sections", path)],
    }
    if (measure["status"] == Measure.Status.CLOSED) != (measure["closed_on"] is not None):
        reader.problem(
            f"{path}.closed_on",
            _("eit avslutta tiltak må ha closed_on, og berre eit avslutta tiltak"),
        )
    kinds = [s["kind"] for s in measure["sections"] if s["kind"] != Section.Kind.OTHER]
    for kind in {k for k in kinds if kinds.count(k) > 1}:
        words = {"kind": repr(kind)}
        reader.problem(
            f"{path}.sections", _("standardseksjonen %(kind)s står meir enn éin gong") % words
        )
    return measure


def _read_timeframe(reader: _Reader, entry: dict, path: str, period: Agreement | None) -> dict:
    value = entry.get("timeframe")
    where = f"{path}.timeframe"
    if value == "next_revision":
        return {"start_year": None, "end_year": None, "at_next_revision": True}
    if not isinstance(value, dict):
        reader.problem(where, _("skal vere {start: ÅR, end: ÅR} eller next_revision"))
        return {"start_year": None, "end_year": None, "at_next_revision": False}
    value = reader.mapping(value, where, KEYS["timeframe"])
    start = reader.field(value, "start", where, int, model=Measure, name="start_year")
    end = reader.field(value, "end", where, int, model=Measure, name="end_year")
    frame = {"start_year": start, "end_year": end, "at_next_revision": False}
    if start is not None and end is not None:  # else the reader has said what is missing
        measure = Measure(agreement=period, **frame)
        paths = {"start_year": f"{where}.start", "end_year": f"{where}.end"}
        _check_model(reader, measure.clean, where, paths)
    return frame


def _read_section(reader: _Reader, entry: Any, path: str) -> dict:
    entry = reader.mapping(entry, path, KEYS["sections"])
    return {
        "kind": reader.choice(entry, "kind", path, Section.Kind, default=Section.Kind.OTHER),
        "heading": reader.field(
            entry, "heading", path, str, required=False, default="", model=Section
        ),
        "body": reader.field(entry, "body", path, str),
    }


def _read_budget(
    reader: _Reader, data: Any, path: str, goal_numbers: set[int], period: Agreement | None
) -> dict:
    if data is None:
        return {"lines": [], "sources": [], "amounts": {}, "footnotes": []}
    data = reader.mapping(data, path, KEYS["budget"])
    line_paths, lines = _entries(
        reader, data, "lines", path, partial(_read_line, goal_numbers=goal_numbers)
    )
    _check_unique(reader, line_paths, lines, "key", _("linenøkkelen"))
    _check_unique(reader, line_paths, lines, "number", _("linenummeret"))
    _check_unique(reader, line_paths, lines, "sub_goal", _("delmålet"))
    source_paths, sources = _entries(reader, data, "sources", path, _read_source)
    _check_unique(reader, source_paths, sources, "key", _("kjeldenøkkelen"))
    if sum(1 for s in sources if s["state_cofinancing"]) > 1:
        reader.problem(f"{path}.sources", _("berre éi kjelde kan ha state_cofinancing: true"))
    line_keys = {line["key"] for line in lines}
    source_keys = {s["key"] for s in sources}
    amounts = _read_amounts(
        reader, data.get("amounts") or {}, f"{path}.amounts", line_keys, source_keys, period
    )
    footnotes = [
        _read_footnote(reader, e, p, line_keys, source_keys, period)
        for p, e in reader.items(data, "footnotes", path)
    ]
    return {"lines": lines, "sources": sources, "amounts": amounts, "footnotes": footnotes}


def _read_source(reader: _Reader, entry: Any, path: str) -> dict:
    entry = reader.mapping(entry, path, KEYS["sources"])
    return {
        "key": reader.field(entry, "key", path, str, model=FundingSource),
        "name": reader.field(entry, "name", path, str, model=FundingSource),
        "state_cofinancing": reader.field(
            entry, "state_cofinancing", path, bool, required=False, default=False
        ),
    }


def _read_line(reader: _Reader, entry: Any, path: str, *, goal_numbers: set[int]) -> dict:
    entry = reader.mapping(entry, path, KEYS["lines"])
    sub_goal = reader.field(entry, "sub_goal", path, int, required=False)
    if sub_goal is not None and sub_goal not in goal_numbers:
        reader.problem(
            f"{path}.sub_goal", _("det finst ikkje noko delmål %(number)s") % {"number": sub_goal}
        )
    return {
        "key": reader.field(entry, "key", path, str, model=BudgetLine),
        "number": _positive(reader, entry, "number", path),
        "title": reader.field(entry, "title", path, str, model=BudgetLine),
        "sub_goal": sub_goal,
    }


def _read_amounts(
    reader: _Reader,
    data: Any,
    path: str,
    line_keys: set,
    source_keys: set,
    period: Agreement | None,
) -> dict:
    amounts = {}
    for line_key, years in reader.mapping(data, path).items():
        line_path = f"{path}.{line_key}"
        if line_key not in line_keys:
            reader.problem(line_path, _("ukjend budsjettline %(key)s") % {"key": repr(line_key)})
        for year, cells in reader.mapping(years, line_path).items():
            year_path = f"{line_path}.{year}"
            if not isinstance(year, int) or isinstance(year, bool):
                reader.problem(
                    year_path, _("%(value)s er ikkje eit årstal") % {"value": repr(year)}
                )
            else:
                _check_year(reader, period, year, year_path)
            for source_key, kroner in reader.mapping(cells, year_path).items():
                cell_path = f"{year_path}.{source_key}"
                if source_key not in source_keys:
                    words = {"key": repr(source_key)}
                    reader.problem(cell_path, _("ukjend finansieringskjelde %(key)s") % words)
                elif _check_kroner(reader, kroner, cell_path) and reader.valid(
                    Amount, "kroner", kroner, cell_path
                ):
                    amounts[(line_key, year, source_key)] = kroner
    return amounts


def _read_footnote(
    reader: _Reader,
    entry: Any,
    path: str,
    line_keys: set,
    source_keys: set,
    period: Agreement | None,
) -> dict:
    entry = reader.mapping(entry, path, KEYS["footnotes"])
    table = reader.choice(entry, "table", path, Footnote.Table)
    year = reader.year(entry, "year", path, required=table == Footnote.Table.FINANCING)
    _check_year(reader, period, year, f"{path}.year")
    if table == Footnote.Table.ALLOCATION and year is not None:
        reader.problem(f"{path}.year", _("fotnotar til budsjettet for heile perioden har ikkje år"))
    line = reader.field(entry, "line", path, str, required=False)
    if line is not None and line not in line_keys:
        reader.problem(f"{path}.line", _("ukjend budsjettline %(key)s") % {"key": repr(line)})
    column = str(reader.field(entry, "column", path, (str, int), default=""))
    allowed = {"total"} | (
        {str(y) for y in (period.years if period else [])}
        if table == Footnote.Table.ALLOCATION
        else source_keys
    )
    if column and column not in allowed:
        reader.problem(
            f"{path}.column",
            _("ukjend kolonne %(column)s; lovlege: %(allowed)s")
            % {"column": repr(column), "allowed": ", ".join(sorted(allowed))},
        )
    return {
        "table": table,
        "year": year,
        "marker": reader.field(
            entry, "marker", path, str, required=False, default="*", model=Footnote
        ),
        "line": line,
        "column": column,
        "text": reader.field(entry, "text", path, str),
    }
