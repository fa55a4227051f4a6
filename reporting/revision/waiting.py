"""Whose move it is on a revision: the project leader's, the parties', KDD's or nobody's.

The one home of "what the revision waits for": the front pages, the revision page and KDD's
table all ask `waiting_for`, so no two pages can name different people. A party's final body
that has not approved the plan hands it to KDD (to send back), and the rejection is said with
its body, date and comment wherever the state is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .models import Approval, ApprovalRound, Revision


class Who(StrEnum):
    """Who acts next on a revision (templates compare with these values)."""

    LEADER = "leader"  # a draft: the project leader writes and submits it
    PARTIES = "parties"  # submitted: the parties' bodies decide
    KDD_SEND_BACK = "kdd_send_back"  # a party's final body did not approve: KDD sends it back
    KDD_APPROVE = "kdd_approve"  # every party approved: KDD approves
    NOBODY = "nobody"  # approved by KDD


@dataclass
class Waiting:
    """What a revision waits for, and the rejections of its current round (in party order)."""

    who: Who
    rejections: list[Approval] = field(default_factory=list)

    @property
    def for_kdd(self) -> bool:
        return self.who in (Who.KDD_SEND_BACK, Who.KDD_APPROVE)

    @property
    def for_parties(self) -> bool:
        return self.who == Who.PARTIES

    @property
    def final_rejections(self) -> list[Approval]:
        """The rejections that are a party's own decision (kommunestyre, fylkesting)."""
        return [a for a in self.rejections if a.is_final]


def waiting_for(revision: Revision, approvals=None, parties=None) -> Waiting:
    """What the revision waits for. `approvals` (the current round's, with their organisations)
    and `parties` (the agreement's, ordered) may be loaded beforehand, as for KDD's table."""
    if revision.is_approved:
        return Waiting(Who.NOBODY)
    if revision.status != Revision.Status.SUBMITTED:
        return Waiting(Who.LEADER)
    if approvals is None:
        approvals = list(revision.current_approvals().select_related("organisation"))
    parties = revision.agreement.ordered_parties() if parties is None else parties
    order = {org.pk: position for position, org in enumerate(parties)}
    rejections = sorted(
        (
            a
            for a in approvals
            if a.decision == Approval.Decision.REJECTED and a.body != Approval.Body.KDD
        ),
        key=lambda a: (order.get(a.organisation_id, len(order)), a.is_final),
    )
    if any(a.is_final for a in rejections):
        return Waiting(Who.KDD_SEND_BACK, rejections)
    if revision.approved_by_every_party(approvals, parties):
        return Waiting(Who.KDD_APPROVE, rejections)
    return Waiting(Who.PARTIES, rejections)


def last_send_back(revision: Revision) -> ApprovalRound | None:
    """The round KDD last sent back, with its comment, while the revision is a draft again."""
    if not revision.is_draft:
        return None
    return (
        revision.rounds.filter(send_back__isnull=False)
        .select_related("send_back")
        .order_by("-number")
        .first()
    )
