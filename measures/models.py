"""The living plan: organisations, agreements, sub-goals, measures and who may see them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .history import TrackedQuerySet
from .markdown import render_markdown
from .measure_parts import Involvement, Section  # Django finds the app's models in models.py
from .organisations import Membership, Organisation  # noqa: F401 - Membership: as above
from .prose import as_prose, join_parts
from .publication import Publication
from .versioning import Versioned, update_if_current

# Years outside this range are typing errors, whatever the agreement says.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
year_validators = [MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)]
PERIOD_OUT_OF_ORDER = _("Første år kan ikkje vere etter siste år.")


class Agreement(Versioned, Publication):
    """A bygdevekstavtale between a group of municipalities, the county and the state."""

    class Language(models.TextChoices):
        """The agreement's målform: its report, workbook and e-mails are written in it."""

        NYNORSK = "nn", _("Nynorsk")
        BOKMAL = "nb", _("Bokmål")

    slug = models.SlugField(_("nøkkel"), max_length=80, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    pilot_name = models.CharField(_("namn på piloten"), max_length=200)
    language = models.CharField(
        _("målform"), max_length=2, choices=Language.choices, default="nn", db_default="nn"
    )
    signed_on = models.DateField(_("signert"), null=True, blank=True)
    first_year = models.PositiveSmallIntegerField(_("første år"), validators=year_validators)
    last_year = models.PositiveSmallIntegerField(_("siste år"), validators=year_validators)
    parties = models.ManyToManyField(
        Organisation, related_name="agreements", verbose_name=_("partar"), through="Party"
    )
    introduction = models.TextField(_("introduksjon"), blank=True)
    framework = models.TextField(_("rammer for handlingsplanen"), blank=True)
    priorities = models.TextField(_("prioriteringar"), blank=True)
    organisation_text = models.TextField(_("organisering"), blank=True)
    anchoring_text = models.TextField(_("lokal og regional forankring"), blank=True)
    objects = TrackedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("bygdevekstavtale")
        verbose_name_plural = _("bygdevekstavtalar")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_year__lte=models.F("last_year")),
                name="agreement_period_in_order",
                violation_error_message=PERIOD_OUT_OF_ORDER,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measures:agreement-detail", args=[self.slug])

    def clean(self) -> None:
        """The period in order (agreement_period_in_order), said beside the first year."""
        if self.first_year and self.last_year and self.first_year > self.last_year:
            raise ValidationError({"first_year": PERIOD_OUT_OF_ORDER})

    @property
    def period(self) -> str:
        return f"{self.first_year}–{self.last_year}"

    @property
    def years(self) -> range:
        """Every year of the agreement period, in order."""
        return range(self.first_year, self.last_year + 1)

    def year_from(self, text: str) -> int | None:
        """The year written in `text` (a query parameter), if it is a year of the agreement."""
        try:
            year = int(text)
        except (TypeError, ValueError):
            return None
        return year if year in self.years else None

    def check_year(self, year: int | None, field: str = "year") -> None:
        """Raise a ValidationError if the year lies outside the agreement period."""
        if year is not None and year not in self.years:
            raise ValidationError(
                {
                    field: gettext("Året %(year)s er utanfor avtaleperioden %(period)s.")
                    % {"year": year, "period": self.period}
                }
            )

    def introduction_html(self) -> str:
        return render_markdown(self.introduction)

    def framework_html(self) -> str:
        return render_markdown(self.framework)

    def priorities_html(self) -> str:
        return render_markdown(self.priorities)

    def organisation_text_html(self) -> str:
        return render_markdown(self.organisation_text)

    def anchoring_text_html(self) -> str:
        return render_markdown(self.anchoring_text)

    def municipalities(self) -> list[Organisation]:
        """The municipalities among the parties, in party order."""
        return [party for party in self.ordered_parties() if party.is_municipality]

    def ordered_parties(self) -> list[Organisation]:
        return [p.organisation for p in self.party_set.select_related("organisation")]

    def weight_total(self) -> int:
        return sum(goal.weight for goal in self.sub_goals.all())


class Party(models.Model):
    """An organisation that signed the agreement, in the order the agreement names them."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, verbose_name=_("avtale"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("organisasjon")
    )
    position = models.PositiveSmallIntegerField(_("rekkjefølgje"), default=0)

    objects = TrackedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("avtalepart")
        verbose_name_plural = _("avtalepartar")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="party_once_per_agreement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.agreement}"


class SubGoal(Versioned):
    """A delmål of an agreement, with its main goal and the weight of effort it gets."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="sub_goals", verbose_name=_("avtale")
    )
    number = models.PositiveSmallIntegerField(_("nummer"), validators=[MinValueValidator(1)])
    title = models.CharField(_("tittel"), max_length=200)
    main_goal = models.TextField(_("hovudmål"))
    weight = models.PositiveSmallIntegerField(_("vekting (%)"), validators=[MaxValueValidator(100)])
    introduction = models.TextField(_("innleiing"), blank=True)
    remark = models.TextField(_("merknad"), blank=True)

    objects = TrackedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("delmål")
        verbose_name_plural = _("delmål")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="sub_goal_number_unique",
                violation_error_message=_("Det finst alt eit delmål med dette nummeret."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="sub_goal_weight_percent"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Delmål %(number)s: %(title)s") % {
            "number": self.number,
            "title": self.title,
        }

    def get_absolute_url(self) -> str:
        return (
            reverse("measures:agreement-detail", args=[self.agreement.slug])
            + f"#delmal-{self.number}"
        )

    def introduction_html(self) -> str:
        return render_markdown(self.introduction)

    def remark_html(self) -> str:
        return render_markdown(self.remark)


class MeasureQuerySet(TrackedQuerySet):
    def with_organisations(self) -> MeasureQuerySet:
        """Load leads and partners in one more query, whatever the number of measures."""
        # Explicit order: the default one ("measure" first) would join Measure's own ordering.
        involvements = Involvement.objects.select_related("organisation").order_by(
            "role", "position"
        )
        return self.prefetch_related(Prefetch("involvements", queryset=involvements))

    def with_sections(self) -> MeasureQuerySet:
        return self.prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("position"))
        )


class Measure(Versioned):
    """A tiltak: numbered within its sub-goal, identified for good by its key."""

    class Priority(models.TextChoices):
        NOW = "now", _("Prioritert no")
        LATER = "later", _("Prioritert seinare i perioden")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktivt")
        CLOSED = "closed", _("Avslutta")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="measures", verbose_name=_("avtale")
    )
    sub_goal = models.ForeignKey(
        SubGoal, on_delete=models.PROTECT, related_name="measures", verbose_name=_("delmål")
    )
    key = models.SlugField(
        _("nøkkel"),
        max_length=80,
        help_text=_(
            "Fast identitet som følgjer tiltaket sjølv om det får nytt nummer eller delmål."
        ),
    )
    number = models.PositiveSmallIntegerField(_("nummer"), validators=[MinValueValidator(1)])
    title = models.CharField(_("tittel"), max_length=200)
    tagline = models.CharField(_("undertittel"), max_length=300, blank=True)
    organisations = models.ManyToManyField(
        Organisation, through="Involvement", related_name="measures"
    )
    leads_more = models.CharField(
        _("fleire hovudansvarlege"),
        max_length=300,
        blank=True,
        help_text=_("Fritekst etter organisasjonane, til dømes «m.fl.»."),
    )
    partners_more = models.CharField(
        _("fleire samarbeidspartar"),
        max_length=300,
        blank=True,
        help_text=_("Fritekst etter organisasjonane, til dømes «m.fl.»."),
    )
    start_year = models.PositiveSmallIntegerField(
        _("frå år"), null=True, blank=True, validators=year_validators
    )
    end_year = models.PositiveSmallIntegerField(
        _("til år"), null=True, blank=True, validators=year_validators
    )
    at_next_revision = models.BooleanField(
        _("vurderast ved neste rullering"),
        default=False,
        help_text=_("Tidsramma er ikkje fastsett; tiltaket kan følgjast opp ved neste rullering."),
    )
    priority = models.CharField(
        _("prioritet"), max_length=10, choices=Priority.choices, default=Priority.NOW
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    closed_on = models.DateField(_("avslutta"), null=True, blank=True)

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["sub_goal__number", "number"]
        verbose_name = _("tiltak")
        verbose_name_plural = _("tiltak")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="measure_key_unique"),
            models.UniqueConstraint(
                fields=["sub_goal", "number"],
                name="measure_number_unique_in_sub_goal",
                violation_error_message=_(
                    "Det finst alt eit tiltak med dette nummeret i delmålet."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(at_next_revision=True, start_year__isnull=True, end_year__isnull=True)
                    | Q(
                        at_next_revision=False,
                        start_year__isnull=False,
                        end_year__isnull=False,
                        start_year__lte=models.F("end_year"),
                    )
                ),
                name="measure_timeframe_valid",
                violation_error_message=(
                    _(
                        "Tidsramma må ha frå- og til-år (frå før til), "
                        "eller vere «ved neste rullering»."
                    )
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="closed") | Q(closed_on__isnull=True),
                name="measure_only_closed_has_closed_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("measures:measure-detail", args=[self.agreement.slug, self.key])

    def clean(self) -> None:
        """The measure's rules, each said beside its field; forms, admin and plan files ask here."""
        errors = self._timeframe_errors()
        if (
            self.sub_goal_id
            and self.agreement_id
            and self.sub_goal.agreement_id != self.agreement_id
        ):
            errors["sub_goal"] = gettext("Delmålet høyrer til ei anna avtale.")
        if errors:
            raise ValidationError(errors)

    def _timeframe_errors(self) -> dict[str, str]:
        """Both years, within the agreement period, start first; or none, at the next revision.

        The measure_timeframe_valid constraint (and the database's triggers for the period)
        guard the same rule; this says what is wrong, beside the year it is about.
        """
        years = {"start_year": self.start_year, "end_year": self.end_year}
        if self.at_next_revision:
            return {
                name: gettext(
                    "Ta bort året, eller ta bort krysset for «vurderast ved neste rullering»."
                )
                for name, year in years.items()
                if year is not None
            }
        errors = {
            name: gettext("Skriv eit år, eller kryss av for «vurderast ved neste rullering».")
            for name, year in years.items()
            if year is None
        }
        # Also an unsaved agreement: the plan-file reader checks a file before it is imported.
        agreement = getattr(self, "agreement", None)
        for name, year in years.items():
            if agreement is not None and year is not None:
                try:
                    agreement.check_year(year, name)
                except ValidationError as error:
                    errors[name] = error.messages[0]
        if not errors and self.start_year > self.end_year:
            errors["end_year"] = gettext("Sluttåret kan ikkje vere før startåret.")
        return errors

    def check_closing_date(self, on: datetime.date) -> None:
        """A measure closes within its agreement's period, and not later than today."""
        agreement = self.agreement
        first = datetime.date(agreement.first_year, 1, 1)
        last = datetime.date(agreement.last_year, 12, 31)
        today = timezone.localdate()
        if not first <= on <= last:
            raise ValidationError(
                gettext("Datoen må vere i avtaleperioden %(period)s (%(first)s–%(last)s).")
                % {
                    "period": agreement.period,
                    "first": date_format(first, "SHORT_DATE_FORMAT"),
                    "last": date_format(last, "SHORT_DATE_FORMAT"),
                }
            )
        if on > today:
            raise ValidationError(
                gettext("Eit tiltak kan ikkje avsluttast fram i tid. I dag er %(today)s.")
                % {"today": date_format(today, "SHORT_DATE_FORMAT")}
            )

    def close(self, on, *, version: int) -> None:
        """Mark the measure closed on the given date (its history keeps what it was), if it is
        still at the version the person saw; else StaleVersion. Only the status is written."""
        update_if_current(self, version, status=self.Status.CLOSED, closed_on=on)

    def reopen(self, *, version: int) -> None:
        """Make a closed measure active again, as close() does: checked, only the status."""
        update_if_current(self, version, status=self.Status.ACTIVE, closed_on=None)

    @property
    def code(self) -> str:
        """The number readers use: sub-goal and measure, e.g. 1.3."""
        return f"{self.sub_goal.number}.{self.number}"

    @property
    def timeframe(self) -> str:
        if self.at_next_revision:
            return gettext("Mogleg å følge opp ved neste rullering")
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def is_later(self) -> bool:
        return self.priority == self.Priority.LATER

    def _involved(self, role: str) -> list[Organisation]:
        """Organisations in this role, in order; pages load them with `with_organisations()`."""
        return [i.organisation for i in self.involvements.all() if i.role == role]

    def leads(self) -> list[Organisation]:
        return self._involved(Involvement.Role.LEAD)

    def partners(self) -> list[Organisation]:
        return self._involved(Involvement.Role.PARTNER)

    def lead_parts(self) -> list[tuple[str, Organisation | str]]:
        return join_parts(self.leads(), self.leads_more)

    def partner_parts(self) -> list[tuple[str, Organisation | str]]:
        return join_parts(self.partners(), self.partners_more)

    def leads_display(self) -> str:
        return as_prose([organisation.name for organisation in self.leads()], self.leads_more)

    def partners_display(self) -> str:
        return as_prose([organisation.name for organisation in self.partners()], self.partners_more)
