"""Readable change logs from the history records: who, when, which fields, old → new.

Consecutive history rows of the same object are paired in Python (not with `prev_record`,
which costs a query per row), so a log costs a fixed number of queries however long it is.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from django.db import models
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
    # The plan's own bookkeeping, which a reader never sees: the address key, the agreement.
    "key",
    "agreement_id",
    "measure_id",
}
# A change of these alone is a move, said as «flytta» without numbers.
POSITION_FIELDS = {"position"}
ACTIONS = {"+": gettext_lazy("oppretta"), "~": gettext_lazy("endra"), "-": gettext_lazy("sletta")}
# A text change shows this many unchanged words on each side of the changed ones; a new text
# its first words.
FOLD_CONTEXT = 6
NEW_TEXT_WORDS = 30
# How many entries a page shows before it links to the whole log.
CHANGELOG_ON_PAGE = 10


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after, as a reader knows them; `diff` marks words in texts.

    The change logs (history rows) and a revision's change list (two snapshots) both use it.
    """

    label: str
    old: str
    new: str
    diff: SafeString | None = None


def counted_measures(count: int) -> str:
    return ngettext("%(n)d tiltak", "%(n)d tiltak", count) % {"n": count}


def counted_sections(count: int) -> str:
    return ngettext("%(n)d tekstseksjon", "%(n)d tekstseksjonar", count) % {"n": count}


def counted_organisations(count: int) -> str:
    return ngettext("%(n)d organisasjon", "%(n)d organisasjonar", count) % {"n": count}


def counted_changes(count: int) -> str:
    return ngettext("%(n)d endring", "%(n)d endringar", count) % {"n": count}


@dataclass
class Entry:
    """One saved change: what object, by whom, when, and its field changes.

    `imported` marks an object created by the plan file's import (no user), which the log
    summarises rather than listing every text it brought.
    """

    when: datetime
    who: str
    action: str
    subject: str
    changes: list[FieldChange] = field(default_factory=list)
    noun: Callable[[int], str] = counted_changes
    imported: bool = False


def entries_for(
    records: list[models.Model], subject, display=None, noun=counted_changes
) -> list[Entry]:
    """Turn history rows of one model into entries; `subject(record)` names the object.

    `display(field name, value)`, if given, shows a value the field alone cannot: a related
    row's name, an amount of money (which only the budget knows how to write). `noun` counts
    the rows in an import's summary («14 tiltak»).
    """
    entries = []
    ordered = sorted(records, key=lambda r: (_object_id(r), r.history_date, r.history_id))
    for _object, rows in groupby(ordered, key=_object_id):
        previous = None
        for record in rows:
            action = str(ACTIONS[record.history_type])
            if record.history_type == "~":
                changes = _changes(previous, record, display)
                if not changes and _moved(previous, record):
                    action = _("flytta")
            elif record.history_type == "+":
                changes = _initial_values(record, display)
            else:
                changes = []
            if record.history_type != "~" or changes or action != ACTIONS["~"]:
                entries.append(
                    Entry(
                        when=record.history_date,
                        who=_who(record),
                        action=action,
                        subject=subject(record),
                        changes=changes,
                        noun=noun,
                        imported=record.history_type == "+" and record.history_user_id is None,
                    )
                )
            previous = record
    return entries


def newest_first(*groups: list[Entry]) -> list[Entry]:
    """The entries of every group, newest first, an import's creations summed up in one."""
    entries = sorted((e for group in groups for e in group), key=lambda e: e.when, reverse=True)
    return summarised_imports(entries)


def summarised_imports(entries: list[Entry]) -> list[Entry]:
    """Each run of objects created by an import as one entry: «Importert frå planfil: …»."""
    result: list[Entry] = []
    run: list[Entry] = []
    for entry in [*entries, None]:
        if entry is not None and entry.imported:
            run.append(entry)
            continue
        if run:
            result.append(_import_summary(run))
            run = []
        if entry is not None:
            result.append(entry)
    return result


def _import_summary(run: list[Entry]) -> Entry:
    counts: dict[Callable[[int], str], int] = {}
    for entry in reversed(run):  # oldest first: in the order the import created them
        counts[entry.noun] = counts.get(entry.noun, 0) + 1
    return Entry(
        when=run[0].when,
        who="",
        action=_("Importert frå planfil:"),
        subject=", ".join(noun(count) for noun, count in counts.items()),
    )


def page_of(entries: list[Entry]) -> dict:
    """The newest entries a page shows, and whether there are more."""
    return {
        "entries": entries[:CHANGELOG_ON_PAGE],
        "more_entries": len(entries) > CHANGELOG_ON_PAGE,
    }


def _object_id(record) -> int:
    return record.id


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("systemet (import)")
    return user.get_full_name() or user.username


def _changes(previous, record, display) -> list[FieldChange]:
    if previous is None:
        return []
    changes = []
    for model_field in record.instance_type._meta.concrete_fields:
        name = model_field.attname
        if name in HIDDEN_FIELDS or name in POSITION_FIELDS or not hasattr(record, name):
            continue
        old, new = getattr(previous, name), getattr(record, name)
        if old == new:
            continue
        label = str(model_field.verbose_name)
        old_text, new_text = _shown(model_field, old, display), _shown(model_field, new, display)
        diff = None
        if model_field.name in TEXT_FIELDS:
            diff = word_diff(old_text, new_text, context=FOLD_CONTEXT)
        changes.append(FieldChange(label.capitalize(), old_text, new_text, diff))
    return changes


def _moved(previous, record) -> bool:
    """Whether only the object's place among its siblings changed."""
    return previous is not None and any(
        getattr(previous, name, None) != getattr(record, name, None) for name in POSITION_FIELDS
    )


def _initial_values(record, display) -> list[FieldChange]:
    """What a new object was created with, as changes from nothing."""
    changes = []
    for model_field in record.instance_type._meta.concrete_fields:
        name = model_field.attname
        if name in HIDDEN_FIELDS or name in POSITION_FIELDS:
            continue
        value = getattr(record, name, None)
        if value in (None, "", False) or model_field.is_relation:
            continue
        new_text = _shown(model_field, value, display)
        if model_field.name in TEXT_FIELDS:
            new_text = Truncator(new_text).words(NEW_TEXT_WORDS, truncate=" …")
        changes.append(FieldChange(str(model_field.verbose_name).capitalize(), "–", new_text))
    return changes


def _shown(model_field, value, display) -> str:
    """A value as a reader knows it: a choice's label, an organisation's name, '–' for nothing."""
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nei")
    if isinstance(value, datetime):
        return formats.date_format(value, "d.m.Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "d.m.Y")
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
        return _("seksjonen «%(heading)s»") % {"heading": heading}

    def involvement_subject(record) -> str:
        role = Involvement.Role(record.role).label.lower()
        name = org_names.get(record.organisation_id) or _("Organisasjon")
        return _("%(organisation)s som %(role)s") % {"organisation": name, "role": role}

    return newest_first(
        entries_for(
            list(Measure.history.filter(id=measure.pk).select_related("history_user")),
            lambda r: _("tiltaket"),
            display,
            counted_measures,
        ),
        entries_for(
            list(Section.history.filter(measure_id=measure.pk).select_related("history_user")),
            section_subject,
            display,
            counted_sections,
        ),
        entries_for(
            involvement_rows,
            involvement_subject,
            display,
            counted_organisations,
        ),
    )
