"""The new-agreement form and its row formsets: sub-goals, new organisations, budget lines that
are not sub-goals, and funding sources."""

from __future__ import annotations

from functools import cached_property

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bygdevekst.forms import StyledForm
from measures.models import EARLIEST_YEAR, LATEST_YEAR, Agreement, Organisation
from measures.pickers import OrganisationChoices, organisation_choices


def slug_of(text: str) -> str:
    """A key made of the text: lower case, ASCII, dashes (æøå as the plan files write them)."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return slugify(text)[:80].strip("-")


class AgreementSetupForm(StyledForm, forms.Form):
    """The agreement itself: names, period, parties from the register, målform, first year."""

    name = forms.CharField(label=_("Namn på avtala"), max_length=200)
    slug = forms.SlugField(
        label=_("Nøkkel"),
        max_length=80,
        required=False,
        help_text=_("Står i adressa til avtala. Tomt: laga av namnet."),
    )
    pilot_name = forms.CharField(label=_("Namn på piloten"), max_length=200)
    language = forms.ChoiceField(
        label=_("Målform"),
        choices=Agreement.Language.choices,
        initial=Agreement.Language.NYNORSK,
        help_text=_("Rapporten, arbeidsboka og e-postane til avtala blir skrivne på denne."),
    )
    first_year = forms.IntegerField(
        label=_("Første år"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    last_year = forms.IntegerField(
        label=_("Siste år"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    revision_year = forms.IntegerField(
        label=_("Første handlingsplan (år)"),
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        help_text=_("Eit utkast til handlingsplan for dette året blir starta med avtala."),
    )
    # Offered as the chosen ones and what the search of the register finds (party_choices).
    parties = forms.ModelMultipleChoiceField(
        label=_("Partar frå organisasjonsregisteret"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Søk etter partane i registeret og kryss dei av. Manglar ein part i registeret, "
            "legg han til under «Nye organisasjonar»."
        ),
    )
    become_editor = forms.BooleanField(
        label=_("Gje meg rolla som prosjektleiar (redaktør) i avtala"),
        required=False,
        initial=False,
        help_text=_(
            "Berre om du sjølv skal redigere planen. Ein prosjektleiar for avtala kan ikkje "
            "registrere vedtak om ho, heller ikkje godkjenninga frå KDD."
        ),
    )

    def __init__(self, *args, query: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.query = query

    def style_fields(self) -> None:
        super().style_fields()
        self.fields["parties"].widget.attrs["class"] = "ds-checkbox"
        self.fields["become_editor"].widget.attrs["class"] = "ds-checkbox"

    @cached_property
    def party_choices(self) -> OrganisationChoices:
        """The parties ticked, then the others the search of the register found."""
        chosen = self["parties"].value() or []
        return organisation_choices(None, chosen=chosen, query=self.query)

    def chosen_parties(self) -> set[str]:
        return set(map(str, self["parties"].value() or []))

    def clean_slug(self) -> str:
        """The key given, or made of the name; one no other agreement has."""
        slug = self.cleaned_data.get("slug") or slug_of(self.data.get(self.add_prefix("name"), ""))
        if not slug and self.data.get(self.add_prefix("name"), "").strip():
            raise forms.ValidationError(gettext("Skriv ein nøkkel med bokstavar eller tal."))
        if Agreement.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                gettext("Det finst alt ei avtale med nøkkelen «%(slug)s».") % {"slug": slug}
            )
        return slug

    def clean(self) -> dict:
        data = super().clean()
        first, last, year = (data.get(k) for k in ("first_year", "last_year", "revision_year"))
        if first and last and first > last:
            self.add_error("first_year", gettext("Første år kan ikkje vere etter siste år."))
        elif first and last and year and not first <= year <= last:
            self.add_error(
                "revision_year",
                gettext("Året må vere i avtaleperioden %(first)s–%(last)s.")
                % {"first": first, "last": last},
            )
        return data


class SubGoalRowForm(StyledForm, forms.Form):
    """One sub-goal: its title, main goal and weight; numbered in the order of the rows."""

    title = forms.CharField(label=_("Tittel"), max_length=200)
    main_goal = forms.CharField(label=_("Hovudmål"), widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.IntegerField(label=_("Vekting (%)"), min_value=0, max_value=100)


class OrganisationRowForm(StyledForm, forms.Form):
    """An organisation the register lacks, added to it as a party of the new agreement."""

    name = forms.CharField(label=_("Namn"), max_length=200)
    short_name = forms.CharField(label=_("Kortnamn"), max_length=80, required=False)
    # With an initial value a row left blank is unchanged, and left out.
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.MUNICIPALITY,
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                gettext("«%(name)s» finst alt i registeret: vel organisasjonen i lista over.")
                % {"name": name}
            )
        if not slug_of(name):
            raise forms.ValidationError(gettext("Namnet må ha bokstavar eller tal."))
        return name


class BudgetLineRowForm(StyledForm, forms.Form):
    """A budget line that is not a sub-goal, such as project management."""

    title = forms.CharField(label=_("Tittel"), max_length=200)


class SourceRowForm(StyledForm, forms.Form):
    """A funding source, in column order; one of them is the state co-financing."""

    name = forms.CharField(label=_("Namn"), max_length=200)
    state_cofinancing = forms.BooleanField(label=_("Statleg medfinansiering"), required=False)

    def style_fields(self) -> None:
        super().style_fields()
        self.fields["state_cofinancing"].widget.attrs["class"] = "ds-checkbox"


class _Rows(forms.BaseFormSet):
    """Rows left empty are left out; the rows must name different things."""

    unique_field = "title"
    duplicate_message = _("To rader har same namn: «%(value)s».")

    def filled(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data]

    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for row in self.filled():
            value = row[self.unique_field].strip().lower()
            if slug_of(value) in seen:
                raise forms.ValidationError(
                    self.duplicate_message % {"value": row[self.unique_field]}
                )
            seen.add(slug_of(value))


class _SubGoalRows(_Rows):
    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.non_form_errors():
            return
        rows = self.filled()
        if not rows:
            raise forms.ValidationError(gettext("Avtala må ha minst eitt delmål."))
        total = sum(row["weight"] for row in rows)
        if total != 100:
            raise forms.ValidationError(
                gettext("Vektinga av delmåla er til saman %(total)s %%, ikkje 100 %%.")
                % {"total": total}
            )


class _OrganisationRows(_Rows):
    unique_field = "name"


class _SourceRows(_Rows):
    unique_field = "name"

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.non_form_errors():
            return
        rows = self.filled()
        if not rows:
            raise forms.ValidationError(gettext("Avtala må ha minst éi finansieringskjelde."))
        if sum(1 for row in rows if row["state_cofinancing"]) != 1:
            raise forms.ValidationError(
                gettext("Kryss av for nøyaktig éi kjelde som statleg medfinansiering.")
            )


# Blank rows to fill in; "Legg til rad" adds one more, without JavaScript.
SubGoalFormSet = forms.formset_factory(SubGoalRowForm, formset=_SubGoalRows, extra=3)
OrganisationFormSet = forms.formset_factory(OrganisationRowForm, formset=_OrganisationRows, extra=1)
BudgetLineFormSet = forms.formset_factory(BudgetLineRowForm, formset=_Rows, extra=1)
SourceFormSet = forms.formset_factory(SourceRowForm, formset=_SourceRows, extra=3)

FORMSETS = {
    "sub_goals": SubGoalFormSet,
    "organisations": OrganisationFormSet,
    "lines": BudgetLineFormSet,
    "sources": SourceFormSet,
}
