"""The political process of one revision, arranged as the plan's sections 5 and 8 show it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models import Approval, Revision


@dataclass
class MeetingRow:
    """One organisation's bodies treating the plan (section 5), and its approval (section 8)."""

    organisation: object
    formannskap: Approval | None
    kommunestyre: Approval | None
    others: list[Approval]

    @property
    def all(self) -> list[Approval]:
        return [a for a in (self.formannskap, self.kommunestyre, *self.others) if a]

    @property
    def final(self) -> Approval | None:
        """The organisation's own decision: its final body's (Approval.is_final), if any."""
        return next((a for a in self.all if a.is_final), None)


@dataclass
class MeetingTable:
    """Section 5's table: each municipality's formannskap and kommunestyre, by the dates that
    say something. `dates` is "planned" (the meetings planned) or "decided" (no meeting was
    planned, but decisions are recorded: their dates)."""

    dates: str
    rows: list[tuple[object, datetime.date | None, datetime.date | None]]


@dataclass
class PoliticalProcess:
    revision: Revision
    rows: list[MeetingRow]

    @classmethod
    def from_revision(cls, revision: Revision) -> PoliticalProcess:
        """The current round's meetings and decisions: the only ones that count."""
        return cls.from_approvals(
            revision,
            list(revision.current_approvals().select_related("organisation", "recorded_by")),
        )

    @classmethod
    def from_approvals(
        cls, revision: Revision, approvals: list[Approval], parties: list | None = None
    ) -> PoliticalProcess:
        """These approvals (one round's) arranged by party, in the agreement's order."""
        parties = revision.agreement.ordered_parties() if parties is None else parties
        order = {org.pk: position for position, org in enumerate(parties)}
        by_org: dict[int, list[Approval]] = {}
        for approval in approvals:
            by_org.setdefault(approval.organisation_id, []).append(approval)
        rows = []
        for org_id in sorted(by_org, key=lambda pk: (order.get(pk, len(order)), pk)):
            group = by_org[org_id]
            rows.append(
                MeetingRow(
                    organisation=group[0].organisation,
                    formannskap=_body(group, Approval.Body.FORMANNSKAP),
                    kommunestyre=_body(group, Approval.Body.KOMMUNESTYRE),
                    others=[
                        a
                        for a in group
                        if a.body not in (Approval.Body.FORMANNSKAP, Approval.Body.KOMMUNESTYRE)
                    ],
                )
            )
        return cls(revision, rows)

    @property
    def municipal_rows(self) -> list[MeetingRow]:
        return [row for row in self.rows if row.formannskap or row.kommunestyre]

    @property
    def meeting_table(self) -> MeetingTable | None:
        """Planned meetings when any are planned, else the recorded decision dates, else None:
        never a table of dashes."""
        rows = self.municipal_rows
        bodies = [a for row in rows for a in (row.formannskap, row.kommunestyre) if a]
        for dates in ("planned", "decided"):
            if any(getattr(a, f"{dates}_on") for a in bodies):
                return MeetingTable(
                    dates,
                    [
                        (
                            row.organisation,
                            getattr(row.formannskap, f"{dates}_on", None),
                            getattr(row.kommunestyre, f"{dates}_on", None),
                        )
                        for row in rows
                    ],
                )
        return None

    @property
    def approved_rows(self) -> list[MeetingRow]:
        return [row for row in self.rows if row.final and row.final.is_approved]


def _body(group: list[Approval], body: str) -> Approval | None:
    return next((a for a in group if a.body == body), None)
