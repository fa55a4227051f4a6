"""Who may do what within one agreement (measures/rules.py applies the roles)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .organisations import Organisation


class Role(models.Model):
    """What a user may do within one agreement."""

    class Kind(models.TextChoices):
        EDITOR = "editor", "Redaktør (prosjektleiar)"
        APPROVER = "approver", "Godkjennar for kommune"
        PARTNER = "partner", "Samarbeidspart (lesetilgang)"
        MINISTRY = "ministry", "Departement"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    agreement = models.ForeignKey("Agreement", on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField("rolle", max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Kommunen ein godkjennar handlar for; organisasjonen til ein samarbeidspart.",
    )

    class Meta:
        ordering = ["agreement", "kind", "user__username"]
        verbose_name = "rolle"
        verbose_name_plural = "roller"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agreement", "kind", "organisation"], name="role_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "agreement", "kind"],
                condition=Q(organisation__isnull=True),
                name="role_unique_without_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(kind="approver") | Q(organisation__isnull=False),
                name="approver_acts_for_an_organisation",
                violation_error_message="Ein godkjennar må vere knytt til ein kommune.",
            ),
        ]

    def __str__(self) -> str:
        text = f"{self.user} – {self.get_kind_display()} – {self.agreement}"
        return f"{text} ({self.organisation})" if self.organisation_id else text
