"""The change log of an agreement's budget: every amount saved, by whom, old → new."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures.changelog import Entry, entries_for, newest_first
from measures.models import Agreement

from .models import Amount, BudgetLine, FundingSource
from .money import as_kroner


def budget_changelog(agreement: Agreement) -> list[Entry]:
    """Every change to the amounts of the agreement's budget, newest first."""
    lines = {line.pk: line.title for line in BudgetLine.history.filter(agreement_id=agreement.pk)}
    sources = {s.pk: s.name for s in FundingSource.history.filter(agreement_id=agreement.pk)}
    records = list(Amount.history.filter(line_id__in=list(lines)).select_related("history_user"))

    def subject(record) -> str:
        line = lines.get(record.line_id) or _("Budsjettline")
        source = sources.get(record.source_id) or _("kjelde")
        return f"{line}, {record.year}, {source}"

    def display(name: str, value) -> str:
        if name == "kroner":
            return as_kroner(value)
        return {"line": lines, "source": sources}.get(name, {}).get(value, str(value))

    return newest_first(entries_for(records, subject, display, counted_amounts))


def counted_amounts(count: int) -> str:
    return ngettext("%(n)d beløp", "%(n)d beløp", count) % {"n": count}
