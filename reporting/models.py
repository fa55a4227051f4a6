"""The yearly cycle: a revision of the plan and its political approvals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from measures.models import Agreement, Organisation, year_validators


class Revision(models.Model):
    """The handlingsplan of one year (rullering), on its way from draft to KDD's approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        SUBMITTED = "submitted", "Send til godkjenning"
        APPROVED_BY_PARTIES = "approved_by_parties", "Godkjent av partane"
        APPROVED = "approved", "Godkjent"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="revisions")
    year = models.PositiveSmallIntegerField("år", validators=year_validators)
    status = models.CharField("status", max_length=30, choices=Status.choices, default=Status.DRAFT)
    snapshot = models.JSONField(
        "frosen plan", null=True, blank=True, help_text="Heile planen slik han var ved innsending."
    )
    submitted_at = models.DateTimeField("sendt", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="sendt av",
    )
    approved_at = models.DateTimeField("godkjent", null=True, blank=True)

    class Meta:
        ordering = ["agreement", "-year"]
        verbose_name = "handlingsplan (rullering)"
        verbose_name_plural = "handlingsplanar (rulleringar)"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"],
                name="one_revision_per_year",
                violation_error_message="Avtala har alt ein handlingsplan for dette året.",
            ),
        ]

    def __str__(self) -> str:
        return f"Handlingsplan {self.year} – {self.agreement}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class ApprovalQuerySet(models.QuerySet):
    def for_process_page(self) -> ApprovalQuerySet:
        return self.select_related("organisation", "revision").order_by(
            "organisation__name", "planned_on", "body"
        )


class Approval(models.Model):
    """One body's treatment of a revision: planned meeting, decision date, decision."""

    class Body(models.TextChoices):
        FORMANNSKAP = "formannskap", "Formannskap"
        KOMMUNESTYRE = "kommunestyre", "Kommunestyre"
        FYLKESTING = "fylkesting", "Fylkesting"
        KDD = "kdd", "Kommunal- og distriktsdepartementet"

    class Decision(models.TextChoices):
        PENDING = "pending", "Ikkje registrert"
        APPROVED = "approved", "Godkjent"
        REJECTED = "rejected", "Ikkje godkjent"

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="approvals")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="approvals"
    )
    body = models.CharField("organ", max_length=20, choices=Body.choices)
    planned_on = models.DateField("planlagt møte", null=True, blank=True)
    decided_on = models.DateField("vedteke", null=True, blank=True)
    decision = models.CharField(
        "vedtak", max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    case_reference = models.CharField("saksnummer", max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="registrert av",
    )

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "organisation__name", "body"]
        verbose_name = "godkjenning"
        verbose_name_plural = "godkjenningar"
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "organisation", "body"], name="one_approval_per_body"
            ),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_on__isnull=True)
                | (~Q(decision="pending") & Q(decided_on__isnull=False)),
                name="decision_has_a_date",
                violation_error_message="Eit vedtak må ha ein dato, og berre eit vedtak har dato.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_body_display()} – {self.revision.year}"
