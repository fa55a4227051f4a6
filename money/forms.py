"""The money's forms: the accounts grid, the explanations, KDD's return and payments."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from budget.forms import BudgetGridForm, GridConflict, KronerField
from bygdevekst.forms import StyledForm

from . import workflow
from .cells import SpendingChange, SpendingConflict
from .comparison import Comparison
from .models import Accounts, Spending


def reason_field(label) -> forms.CharField:
    """Why KDD corrects: required, and kept with the correction."""
    return forms.CharField(
        label=label,
        help_text=gettext_lazy("Grunngjevinga blir lagra med rettinga, namnet ditt og tida."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Skriv kvifor du rettar: grunngjevinga blir lagra.")
        },
    )


class SpendingGridForm(BudgetGridForm):
    """The year's spending, every line by every source: the budget grid's fields and its
    conflict check, written through money.workflow (which asks who may)."""

    def __init__(self, *args, accounts: Accounts | None, **kwargs) -> None:
        self.accounts = accounts
        super().__init__(*args, **kwargs)

    def save_as(self, user) -> int:
        """Write the cells this person changed; GridConflict, and nothing written, if someone
        else saved another value in one of them since it was shown."""
        changes = [SpendingChange(c.line, c.source, c.old, c.new) for c in self.changes()]
        if not changes:
            return 0
        agreement = self.lines[0].agreement
        try:
            return workflow.save_spending(
                agreement=agreement, year=self.year, user=user, changes=changes
            )
        except SpendingConflict as conflict:
            raise GridConflict(
                [(c.line, c.source, saved, c.new) for c, saved in conflict.conflicts]
            ) from conflict

    def saved_cells(self) -> dict[tuple[int, int], int]:
        agreement = self.lines[0].agreement
        self.accounts = Accounts.objects.filter(agreement=agreement, year=self.year).first()
        return Spending.objects.cells(self.accounts)


class CorrectionGridForm(SpendingGridForm):
    """KDD's correction of accepted accounts: the grid, and why; written through
    money.workflow.correct_accounts, which records who, when, why and what changed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = reason_field(gettext_lazy("Kvifor blir rekneskapen retta?"))
        self.style_fields()

    def save_as(self, user) -> int:
        changes = [SpendingChange(c.line, c.source, c.old, c.new) for c in self.changes()]
        if not changes:
            raise workflow.MoneyError(gettext("Rettinga endrar ingen tal."))
        try:
            workflow.correct_accounts(
                accounts=self.accounts,
                user=user,
                reason=self.cleaned_data["reason"],
                changes=changes,
            )
        except SpendingConflict as conflict:
            raise GridConflict(
                [(c.line, c.source, saved, c.new) for c, saved in conflict.conflicts]
            ) from conflict
        return len(changes)


def explanation_name(row) -> str:
    return f"forklaring-{row.line.pk}"


class ExplanationsForm(StyledForm, forms.Form):
    """An explanation for each line that needs one, or has one."""

    def __init__(self, *args, comparison: Comparison, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = [row for row in comparison.rows if row.needs_explanation or row.explanation]
        for row in self.rows:
            field = forms.CharField(
                label=f"{row.line.number}. {row.line.title}",
                required=False,
                initial=row.explanation,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            if row.needs_explanation:
                # Optional to save, but the accounts cannot be sent without it.
                field.needed_for_submission = gettext_lazy(
                    "avviket er over terskelen og må forklarast før rekneskapen blir sendt"
                )
            self.fields[explanation_name(row)] = field
        self.style_fields()

    def texts(self) -> dict[int, str]:
        return {row.line.pk: self.cleaned_data[explanation_name(row)] for row in self.rows}


class ReturnForm(StyledForm, forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Kva må prosjektleiaren rette?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Skriv kvifor rekneskapen blir sendt tilbake.")},
    )


class PaymentForm(StyledForm, forms.Form):
    """A payment of the state's co-financing, as KDD records it."""

    year = forms.TypedChoiceField(label=gettext_lazy("Handlingsplan for år"), coerce=int)
    paid_on = forms.DateField(
        label=gettext_lazy("Utbetalt"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kroner = KronerField(
        label=gettext_lazy("Beløp (kr)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "ds-input num"}),
    )
    reference = forms.CharField(label=gettext_lazy("Referanse"), max_length=100)

    def __init__(self, *args, agreement, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in agreement.years]

    def clean_kroner(self) -> int:
        kroner = self.cleaned_data["kroner"]
        if not kroner:
            raise forms.ValidationError(gettext_lazy("Beløpet må vere over 0."))
        return kroner

    def clean_paid_on(self) -> datetime.date:
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(
                gettext_lazy("Ei utbetaling kan ikkje vere datert fram i tid.")
            )
        return paid_on


class PaymentCorrectionForm(PaymentForm):
    """KDD's correction of a recorded payment: its date, amount and reference, and why."""

    reason = reason_field(gettext_lazy("Kvifor blir utbetalinga retta?"))

    def __init__(self, *args, payment, **kwargs) -> None:
        initial = {
            "paid_on": payment.paid_on,
            "kroner": number_format(payment.kroner, force_grouping=True),
            "reference": payment.reference,
        }
        super().__init__(*args, agreement=payment.agreement, initial=initial, **kwargs)
        del self.fields["year"]  # the year's plan it pays is not corrected: record a new one
        self.style_fields()
