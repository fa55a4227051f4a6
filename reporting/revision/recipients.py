"""Whom a submission reaches: the deciding parties' approvers, by e-mail.

The submission, its confirmation and the revision page all ask here, so the page names the same
people the e-mail went to, and those it could not reach.
"""

from __future__ import annotations

from dataclasses import dataclass

from access.models import Role
from measures.models import Organisation

from .models import Revision


@dataclass(frozen=True)
class Reach:
    """The approvers with an e-mail address, those without, and parties with no approver."""

    reached: list[Role]
    no_address: list[Role]
    no_approver: list[Organisation]

    @property
    def emails(self) -> list[str]:
        return sorted({role.user.email for role in self.reached})

    @property
    def complete(self) -> bool:
        return not self.no_address and not self.no_approver


def reach_of(revision: Revision) -> Reach:
    """Who is e-mailed when the revision is submitted (or was, if nothing changed since)."""
    roles = list(
        Role.objects.filter(agreement=revision.agreement, kind=Role.Kind.APPROVER)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__username")
    )
    deciding = [org for org, _ in revision.deciding_parties()]
    covered = {role.organisation_id for role in roles}
    return Reach(
        reached=[role for role in roles if role.user.email],
        no_address=[role for role in roles if not role.user.email],
        no_approver=[org for org in deciding if org.pk not in covered],
    )
