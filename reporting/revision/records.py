"""What is recorded with a revision besides its approvals: the editor's texts about each
measure, each measure's yearly status, and the revision's events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Revision, RevisionPart


class MeasureNote(RevisionPart):
    """The editor's text for a measure in the change list: why it changed, or what it achieved."""

    class Kind(models.TextChoices):
        REASON = "reason", _("Grunngjeving for endringa")
        ASSESSMENT = "assessment", _("Vurdering av kva tiltaket har bidrege til")

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="notes")
    # By key, not foreign key: a closed measure may since have left the living plan.
    measure_key = models.SlugField(_("tiltak"), max_length=80)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("tekst"))

    class Meta:
        ordering = ["revision", "measure_key"]
        verbose_name = _("grunngjeving eller vurdering")
        verbose_name_plural = _("grunngjevingar og vurderingar")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "measure_key"], name="one_note_per_measure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.measure_key}"


class MeasureProgress(RevisionPart):
    """How far a measure came in the revision year."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Ikkje starta")
        IN_PROGRESS = "in_progress", _("I gang")
        DELAYED = "delayed", _("Forseinka")
        COMPLETED = "completed", _("Fullført")

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="progress")
    measure_key = models.SlugField(_("tiltak"), max_length=80)
    state = models.CharField(_("status"), max_length=20, choices=State.choices)
    text = models.TextField(_("framdrift"), blank=True)

    class Meta:
        ordering = ["revision", "measure_key"]
        verbose_name = _("årsstatus for tiltak")
        verbose_name_plural = _("årsstatus for tiltak")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "measure_key"], name="one_progress_per_measure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_key}: {self.get_state_display()}"

    @staticmethod
    def refusal(state: str, text: str) -> str | None:
        """Why a yearly status cannot be stored as written, or None: a text needs a state, and
        is never dropped because the state was left out (the form and save_notes both ask)."""
        if text.strip() and not state:
            return str(PROGRESS_NEEDS_STATE)
        return None


PROGRESS_NEEDS_STATE = _(
    "Vel ein status for tiltaket. Framdrifta du skreiv er ikkje lagra utan status."
)


class RevisionEvent(RevisionPart):
    """A step of the revision: submitted, sent back (with KDD's comment and the plan it sent
    back, which the revision no longer holds), approved, ...

    A round's times and KDD's comment are its events' (`ApprovalRound.submission`, `send_back`).
    """

    class Kind(models.TextChoices):
        STARTED = "started", _("Starta")
        SUBMITTED = "submitted", _("Sendt til godkjenning")
        SENT_BACK = "sent_back", _("Sendt tilbake av KDD")
        APPROVED = "approved", _("Godkjend av KDD")
        NOT_REACHED = "not_reached", _("E-post kunne ikkje sendast")

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("hending"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("tid"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("brukar"),
    )
    comment = models.TextField(_("merknad"), blank=True)
    # The plan KDD sent back (the revision's own snapshot is cleared then); a submission keeps
    # none: it is the revision's snapshot, or else the one its round's send-back kept.
    snapshot = models.JSONField(_("frosen plan"), null=True, blank=True)

    class Meta:
        ordering = ["revision", "at", "pk"]
        verbose_name = _("hending i rulleringa")
        verbose_name_plural = _("hendingar i rulleringa")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y}"
