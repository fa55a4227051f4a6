"""The change list of a revision: what differs between two frozen plans.

Pure functions on snapshot plans (the plan file's data, see plan_data.living), so that
the comparison can be tested on its own. Measures are matched by their key, never by number:
a renumbered or moved measure is changed, not closed and new.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.money import as_kroner, as_kroner_change
from measures.changelog import FieldChange, word_diff
from measures.markdown import markdown_text, render_markdown
from reporting.plan_data.labels import people, section_heading, unsaved_measure

# Unchanged words kept on each side of a change in a long text; the rest is cut to "…".
DIFF_CONTEXT = 12
# Sub-goal fields written in Markdown, compared as the text a reader reads.
SUB_GOAL_TEXTS = {"main_goal", "introduction", "remark", "title"}

SUB_GOAL_FIELDS = {
    "title": gettext_lazy("Tittel"),
    "main_goal": gettext_lazy("Hovudmål"),
    "weight": gettext_lazy("Vekting (%)"),
    "introduction": gettext_lazy("Innleiing"),
    "remark": gettext_lazy("Merknad"),
}


@dataclass
class MeasureChange:
    """One measure in the change list; `changes` is empty for new and closed ones.

    A new one carries its description (Markdown, rendered when shown: a first plan's change
    list shows none of them), a closed one its closing date (ISO).
    """

    key: str
    code: str
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    removed: bool = False
    description_source: str = ""
    closed_on: str | None = None

    @property
    def description(self) -> str:
        """The description as safe HTML."""
        return render_markdown(self.description_source) if self.description_source else ""


@dataclass(frozen=True)
class AmountChange:
    """A budget amount before and after (whole kroner), or a sum of amounts (no source)."""

    label: str
    old: int | None
    new: int | None
    line: str = ""
    year: str = ""
    source: str = ""

    @property
    def is_sum(self) -> bool:
        return not self.source

    @property
    def difference(self) -> int:
        return (self.new or 0) - (self.old or 0)

    @property
    def old_kroner(self) -> str:
        return as_kroner(self.old)

    @property
    def new_kroner(self) -> str:
        return as_kroner(self.new)

    @property
    def difference_kroner(self) -> str:
        return as_kroner_change(self.difference)


@dataclass
class ChangeList:
    new: list[MeasureChange] = field(default_factory=list)
    changed: list[MeasureChange] = field(default_factory=list)
    closed: list[MeasureChange] = field(default_factory=list)
    sub_goals: list[tuple[str, list[FieldChange]]] = field(default_factory=list)
    # Changed amounts in plan order (line, year, source), each line's sums after its amounts,
    # then the sum of each changed year.
    budget_rows: list[AmountChange] = field(default_factory=list)

    @property
    def budget(self) -> list[AmountChange]:
        """The changed amounts themselves, without the sums."""
        return [row for row in self.budget_rows if not row.is_sum]

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
            result.new.append(_entry(measure, description=_description(measure)))
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
    result.budget_rows = _budget_changes(old, new)
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


def _entry(
    measure: dict, changes: list | None = None, removed: bool = False, description: str = ""
) -> MeasureChange:
    code = f"{measure['goal_number']}.{measure['number']}"
    return MeasureChange(
        measure["key"],
        code,
        measure["title"],
        changes or [],
        removed,
        description,
        measure.get("closed_on") if measure["status"] == "closed" else None,
    )


def _description(measure: dict) -> str:
    """A new measure's description (Markdown): its "Skildring" section, else its tagline."""
    for section in measure.get("sections", []):
        if section.get("kind") == "description":
            return section["body"]
    return measure.get("tagline", "")


def text_change(label: str, old: str, new: str) -> FieldChange:
    """A change of a Markdown text as the reader reads it: both sides rendered to text, the
    words removed and added marked, long unchanged stretches cut."""
    old_text, new_text = markdown_text(old), markdown_text(new)
    if old_text == new_text:
        note = _("Berre formateringa er endra.")
        return FieldChange(label, old_text, new_text, word_diff(note, note))
    return FieldChange(label, old_text, new_text, word_diff(old_text, new_text, DIFF_CONTEXT))


def _measure_changes(old: dict, new: dict, old_names: dict, new_names: dict) -> list[FieldChange]:
    involved = [*new.get("leads", []), *new.get("partners", [])]
    if old == new and all(old_names.get(key) == new_names.get(key) for key in involved):
        return []  # the common case, and the cheap one: nothing to word
    before, after = unsaved_measure(old), unsaved_measure(new)
    pairs = [
        (
            _("Delmål"),
            f"{old['goal_number']}. {old['goal_title']}",
            f"{new['goal_number']}. {new['goal_title']}",
        ),
        (_("Nummer"), str(old["number"]), str(new["number"])),
        (_("Tittel"), old["title"], new["title"]),
        (_("Undertittel"), old.get("tagline", ""), new.get("tagline", "")),
        (_("Tidsramme"), before.timeframe, after.timeframe),
        (_("Prioritet"), before.get_priority_display(), after.get_priority_display()),
        (_("Status"), before.get_status_display(), after.get_status_display()),
        (_("Hovudansvarleg"), people(old, "leads", old_names), people(new, "leads", new_names)),
        (
            _("Samarbeidspartar"),
            people(old, "partners", old_names),
            people(new, "partners", new_names),
        ),
    ]
    changes = [
        text_change(label, a, b) if index in (2, 3) else FieldChange(label, a, b)
        for index, (label, a, b) in enumerate(pairs)
        if a != b
    ]
    return changes + _section_changes(old.get("sections", []), new.get("sections", []))


def _section_changes(old: list[dict], new: list[dict]) -> list[FieldChange]:
    before, after = _sections_by_name(old), _sections_by_name(new)
    changes = []
    for name in [*after, *(n for n in before if n not in after)]:
        old_body, new_body = before.get(name, ""), after.get(name, "")
        if old_body != new_body:
            changes.append(text_change(_("Tekst: %(name)s") % {"name": name}, old_body, new_body))
    return changes


def _sections_by_name(sections: list[dict]) -> dict[str, str]:
    """Sections by the name a reader knows them by: the heading, or the standard kind's."""
    named: dict[str, str] = {}
    for index, section in enumerate(sections):
        name = section_heading(section) or _("Avsnitt %(number)s") % {"number": index + 1}
        while name in named:
            name = _("%(name)s (fleire)") % {"name": name}
        named[name] = section["body"]
    return named


def _sub_goal_changes(old: dict, new: dict) -> list[tuple[str, list[FieldChange]]]:
    before = {g["number"]: g for g in old.get("sub_goals", [])}
    result = []
    for goal in new.get("sub_goals", []):
        previous = before.get(goal["number"], {})
        changes = [
            (text_change if name in SUB_GOAL_TEXTS else FieldChange)(
                str(label), str(previous.get(name, "")), str(goal.get(name, ""))
            )
            for name, label in SUB_GOAL_FIELDS.items()
            if str(previous.get(name, "")) != str(goal.get(name, ""))
        ]
        if changes:
            title = _("Delmål %(number)s: %(title)s") % {
                "number": goal["number"],
                "title": goal["title"],
            }
            result.append((title, changes))
    return result


def _budget_changes(old: dict, new: dict) -> list[AmountChange]:
    """Changed amounts in plan order, each changed line's sums (per changed year, and over the
    whole period) after its amounts, then the sum of every line and source in each changed year.

    Those sums count every source, as section 7 does, and say so. Where the state's
    co-financing changed, its sums follow: the line's over the period and every line's in the
    year, the numbers section 6 (the state's money only) shows.
    """
    before, after = _amounts(old), _amounts(new)
    lines, sources = _in_plan_order(old, new, "lines"), _in_plan_order(old, new, "sources")
    for line, _year, source in sorted(before.keys() | after.keys()):  # named nowhere: by key, last
        lines.setdefault(line, line)
        sources.setdefault(source, source)
    years = sorted({year for _, year, _ in before.keys() | after.keys()}, key=int)
    state = _state_source(old, new)
    rows, changed_years, state_years = [], [], []
    for line, title in lines.items():
        line_years, line_state_years = [], []
        for year in years:
            for source, name in sources.items():
                was, now = before.get((line, year, source)), after.get((line, year, source))
                if was != now:
                    label = f"{title}, {year}, {name}"
                    rows.append(AmountChange(label, was, now, title, year, name))
                    line_years += [year] if year not in line_years else []
                    if source == state and year not in line_state_years:
                        line_state_years.append(year)
        for year in line_years:
            label = _("Sum %(line)s, %(year)s, alle kjelder") % {"line": title, "year": year}
            rows.append(_sum(label, before, after, (line, title), year))
        if line_years:
            label = _("Sum %(line)s, heile perioden, alle kjelder") % {"line": title}
            rows.append(_sum(label, before, after, (line, title)))
        if line_state_years:
            label = _("Sum %(line)s, heile perioden, statleg medfinansiering") % {"line": title}
            rows.append(_sum(label, before, after, (line, title), source=state))
        changed_years += [year for year in line_years if year not in changed_years]
        state_years += [year for year in line_state_years if year not in state_years]
    for year in sorted(changed_years, key=int):
        label = _("Sum alle liner, %(year)s, alle kjelder") % {"year": year}
        rows.append(_sum(label, before, after, ("", ""), year))
    for year in sorted(state_years, key=int):
        label = _("Sum alle liner, %(year)s, statleg medfinansiering") % {"year": year}
        rows.append(_sum(label, before, after, ("", ""), year, source=state))
    return rows


def _state_source(old: dict, new: dict) -> str:
    """The key of the state's co-financing source (KDD 13.50 post 66), or "" if none."""
    for plan in (new, old):
        for source in plan.get("budget", {}).get("sources", []):
            if source.get("state_cofinancing"):
                return source["key"]
    return ""


def _sum(
    label: str,
    before: dict,
    after: dict,
    line: tuple[str, str],
    year: str = "",
    source: str = "",
) -> AmountChange:
    """The sum of one line's amounts (key, title; or every line's), in one year or all, from
    one source or all."""
    key, title = line

    def total(cells: dict) -> int:
        return sum(
            kroner
            for (cell_line, cell_year, cell_source), kroner in cells.items()
            if key in ("", cell_line) and year in ("", cell_year) and source in ("", cell_source)
        )

    return AmountChange(label, total(before), total(after), title, year)


def _in_plan_order(old: dict, new: dict, part: str) -> dict[str, str]:
    """The budget's lines or sources by key, with their names: the new plan's order first,
    then any the new plan no longer has."""
    found: dict[str, str] = {}
    for plan in (new, old):
        for row in plan.get("budget", {}).get(part, []):
            found.setdefault(row["key"], row.get("title") or row.get("name") or row["key"])
    return found


def _amounts(plan: dict) -> dict[tuple[str, str, str], int]:
    """Every amount of the plan by (line key, year, source key)."""
    return {
        (line, str(year), source): kroner
        for line, years in plan.get("budget", {}).get("amounts", {}).items()
        for year, cells in years.items()
        for source, kroner in cells.items()
    }
