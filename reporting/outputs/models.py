"""What leaves the system and is kept: the stored PDF of an approved revision."""

from __future__ import annotations

from django.db import models

from reporting.revision.models import Revision


class StoredReport(models.Model):
    """The PDF of an approved revision, rendered once and served from storage afterwards."""

    revision = models.OneToOneField(
        Revision, on_delete=models.PROTECT, related_name="stored_report"
    )
    pdf = models.FileField("PDF", upload_to="rapportar/")
    created_at = models.DateTimeField("laga", auto_now_add=True)

    class Meta:
        verbose_name = "lagra rapport"
        verbose_name_plural = "lagra rapportar"

    def __str__(self) -> str:
        return f"Rapport for {self.revision}"
