"""Readable change logs from the history records: who, when, which fields, old → new.

Consecutive history rows of the same object are paired in Python (not with `prev_record`,
which costs a query per row), so a log costs a fixed number of queries however long it is.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from django.db import models
from django.utils.safestring import SafeString, mark_safe

# Fields shown as a word diff rather than as old → new.
TEXT_FIELDS = {
    "body",
    "introduction",
    "framework",
    "priorities",
    "organisation_text",
    "anchoring_text",
    "main_goal",
    "remark",
}
HIDDEN_FIELDS = {
    "id",
    "version",
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
}
ACTIONS = {"+": "oppretta", "~": "endra", "-": "sletta"}


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after, as a reader knows them; `diff` marks words in texts.

    The change logs (history rows) and a revision's change list (two snapshots) both use it.
    """

    label: str
    old: str
    new: str
    diff: SafeString | None = None


@dataclass
class Entry:
    """One saved change: what object, by whom, when, and its field changes."""

    when: datetime
    who: str
    action: str
    subject: str
    changes: list[FieldChange] = field(default_factory=list)


def entries_for(records: list[models.Model], subject, display=None) -> list[Entry]:
    """Turn history rows of one model into entries; `subject(record)` names the object.

    `display(field name, value)`, if given, shows a value the field alone cannot: a related
    row's name, an amount of money (which only the budget knows how to write).
    """
    entries = []
    ordered = sorted(records, key=lambda r: (_object_id(r), r.history_date, r.history_id))
    for _, rows in groupby(ordered, key=_object_id):
        previous = None
        for record in rows:
            if record.history_type == "~":
                changes = _changes(previous, record, display)
            elif record.history_type == "+":
                changes = _initial_values(record, display)
            else:
                changes = []
            if record.history_type != "~" or changes:
                entries.append(
                    Entry(
                        when=record.history_date,
                        who=_who(record),
                        action=ACTIONS[record.history_type],
                        subject=subject(record),
                        changes=changes,
                    )
                )
            previous = record
    return entries


def newest_first(*groups: list[Entry]) -> list[Entry]:
    return sorted((e for group in groups for e in group), key=lambda e: e.when, reverse=True)


def _object_id(record) -> int:
    return record.id


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "systemet (import)"
    return user.get_full_name() or user.username


def _changes(previous, record, display) -> list[FieldChange]:
    if previous is None:
        return []
    changes = []
    for model_field in record.instance_type._meta.concrete_fields:
        name = model_field.attname
        if name in HIDDEN_FIELDS or not hasattr(record, name):
            continue
        old, new = getattr(previous, name), getattr(record, name)
        if old == new:
            continue
        label = str(model_field.verbose_name)
        old_text, new_text = _shown(model_field, old, display), _shown(model_field, new, display)
        diff = word_diff(old_text, new_text) if model_field.name in TEXT_FIELDS else None
        changes.append(FieldChange(label.capitalize(), old_text, new_text, diff))
    return changes


def _initial_values(record, display) -> list[FieldChange]:
    """What a new object was created with, as changes from nothing."""
    changes = []
    for model_field in record.instance_type._meta.concrete_fields:
        name = model_field.attname
        if name in HIDDEN_FIELDS or name in ("position", "measure_id", "agreement_id"):
            continue
        value = getattr(record, name, None)
        if value in (None, "", False) or model_field.is_relation:
            continue
        new_text = _shown(model_field, value, display)
        diff = word_diff("", new_text) if model_field.name in TEXT_FIELDS else None
        changes.append(FieldChange(str(model_field.verbose_name).capitalize(), "–", new_text, diff))
    return changes


def _shown(model_field, value, display) -> str:
    """A value as a reader knows it: a choice's label, an organisation's name, '–' for nothing."""
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if display:
        return display(model_field.name, value)
    return str(value)


def word_diff(old: str, new: str, context: int | None = None) -> SafeString:
    """Words removed as <del>, words added as <ins>; everything else escaped.

    Line breaks are words of their own (shown where the text is set `white-space: pre-line`).
    With `context`, unchanged runs keep only that many words beside each change, "…" between.
    """
    old_words, new_words = _words(old), _words(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            run = old_words[a1:a2]
            if context is not None:
                run = _shortened(run, context, first=a1 == 0, last=a2 == len(old_words))
            parts.append(html.escape(" ".join(run)))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{html.escape(' '.join(old_words[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{html.escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(parts))


def _words(text: str) -> list[str]:
    return re.findall(r"\n+|[^ \n]+", text)


def _shortened(run: list[str], context: int, *, first: bool, last: bool) -> list[str]:
    """An unchanged run of words cut to `context` words beside the changes around it."""
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(run) <= keep_head + keep_tail + 1:
        return run
    head, tail = run[:keep_head], run[len(run) - keep_tail :] if keep_tail else []
    return [*head, "…", *tail]


def measure_changelog(measure) -> list[Entry]:
    """Every change to a measure, its texts and its organisations, newest first."""
    from .models import Involvement, Measure, Organisation, Section

    goals = {goal.pk: str(goal) for goal in measure.agreement.sub_goals.all()}
    involvement_rows = list(
        Involvement.history.filter(measure_id=measure.pk).select_related("history_user")
    )
    org_names = dict(
        Organisation.objects.filter(
            pk__in={r.organisation_id for r in involvement_rows}
        ).values_list("pk", "name")
    )

    def display(name: str, value) -> str:
        names = {"sub_goal": goals, "organisation": org_names}.get(name, {})
        return names.get(value, str(value))

    def section_subject(record) -> str:
        heading = record.heading or Section.Kind(record.kind).label
        return f"seksjonen «{heading}»"

    def involvement_subject(record) -> str:
        role = Involvement.Role(record.role).label.lower()
        return f"{org_names.get(record.organisation_id, 'Organisasjon')} som {role}"

    return newest_first(
        entries_for(
            list(Measure.history.filter(id=measure.pk).select_related("history_user")),
            lambda r: "tiltaket",
            display,
        ),
        entries_for(
            list(Section.history.filter(measure_id=measure.pk).select_related("history_user")),
            section_subject,
            display,
        ),
        entries_for(involvement_rows, involvement_subject, display),
    )
