"""The front page: for each of the user's roles, what waits for them and their next step.

- a municipality or the county (approver): the plan waiting for its decision, the bodies that
  have not decided, the deadline and the days left, and what it decided before;
- the project leader (editor): the current revision's state, the decisions recorded, who is
  late, failing budget checks, texts still missing and the next step;
- KDD and operators (who read every agreement): every agreement in one table, gathered in a
  fixed number of queries however many agreements and years there are.

Built from the rules the rest of the app applies: measures.rules for who sees what, the
revision's own methods and reporting.revision.workflow for what counts.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from budget.charts import YearBars
from budget.money import as_kroner
from budget.tables import Check, Table
from measures.models import Agreement, Organisation, Party, Role
from measures.rules import reads_everything, roles_of, visible_agreements

from .revision import workflow
from .revision.models import Approval, Revision
from .revision.review import budget_checks, failed, frozen_overview


def deadline_text(due_on: datetime.date | None, today: datetime.date) -> str:
    """The days left to a deadline in words: "12 dagar att", "Fristen er i dag"; "" if none."""
    if due_on is None:
        return ""
    days = (due_on - today).days
    if days > 0:
        return ngettext("%(days)d dag att", "%(days)d dagar att", days) % {"days": days}
    if days == 0:
        return _("Fristen er i dag")
    passed = -days
    return ngettext(
        "Fristen gjekk ut for %(days)d dag sidan",
        "Fristen gjekk ut for %(days)d dagar sidan",
        passed,
    ) % {"days": passed}


def decisions_text(recorded: int, expected: int) -> str:
    """How many of the decisions expected are recorded: "11 av 13 vedtak registrerte"."""
    return ngettext(
        "%(recorded)d av %(expected)d vedtak registrert",
        "%(recorded)d av %(expected)d vedtak registrerte",
        expected,
    ) % {"recorded": recorded, "expected": expected}


def _party_decisions(approvals: list[Approval]) -> list[Approval]:
    """The decisions the parties take before KDD (every body's, not KDD's own)."""
    return [a for a in approvals if a.body != Approval.Body.KDD]


def _recorded(approvals: list[Approval]) -> int:
    return sum(1 for a in approvals if a.decision != Approval.Decision.PENDING)


# --- a municipality or the county ------------------------------------------------------------


@dataclass
class ApproverPart:
    """One organisation's decision on one agreement's plan, for the user acting for it."""

    agreement: Agreement
    organisation: Organisation
    revision: Revision | None
    bodies: list[Approval]  # this round's, for this organisation
    earlier: list[Approval]  # decisions recorded in earlier revisions or rounds
    today: datetime.date

    @property
    def waiting(self) -> list[Approval]:
        return [a for a in self.bodies if a.decision == Approval.Decision.PENDING]

    @property
    def deadline(self) -> str:
        return deadline_text(self.revision.due_on if self.revision else None, self.today)

    @property
    def is_late(self) -> bool:
        due_on = self.revision.due_on if self.revision else None
        return bool(self.waiting and due_on and due_on < self.today)

    @property
    def decision_url(self) -> str:
        year = self.revision.year
        return reverse(
            "reporting:decision", args=[self.agreement.slug, year, self.organisation.key]
        )

    @classmethod
    def gather(cls, role: Role, today: datetime.date) -> ApproverPart:
        agreement, organisation = role.agreement, role.organisation
        revision = agreement.revisions.defer("snapshot").order_by("-year").first()
        decisions = list(
            Approval.objects.filter(revision__agreement=agreement, organisation=organisation)
            .exclude(body=Approval.Body.KDD)
            .select_related("revision", "round", "organisation")
            .order_by("-revision__year", "-round__number", "body")
        )
        in_round = [
            a
            for a in decisions
            if revision
            and revision.status == Revision.Status.SUBMITTED
            and a.revision_id == revision.pk
            and a.round.is_open
        ]
        earlier = [
            a for a in decisions if a not in in_round and a.decision != Approval.Decision.PENDING
        ]
        return cls(agreement, organisation, revision, in_round, earlier, today)


# --- the project leader ----------------------------------------------------------------------


@dataclass
class Step:
    """What the project leader does next, and where."""

    label: str
    url: str
    hint: str = ""
    # Posted to `url` when the step is a button (it asks before it acts), not a link.
    post: dict = field(default_factory=dict)


@dataclass
class EditorPart:
    """The state of the agreement's current revision as its project leader needs it."""

    agreement: Agreement
    revision: Revision | None
    recorded: int = 0
    expected: int = 0
    late: list[Organisation] = field(default_factory=list)
    failing: list[Check] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    deadline: str = ""
    step: Step | None = None

    @property
    def decisions(self) -> str:
        return decisions_text(self.recorded, self.expected)

    @classmethod
    def gather(cls, agreement: Agreement, today: datetime.date) -> EditorPart:
        revision = agreement.revisions.order_by("-year").first()
        part = cls(agreement, revision)
        if revision is None or revision.is_approved:
            part.step = _start_step(agreement, revision)
            return part
        plan = workflow.plan_of(revision)
        part.failing = failed(budget_checks(plan, revision.year))
        if revision.is_draft:
            part.missing = workflow.missing_notes(revision, workflow.change_list(revision, plan))
        else:
            approvals = _party_decisions(list(revision.current_approvals()))
            part.recorded, part.expected = _recorded(approvals), len(approvals)
            part.late = workflow.late_parties(revision, today)
            part.deadline = deadline_text(revision.due_on, today)
        part.step = _revision_step(revision, part)
        return part


def _start_step(agreement: Agreement, latest: Revision | None) -> Step | None:
    year = latest.year + 1 if latest else agreement.first_year
    if year not in agreement.years:
        return None
    return Step(
        _("Start handlingsplan %(year)d") % {"year": year},
        reverse("reporting:revision-start", args=[agreement.slug]),
        _("Handlingsplanen blir starta som eit utkast av den levande planen."),
        post={"year": year},
    )


def _revision_step(revision: Revision, part: EditorPart) -> Step:
    url = revision.get_absolute_url()
    year = {"year": revision.year}
    if revision.is_draft and part.missing:
        return Step(
            _("Skriv grunngjevingar og vurderingar"),
            reverse("reporting:revision-notes", args=[revision.agreement.slug, revision.year]),
            _("Dei må vere skrivne før handlingsplanen kan sendast."),
        )
    if revision.is_draft:
        return Step(_("Send handlingsplan %(year)d til godkjenning") % year, url)
    if revision.status == Revision.Status.APPROVED_BY_PARTIES or part.recorded == part.expected:
        return Step(_("Sjå handlingsplan %(year)d, som ventar på KDD") % year, url)
    if not revision.due_on:
        return Step(_("Set ein frist for vedtaka om handlingsplan %(year)d") % year, url)
    return Step(_("Følg vedtaka om handlingsplan %(year)d") % year, url)


# --- KDD: every agreement at a glance --------------------------------------------------------


@dataclass
class AgreementRow:
    """One agreement in KDD's table."""

    agreement: Agreement
    revisions: list[Revision]  # newest first
    approvals: list[Approval]  # the current revision's decisions in its current round
    waits_for_kdd: bool
    allocation: Table | None  # section 6 of the latest approved plan
    year: int
    bars: YearBars | None = None

    @property
    def current(self) -> Revision | None:
        return self.revisions[0] if self.revisions else None

    @property
    def last_approved(self) -> Revision | None:
        return next((r for r in self.revisions if r.is_approved), None)

    @property
    def expected(self) -> int:
        return len(_party_decisions(self.approvals))

    @property
    def recorded(self) -> int:
        return _recorded(_party_decisions(self.approvals))

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
    def waiting(self) -> str:
        """Whose move it is, in words."""
        current = self.current
        if current is None:
            return _("Ingen handlingsplan enno")
        if self.waits_for_kdd:
            return _("Ventar på KDD")
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
        if self.waits_for_kdd:
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
    """Every agreement's row, in five queries whatever their number."""
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
        revision_id__in=current, round__closed_at__isnull=True
    ).select_related("organisation"):
        approvals[approval.revision_id].append(approval)
    tables = _approved_allocations(agreements, revisions)
    rows = []
    for agreement in agreements:
        found = revisions.get(agreement.pk, [])
        for revision in found:
            revision.agreement = agreement  # for its links, without a query each
        latest = found[0] if found else None
        waits = bool(
            latest
            and latest.status == Revision.Status.SUBMITTED
            and latest.approved_by_every_party(
                approvals.get(latest.pk, []), parties.get(agreement.pk, [])
            )
        )
        rows.append(
            AgreementRow(
                agreement,
                found,
                approvals.get(latest.pk, []) if latest else [],
                waits,
                tables.get(agreement.pk),
                today.year,
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


# --- the whole page --------------------------------------------------------------------------


@dataclass
class FrontPage:
    """Every part of the front page that applies to the user."""

    approver: list[ApproverPart]
    editor: list[EditorPart]
    ministry: list[AgreementRow] | None
    agreements: list[Agreement]  # the ones the user takes part in, outside KDD's table
    today: datetime.date

    @property
    def waiting_for_kdd(self) -> int:
        return sum(1 for row in self.ministry or [] if row.waits_for_kdd)

    @property
    def ministry_summary(self) -> str:
        count = self.waiting_for_kdd
        if not count:
            return _("Ingen handlingsplan ventar på godkjenning frå KDD no.")
        return ngettext(
            "%(count)d handlingsplan ventar på godkjenning frå KDD.",
            "%(count)d handlingsplanar ventar på godkjenning frå KDD.",
            count,
        ) % {"count": count}

    @property
    def is_empty(self) -> bool:
        return not (self.approver or self.editor or self.ministry is not None or self.agreements)

    @classmethod
    def for_user(cls, user) -> FrontPage:
        today = timezone.localdate()
        roles = sorted(roles_of(user), key=lambda r: (r.agreement.name, r.pk))
        approver = [
            ApproverPart.gather(role, today)
            for role in roles
            if role.kind == Role.Kind.APPROVER and role.organisation_id
        ]
        edited = {r.agreement_id: r.agreement for r in roles if r.kind == Role.Kind.EDITOR}
        editor = [EditorPart.gather(agreement, today) for agreement in edited.values()]
        ministry = None
        agreements = []
        if reads_everything(user):
            ministry = agreement_rows(list(visible_agreements(user).order_by("name")), today)
        else:
            agreements = list(
                visible_agreements(user).order_by("name").prefetch_related("sub_goals")
            )
        return cls(approver, editor, ministry, agreements, today)
