"""Forms for editing the living plan. Every message is Nynorsk and stands beside its field."""

from __future__ import annotations

from functools import cached_property

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bygdevekst.forms import StyledForm

from .keys import unique_key
from .models import Agreement, Involvement, Measure, Organisation, Section, SubGoal
from .organisations import shared_refusal, shared_with
from .pickers import OrganisationChoices, organisation_choices
from .versioning import StaleVersion, Versioned


class VersionedForm(StyledForm, forms.Form):
    """Carries the version the person started from, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
        elif not self.is_bound:
            self.initial["version"] = self.instance.version


class AgreementTextsForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "name",
            "pilot_name",
            "language",
            "signed_on",
            "introduction",
            "framework",
            "priorities",
            "organisation_text",
            "anchoring_text",
        ]
        widgets = {"signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class SubGoalForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = SubGoal
        fields = ["title", "main_goal", "weight", "introduction", "remark"]
        widgets = {"main_goal": forms.Textarea(attrs={"rows": 3})}


class MeasureForm(VersionedForm, forms.ModelForm):
    """Every field of a measure but its organisations and texts, which have their own forms."""

    class Meta:
        model = Measure
        fields = [
            "sub_goal",
            "number",
            "title",
            "tagline",
            "start_year",
            "end_year",
            "at_next_revision",
            "priority",
            "leads_more",
            "partners_more",
        ]

    def __init__(self, *args, agreement: Agreement, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        self.fields["sub_goal"].queryset = agreement.sub_goals.all()
        self.fields["sub_goal"].empty_label = None
        self.fields["number"].help_text = _(
            "Nummeret i delmålet. Tiltaket held identiteten sin sjølv om nummeret endrar seg."
        )
        # The years are dropped when the box is ticked (clean): said before, not after.
        self.fields["at_next_revision"].help_text = _(
            "Tidsramma er ikkje fastsett; tiltaket kan følgjast opp ved neste rullering. "
            "Kryssar du av, blir «frå år» og «til år» fjerna."
        )

    def clean(self) -> dict:
        """Drop the years when the box is ticked; Measure.clean judges the timeframe."""
        data = super().clean()
        if data.get("at_next_revision"):
            data["start_year"] = data["end_year"] = None
        goal, number = data.get("sub_goal"), data.get("number")
        if goal and number:
            clash = goal.measures.filter(number=number).exclude(pk=self.instance.pk).first()
            if clash:
                self.add_error(
                    "number",
                    gettext("Delmål %(goal)s har alt tiltak %(number)s: «%(title)s».")
                    % {"goal": goal.number, "number": number, "title": clash.title},
                )
        return data


ORGANISATION_CHOICE_ERRORS = {
    "invalid_choice": _("Vel organisasjonar frå lista: %(value)s finst ikkje i registeret."),
    "invalid_pk_value": _("Vel organisasjonar frå lista: «%(pk)s» er ikkje ein av dei."),
}


class MeasureCreateForm(MeasureForm):
    """A new measure with its leads and partners chosen from the register, saved in one step."""

    leads = forms.ModelMultipleChoiceField(
        label=_("Hovudansvarlege"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=ORGANISATION_CHOICE_ERRORS,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Samarbeidspartar"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=ORGANISATION_CHOICE_ERRORS,
    )

    def clean(self) -> dict:
        """Every measure in the plan's tables names its lead: one chosen, or written."""
        data = super().clean()
        if not data.get("leads") and not data.get("leads_more", "").strip():
            self.add_error(
                "leads",
                _(
                    "Vel minst éin hovudansvarleg, eller skriv kven som er hovudansvarleg "
                    "under «Fleire hovudansvarlege»."
                ),
            )
        return data

    def __init__(self, *args, agreement: Agreement, query: str = "", **kwargs) -> None:
        super().__init__(*args, agreement=agreement, **kwargs)
        self.query = query

    @cached_property
    def choices(self) -> OrganisationChoices:
        """The agreement's organisations and the ticked ones, then what the search found."""
        chosen = [*(self["leads"].value() or []), *(self["partners"].value() or [])]
        return organisation_choices(self.instance.agreement, chosen=chosen, query=self.query)

    def organisation_groups(self) -> list[tuple[str, list[tuple[Organisation, bool, bool]]]]:
        """The agreement's organisations by kind, then the search's finds, each with whether it
        is ticked as lead and as partner: the rows of the form's table, in the order the
        choices are saved."""
        leads, partners = (
            set(map(str, self[name].value() or [])) for name in ("leads", "partners")
        )

        def rows(organisations):
            return [(org, str(org.pk) in leads, str(org.pk) in partners) for org in organisations]

        groups = []
        for kind in Organisation.Kind:
            if own := rows(org for org in self.choices.own if org.kind == kind):
                groups.append((kind.label, own))
        if self.choices.found:
            label = gettext("Andre i registeret med «%(query)s» i namnet") % {"query": self.query}
            groups.append((label, rows(self.choices.found)))
        return groups

    def chosen(self, name: str) -> list[Organisation]:
        """The organisations ticked in one column, in the table's order."""
        picked = {org.pk for org in self.cleaned_data[name]}
        return [org for org in self.choices.rows if org.pk in picked]


class MeasureTitleForm(VersionedForm, forms.ModelForm):
    """Just the title, for editing it in place."""

    class Meta:
        model = Measure
        fields = ["title"]


class SeenVersionForm(forms.Form):
    """The version of the row the person saw when they pressed the button (close, move...)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def version_seen(self, row: Versioned) -> int:
        """The version posted; a post without a readable one is as stale as an old one."""
        if not self.is_valid():
            raise StaleVersion(row)
        return self.cleaned_data["version"]


class CloseMeasureForm(StyledForm, SeenVersionForm):
    """The date a measure closed: within the agreement period, not in the future."""

    closed_on = forms.DateField(
        label=_("Avslutningsdato"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Skriv datoen tiltaket vart avslutta.")},
    )

    def __init__(self, *args, measure: Measure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure

    def clean_closed_on(self):
        on = self.cleaned_data["closed_on"]
        self.measure.check_closing_date(on)
        return on


class SectionForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["kind", "heading", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, measure: Measure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.measure = measure
        self.fields["heading"].help_text = _(
            "Tom overskrift på ein standardseksjon gir standardoverskrifta."
        )

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        if kind != Section.Kind.OTHER:
            taken = self.instance.measure.sections.filter(kind=kind).exclude(pk=self.instance.pk)
            if taken.exists():
                label = Section.Kind(kind).label
                raise forms.ValidationError(
                    gettext(
                        "Tiltaket har alt ein seksjon «%(label)s». Vel «Anna» for ein ny seksjon."
                    )
                    % {"label": label}
                )
        return kind


class InvolvementForm(StyledForm, forms.Form):
    """Add an organisation to a measure as lead or partner."""

    organisation = forms.ModelChoiceField(
        label=_("Organisasjon"),
        queryset=Organisation.objects.order_by("name"),
        empty_label=_("Vel organisasjon"),
    )
    role = forms.ChoiceField(
        label=_("Rolle"), choices=Involvement.Role.choices, initial=Involvement.Role.PARTNER
    )

    def __init__(self, *args, measure: Measure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure

    def clean(self) -> dict:
        data = super().clean()
        org, role = data.get("organisation"), data.get("role")
        if org and role and self.measure.involvements.filter(organisation=org, role=role).exists():
            label = Involvement.Role(role).label.lower()
            self.add_error(
                "organisation",
                gettext("%(organisation)s er alt %(role)s i tiltaket.")
                % {"organisation": org, "role": label},
            )
        return data


class OrganisationForm(StyledForm, forms.ModelForm):
    """A new organisation, made on the spot while picking leads and partners."""

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                gettext("Organisasjonen «%(name)s» finst alt. Vel han i lista.") % {"name": name}
            )
        return name

    def save(self, commit: bool = True) -> Organisation:
        organisation = super().save(commit=False)
        organisation.key = unique_key(organisation.name, Organisation.objects, "organisasjon")
        if commit:
            organisation.save()
        return organisation


class OrganisationEditForm(VersionedForm, forms.ModelForm):
    """An organisation's name, short name and kind, changed from one agreement's pages.

    The register is shared: while another agreement uses the organisation, each changed field
    is refused beside it, naming the other agreements; an operator changes it in the admin.
    """

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind"]

    def __init__(self, *args, agreement: Agreement, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement

    def clean(self) -> dict:
        data = super().clean()
        changed = [name for name in self.Meta.fields if name in self.changed_data]
        if changed and (others := shared_with(self.instance, self.agreement)):
            for name in changed:
                self.add_error(name, shared_refusal(self.instance, others))
        return data
