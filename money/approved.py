"""The approved budget: what the plan KDD approved for a year holds, read from its snapshot.

The approved plans are reporting's revisions, and reporting builds on money, so money reads
them through the agreement's relation and names the approved status by its value, as
budget/views.py does.
"""

from __future__ import annotations

from dataclasses import dataclass

from budget.models import BudgetLine, FundingSource
from measures.models import Agreement

# reporting.revision.models.Revision.Status.APPROVED
APPROVED = "approved"


@dataclass(frozen=True)
class ApprovedBudget:
    """The budget of one approved plan: line key → year → source key → kroner."""

    year: int
    amounts: dict
    state_key: str | None

    @classmethod
    def from_snapshot(cls, year: int, budget: dict | None) -> ApprovedBudget:
        budget = budget or {}
        state = next(
            (s["key"] for s in budget.get("sources", []) if s.get("state_cofinancing")), None
        )
        return cls(year, budget.get("amounts", {}), state)

    def cells(
        self, year: int, lines: list[BudgetLine], sources: list[FundingSource]
    ) -> dict[tuple[int, int], int]:
        """The year's amounts as (line id, source id) → kroner, for the living lines and
        sources that carry the snapshot's keys."""
        found = {}
        for line in lines:
            row = self.amounts.get(line.key, {}).get(str(year), {})
            for source in sources:
                if row.get(source.key):
                    found[(line.pk, source.pk)] = row[source.key]
        return found

    def state_total(self, year: int | None = None) -> int:
        """The state co-financing the plan holds for a year, or for the whole period."""
        if self.state_key is None:
            return 0
        return sum(
            cells.get(self.state_key, 0)
            for years in self.amounts.values()
            for each, cells in years.items()
            if year is None or each == str(year)
        )


def approved_budgets(agreement_ids: list[int]) -> dict[int, dict[int, ApprovedBudget]]:
    """Every approved plan's budget, agreement id → year → budget, in one query."""
    revisions = Agreement._meta.get_field("revisions").related_model.objects
    rows = revisions.filter(agreement_id__in=agreement_ids, status=APPROVED).values_list(
        "agreement_id", "year", "snapshot__plan__budget"
    )
    found: dict[int, dict[int, ApprovedBudget]] = {pk: {} for pk in agreement_ids}
    for agreement_id, year, budget in rows:
        found[agreement_id][year] = ApprovedBudget.from_snapshot(year, budget)
    return found


def approved_budget(agreement: Agreement, year: int) -> ApprovedBudget | None:
    """The budget of the plan KDD approved for the year, or None."""
    return approved_budgets([agreement.pk])[agreement.pk].get(year)
