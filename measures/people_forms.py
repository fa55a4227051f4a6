"""Forms of the people page («Folk og roller»): inviting someone to a role, changing a role."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext, gettext_lazy

from access.models import Role
from bygdevekst.forms import StyledForm

from .models import Agreement, Organisation
from .pickers import organisation_choices

APPROVING_KINDS = (Organisation.Kind.MUNICIPALITY, Organisation.Kind.COUNTY)


class RoleForm(StyledForm, forms.Form):
    """A role of the agreement: which, and for which organisation where that matters."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Rolle"),
        # Only the roles this user may give are offered; another one posted is refused.
        error_messages={"invalid_choice": gettext_lazy("Du kan ikkje gje denne rolla.")},
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(),
        required=False,
        label=gettext_lazy("Organisasjon"),
        help_text=gettext_lazy(
            "For ein godkjennar: kommunen eller fylkeskommunen han handlar for. For ein lesar: "
            "organisasjonen han høyrer til."
        ),
        empty_label=gettext_lazy("Ingen"),
    )

    def __init__(
        self, *args, agreement: Agreement, kinds: list[str], query: str = "", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.fields["kind"].choices = [(kind, KIND_LABELS[kind]) for kind in kinds]
        # Any organisation may be chosen; offered are the agreement's, then the search's finds.
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.organisation_choices = organisation_choices(
            agreement, chosen=[self["organisation"].value()], query=query
        )
        self.fields["organisation"].widget.choices = self._offered()

    def _offered(self) -> list:
        """The select's options: none, the agreement's organisations, what the search found."""

        def options(organisations):
            return [(org.pk, org.name) for org in organisations]

        offered = [
            ("", gettext("Ingen")),
            (gettext("I avtala"), options(self.organisation_choices.own)),
        ]
        if self.organisation_choices.found:
            label = gettext("Andre i registeret med «%(query)s» i namnet") % {
                "query": self.organisation_choices.query
            }
            offered.append((label, options(self.organisation_choices.found)))
        return offered

    def clean(self) -> dict:
        data = super().clean()
        kind, organisation = data.get("kind"), data.get("organisation")
        if kind == Role.Kind.APPROVER:
            approving = {
                party.pk
                for party in self.agreement.ordered_parties()
                if party.kind in APPROVING_KINDS
            }
            if organisation is None:
                self.add_error(
                    "organisation",
                    gettext("Vel kommunen eller fylkeskommunen som godkjennaren handlar for."),
                )
            elif organisation.pk not in approving:
                self.add_error(
                    "organisation",
                    gettext("%(organisation)s er ikkje ein kommune eller fylkeskommune i avtala.")
                    % {"organisation": organisation},
                )
        elif kind == Role.Kind.EDITOR:
            data["organisation"] = None  # the project leader acts for the whole agreement
        return data


KIND_LABELS = {
    Role.Kind.EDITOR: gettext_lazy("Prosjektleiar (endrar planen)"),
    Role.Kind.APPROVER: gettext_lazy("Godkjennar for ein kommune eller fylkeskommune"),
    Role.Kind.PARTNER: gettext_lazy("Lesar (samarbeidspart)"),
    Role.Kind.MINISTRY: gettext_lazy("Departementet (KDD)"),
}


class InviteForm(RoleForm):
    """Invite an e-mail address to a role."""

    email = forms.EmailField(label=gettext_lazy("E-postadresse"))
    field_order = ["email", "kind", "organisation"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
