"""The money itself: each year's accounts (actual spending per budget line and source), their
steps from draft to KDD's acceptance, KDD's payments, and the corrections of either.

Accepted accounts and recorded payments are decisions: no save changes them except through a
correction (money/workflow.py), which is itself recorded with who, when and why.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budget.models import MAX_KRONER, BudgetLine, FundingSource
from budget.money import as_kroner
from measures.history import TrackedQuerySet
from measures.models import Agreement, year_validators


class FrozenMoneyError(Exception):
    """Accepted accounts or a recorded payment changed outside a correction."""


class Accounts(models.Model):
    """The accounts (rekneskap) of one agreement for one year, on their way to KDD."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Under arbeid")
        SUBMITTED = "submitted", _("Sendt til KDD")
        RETURNED = "returned", _("Sendt tilbake av KDD")
        ACCEPTED = "accepted", _("Godkjend av KDD")

    # PROTECT: an agreement with accounts cannot be deleted, so accepted ones cannot vanish.
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("avtale")
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=year_validators)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    class Meta:
        ordering = ["agreement", "year"]
        verbose_name = _("rekneskap")
        verbose_name_plural = _("rekneskapar")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="one_accounts_per_year"),
        ]

    def __str__(self) -> str:
        return _("Rekneskap %(year)s for %(agreement)s") % {
            "year": self.year,
            "agreement": self.agreement,
        }

    def get_absolute_url(self) -> str:
        return reverse("money:accounts", args=[self.agreement.slug, self.year])

    @property
    def is_open(self) -> bool:
        """The project leader may still change the figures and explanations."""
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED


class FrozenOnceAccepted(models.Model):
    """A row of a year's accounts: refused once KDD has accepted them, unless corrected."""

    class Meta:
        abstract = True

    def save(self, *args, correction: bool = False, **kwargs) -> None:
        self._guard(correction)
        super().save(*args, **kwargs)

    def delete(self, *args, correction: bool = False, **kwargs):
        self._guard(correction)
        return super().delete(*args, **kwargs)

    def _guard(self, correction: bool) -> None:
        accepted = Accounts.objects.filter(pk=self.accounts_id, status=Accounts.Status.ACCEPTED)
        if not correction and accepted.exists():
            raise FrozenMoneyError(
                _("Rekneskapen er godkjend av KDD og kan berre endrast med ein registrert retting.")
            )


class AccountsRowQuerySet(TrackedQuerySet):
    """Rows of a year's accounts: deleted one by one, so the acceptance guard sees each."""

    def delete(self):
        for row in self:
            row.delete()
        return len(self), {}


class SpendingQuerySet(AccountsRowQuerySet):
    def cells(self, accounts: Accounts | None) -> dict[tuple[int, int], int]:
        """The accounts' spending as (line id, source id) → kroner."""
        if accounts is None or accounts.pk is None:
            return {}
        return {(s.line_id, s.source_id): s.kroner for s in self.filter(accounts=accounts)}


class Spending(FrozenOnceAccepted):
    """Kroner actually spent on one budget line from one source in the accounts' year."""

    accounts = models.ForeignKey(
        Accounts, on_delete=models.PROTECT, related_name="spending", verbose_name=_("rekneskap")
    )
    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("budsjettline")
    )
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("finansieringskjelde"),
    )
    kroner = models.BigIntegerField(
        _("brukt (kr)"), validators=[MinValueValidator(0), MaxValueValidator(MAX_KRONER)]
    )

    objects = SpendingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["accounts", "line__number", "source__position"]
        verbose_name = _("rekneskapsbeløp")
        verbose_name_plural = _("rekneskapsbeløp")
        constraints = [
            models.UniqueConstraint(
                fields=["accounts", "line", "source"], name="one_spending_per_line_source"
            ),
            models.CheckConstraint(
                condition=Q(kroner__gte=0),
                name="spending_not_negative",
                violation_error_message=_("Beløpet kan ikkje vere negativt."),
            ),
            models.CheckConstraint(
                condition=Q(kroner__lte=MAX_KRONER),
                name="spending_within_reason",
                violation_error_message=_("Beløpet er urimeleg stort."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.title}, {self.source.name}: {as_kroner(self.kroner)}"


class Explanation(FrozenOnceAccepted):
    """The project leader's explanation of a budget line's deviation from the approved budget."""

    accounts = models.ForeignKey(
        Accounts,
        on_delete=models.PROTECT,
        related_name="explanations",
        verbose_name=_("rekneskap"),
    )
    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("budsjettline")
    )
    text = models.TextField(_("forklaring"))

    objects = AccountsRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["accounts", "line__number"]
        verbose_name = _("forklaring av avvik")
        verbose_name_plural = _("forklaringar av avvik")
        constraints = [
            models.UniqueConstraint(fields=["accounts", "line"], name="one_explanation_per_line"),
        ]

    def __str__(self) -> str:
        return f"{self.line.title}: {self.text[:60]}"


class AccountsEvent(models.Model):
    """A step of the accounts: submitted, returned (with KDD's comment), accepted, corrected."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Sendt til KDD")
        RETURNED = "returned", _("Sendt tilbake av KDD")
        ACCEPTED = "accepted", _("Godkjend av KDD")

    accounts = models.ForeignKey(
        Accounts, on_delete=models.PROTECT, related_name="events", verbose_name=_("rekneskap")
    )
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

    class Meta:
        ordering = ["accounts", "at", "pk"]
        verbose_name = _("hending i rekneskapen")
        verbose_name_plural = _("hendingar i rekneskapen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y}"


class Payment(models.Model):
    """A payment of the state's co-financing by KDD, for one year's plan."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="payments", verbose_name=_("avtale")
    )
    year = models.PositiveSmallIntegerField(
        _("handlingsplan for år"),
        validators=year_validators,
        help_text=_("Året handlingsplanen som utbetalinga gjeld, er for."),
    )
    paid_on = models.DateField(_("utbetalt"))
    kroner = models.BigIntegerField(
        _("beløp (kr)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_KRONER)]
    )
    reference = models.CharField(_("referanse"), max_length=100)
    recorded_at = models.DateTimeField(_("registrert"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registrert av"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "paid_on", "pk"]
        verbose_name = _("utbetaling")
        verbose_name_plural = _("utbetalingar")
        constraints = [
            models.CheckConstraint(
                condition=Q(kroner__gt=0) & Q(kroner__lte=MAX_KRONER),
                name="payment_within_reason",
                violation_error_message=_("Beløpet må vere over 0 og rimeleg stort."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on:%d.%m.%Y} {as_kroner(self.kroner)} ({self.reference})"

    def save(self, *args, correction: bool = False, **kwargs) -> None:
        if self.pk is not None and not correction:
            raise FrozenMoneyError(
                _("Ei registrert utbetaling kan berre endrast med ein registrert retting.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenMoneyError(
            _("Ei registrert utbetaling kan berre endrast med ein registrert retting.")
        )


class Correction(models.Model):
    """A recorded change to accepted accounts or to a payment: who, when, why, and what."""

    # The agreement repeats the accounts' or the payment's, so that an agreement's corrections
    # are one indexed filter and the agreement cannot be deleted under them (PROTECT).
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("avtale")
    )
    accounts = models.ForeignKey(
        Accounts, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    at = models.DateTimeField(_("tid"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("brukar"),
    )
    reason = models.TextField(_("grunngjeving"))
    changes = models.TextField(_("endringar"), help_text=_("Kva som vart endra, frå og til."))

    class Meta:
        ordering = ["agreement", "at", "pk"]
        verbose_name = _("retting")
        verbose_name_plural = _("rettingar")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(accounts__isnull=False, payment__isnull=True)
                    | Q(payment__isnull=False, accounts__isnull=True)
                ),
                name="correction_corrects_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.at:%d.%m.%Y}: {self.reason[:60]}"

    @property
    def subject(self) -> str:
        """What was corrected, in words: accepted accounts or a payment."""
        return _("Godkjend rekneskap") if self.accounts_id else _("Utbetaling")
