"""Shared by the money's tests: the day they run on, 2025's accounts as approved and as spent,
the grid as the browser posts it, a cell change, accounts sent to KDD, a page's main text and
the money's addresses, the audit log's events."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse

from budget.models import BudgetLine, FundingSource
from money import workflow
from money.cells import SpendingChange
from money.models import Accounts

TODAY = datetime.datetime(2026, 2, 16, 10, 0, tzinfo=datetime.UTC)
SLUG = "vest-telemark"
KDD = "kdd-1350-post-66"
MUNICIPAL = "kommunal-eigendel"

# 2025 as spent: as approved, except project management (1 500 000 kr approved) and, until
# KDD asks for it, the municipal share of sub-goal 2.
SPENT = {
    ("delmal-1", KDD): 500_000,
    ("delmal-1", MUNICIPAL): 100_000,
    ("delmal-2", KDD): 200_000,
    ("delmal-3", KDD): 200_000,
    ("delmal-3", MUNICIPAL): 100_000,
    ("prosjektleiing", KDD): 1_275_000,
}
# 2025 as approved (Handlingsplan 2025, section 7).
AS_APPROVED = {**SPENT, ("delmal-2", MUNICIPAL): 100_000, ("prosjektleiing", KDD): 1_500_000}


def grid_data(seed, cells: dict, shown: dict | None = None) -> dict:
    """The grid as the browser posts it: every cell typed as a person writes kroner, and the
    value each was shown with."""
    data = {}
    for line in BudgetLine.objects.filter(agreement=seed):
        for source in FundingSource.objects.filter(agreement=seed):
            kroner = cells.get((line.key, source.key))
            data[f"c-{line.pk}-{source.pk}"] = f"{kroner:,}".replace(",", " ") if kroner else ""
            was = (shown or {}).get((line.key, source.key))
            data[f"o-{line.pk}-{source.pk}"] = str(was) if was else ""
    return data


def cell(seed, line_key: str, source_key: str, new: int | None, old: int | None = None):
    """A change of one cell, from `old` (as the person saw it) to `new`."""
    line = BudgetLine.objects.get(agreement=seed, key=line_key)
    source = FundingSource.objects.get(agreement=seed, key=source_key)
    return SpendingChange(line, source, old, new)


def submit_accounts(seed, owner, spent: dict, year: int = 2025) -> Accounts:
    """The year's accounts entered as `spent` ((line, source): kroner), project management's
    deviation explained, and sent to KDD."""
    changes = [cell(seed, line, source, kroner) for (line, source), kroner in spent.items()]
    workflow.save_spending(agreement=seed, year=year, user=owner, changes=changes)
    leadership = BudgetLine.objects.get(agreement=seed, key="prosjektleiing")
    workflow.save_explanations(
        agreement=seed, year=year, user=owner, texts={leadership.pk: "Starta i april."}
    )
    return workflow.submit(agreement=seed, year=year, user=owner)


def text_of(response) -> str:
    """The page's main text, tags removed and spaces made plain."""
    main = response.text[response.text.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("\xa0", " ")


def audited(caplog) -> list[tuple[str, str]]:
    """(event, user) of every audit record so far: what an operator reads in the audit log."""
    return [
        (record.event, record.user)
        for record in caplog.records
        if record.name == "bygdevekst.audit"
    ]


def url(name: str, *args) -> str:
    return reverse(f"money:{name}", args=[SLUG, *args])
