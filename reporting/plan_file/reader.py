"""Checking a plan file and turning it into plain, normalised data: `parse_plan`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

import yaml
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from budget.models import Footnote
from measures.models import Agreement, Measure, Organisation, Section
from reporting.models import Approval, Revision

from .problems import PlanFileError, Problem, _line_numbers, _Reader

FORMAT = "bygdevekst-plan/1"
# Parking numbers for rows whose number changes, so that swapping two numbers never trips
# the unique constraints half-way through an import.
_PARKING_START = 30000


def parse_plan(text: str) -> dict:
    """Check a plan file and return its normalised content, or raise PlanFileError."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        raise PlanFileError([Problem("", f"ugyldig YAML: {reason}", line)]) from error
    reader = _Reader(_line_numbers(root))
    data = reader.mapping(data, "")
    if data and data.get("format") != FORMAT:
        reader.problem("format", f"skal vere {FORMAT!r}")
    plan = _read_plan(reader, data) if data else {}
    if reader.problems:
        raise PlanFileError(reader.problems)
    return plan


def _read_plan(reader: _Reader, data: dict) -> dict:
    organisations = [
        _read_organisation(reader, entry, path)
        for path, entry in reader.items(data, "organisations", "", required=True)
    ]
    org_keys = {org["key"] for org in organisations if org}
    _check_unique(
        reader,
        [
            (p, o.get("key"))
            for (p, _), o in zip(
                reader.items(data, "organisations", ""), organisations, strict=True
            )
        ],
        "key",
        "organisasjonsnøkkelen",
    )
    agreement = _read_agreement(
        reader, reader.mapping(data.get("agreement", {}), "agreement"), org_keys
    )
    # An unsaved Agreement: the models' rules for years and timeframes ask it for the period.
    period = (
        Agreement(first_year=agreement["first_year"], last_year=agreement["last_year"])
        if agreement.get("first_year") and agreement.get("last_year")
        else None
    )
    sub_goals = [
        _read_sub_goal(reader, entry, path, org_keys, period)
        for path, entry in reader.items(data, "sub_goals", "", required=True)
    ]
    _check_unique(
        reader,
        [(f"sub_goals[{i}]", g.get("number")) for i, g in enumerate(sub_goals)],
        "number",
        "delmålsnummeret",
    )
    measure_keys = [
        (f"sub_goals[{i}].measures[{j}]", m.get("key"))
        for i, g in enumerate(sub_goals)
        for j, m in enumerate(g["measures"])
    ]
    _check_unique(reader, measure_keys, "key", "tiltaksnøkkelen")
    for i, goal in enumerate(sub_goals):
        _check_unique(
            reader,
            [
                (f"sub_goals[{i}].measures[{j}]", m.get("number"))
                for j, m in enumerate(goal["measures"])
            ],
            "number",
            "tiltaksnummeret i delmålet",
        )
    goal_numbers = {g["number"] for g in sub_goals if g.get("number")}
    budget = _read_budget(reader, data.get("budget"), goal_numbers, period)
    revisions = [
        _read_revision(reader, entry, path, org_keys, period)
        for path, entry in reader.items(data, "revisions", "")
    ]
    _check_unique(
        reader,
        [(f"revisions[{i}]", r.get("year")) for i, r in enumerate(revisions)],
        "year",
        "året",
    )
    return {
        "organisations": organisations,
        "agreement": agreement,
        "sub_goals": sub_goals,
        "budget": budget,
        "revisions": revisions,
    }


def _check_unique(reader: _Reader, entries: list[tuple[str, Any]], key: str, label: str) -> None:
    seen: set = set()
    for path, value in entries:
        if value is None:
            continue
        if value in seen:
            reader.problem(f"{path}.{key}", f"{label} {value!r} er brukt før")
        seen.add(value)


def _read_organisation(reader: _Reader, entry: Any, path: str) -> dict:
    entry = reader.mapping(entry, path)
    return {
        "key": reader.field(entry, "key", path, str),
        "name": reader.field(entry, "name", path, str),
        "short_name": reader.field(entry, "short_name", path, str, required=False, default=""),
        "kind": reader.choice(entry, "kind", path, Organisation.Kind),
    }


def _org_refs(
    reader: _Reader, data: dict, key: str, path: str, org_keys: set[str], *, required: bool = False
) -> list[str]:
    refs = []
    for ref_path, ref in reader.items(data, key, path, required=required):
        if not isinstance(ref, str):
            reader.problem(ref_path, f"skal vere ein organisasjonsnøkkel, ikkje {ref!r}")
        elif ref not in org_keys:
            reader.problem(ref_path, f"ukjend organisasjon {ref!r} (ikkje i organisations)")
        elif ref in refs:
            reader.problem(ref_path, f"organisasjonen {ref!r} står to gonger")
        else:
            refs.append(ref)
    return refs


def _read_agreement(reader: _Reader, entry: dict, org_keys: set[str]) -> dict:
    path = "agreement"
    agreement = {
        "slug": reader.field(entry, "slug", path, str),
        "name": reader.field(entry, "name", path, str),
        "pilot_name": reader.field(entry, "pilot_name", path, str),
        "signed_on": reader.field(entry, "signed_on", path, datetime.date, required=False),
        "first_year": reader.year(entry, "first_year", path),
        "last_year": reader.year(entry, "last_year", path),
        "parties": _org_refs(reader, entry, "parties", path, org_keys, required=True),
    }
    for text_field in AGREEMENT_TEXTS:
        agreement[text_field] = reader.field(
            entry, text_field, path, str, required=False, default=""
        )
    period = Agreement(first_year=agreement["first_year"], last_year=agreement["last_year"])
    if not _check_model(reader, period.clean, path):
        agreement["last_year"] = None
    return agreement


AGREEMENT_TEXTS = ["introduction", "framework", "priorities", "organisation_text", "anchoring_text"]


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


def _read_sub_goal(
    reader: _Reader, entry: Any, path: str, org_keys: set[str], period: Agreement | None
) -> dict:
    entry = reader.mapping(entry, path)
    weight = reader.field(entry, "weight", path, int)
    if weight is not None and not 0 <= weight <= 100:
        reader.problem(f"{path}.weight", "vektinga skal vere mellom 0 og 100 prosent")
    return {
        "number": _positive(reader, entry, "number", path),
        "title": reader.field(entry, "title", path, str),
        "main_goal": reader.field(entry, "main_goal", path, str),
        "weight": weight,
        "introduction": reader.field(entry, "introduction", path, str, required=False, default=""),
        "remark": reader.field(entry, "remark", path, str, required=False, default=""),
        "measures": [
            _read_measure(reader, m, p, org_keys, period)
            for p, m in reader.items(entry, "measures", path)
        ],
    }


def _positive(reader: _Reader, entry: dict, key: str, path: str) -> int | None:
    value = reader.field(entry, key, path, int)
    if value is not None and not 1 <= value < _PARKING_START:
        reader.problem(f"{path}.{key}", f"nummeret skal vere mellom 1 og {_PARKING_START - 1}")
        return None
    return value


def _read_measure(
    reader: _Reader, entry: Any, path: str, org_keys: set[str], period: Agreement | None
) -> dict:
    entry = reader.mapping(entry, path)
    measure = {
        "key": reader.field(entry, "key", path, str),
        "number": _positive(reader, entry, "number", path),
        "title": reader.field(entry, "title", path, str),
        "tagline": reader.field(entry, "tagline", path, str, required=False, default=""),
        "leads": _org_refs(reader, entry, "leads", path, org_keys),
        "leads_more": reader.field(entry, "leads_more", path, str, required=False, default=""),
        "partners": _org_refs(reader, entry, "partners", path, org_keys),
        "partners_more": reader.field(
            entry, "partners_more", path, str, required=False, default=""
        ),
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
            f"{path}.closed_on", "eit avslutta tiltak må ha closed_on, og berre eit avslutta tiltak"
        )
    kinds = [s["kind"] for s in measure["sections"] if s["kind"] != Section.Kind.OTHER]
    for kind in {k for k in kinds if kinds.count(k) > 1}:
        reader.problem(f"{path}.sections", f"standardseksjonen {kind!r} står meir enn éin gong")
    return measure


def _read_timeframe(reader: _Reader, entry: dict, path: str, period: Agreement | None) -> dict:
    value = entry.get("timeframe") if isinstance(entry, dict) else None
    where = f"{path}.timeframe"
    if value == "next_revision":
        return {"start_year": None, "end_year": None, "at_next_revision": True}
    if not isinstance(value, dict):
        reader.problem(where, "skal vere {start: ÅR, end: ÅR} eller next_revision")
        return {"start_year": None, "end_year": None, "at_next_revision": False}
    start = reader.year(value, "start", where)
    end = reader.year(value, "end", where)
    frame = {"start_year": start, "end_year": end, "at_next_revision": False}
    if start is not None and end is not None:  # else the reader has said what is missing
        measure = Measure(agreement=period, **frame)
        paths = {"start_year": f"{where}.start", "end_year": f"{where}.end"}
        _check_model(reader, measure.clean, where, paths)
    return frame


def _read_section(reader: _Reader, entry: Any, path: str) -> dict:
    entry = reader.mapping(entry, path)
    return {
        "kind": reader.choice(entry, "kind", path, Section.Kind, default=Section.Kind.OTHER),
        "heading": reader.field(entry, "heading", path, str, required=False, default=""),
        "body": reader.field(entry, "body", path, str),
    }


def _read_budget(
    reader: _Reader, data: Any, goal_numbers: set[int], period: Agreement | None
) -> dict:
    if data is None:
        return {"lines": [], "sources": [], "amounts": {}, "footnotes": []}
    data = reader.mapping(data, "budget")
    lines = []
    for path, entry in reader.items(data, "lines", "budget", required=True):
        entry = reader.mapping(entry, path)
        sub_goal = reader.field(entry, "sub_goal", path, int, required=False)
        if sub_goal is not None and sub_goal not in goal_numbers:
            reader.problem(f"{path}.sub_goal", f"det finst ikkje noko delmål {sub_goal}")
        lines.append(
            {
                "key": reader.field(entry, "key", path, str),
                "number": _positive(reader, entry, "number", path),
                "title": reader.field(entry, "title", path, str),
                "sub_goal": sub_goal,
            }
        )
    _check_unique(
        reader,
        [(f"budget.lines[{i}]", line["key"]) for i, line in enumerate(lines)],
        "key",
        "linenøkkelen",
    )
    _check_unique(
        reader,
        [(f"budget.lines[{i}]", line["number"]) for i, line in enumerate(lines)],
        "number",
        "linenummeret",
    )
    _check_unique(
        reader,
        [(f"budget.lines[{i}]", line["sub_goal"]) for i, line in enumerate(lines)],
        "sub_goal",
        "delmålet",
    )
    sources = []
    for path, entry in reader.items(data, "sources", "budget", required=True):
        entry = reader.mapping(entry, path)
        sources.append(
            {
                "key": reader.field(entry, "key", path, str),
                "name": reader.field(entry, "name", path, str),
                "state_cofinancing": reader.field(
                    entry, "state_cofinancing", path, bool, required=False, default=False
                ),
            }
        )
    _check_unique(
        reader,
        [(f"budget.sources[{i}]", s["key"]) for i, s in enumerate(sources)],
        "key",
        "kjeldenøkkelen",
    )
    if sum(1 for s in sources if s["state_cofinancing"]) > 1:
        reader.problem("budget.sources", "berre éi kjelde kan ha state_cofinancing: true")
    line_keys = {line["key"] for line in lines}
    source_keys = {s["key"] for s in sources}
    amounts = _read_amounts(reader, data.get("amounts") or {}, line_keys, source_keys, period)
    footnotes = [
        _read_footnote(reader, e, p, line_keys, source_keys, period)
        for p, e in reader.items(data, "footnotes", "budget")
    ]
    return {"lines": lines, "sources": sources, "amounts": amounts, "footnotes": footnotes}


def _read_amounts(
    reader: _Reader, data: Any, line_keys: set, source_keys: set, period: Agreement | None
) -> dict:
    amounts = {}
    for line_key, years in reader.mapping(data, "budget.amounts").items():
        line_path = f"budget.amounts.{line_key}"
        if line_key not in line_keys:
            reader.problem(line_path, f"ukjend budsjettline {line_key!r}")
        for year, cells in reader.mapping(years, line_path).items():
            year_path = f"{line_path}.{year}"
            if not isinstance(year, int) or isinstance(year, bool):
                reader.problem(year_path, f"{year!r} er ikkje eit årstal")
            else:
                _check_year(reader, period, year, year_path)
            for source_key, kroner in reader.mapping(cells, year_path).items():
                cell_path = f"{year_path}.{source_key}"
                if source_key not in source_keys:
                    reader.problem(cell_path, f"ukjend finansieringskjelde {source_key!r}")
                elif not isinstance(kroner, int) or isinstance(kroner, bool):
                    reader.problem(cell_path, f"beløpet skal vere heile kroner, ikkje {kroner!r}")
                elif kroner < 0:
                    reader.problem(cell_path, f"beløpet kan ikkje vere negativt ({kroner})")
                else:
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
    entry = reader.mapping(entry, path)
    table = reader.choice(entry, "table", path, Footnote.Table)
    year = reader.year(entry, "year", path, required=table == Footnote.Table.FINANCING)
    _check_year(reader, period, year, f"{path}.year")
    if table == Footnote.Table.ALLOCATION and year is not None:
        reader.problem(f"{path}.year", "fotnotar til budsjettet for heile perioden har ikkje år")
    line = reader.field(entry, "line", path, str, required=False)
    if line is not None and line not in line_keys:
        reader.problem(f"{path}.line", f"ukjend budsjettline {line!r}")
    column = str(reader.field(entry, "column", path, (str, int), default=""))
    allowed = {"total"} | (
        {str(y) for y in (period.years if period else [])}
        if table == Footnote.Table.ALLOCATION
        else source_keys
    )
    if column and column not in allowed:
        reader.problem(
            f"{path}.column", f"ukjend kolonne {column!r}; lovlege: {', '.join(sorted(allowed))}"
        )
    return {
        "table": table,
        "year": year,
        "marker": reader.field(entry, "marker", path, str, required=False, default="*"),
        "line": line,
        "column": column,
        "text": reader.field(entry, "text", path, str),
    }


def _read_revision(
    reader: _Reader, entry: Any, path: str, org_keys: set[str], period: Agreement | None
) -> dict:
    entry = reader.mapping(entry, path)
    approvals = []
    for approval_path, approval in reader.items(entry, "approvals", path):
        approval = reader.mapping(approval, approval_path)
        organisation = reader.field(approval, "organisation", approval_path, str)
        if organisation is not None and organisation not in org_keys:
            reader.problem(f"{approval_path}.organisation", f"ukjend organisasjon {organisation!r}")
        decision = reader.choice(
            approval,
            "decision",
            approval_path,
            Approval.Decision,
            default=Approval.Decision.PENDING,
        )
        decided_on = reader.field(
            approval, "decided_on", approval_path, datetime.date, required=False
        )
        _check_model(
            reader, Approval(decision=decision, decided_on=decided_on).clean, approval_path
        )
        approvals.append(
            {
                "organisation": organisation,
                "body": reader.choice(approval, "body", approval_path, Approval.Body),
                "planned_on": reader.field(
                    approval, "planned_on", approval_path, datetime.date, required=False
                ),
                "decided_on": decided_on,
                "decision": decision,
                "case_reference": reader.field(
                    approval, "case_reference", approval_path, str, required=False, default=""
                ),
            }
        )
    _check_unique(
        reader,
        [
            (f"{path}.approvals[{i}]", (a["organisation"], a["body"]))
            for i, a in enumerate(approvals)
        ],
        "body",
        "organet for organisasjonen",
    )
    year = reader.year(entry, "year", path)
    _check_year(reader, period, year, f"{path}.year")
    return {
        "year": year,
        "status": reader.choice(entry, "status", path, Revision.Status),
        "approvals": approvals,
    }
