"""What to look at before a revision is submitted and approved.

The budget's checks (the budget page's own, from budget.tables) for what the revision holds,
and the agreement's texts nobody has touched since the plan was last approved.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from budget.models import Amount, BudgetLine, FundingSource
from budget.tables import BudgetOverview, Check
from measures.models import Agreement, SubGoal
from reporting.plan_data.schema import AGREEMENT_TEXTS

from .models import Revision

# The texts of a sub-goal a revision may need to update, besides its title and weight.
SUB_GOAL_TEXTS = ["main_goal", "introduction", "remark"]


def budget_checks(plan: dict, year: int) -> list[Check]:
    """The budget's checks for the revision's year, of the plan it holds (the living one while
    a draft, the frozen one once submitted): computed as submit() computes them, so the
    failures an editor accepts on the page are the ones submitting finds."""
    return frozen_overview(plan, year).checks


def failed(checks: list[Check]) -> list[Check]:
    return [check for check in checks if not check.ok]


def frozen_overview(plan: dict, year: int) -> BudgetOverview:
    """The budget tables and checks of a frozen plan, from unsaved rows shaped as saved ones."""
    data = plan["agreement"]
    agreement = Agreement(first_year=data["first_year"], last_year=data["last_year"])
    goals = {
        goal["number"]: SubGoal(number=goal["number"], weight=goal["weight"])
        for goal in plan.get("sub_goals", [])
    }
    budget = plan.get("budget", {})
    lines = [
        BudgetLine(
            pk=pk,
            key=line["key"],
            number=line["number"],
            title=line["title"],
            sub_goal=goals.get(line.get("sub_goal")),
        )
        for pk, line in enumerate(budget.get("lines", []), start=1)
    ]
    sources = [
        FundingSource(
            pk=pk,
            key=source["key"],
            name=source["name"],
            is_state_cofinancing=bool(source.get("state_cofinancing")),
        )
        for pk, source in enumerate(budget.get("sources", []), start=1)
    ]
    line_ids = {line.key: line.pk for line in lines}
    source_ids = {source.key: source.pk for source in sources}
    amounts = [
        Amount(line_id=line_ids[line], source_id=source_ids[source], year=int(y), kroner=kroner)
        for line, years in budget.get("amounts", {}).items()
        for y, by_source in years.items()
        for source, kroner in by_source.items()
    ]
    weights = [goal.weight for goal in goals.values()]
    return BudgetOverview.from_rows(agreement, lines, sources, amounts, [], weights, year)


@dataclass
class UneditedText:
    """A text of the plan that reads as it did in the last approved revision."""

    label: str
    edit_url: str


def unedited_texts(revision: Revision, base: Revision | None) -> list[UneditedText]:
    """The agreement's and sub-goals' texts unchanged since `base` (the last approved revision):
    sentences such as "For 2025 presiserer handlingsplanen ..." that the new year may outdate.

    Compared with the base's snapshot, so a text edited and changed back counts as unedited.
    Empty texts are left out: there is nothing in them to review.
    """
    if base is None or not base.snapshot:
        return []
    agreement = revision.agreement
    approved = base.snapshot["plan"]
    edit = reverse("measures:agreement-edit", args=[agreement.slug])
    found = [
        UneditedText(_label(Agreement, name), edit)
        for name in AGREEMENT_TEXTS
        if _same(getattr(agreement, name), approved["agreement"].get(name))
    ]
    approved_goals = {goal["number"]: goal for goal in approved.get("sub_goals", [])}
    for goal in agreement.sub_goals.all():
        old = approved_goals.get(goal.number)
        if old is None:
            continue
        edit = reverse("measures:sub-goal-edit", args=[agreement.slug, goal.number])
        found += [
            UneditedText(f"Delmål {goal.number}: {_label(SubGoal, name).lower()}", edit)
            for name in SUB_GOAL_TEXTS
            if _same(getattr(goal, name), old.get(name))
        ]
    return found


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _same(living: str, approved: str | None) -> bool:
    return bool(living.strip()) and living.replace("\r\n", "\n") == (approved or "")
