"""The money's forms: the accounts grid, the explanations, KDD's return and payments."""

from __future__ import annotations

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

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


def spending_saved(year: int, count: int) -> str:
    """What the project leader reads once cells of the year's accounts are saved."""
    return ngettext(
        "Rekneskapen for %(year)s er lagra (%(count)d celle endra).",
        "Rekneskapen for %(year)s er lagra (%(count)d celler endra).",
        count,
    ) % {"year": year, "count": count}


class SpendingGridForm(BudgetGridForm):
    """The year's spending, every line by every source: the budget grid's fields and its
    conflict check, written through money.workflow (which asks who may)."""

    # What the audit log calls a save of this grid (bygdevekst.logs.audit).
    audit_event = "accounts_cells"

    def __init__(self, *args, accounts: Accounts | None, **kwargs) -> None:
        self.accounts = accounts
        super().__init__(*args, **kwargs)

    @classmethod
    def of(cls, data, comparison: Comparison) -> SpendingGridForm:
        """The grid of the comparison's year, showing its saved cells, bound to `data`."""
        return cls(
            data,
            accounts=comparison.accounts,
            year=comparison.year,
            lines=[row.line for row in comparison.rows],
            sources=comparison.sources,
            current=Spending.objects.cells(comparison.accounts),
        )

    def save_as(self, user) -> int:
        """Write the cells this person changed; GridConflict, and nothing written, if someone
        else saved another value in one of them since it was shown."""
        changes = [SpendingChange(c.line, c.source, c.old, c.new) for c in self.changes()]
        try:
            return self.write(user, changes)
        except SpendingConflict as conflict:
            raise GridConflict(
                [(c.line, c.source, saved, c.new) for c, saved in conflict.conflicts]
            ) from conflict

    def write(self, user, changes: list[SpendingChange]) -> int:
        if not changes:
            return 0
        agreement = self.lines[0].agreement
        return workflow.save_spending(
            agreement=agreement, year=self.year, user=user, changes=changes
        )

    def saved_message(self, count: int) -> str:
        return spending_saved(self.year, count)

    def saved_cells(self) -> dict[tuple[int, int], int]:
        agreement = self.lines[0].agreement
        self.accounts = Accounts.objects.filter(agreement=agreement, year=self.year).first()
        return Spending.objects.cells(self.accounts)


class CorrectionGridForm(SpendingGridForm):
    """KDD's correction of accepted accounts: the grid, and why; written through
    money.workflow.correct_accounts, which records who, when, why and what changed (and
    refuses a correction that changes nothing)."""

    audit_event = "accounts_correction"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = reason_field(gettext_lazy("Kvifor blir rekneskapen retta?"))
        self.style_fields()

    def write(self, user, changes: list[SpendingChange]) -> int:
        reason = self.cleaned_data["reason"]
        workflow.correct_accounts(accounts=self.accounts, user=user, reason=reason, changes=changes)
        return len(changes)

    def saved_message(self, count: int) -> str:
        return gettext("Rettinga av rekneskapen for %(year)s er lagra.") % {"year": self.year}


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
    """A payment of the state's co-financing, as KDD records it (money.workflow checks the
    amount, the date and the reference, and says why it refuses)."""

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
