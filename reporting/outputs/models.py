"""What leaves the system and is kept: every rendering of an approved revision's PDF."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.revision.models import Revision


class StoredReportQuerySet(models.QuerySet):
    """Renderings of approved reports; the newest of a revision is the one served."""

    def newest(self) -> StoredReportQuerySet:
        return self.filter(replaced_at__isnull=True)

    def newest_pdf(self, revision: Revision) -> bytes | None:
        """The bytes of the revision's newest rendering, in one query, or None before the first."""
        pdf = self.newest().filter(revision=revision).values_list("pdf", flat=True).first()
        return None if pdf is None else bytes(pdf)


class StoredReport(models.Model):
    """One rendering of an approved revision's PDF, kept in the database with the rest.

    In the database, not on disk, so several app instances serve the same file and one backup
    holds everything. A rendering is never changed or deleted: rendering again from the frozen
    snapshot marks the one before as replaced, by whom and when.
    """

    # PROTECT: an approved revision cannot be deleted anyway, and its reports must not vanish.
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="stored_reports",
        verbose_name=_("handlingsplan"),
    )
    pdf = models.BinaryField(_("PDF"))
    created_at = models.DateTimeField(_("laga"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laga av"),
    )
    reason = models.TextField(_("kvifor"), blank=True)
    replaced_at = models.DateTimeField(_("erstatta"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erstatta av"),
    )

    objects = StoredReportQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "-created_at", "-pk"]
        verbose_name = _("lagra rapport")
        verbose_name_plural = _("lagra rapportar")
        constraints = [
            models.UniqueConstraint(
                fields=["revision"],
                condition=Q(replaced_at__isnull=True),
                name="one_newest_report_per_revision",
            ),
        ]

    def __str__(self) -> str:
        made = f" ({timezone.localtime(self.created_at):%d.%m.%Y %H:%M})" if self.created_at else ""
        return _("Rapport for %(revision)s%(made)s") % {"revision": self.revision, "made": made}

    @property
    def filename(self) -> str:
        """The download's name; an earlier rendering carries its time in it."""
        name = f"handlingsplan-{self.revision.agreement.slug}-{self.revision.year}"
        if self.replaced_at is not None:
            name += f"-{timezone.localtime(self.created_at):%Y%m%d-%H%M%S}"
        return name + ".pdf"
