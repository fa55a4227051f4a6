"""The change list of a revision: what differs between two frozen plans.

Pure functions on snapshot plans (the plan file's data, see plan_file.living_plan), so that
the comparison can be tested on its own. Measures are matched by their key, never by number:
a renumbered or moved measure is changed, not closed and new.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budget.money import as_kroner
from measures.changelog import FieldChange
from reporting.plan_file.labels import people, section_heading, unsaved_measure

SUB_GOAL_FIELDS = {
    "title": "Tittel",
    "main_goal": "Hovudmål",
    "weight": "Vekting (%)",
    "introduction": "Innleiing",
    "remark": "Merknad",
}


@dataclass
class MeasureChange:
    """One measure in the change list; `changes` is empty for new and closed ones."""

    key: str
    code: str
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    removed: bool = False


@dataclass
class ChangeList:
    new: list[MeasureChange] = field(default_factory=list)
    changed: list[MeasureChange] = field(default_factory=list)
    closed: list[MeasureChange] = field(default_factory=list)
    sub_goals: list[tuple[str, list[FieldChange]]] = field(default_factory=list)
    budget: list[FieldChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.changed or self.closed or self.sub_goals or self.budget)


def compare(old: dict | None, new: dict) -> ChangeList:
    """What changed from the `old` plan to the `new` one (old None: everything is new)."""
    old = old or {}
    before, after = _measures(old), _measures(new)
    result = ChangeList()
    for key, measure in after.items():
        previous = before.get(key)
        if previous is None:
            result.new.append(_entry(measure))
        elif measure["status"] == "closed" and previous["status"] != "closed":
            result.closed.append(_entry(measure))
        else:
            changes = _measure_changes(previous, measure, _names(old), _names(new))
            if changes:
                result.changed.append(_entry(measure, changes))
    for key, measure in before.items():
        if key not in after and measure["status"] != "closed":
            result.closed.append(_entry(measure, removed=True))
    result.sub_goals = _sub_goal_changes(old, new)
    result.budget = _budget_changes(old, new)
    return result


def _measures(plan: dict) -> dict[str, dict]:
    """Every measure of the plan by key, with its sub-goal's number and title beside it."""
    found = {}
    for goal in plan.get("sub_goals", []):
        for measure in goal.get("measures", []):
            found[measure["key"]] = {
                **measure,
                "status": measure.get("status", "active"),
                "goal_number": goal["number"],
                "goal_title": goal["title"],
            }
    return found


def _names(plan: dict) -> dict[str, str]:
    return {org["key"]: org["name"] for org in plan.get("organisations", [])}


def _entry(measure: dict, changes: list | None = None, removed: bool = False) -> MeasureChange:
    code = f"{measure['goal_number']}.{measure['number']}"
    return MeasureChange(measure["key"], code, measure["title"], changes or [], removed)


def _measure_changes(old: dict, new: dict, old_names: dict, new_names: dict) -> list[FieldChange]:
    before, after = unsaved_measure(old), unsaved_measure(new)
    pairs = [
        (
            "Delmål",
            f"{old['goal_number']}. {old['goal_title']}",
            f"{new['goal_number']}. {new['goal_title']}",
        ),
        ("Nummer", str(old["number"]), str(new["number"])),
        ("Tittel", old["title"], new["title"]),
        ("Undertittel", old.get("tagline", ""), new.get("tagline", "")),
        ("Tidsramme", before.timeframe, after.timeframe),
        ("Prioritet", before.get_priority_display(), after.get_priority_display()),
        ("Status", before.get_status_display(), after.get_status_display()),
        ("Hovudansvarleg", people(old, "leads", old_names), people(new, "leads", new_names)),
        (
            "Samarbeidspartar",
            people(old, "partners", old_names),
            people(new, "partners", new_names),
        ),
    ]
    changes = [FieldChange(label, a, b) for label, a, b in pairs if a != b]
    return changes + _section_changes(old.get("sections", []), new.get("sections", []))


def _section_changes(old: list[dict], new: list[dict]) -> list[FieldChange]:
    before, after = _sections_by_name(old), _sections_by_name(new)
    changes = []
    for name in [*after, *(n for n in before if n not in after)]:
        old_body, new_body = before.get(name, ""), after.get(name, "")
        if old_body != new_body:
            changes.append(FieldChange(f"Tekst: {name}", old_body, new_body))
    return changes


def _sections_by_name(sections: list[dict]) -> dict[str, str]:
    """Sections by the name a reader knows them by: the heading, or the standard kind's."""
    named: dict[str, str] = {}
    for index, section in enumerate(sections):
        name = section_heading(section) or f"Avsnitt {index + 1}"
        while name in named:
            name = f"{name} (fleire)"
        named[name] = section["body"]
    return named


def _sub_goal_changes(old: dict, new: dict) -> list[tuple[str, list[FieldChange]]]:
    before = {g["number"]: g for g in old.get("sub_goals", [])}
    result = []
    for goal in new.get("sub_goals", []):
        previous = before.get(goal["number"], {})
        changes = [
            FieldChange(label, str(previous.get(name, "")), str(goal.get(name, "")))
            for name, label in SUB_GOAL_FIELDS.items()
            if str(previous.get(name, "")) != str(goal.get(name, ""))
        ]
        if changes:
            result.append((f"Delmål {goal['number']}: {goal['title']}", changes))
    return result


def _budget_changes(old: dict, new: dict) -> list[FieldChange]:
    before, after = _amounts(old), _amounts(new)
    changes = []
    for cell in sorted(set(before) | set(after)):
        if before.get(cell) != after.get(cell):
            label = f"{cell[0]}, {cell[1]}, {cell[2]}"
            old, new = as_kroner(before.get(cell)), as_kroner(after.get(cell))
            changes.append(FieldChange(label, old, new))
    return changes


def _amounts(plan: dict) -> dict[tuple[str, str, str], int]:
    budget = plan.get("budget", {})
    lines = {line["key"]: line["title"] for line in budget.get("lines", [])}
    sources = {source["key"]: source["name"] for source in budget.get("sources", [])}
    return {
        (lines.get(line, line), str(year), sources.get(source, source)): kroner
        for line, years in budget.get("amounts", {}).items()
        for year, cells in years.items()
        for source, kroner in cells.items()
    }
