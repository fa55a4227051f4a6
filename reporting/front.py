"""The front page: for each of the user's roles, what waits for them and their next step.

- a municipality or the county (approver): the plan waiting for its decision, the bodies that
  have not decided, the deadline and the days left, and what it decided before;
- the project leader (editor): the current revision's state, the decisions recorded, who is
  late, failing budget checks, texts still missing and the next step;
- KDD and operators (who read every agreement): every agreement in one table
  (reporting/front_table.py).

Built from the rules the rest of the app applies: access.rules for who sees what,
reporting.revision.waiting for whose move it is (a rejection, a send-back with KDD's comment),
and reporting.revision.workflow for what counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access.models import Role
from access.rules import reads_everything, roles_of
from budget.tables import Check
from measures.guards import visible_agreements
from measures.models import Agreement, Organisation
from money.models import Accounts, AccountsEvent

from .front_table import (
    AgreementRow,
    agreement_rows,
    decisions_text,
    party_decisions,
    recorded_count,
)
from .revision import workflow
from .revision.models import Approval, ApprovalRound, Revision
from .revision.review import budget_checks, failed
from .revision.waiting import Waiting, Who, last_send_back, waiting_for


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
    state: Waiting | None = None  # what the plan waits for, while it is submitted
    sent_back: ApprovalRound | None = None  # KDD's send-back, while the plan is a draft again

    @property
    def own_rejections(self) -> list[Approval]:
        """This organisation's bodies that did not approve the plan in this round."""
        return [a for a in self.bodies if a.decision == Approval.Decision.REJECTED]

    @property
    def other_rejections(self) -> list[Approval]:
        """Other parties' final bodies that did not approve: why the plan waits for KDD."""
        if self.state is None:
            return []
        return [a for a in self.state.final_rejections if a.organisation_id != self.organisation.pk]

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
            Approval.objects.filter(round__revision__agreement=agreement, organisation=organisation)
            .exclude(body=Approval.Body.KDD)
            .select_related("round__revision", "organisation")
            .order_by("-round__revision__year", "-round__number", "body")
        )
        in_round = [
            a
            for a in decisions
            if revision
            and revision.status == Revision.Status.SUBMITTED
            and a.round.revision_id == revision.pk
            and a.round.is_open
        ]
        earlier = [
            a for a in decisions if a not in in_round and a.decision != Approval.Decision.PENDING
        ]
        part = cls(agreement, organisation, revision, in_round, earlier, today)
        if revision and revision.status == Revision.Status.SUBMITTED:
            part.state = waiting_for(revision)
        elif revision:
            part.sent_back = last_send_back(revision)
        return part


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
    state: Waiting | None = None
    sent_back: ApprovalRound | None = None  # KDD's send-back of the draft, with its comment
    # The years' accounts with KDD or returned by it (with KDD's last return), oldest first.
    accounts: list[tuple[Accounts, AccountsEvent | None]] = field(default_factory=list)

    @property
    def decisions(self) -> str:
        return decisions_text(self.recorded, self.expected)

    @classmethod
    def gather(cls, agreement: Agreement, today: datetime.date) -> EditorPart:
        revision = agreement.revisions.order_by("-year").first()
        part = cls(agreement, revision, accounts=_accounts_in_motion(agreement))
        if revision is None or revision.is_approved:
            part.step = _start_step(agreement, revision)
            return part
        plan = workflow.plan_of(revision)
        part.failing = failed(budget_checks(plan, revision.year))
        part.state = waiting_for(revision)
        if revision.is_draft:
            part.missing = workflow.missing_notes(revision, workflow.change_list(revision, plan))
            part.sent_back = last_send_back(revision)
        else:
            approvals = party_decisions(list(revision.current_approvals()))
            part.recorded, part.expected = recorded_count(approvals), len(approvals)
            part.late = workflow.late_parties(revision, today)
            part.deadline = deadline_text(revision.due_on, today)
        part.step = _revision_step(revision, part)
        return part


def _accounts_in_motion(agreement: Agreement) -> list[tuple[Accounts, AccountsEvent | None]]:
    """The accounts sent to KDD, and those KDD returned with the return's comment."""
    moving = list(
        Accounts.objects.filter(
            agreement=agreement, status__in=[Accounts.Status.SUBMITTED, Accounts.Status.RETURNED]
        ).order_by("year")
    )
    returns = AccountsEvent.objects.filter(
        accounts__in=[a for a in moving if a.status == Accounts.Status.RETURNED],
        kind=AccountsEvent.Kind.RETURNED,
    ).order_by("at", "pk")
    last_return = {event.accounts_id: event for event in returns}  # the latest wins
    return [(accounts, last_return.get(accounts.pk)) for accounts in moving]


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
    if part.state.who == Who.KDD_SEND_BACK:
        return Step(
            _("Sjå handlingsplan %(year)d, som ventar på KDD") % year,
            url,
            _(
                "Ein part har ikkje godkjent handlingsplanen. KDD kan sende han tilbake til deg, "
                "eller parten kan registrere eit nytt vedtak."
            ),
        )
    if part.state.who == Who.KDD_APPROVE:
        return Step(
            _("Sjå handlingsplan %(year)d, som ventar på KDD") % year,
            url,
            _("Alle partane har godkjent. KDD godkjenner handlingsplanen."),
        )
    if not revision.due_on:
        return Step(_("Set ein frist for vedtaka om handlingsplan %(year)d") % year, url)
    return Step(_("Følg vedtaka om handlingsplan %(year)d") % year, url)


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
    def accounts_waiting_for_kdd(self) -> int:
        return sum(len(row.accounts_with_kdd) for row in self.ministry or [])

    @property
    def ministry_summary(self) -> str:
        count = self.waiting_for_kdd
        if not count:
            plans = _("Ingen handlingsplan ventar på KDD no.")
        else:
            plans = ngettext(
                "%(count)d handlingsplan ventar på KDD.",
                "%(count)d handlingsplanar ventar på KDD.",
                count,
            ) % {"count": count}
        accounts = self.accounts_waiting_for_kdd
        if not accounts:
            return plans
        return (
            plans
            + " "
            + ngettext(
                "%(count)d rekneskap ventar på KDD.",
                "%(count)d rekneskapar ventar på KDD.",
                accounts,
            )
            % {"count": accounts}
        )

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
