"""An approval round of a revision: one submission to the parties and the decisions on it, opened
and closed by the revision's events."""

from __future__ import annotations

import datetime

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Revision, RevisionPart


class ApprovalRound(RevisionPart):
    """One submission of a revision to the parties, and the decisions taken on it.

    Each submission opens the next round (number 1, 2, ...) with a pending approval for every
    deciding body. KDD's send-back closes it, and its approvals stay as they were, as history.
    Only the decisions of the current round count (`Revision.current_round`): the open one, which
    is also the round KDD approves and which then stays open, frozen with the revision. At most
    one round of a revision is open.

    When it opened and closed, and KDD's comment, are the revision's events (`submission`,
    `send_back`), read from there: the round only points at them.
    """

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("handlingsplan")
    )
    number = models.PositiveSmallIntegerField(_("runde"), validators=[MinValueValidator(1)])
    # RESTRICT: an event that opened or closed a round goes only with its revision.
    submission = models.ForeignKey(
        "RevisionEvent",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sendt til godkjenning"),
    )
    # A link to the event, not a copy of it; on the round because "one open round per revision"
    # is a partial unique constraint, which can only read the round's own columns.
    send_back = models.ForeignKey(
        "RevisionEvent",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sendt tilbake"),
    )

    class Meta:
        ordering = ["revision", "number"]
        verbose_name = _("godkjenningsrunde")
        verbose_name_plural = _("godkjenningsrundar")
        constraints = [
            models.UniqueConstraint(fields=["revision", "number"], name="round_number_unique"),
            models.UniqueConstraint(
                fields=["revision"],
                condition=Q(send_back__isnull=True),
                name="one_open_round_per_revision",
                violation_error_message=_("Handlingsplanen har alt ein open godkjenningsrunde."),
            ),
        ]

    def __str__(self) -> str:
        return _("Runde %(number)s – %(revision)s") % {
            "number": self.number,
            "revision": self.revision,
        }

    @property
    def is_open(self) -> bool:
        return self.send_back_id is None

    @property
    def opened_at(self) -> datetime.datetime | None:
        """The time of the submission that opened the round. A current round restored from a
        plan file without its submission opened at the revision's (last) submission."""
        if self.submission_id is not None:
            return self.submission.at
        return self.revision.submitted_at if self.is_open else None

    @property
    def closed_at(self) -> datetime.datetime | None:
        """The time of KDD's send-back, or None while the round is open."""
        return self.send_back.at if self.send_back_id is not None else None

    @property
    def comment(self) -> str:
        """KDD's reason for sending the round back ("" while it is open)."""
        return self.send_back.comment if self.send_back_id is not None else ""
