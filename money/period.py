"""The state's money over the agreement's period: per year and cumulated, the co-financing KDD
approved (in the plan approved for the year), what KDD paid for the year's plan, what the
accepted accounts spent of it, and what is carried over to later years (paid, not spent).

For any number of agreements in a fixed number of queries (KDD's front page has a column per
agreement).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from measures.models import Agreement

from .approved import approved_budgets
from .models import Accounts, Payment, Spending


@dataclass
class YearMoney:
    """One year of the state's money; `spent` is None until the year's accounts are accepted."""

    year: int
    approved: int | None
    paid: int
    spent: int | None
    accounts: str  # the accounts' status, "" if none are begun

    @property
    def accounts_label(self) -> str:
        return Accounts.Status(self.accounts).label if self.accounts else ""

    @property
    def carried_over(self) -> int | None:
        """Paid for the year and not spent in it: it may be spent in later years."""
        return None if self.spent is None else self.paid - self.spent


@dataclass
class StateMoney:
    """The state's money of one agreement, per year, cumulated and against the period's frame."""

    agreement: Agreement
    years: list[YearMoney]
    frame: int | None  # the state co-financing of the whole period in the latest approved plan
    cumulated: list[YearMoney] = field(init=False)

    def __post_init__(self) -> None:
        approved = paid = spent = 0
        self.cumulated = []
        for year in self.years:
            approved += year.approved or 0
            paid += year.paid
            spent += year.spent or 0
            self.cumulated.append(
                YearMoney(year.year, approved, paid, spent if year.spent is not None else None, "")
            )

    @property
    def rows(self) -> list[tuple[YearMoney, YearMoney]]:
        """Each year beside the sums up to and including it."""
        return list(zip(self.years, self.cumulated, strict=True))

    @property
    def approved(self) -> int:
        return sum(y.approved or 0 for y in self.years)

    @property
    def paid(self) -> int:
        return sum(y.paid for y in self.years)

    @property
    def spent(self) -> int:
        return sum(y.spent or 0 for y in self.years)

    @property
    def carried_over(self) -> int:
        """Paid for years whose accounts are accepted, and not spent in them."""
        return sum(y.carried_over or 0 for y in self.years)

    @property
    def accounts_with_kdd(self) -> list[int]:
        """The years whose accounts are sent to KDD and wait for its acceptance or return."""
        return [y.year for y in self.years if y.accounts == Accounts.Status.SUBMITTED]

    @property
    def left(self) -> int | None:
        """What is left of the period's frame to be paid out."""
        return None if self.frame is None else self.frame - self.paid

    @classmethod
    def of(cls, agreement: Agreement) -> StateMoney:
        return state_money([agreement])[agreement.pk]


def state_money(agreements: list[Agreement]) -> dict[int, StateMoney]:
    """Each agreement's state money, in four queries however many there are."""
    ids = [a.pk for a in agreements]
    budgets = approved_budgets(ids)
    paid = defaultdict(int)
    for row in (
        Payment.objects.filter(agreement_id__in=ids)
        .values("agreement_id", "year")
        .annotate(kroner=Sum("kroner"))
        .order_by()
    ):
        paid[(row["agreement_id"], row["year"])] = row["kroner"]
    statuses = {
        (a.agreement_id, a.year): a.status for a in Accounts.objects.filter(agreement_id__in=ids)
    }
    spent = defaultdict(int)
    for row in (
        Spending.objects.filter(
            accounts__agreement_id__in=ids,
            accounts__status=Accounts.Status.ACCEPTED,
            source__is_state_cofinancing=True,
        )
        .values("accounts__agreement_id", "accounts__year")
        .annotate(kroner=Sum("kroner"))
        .order_by()
    ):
        spent[(row["accounts__agreement_id"], row["accounts__year"])] = row["kroner"]
    found = {}
    for agreement in agreements:
        plans = budgets[agreement.pk]
        years = []
        for year in agreement.years:
            key = (agreement.pk, year)
            accepted = statuses.get(key) == Accounts.Status.ACCEPTED
            plan = plans.get(year)
            years.append(
                YearMoney(
                    year,
                    plan.state_total(year) if plan else None,
                    paid[key],
                    spent[key] if accepted else None,
                    statuses.get(key, ""),
                )
            )
        latest = plans[max(plans)] if plans else None
        found[agreement.pk] = StateMoney(agreement, years, latest.state_total() if latest else None)
    return found
