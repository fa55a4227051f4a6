"""Money in the plan: budget lines, funding sources and one fact table of whole kroner."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.history import TrackedQuerySet
from measures.models import Agreement, SubGoal, year_validators

from .money import as_kroner


class BudgetLine(models.Model):
    """A row of the budget tables: a sub-goal, or a line such as "Prosjektleiing"."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("avtale")
    )
    key = models.SlugField(_("nøkkel"), max_length=80)
    number = models.PositiveSmallIntegerField(_("nummer"), validators=[MinValueValidator(1)])
    title = models.CharField(_("tittel"), max_length=200)
    sub_goal = models.OneToOneField(
        SubGoal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_line",
        verbose_name=_("delmål"),
        help_text=_("Tom for liner som ikkje er delmål, til dømes prosjektleiing."),
    )

    objects = TrackedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("budsjettline")
        verbose_name_plural = _("budsjettliner")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="budget_line_key_unique"),
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="budget_line_number_unique",
                violation_error_message=_("Det finst alt ei budsjettline med dette nummeret."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        if self.sub_goal_id and self.sub_goal.agreement_id != self.agreement_id:
            raise ValidationError({"sub_goal": _("Delmålet høyrer til ei anna avtale.")})


class FundingSource(models.Model):
    """Where money comes from: the state grant (KDD 13.50 post 66), the municipalities, ..."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="funding_sources",
        verbose_name=_("avtale"),
    )
    key = models.SlugField(_("nøkkel"), max_length=80)
    name = models.CharField(_("namn"), max_length=200)
    position = models.PositiveSmallIntegerField(_("rekkjefølgje"), default=0)
    is_state_cofinancing = models.BooleanField(
        _("statleg medfinansiering"),
        default=False,
        help_text=_(
            "Kjelda som budsjettet for heile avtaleperioden (statleg medfinansiering) viser."
        ),
    )

    objects = TrackedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "position"]
        verbose_name = _("finansieringskjelde")
        verbose_name_plural = _("finansieringskjelder")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="funding_source_key_unique"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(is_state_cofinancing=True),
                name="one_state_cofinancing_source",
                violation_error_message=_("Berre éi kjelde kan vere statleg medfinansiering."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# The largest amount anyone may plan in one cell: larger is a typing mistake (or an attack).
# Every input checks it with its own words; Amount's validator and constraint hold it for all.
MAX_KRONER = 10**12


class AmountQuerySet(TrackedQuerySet):
    def cells(self, agreement: Agreement, year: int) -> dict[tuple[int, int], int]:
        """One year's amounts of the agreement as (line id, source id) → kroner."""
        rows = self.filter(line__agreement=agreement, year=year)
        return {(a.line_id, a.source_id): a.kroner for a in rows}

    def locked_cells(self, agreement_id: int) -> dict[tuple[int, int, int], int]:
        """Every amount of the agreement as (line id, year, source id) → kroner, read under
        the budget's lock.

        The lock is on the agreement's budget lines, taken in a fixed order and held to the
        end of the transaction: whoever writes amounts (the grid, an uploaded workbook) takes
        it first, so they go one at a time and each checks what the one before saved, empty
        cells included (a row lock alone cannot guard a cell that has no row yet).
        """
        lines = BudgetLine.objects.filter(agreement_id=agreement_id).select_for_update()
        list(lines.order_by("pk").values_list("pk", flat=True))
        rows = self.filter(line__agreement_id=agreement_id)
        return {(a.line_id, a.year, a.source_id): a.kroner for a in rows}


class Amount(models.Model):
    """Planned kroner for one budget line, one year, from one source. Totals are computed."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("budsjettline")
    )
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        related_name="amounts",
        verbose_name=_("finansieringskjelde"),
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=year_validators)
    kroner = models.BigIntegerField(
        _("beløp (kr)"), validators=[MinValueValidator(0), MaxValueValidator(MAX_KRONER)]
    )

    objects = AmountQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["line__number", "year", "source__position"]
        verbose_name = _("beløp")
        verbose_name_plural = _("beløp")
        constraints = [
            models.UniqueConstraint(
                fields=["line", "source", "year"], name="one_amount_per_line_source_year"
            ),
            models.CheckConstraint(
                condition=Q(kroner__gte=0),
                name="amount_not_negative",
                violation_error_message=_("Beløpet kan ikkje vere negativt."),
            ),
            models.CheckConstraint(
                condition=Q(kroner__lte=MAX_KRONER),
                name="amount_within_reason",
                violation_error_message=_("Beløpet er urimeleg stort."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.title} {self.year} {self.source.name}: {as_kroner(self.kroner)}"

    def clean(self) -> None:
        # The period lives on the agreement, another table, so SQL cannot check it.
        if self.line_id:
            self.line.agreement.check_year(self.year)
            if self.source_id and self.source.agreement_id != self.line.agreement_id:
                raise ValidationError({"source": _("Kjelda høyrer til ei anna avtale.")})


class Footnote(models.Model):
    """A footnote of one budget table, anchored to the cell that carries its marker."""

    class Table(models.TextChoices):
        ALLOCATION = "allocation", _("Fordeling av budsjett for heile avtaleperioden")
        FINANCING = "financing", _("Samla budsjett og finansiering for eitt år")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="footnotes", verbose_name=_("avtale")
    )
    table = models.CharField(_("tabell"), max_length=20, choices=Table.choices)
    year = models.PositiveSmallIntegerField(
        _("år"),
        null=True,
        blank=True,
        validators=year_validators,
        help_text=_("Året finansieringstabellen gjeld; tomt for heile perioden."),
    )
    marker = models.CharField(_("merke"), max_length=5, default="*")
    text = models.TextField(_("tekst"))
    line = models.ForeignKey(
        BudgetLine,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("budsjettline"),
        help_text=_("Lina merket står på; tom for summelina."),
    )
    column = models.CharField(
        _("kolonne"),
        max_length=80,
        help_text=_("«total», eit årstal (fordeling) eller nøkkelen til ei kjelde (finansiering)."),
    )

    objects = TrackedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "table", "year", "marker"]
        verbose_name = _("fotnote")
        verbose_name_plural = _("fotnotar")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(table="allocation", year__isnull=True)
                    | Q(table="financing", year__isnull=False)
                ),
                name="footnote_year_only_for_financing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.marker} {self.text}"

    def clean(self) -> None:
        if self.agreement_id and self.year is not None:
            self.agreement.check_year(self.year)
