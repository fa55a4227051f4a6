"""KDD's table on the front page: every agreement at a glance, what waits for KDD first.

Gathered in a fixed number of queries however many agreements and years there are; what each
plan waits for comes from reporting.revision.waiting, as on every other page.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from budget.charts import YearBars
from budget.money import as_kroner
from budget.tables import Table
from measures.models import Agreement, Organisation, Party
from money.period import StateMoney, state_money

from .revision.models import Approval, Revision
from .revision.review import frozen_overview
from .revision.waiting import Waiting, Who, waiting_for


def decisions_text(recorded: int, expected: int) -> str:
    """How many of the decisions expected are recorded: "11 av 13 vedtak registrerte"."""
    return ngettext(
        "%(recorded)d av %(expected)d vedtak registrert",
        "%(recorded)d av %(expected)d vedtak registrerte",
        expected,
    ) % {"recorded": recorded, "expected": expected}


def party_decisions(approvals: list[Approval]) -> list[Approval]:
    """The decisions the parties take before KDD (every body's, not KDD's own)."""
    return [a for a in approvals if a.body != Approval.Body.KDD]


def recorded_count(approvals: list[Approval]) -> int:
    return sum(1 for a in approvals if a.decision != Approval.Decision.PENDING)


# --- KDD: every agreement at a glance --------------------------------------------------------


@dataclass
class AgreementRow:
    """One agreement in KDD's table."""

    agreement: Agreement
    revisions: list[Revision]  # newest first
    approvals: list[Approval]  # the current revision's decisions in its current round
    state: Waiting | None  # what the current revision waits for
    allocation: Table | None  # section 6 of the latest approved plan
    year: int
    bars: YearBars | None = None
    money: StateMoney | None = None  # the state's money: approved, paid, spent, left

    @property
    def current(self) -> Revision | None:
        return self.revisions[0] if self.revisions else None

    @property
    def waits_for_kdd(self) -> bool:
        return bool(self.state and self.state.for_kdd)

    @property
    def last_approved(self) -> Revision | None:
        return next((r for r in self.revisions if r.is_approved), None)

    @property
    def expected(self) -> int:
        return len(party_decisions(self.approvals))

    @property
    def recorded(self) -> int:
        return recorded_count(party_decisions(self.approvals))

    @property
    def decisions(self) -> str:
        """The count while the parties decide; an approved plan's formannskap may never have
        been recorded, and its count would only puzzle."""
        current = self.current
        if not (current and current.status == Revision.Status.SUBMITTED and self.expected):
            return ""
        return decisions_text(self.recorded, self.expected)

    @property
    def period_total(self) -> int | None:
        return self.allocation.total if self.allocation else None

    @property
    def year_total(self) -> int | None:
        if self.allocation is None or str(self.year) not in self.allocation.column_keys:
            return None
        return self.allocation.column_total(str(self.year))

    @property
    def period_amount(self) -> str:
        return as_kroner(self.period_total)

    @property
    def year_amount(self) -> str:
        return as_kroner(self.year_total)

    @property
    def accounts_with_kdd(self) -> list[int]:
        """The years whose accounts wait for KDD's acceptance or return."""
        return self.money.accounts_with_kdd if self.money else []

    @property
    def waiting(self) -> str:
        """Whose move it is, in words."""
        current = self.current
        if current is None:
            return _("Ingen handlingsplan enno")
        if self.state.who == Who.KDD_SEND_BACK:
            return _("Ventar på KDD: ein part har ikkje godkjent")
        if self.waits_for_kdd:
            return _("Ventar på godkjenning frå KDD")
        if current.status == Revision.Status.SUBMITTED:
            return _("Ventar på vedtak frå partane")
        if current.is_draft:
            return _("Utkast hos prosjektleiaren")
        return ""

    @property
    def order(self) -> tuple:
        """KDD's own step first, then plans with the parties (earliest deadline first), drafts,
        and the rest by the pilot's name."""
        current = self.current
        if self.waits_for_kdd or self.accounts_with_kdd:
            rank = 0
        elif current and current.status == Revision.Status.SUBMITTED:
            rank = 1
        elif current and current.is_draft:
            rank = 2
        else:
            rank = 3
        due = current.due_on if current and current.due_on else datetime.date.max
        return (rank, due, self.agreement.pilot_name)


def agreement_rows(agreements: list[Agreement], today: datetime.date) -> list[AgreementRow]:
    """Every agreement's row, in nine queries whatever their number."""
    ids = [a.pk for a in agreements]
    revisions: dict[int, list[Revision]] = defaultdict(list)
    for revision in Revision.objects.filter(agreement_id__in=ids).defer("snapshot"):
        revisions[revision.agreement_id].append(revision)
    for found in revisions.values():
        found.sort(key=lambda r: -r.year)
    parties: dict[int, list[Organisation]] = defaultdict(list)
    for party in Party.objects.filter(agreement_id__in=ids).select_related("organisation"):
        parties[party.agreement_id].append(party.organisation)
    current = [found[0].pk for found in revisions.values()]
    approvals: dict[int, list[Approval]] = defaultdict(list)
    for approval in Approval.objects.filter(
        round__revision_id__in=current, round__send_back__isnull=True
    ).select_related("organisation", "round"):
        approvals[approval.round.revision_id].append(approval)
    tables = _approved_allocations(agreements, revisions)
    money = state_money(agreements)
    rows = []
    for agreement in agreements:
        found = revisions.get(agreement.pk, [])
        for revision in found:
            revision.agreement = agreement  # for its links, without a query each
        latest = found[0] if found else None
        decided = approvals.get(latest.pk, []) if latest else []
        state = waiting_for(latest, decided, parties.get(agreement.pk, [])) if latest else None
        rows.append(
            AgreementRow(
                agreement,
                found,
                decided,
                state,
                tables.get(agreement.pk),
                today.year,
                money=money[agreement.pk],
            )
        )
    _draw_bars(rows)
    return sorted(rows, key=lambda row: row.order)


def _approved_allocations(
    agreements: list[Agreement], revisions: dict[int, list[Revision]]
) -> dict[int, Table]:
    """Section 6 of each agreement's latest approved plan, from its snapshot's budget only."""
    latest = {
        agreement_id: next((r for r in found if r.is_approved), None)
        for agreement_id, found in revisions.items()
    }
    by_revision = {r.pk: agreement_id for agreement_id, r in latest.items() if r}
    budgets = Revision.objects.filter(pk__in=by_revision).values_list(
        "pk", "snapshot__plan__budget"
    )
    periods = {a.pk: a for a in agreements}
    tables = {}
    for pk, budget in budgets:
        agreement = periods[by_revision[pk]]
        plan = {
            "agreement": {"first_year": agreement.first_year, "last_year": agreement.last_year},
            "budget": budget or {},
        }
        tables[agreement.pk] = frozen_overview(plan, agreement.first_year).allocation
    return tables


def _draw_bars(rows: list[AgreementRow]) -> None:
    """Each row's bars, to one scale: the largest year of any agreement in the table."""
    top = max(
        (max(row.allocation.sum_row.cells, default=0) for row in rows if row.allocation),
        default=0,
    )
    for row in rows:
        if row.allocation:
            row.bars = YearBars.from_table(
                f"midlar-{row.agreement.slug}", row.allocation, top, str(row.year)
            )
