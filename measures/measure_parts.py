"""A measure's parts: the organisations involved in it, and its text sections."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .history import TrackedQuerySet
from .markdown import render_markdown
from .organisations import Organisation
from .versioning import Versioned


class Involvement(models.Model):
    """An organisation leading or taking part in a measure."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Hovudansvarleg")
        PARTNER = "partner", _("Samarbeidspart")

    measure = models.ForeignKey(
        "Measure", on_delete=models.CASCADE, related_name="involvements", verbose_name=_("tiltak")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="involvements",
        verbose_name=_("organisasjon"),
    )
    role = models.CharField(_("rolle"), max_length=10, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("rekkjefølgje"), default=0)

    objects = TrackedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "role", "position"]
        verbose_name = _("deltaking i tiltak")
        verbose_name_plural = _("deltaking i tiltak")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "organisation", "role"], name="involvement_once_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display().lower()} – {self.measure}"


class Section(Versioned):
    """A text section of a measure: one of the standard ones, or a free one with its heading."""

    class Kind(models.TextChoices):
        CHALLENGE = "challenge", _("Utfordring")
        DESCRIPTION = "description", _("Skildring av tiltaket")
        FIRST_STEPS = "first_steps", _("Første steg")
        CONTRIBUTORS = "contributors", _("Kven bidreg – og korleis?")
        OTHER = "other", _("Anna")

    measure = models.ForeignKey(
        "Measure", on_delete=models.CASCADE, related_name="sections", verbose_name=_("tiltak")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    heading = models.CharField(
        _("overskrift"),
        max_length=200,
        blank=True,
        help_text=_("Tom for standardseksjonar betyr standardoverskrifta."),
    )
    body = models.TextField(
        _("tekst"), help_text=_("Markdown: lister med «-», utheving med **feit**.")
    )
    position = models.PositiveSmallIntegerField(_("rekkjefølgje"), default=0)

    objects = TrackedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["measure", "position"]
        verbose_name = _("tekstseksjon")
        verbose_name_plural = _("tekstseksjonar")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "kind"],
                condition=~Q(kind="other"),
                name="standard_section_once_per_measure",
                violation_error_message=_("Tiltaket har alt ein slik standardseksjon."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_heading or gettext("Seksjon %(number)s") % {"number": self.position}

    @property
    def display_heading(self) -> str:
        if self.heading:
            return self.heading
        return "" if self.kind == self.Kind.OTHER else self.get_kind_display()

    def body_html(self) -> str:
        return render_markdown(self.body)
