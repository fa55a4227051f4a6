"""Read and write a whole agreement as a YAML plan file (docs/plan-format.md).

Reading happens in two steps: `parse_plan` checks the whole file and turns it into plain,
normalised data (or raises `PlanFileError` listing every problem with its place), then
`import_plan` writes that data in one transaction, touching only rows that differ.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import yaml
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from budget.models import Amount, BudgetLine, Footnote, FundingSource
from measures.models import Agreement, Involvement, Measure, Organisation, Party, Section, SubGoal
from measures.plan_order import park
from reporting.models import Approval, Revision

FORMAT = "bygdevekst-plan/1"
SNAPSHOT_FORMAT = "bygdevekst-snapshot/1"
_MISSING = object()
# Parking numbers for rows whose number changes, so that swapping two numbers never trips
# the unique constraints half-way through an import.
_PARKING_START = 30000


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


# --- reading -----------------------------------------------------------------------------


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

    def year(
        self, data: dict, key: str, path: str, period: range | None, *, required: bool = True
    ) -> int | None:
        value = self.field(data, key, path, int, required=required)
        if value is not None and period is not None and value not in period:
            self.problem(f"{path}.{key}", _outside_period(value, period))
        return value


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


def _outside_period(year: int, period: range) -> str:
    return f"året {year} er utanfor avtaleperioden {period.start}–{period.stop - 1}"


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
    period = (
        range(agreement["first_year"], agreement["last_year"] + 1)
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
        "first_year": reader.year(entry, "first_year", path, None),
        "last_year": reader.year(entry, "last_year", path, None),
        "parties": _org_refs(reader, entry, "parties", path, org_keys, required=True),
    }
    for text_field in AGREEMENT_TEXTS:
        agreement[text_field] = reader.field(
            entry, text_field, path, str, required=False, default=""
        )
    first, last = agreement["first_year"], agreement["last_year"]
    if first and last and first > last:
        reader.problem(f"{path}.last_year", "siste år kan ikkje vere før første år")
        agreement["last_year"] = None
    return agreement


AGREEMENT_TEXTS = ["introduction", "framework", "priorities", "organisation_text", "anchoring_text"]


def _read_sub_goal(
    reader: _Reader, entry: Any, path: str, org_keys: set[str], period: range | None
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
    reader: _Reader, entry: Any, path: str, org_keys: set[str], period: range | None
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


def _read_timeframe(reader: _Reader, entry: dict, path: str, period: range | None) -> dict:
    value = entry.get("timeframe") if isinstance(entry, dict) else None
    where = f"{path}.timeframe"
    if value == "next_revision":
        return {"start_year": None, "end_year": None, "at_next_revision": True}
    if not isinstance(value, dict):
        reader.problem(where, "skal vere {start: ÅR, end: ÅR} eller next_revision")
        return {"start_year": None, "end_year": None, "at_next_revision": False}
    start = reader.year(value, "start", where, period)
    end = reader.year(value, "end", where, period)
    if start and end and start > end:
        reader.problem(f"{where}.end", "sluttåret kan ikkje vere før startåret")
    return {"start_year": start, "end_year": end, "at_next_revision": False}


def _read_section(reader: _Reader, entry: Any, path: str) -> dict:
    entry = reader.mapping(entry, path)
    return {
        "kind": reader.choice(entry, "kind", path, Section.Kind, default=Section.Kind.OTHER),
        "heading": reader.field(entry, "heading", path, str, required=False, default=""),
        "body": reader.field(entry, "body", path, str),
    }


def _read_budget(reader: _Reader, data: Any, goal_numbers: set[int], period: range | None) -> dict:
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
    reader: _Reader, data: Any, line_keys: set, source_keys: set, period: range | None
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
            elif period is not None and year not in period:
                reader.problem(year_path, _outside_period(year, period))
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
    reader: _Reader, entry: Any, path: str, line_keys: set, source_keys: set, period: range | None
) -> dict:
    entry = reader.mapping(entry, path)
    table = reader.choice(entry, "table", path, Footnote.Table)
    year = reader.year(entry, "year", path, period, required=table == Footnote.Table.FINANCING)
    if table == Footnote.Table.ALLOCATION and year is not None:
        reader.problem(f"{path}.year", "fotnotar til budsjettet for heile perioden har ikkje år")
    line = reader.field(entry, "line", path, str, required=False)
    if line is not None and line not in line_keys:
        reader.problem(f"{path}.line", f"ukjend budsjettline {line!r}")
    column = str(reader.field(entry, "column", path, (str, int), default=""))
    allowed = {"total"} | (
        {str(y) for y in period or []} if table == Footnote.Table.ALLOCATION else source_keys
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
    reader: _Reader, entry: Any, path: str, org_keys: set[str], period: range | None
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
        if (decision == Approval.Decision.PENDING) != (decided_on is None):
            reader.problem(
                f"{approval_path}.decided_on", "eit vedtak må ha dato, og berre eit vedtak har dato"
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
    return {
        "year": reader.year(entry, "year", path, period),
        "status": reader.choice(entry, "status", path, Revision.Status),
        "approvals": approvals,
    }


# --- writing to the database -------------------------------------------------------------


def _sync(model: type[Model], lookup: dict, values: dict) -> Model:
    """Get or create the row, and save it only if a value differs: a re-import writes nothing."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        if hasattr(obj, "version"):
            # An editor who opened the row before this import must not overwrite it unawares.
            obj.version += 1
            changed.append("version")
        obj.save(update_fields=changed)
    return obj


def _park_renumbered(rows: list[Model], wanted: dict[int, tuple], fields: tuple[str, ...]) -> None:
    """Move rows whose unique number changes out of the way before the final numbers are set."""
    for offset, row in enumerate(rows):
        target = wanted.get(row.pk)
        if target is not None and tuple(getattr(row, f) for f in fields) != target:
            park(row, _PARKING_START + offset)


@transaction.atomic
def import_plan(plan: dict) -> Agreement:
    """Make the database hold exactly the plan (from parse_plan); all or nothing."""
    orgs = {
        o["key"]: _sync(Organisation, {"key": o["key"]}, {k: v for k, v in o.items() if k != "key"})
        for o in plan["organisations"]
    }
    agreement = _import_agreement(plan["agreement"], orgs)
    goals = {
        g["number"]: _sync(
            SubGoal,
            {"agreement": agreement, "number": g["number"]},
            {k: g[k] for k in ("title", "main_goal", "weight", "introduction", "remark")},
        )
        for g in plan["sub_goals"]
    }
    _import_measures(agreement, plan["sub_goals"], goals, orgs)
    _import_budget(agreement, plan["budget"], goals)
    _import_revisions(agreement, plan["revisions"], orgs)
    agreement.sub_goals.exclude(number__in=goals).delete()
    return agreement


def _import_agreement(data: dict, orgs: dict[str, Organisation]) -> Agreement:
    values = {k: v for k, v in data.items() if k not in ("slug", "parties")}
    agreement = _sync(Agreement, {"slug": data["slug"]}, values)
    party_orgs = [orgs[key] for key in data["parties"]]
    agreement.party_set.exclude(organisation__in=party_orgs).delete()
    for position, org in enumerate(party_orgs):
        _sync(Party, {"agreement": agreement, "organisation": org}, {"position": position})
    return agreement


def _import_measures(agreement: Agreement, goals_data: list[dict], goals: dict, orgs: dict) -> None:
    wanted = {m["key"]: (goals[g["number"]], m) for g in goals_data for m in g["measures"]}
    agreement.measures.exclude(key__in=wanted).delete()
    existing = list(agreement.measures.all())
    targets = {row.pk: (wanted[row.key][0].pk, wanted[row.key][1]["number"]) for row in existing}
    _park_renumbered(existing, targets, ("sub_goal_id", "number"))
    for key, (goal, data) in wanted.items():
        values = {
            k: data[k]
            for k in (
                "number",
                "title",
                "tagline",
                "leads_more",
                "partners_more",
                "start_year",
                "end_year",
                "at_next_revision",
                "priority",
                "status",
                "closed_on",
            )
        }
        measure = _sync(Measure, {"agreement": agreement, "key": key}, {"sub_goal": goal, **values})
        _replace_involvements(measure, data, orgs)
        _replace_sections(measure, data["sections"])


def _replace_involvements(measure: Measure, data: dict, orgs: dict) -> None:
    desired = [(orgs[key].pk, Involvement.Role.LEAD, pos) for pos, key in enumerate(data["leads"])]
    desired += [
        (orgs[key].pk, Involvement.Role.PARTNER, pos) for pos, key in enumerate(data["partners"])
    ]
    current = list(
        measure.involvements.order_by("role", "position").values_list(
            "organisation_id", "role", "position"
        )
    )
    if sorted(current) == sorted(desired):
        return
    measure.involvements.all().delete()
    for org, role, pos in desired:
        Involvement.objects.create(measure=measure, organisation_id=org, role=role, position=pos)


def _replace_sections(measure: Measure, sections: list[dict]) -> None:
    desired = [(s["kind"], s["heading"], s["body"]) for s in sections]
    current = list(measure.sections.order_by("position").values_list("kind", "heading", "body"))
    if current == desired:
        return
    measure.sections.all().delete()
    for pos, (kind, heading, body) in enumerate(desired):
        Section.objects.create(measure=measure, kind=kind, heading=heading, body=body, position=pos)


def _import_budget(agreement: Agreement, budget: dict, goals: dict) -> None:
    line_keys = [line["key"] for line in budget["lines"]]
    agreement.budget_lines.exclude(key__in=line_keys).delete()
    existing = list(agreement.budget_lines.all())
    by_key = {line["key"]: line for line in budget["lines"]}
    _park_renumbered(
        existing, {row.pk: (by_key[row.key]["number"],) for row in existing}, ("number",)
    )
    # A sub-goal can fund only one line: free the links first, so that lines can swap sub-goals.
    for row in existing:
        goal = goals.get(by_key[row.key]["sub_goal"])
        if row.sub_goal_id and row.sub_goal_id != (goal.pk if goal else None):
            row.sub_goal = None
            row.save(update_fields=["sub_goal"])
    lines = {
        line["key"]: _sync(
            BudgetLine,
            {"agreement": agreement, "key": line["key"]},
            {
                "number": line["number"],
                "title": line["title"],
                "sub_goal": goals.get(line["sub_goal"]),
            },
        )
        for line in budget["lines"]
    }
    sources = _import_sources(agreement, budget["sources"])
    _import_amounts(agreement, budget["amounts"], lines, sources)
    _replace_footnotes(agreement, budget["footnotes"], lines)


def _import_sources(agreement: Agreement, sources_data: list[dict]) -> dict[str, FundingSource]:
    keys = [s["key"] for s in sources_data]
    stale = agreement.funding_sources.exclude(key__in=keys)
    Amount.objects.filter(source__in=stale).delete()
    stale.delete()
    # Only one source may be the state co-financing: clear the flag before moving it.
    state_keys = [s["key"] for s in sources_data if s["state_cofinancing"]]
    for source in agreement.funding_sources.filter(is_state_cofinancing=True).exclude(
        key__in=state_keys
    ):
        source.is_state_cofinancing = False
        source.save(update_fields=["is_state_cofinancing"])
    return {
        s["key"]: _sync(
            FundingSource,
            {"agreement": agreement, "key": s["key"]},
            {"name": s["name"], "position": pos, "is_state_cofinancing": s["state_cofinancing"]},
        )
        for pos, s in enumerate(sources_data)
    }


def _import_amounts(agreement: Agreement, amounts: dict, lines: dict, sources: dict) -> None:
    current = {
        (a.line.key, a.year, a.source.key): a
        for a in Amount.objects.filter(line__agreement=agreement).select_related("line", "source")
    }
    for cell, row in current.items():
        if cell not in amounts:
            row.delete()
        elif row.kroner != amounts[cell]:
            row.kroner = amounts[cell]
            row.save(update_fields=["kroner"])
    for (line, year, source), kroner in amounts.items():
        if (line, year, source) not in current:
            Amount.objects.create(
                line=lines[line], year=year, source=sources[source], kroner=kroner
            )


def _replace_footnotes(agreement: Agreement, footnotes: list[dict], lines: dict) -> None:
    desired = [
        (f["table"], f["year"], f["marker"], f["line"], f["column"], f["text"]) for f in footnotes
    ]
    current = [
        (f.table, f.year, f.marker, f.line.key if f.line else None, f.column, f.text)
        for f in agreement.footnotes.select_related("line").order_by("pk")
    ]
    if current == desired:
        return
    agreement.footnotes.all().delete()
    for table, year, marker, line, column, text in desired:
        Footnote.objects.create(
            agreement=agreement,
            table=table,
            year=year,
            marker=marker,
            line=lines[line] if line else None,
            column=column,
            text=text,
        )


def _import_revisions(agreement: Agreement, revisions: list[dict], orgs: dict) -> None:
    """Create and update revisions; an approved one may only be confirmed, never changed."""
    existing = {r.year: r for r in agreement.revisions.prefetch_related("approvals__organisation")}
    wanted = {data["year"]: index for index, data in enumerate(revisions)}
    for year, revision in existing.items():
        if year not in wanted:
            if revision.is_approved:
                raise PlanFileError([_frozen_problem("revisions", year)])
            revision.delete()
    for index, data in enumerate(revisions):
        revision = existing.get(data["year"])
        if revision is not None and revision.is_approved:
            if _approvals_of(revision) != _approvals_in(data) or data["status"] != revision.status:
                raise PlanFileError([_frozen_problem(f"revisions[{index}]", revision.year)])
            continue
        revision = revision or Revision.objects.create(agreement=agreement, year=data["year"])
        _import_approvals(revision, data["approvals"], orgs)
        if revision.status != data["status"]:
            revision.status = data["status"]
            if revision.is_approved and not revision.snapshot:
                # A plan file's approved revision is the plan it carries: freeze that.
                revision.snapshot = take_snapshot(agreement)
                revision.approved_at = timezone.now()
            revision.save()


def _frozen_problem(path: str, year: int) -> Problem:
    return Problem(path, f"handlingsplan {year} er godkjend av KDD og kan ikkje endrast")


def _approvals_of(revision: Revision) -> set[tuple]:
    return {
        (a.organisation.key, a.body, a.planned_on, a.decided_on, a.decision, a.case_reference)
        for a in revision.approvals.all()
        if a.body != Approval.Body.KDD
    }


def _approvals_in(data: dict) -> set[tuple]:
    return {
        (
            a["organisation"],
            a["body"],
            a["planned_on"],
            a["decided_on"],
            a["decision"],
            a["case_reference"],
        )
        for a in data["approvals"]
        if a["body"] != Approval.Body.KDD
    }


def _import_approvals(revision: Revision, approvals: list[dict], orgs: dict) -> None:
    wanted = {(a["organisation"], a["body"]): a for a in approvals}
    for approval in revision.approvals.select_related("organisation"):
        if (approval.organisation.key, approval.body) not in wanted:
            approval.delete()
    for (org_key, body), approval in wanted.items():
        values = {
            k: approval[k] for k in ("planned_on", "decided_on", "decision", "case_reference")
        }
        _sync(Approval, {"revision": revision, "organisation": orgs[org_key], "body": body}, values)


def take_snapshot(agreement: Agreement) -> dict:
    """The whole living plan frozen as versioned JSON: enough to render it years later."""
    frozen = {
        "snapshot_format": SNAPSHOT_FORMAT,
        "taken_at": timezone.now(),
        "plan": living_plan(agreement),
    }
    return json.loads(json.dumps(frozen, cls=DjangoJSONEncoder))


# --- writing a file ----------------------------------------------------------------------


def living_plan(agreement: Agreement) -> dict:
    """The living plan (without its revisions) as plain data: the plan file's content."""
    return _drop_empty(
        {
            "format": FORMAT,
            "organisations": [_export_organisation(o) for o in _organisations_of(agreement)],
            "agreement": _export_agreement(agreement),
            "sub_goals": _export_sub_goals(agreement),
            "budget": _export_budget(agreement),
        }
    )


def export_plan(agreement: Agreement) -> str:
    """The agreement's whole plan as YAML, in the order and style of docs/plan-format.md."""
    data = living_plan(agreement) | {"revisions": _drop_empty(_export_revisions(agreement))}
    return yaml.dump(
        _drop_empty(data),
        Dumper=_PlanDumper,
        sort_keys=False,
        allow_unicode=True,
        width=float("inf"),
    )


def _organisations_of(agreement: Agreement) -> list[Organisation]:
    """The parties in order, then every other organisation the plan names, by key."""
    parties = agreement.ordered_parties()
    involved = Q(involvements__measure__agreement=agreement) | Q(
        approvals__revision__agreement=agreement
    )
    named = (
        Organisation.objects.filter(involved)
        .exclude(pk__in=[p.pk for p in parties])
        .distinct()
        .order_by("key")
    )
    return [*parties, *named]


def _export_organisation(org: Organisation) -> dict:
    return {"key": org.key, "name": org.name, "short_name": org.short_name, "kind": org.kind}


def _export_agreement(agreement: Agreement) -> dict:
    data = {
        "slug": agreement.slug,
        "name": agreement.name,
        "pilot_name": agreement.pilot_name,
        "signed_on": agreement.signed_on,
        "first_year": agreement.first_year,
        "last_year": agreement.last_year,
        "parties": [p.key for p in agreement.ordered_parties()],
    }
    return data | {name: getattr(agreement, name) for name in AGREEMENT_TEXTS}


def _export_sub_goals(agreement: Agreement) -> list[dict]:
    measures = agreement.measures.select_related("sub_goal").with_organisations().with_sections()
    by_goal: dict[int, list[Measure]] = {}
    for measure in measures:
        by_goal.setdefault(measure.sub_goal_id, []).append(measure)
    return [
        {
            "number": goal.number,
            "title": goal.title,
            "main_goal": goal.main_goal,
            "weight": goal.weight,
            "introduction": goal.introduction,
            "remark": goal.remark,
            "measures": [_export_measure(m) for m in by_goal.get(goal.pk, [])],
        }
        for goal in agreement.sub_goals.all()
    ]


def _export_measure(measure: Measure) -> dict:
    if measure.at_next_revision:
        timeframe: Any = "next_revision"
    else:
        timeframe = {"start": measure.start_year, "end": measure.end_year}
    return {
        "key": measure.key,
        "number": measure.number,
        "title": measure.title,
        "tagline": measure.tagline,
        "leads": [o.key for o in measure.leads()],
        "leads_more": measure.leads_more,
        "partners": [o.key for o in measure.partners()],
        "partners_more": measure.partners_more,
        "timeframe": timeframe,
        "priority": None if measure.priority == Measure.Priority.NOW else measure.priority,
        "status": None if measure.status == Measure.Status.ACTIVE else measure.status,
        "closed_on": measure.closed_on,
        "sections": [
            {
                "kind": None if s.kind == Section.Kind.OTHER else s.kind,
                "heading": s.heading,
                "body": s.body,
            }
            for s in measure.sections.all()
        ],
    }


def _export_budget(agreement: Agreement) -> dict:
    lines = list(agreement.budget_lines.select_related("sub_goal"))
    amounts: dict = {}
    for amount in (
        Amount.objects.filter(line__agreement=agreement)
        .select_related("line", "source")
        .order_by("line__number", "year", "source__position")
    ):
        amounts.setdefault(amount.line.key, {}).setdefault(amount.year, {})[amount.source.key] = (
            amount.kroner
        )
    return {
        "lines": [
            {
                "key": line.key,
                "number": line.number,
                "title": line.title,
                "sub_goal": line.sub_goal.number if line.sub_goal else None,
            }
            for line in lines
        ],
        "sources": [
            {"key": s.key, "name": s.name, "state_cofinancing": s.is_state_cofinancing or None}
            for s in agreement.funding_sources.all()
        ],
        "amounts": amounts,
        "footnotes": [
            {
                "table": f.table,
                "year": f.year,
                "marker": f.marker,
                "line": f.line.key if f.line else None,
                "column": int(f.column) if f.column.isdigit() else f.column,
                "text": f.text,
            }
            for f in agreement.footnotes.select_related("line").order_by("pk")
        ],
    }


def _export_revisions(agreement: Agreement) -> list[dict]:
    revisions = agreement.revisions.order_by("year").prefetch_related("approvals__organisation")
    return [
        {
            "year": r.year,
            "status": r.status,
            "approvals": [
                {
                    "organisation": a.organisation.key,
                    "body": a.body,
                    "planned_on": a.planned_on,
                    "decided_on": a.decided_on,
                    "decision": a.decision,
                    "case_reference": a.case_reference,
                }
                for a in sorted(r.approvals.all(), key=_approval_order)
            ],
        }
        for r in revisions
    ]


def _approval_order(approval: Approval) -> tuple:
    bodies = list(Approval.Body.values)
    return (approval.organisation.key, bodies.index(approval.body))


def _drop_empty(value: Any) -> Any:
    """Leave out optional keys with no value, so the file holds only what the plan says."""
    if isinstance(value, dict):
        kept = {k: _drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


class _PlanDumper(yaml.SafeDumper):
    """Long and multi-line texts as literal blocks, so Markdown reads as written."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    if "\n" in text or len(text) > 80:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text + "\n", style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_PlanDumper.add_representer(str, _represent_text)
