"""The change list as readers read it: each measure with the reason or the assessment written
for it, in plain data. The revision page, the PDF's section 2.1 and the public pages show it
through one template (reporting/_changes.html), and the public JSON is its fields."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.safestring import mark_safe

from budget.money import as_kroner, as_kroner_change

from .changes import ChangeList
from .marks import closed_label


@dataclass
class ExplainedFieldChange:
    label: str
    old: str
    new: str
    # A text's words with the removed and added ones marked (safe HTML), else "".
    diff: str


@dataclass
class ExplainedChange:
    """A measure in the change list: new (with its description), changed (field by field, with
    the reason) or closed (with its date and the assessment of what it achieved)."""

    key: str
    code: str
    title: str
    description_html: str = ""
    fields: list[ExplainedFieldChange] = field(default_factory=list)
    reason: str = ""
    closed_on: datetime.date | None = None
    removed: bool = False
    assessment: str = ""

    @property
    def closed_mark(self) -> str:
        """«Avslutta 01.03.2026», as every mark of a closed measure says it."""
        return closed_label(self.closed_on)


@dataclass
class ExplainedAmountChange:
    label: str
    old: int | None
    new: int | None
    difference: int
    is_sum: bool

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
class ExplainedChanges:
    """What changed since the plan approved before this one (base_year None: the first)."""

    base_year: int | None
    new: list[ExplainedChange]
    changed: list[ExplainedChange]
    closed: list[ExplainedChange]
    sub_goals: list[tuple[str, list[ExplainedFieldChange]]]
    budget: list[ExplainedAmountChange]

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.changed or self.closed or self.sub_goals or self.budget)


def explain(changes: ChangeList | None, notes: dict[str, str], base_year: int | None):
    """The change list with the words written for each measure (`notes`: text by measure key);
    none before the period's first plan, where everything is new."""
    if changes is None or base_year is None:
        return ExplainedChanges(None, [], [], [], [], [])
    return ExplainedChanges(
        base_year=base_year,
        new=[ExplainedChange(m.key, m.code, m.title, str(m.description)) for m in changes.new],
        changed=[
            ExplainedChange(
                m.key, m.code, m.title, fields=_fields(m.changes), reason=notes.get(m.key, "")
            )
            for m in changes.changed
        ],
        closed=[
            ExplainedChange(
                m.key,
                m.code,
                m.title,
                closed_on=_date(m.closed_on),
                removed=m.removed,
                assessment=notes.get(m.key, ""),
            )
            for m in changes.closed
        ],
        sub_goals=[(str(title), _fields(fields)) for title, fields in changes.sub_goals],
        budget=[
            ExplainedAmountChange(str(c.label), c.old, c.new, c.difference, c.is_sum)
            for c in changes.budget_rows
        ],
    )


def _fields(changes) -> list[ExplainedFieldChange]:
    return [
        ExplainedFieldChange(str(c.label), c.old, c.new, mark_safe(c.diff) if c.diff else "")
        for c in changes
    ]


def _date(value) -> datetime.date | None:
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value
