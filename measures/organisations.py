"""The organisations a plan names: parties, leads and partners."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .history import TrackedQuerySet
from .versioning import Versioned


class OrganisationQuerySet(TrackedQuerySet):
    def search(self, query: str) -> OrganisationQuerySet:
        """Organisations whose name or short name contains the query (all when it is empty)."""
        if not query:
            return self.all()
        return self.filter(Q(name__icontains=query) | Q(short_name__icontains=query))


class Organisation(Versioned):
    """A party, lead or partner: a municipality, an agency, a company, a group."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommune")
        COUNTY = "county", _("Fylkeskommune")
        STATE_AGENCY = "state_agency", _("Statleg etat")
        MINISTRY = "ministry", _("Departement")
        REGIONAL_COUNCIL = "regional_council", _("Regionråd")
        EDUCATION = "education", _("Utdanning og forsking")
        PRIVATE = "private", _("Privat")
        NGO = "ngo", _("Organisasjon")
        PILOT = "pilot", _("Bygdevekstpiloten")

    key = models.SlugField(_("nøkkel"), max_length=80, unique=True)
    name = models.CharField(_("namn"), max_length=200, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=80, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjonar")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """Its page in the first agreement that names it: organisation pages live in one."""
        agreement = self.agreements.order_by("name").first()
        if agreement is None:
            measure = self.measures.select_related("agreement").order_by("agreement__name").first()
            agreement = measure.agreement if measure else None
        if agreement is None:
            raise Http404(
                gettext("%(name)s er ikkje med i nokon avtale, og har inga side.")
                % {"name": self.name}
            )
        return reverse("measures:organisation-detail", args=[agreement.slug, self.key])

    @property
    def is_municipality(self) -> bool:
        return self.kind == self.Kind.MUNICIPALITY


class Membership(models.Model):
    """A member of a collective organisation in one agreement: a municipality in «Pilotkommunane».

    Per agreement, as parties are: organisations are shared between agreements, and a collective
    such as «Pilotkommunane» means other municipalities in another pilot.
    """

    agreement = models.ForeignKey(
        "Agreement", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("avtale")
    )
    collective = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="member_links",
        verbose_name=_("samla organ"),
    )
    member = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="collective_links",
        verbose_name=_("medlem"),
    )

    objects = TrackedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["collective__name", "member__name"]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "collective", "member"], name="membership_once"
            ),
            models.CheckConstraint(
                condition=~Q(collective=models.F("member")), name="membership_not_of_itself"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(member)s – medlem av %(collective)s – %(agreement)s") % {
            "member": self.member,
            "collective": self.collective,
            "agreement": self.agreement,
        }


# Each way an agreement uses an organisation: (app, model, its organisation field, the path from
# the row to its agreement). The one home of "uses", both ways: agreements_using, organisations_of.
USES = [
    ("measures", "Party", "organisation", "agreement"),
    ("measures", "Involvement", "organisation", "measure__agreement"),
    ("measures", "Membership", "collective", "agreement"),
    ("measures", "Membership", "member", "agreement"),
    ("access", "Role", "organisation", "agreement"),
    ("access", "Invitation", "organisation", "agreement"),
    ("reporting", "Approval", "organisation", "round__revision__agreement"),
]


def agreements_using(organisation: Organisation) -> QuerySet:
    """The agreements that use the organisation: as a party, a measure's lead or partner, a
    collective or member of one in it, or bound to it by an approval, a role or an invitation.

    The register is shared by every agreement on the installation: an agreement may change an
    organisation only if no other agreement uses it (`shared_with`).
    """
    using = Q()
    for app, model, field, to_agreement in USES:
        rows = apps.get_model(app, model).objects.filter(**{field: organisation})
        using |= Q(pk__in=rows.values(to_agreement))
    return apps.get_model("measures", "Agreement").objects.filter(using).order_by("name")


def organisations_of(agreement) -> OrganisationQuerySet:
    """The organisations the agreement uses, in any of the ways `agreements_using` counts."""
    used = Q()
    for app, model, field, to_agreement in USES:
        rows = apps.get_model(app, model).objects.filter(**{to_agreement: agreement})
        used |= Q(pk__in=rows.exclude(**{field: None}).values(field))
    return Organisation.objects.filter(used)


def shared_with(organisation: Organisation, agreement) -> list:
    """The other agreements that use the organisation (none for a new one): while there are
    any, only an operator may change it, in the admin."""
    if organisation.pk is None:
        return []
    others = agreements_using(organisation)
    if agreement is not None and agreement.pk is not None:
        others = others.exclude(pk=agreement.pk)
    return list(others)


def shared_refusal(organisation: Organisation, others: list) -> str:
    """Why the change is refused: the organisation, and the other agreements that use it."""
    return ngettext(
        "%(organisation)s er også med i avtala %(others)s; berre ein operatør kan endre han, "
        "i admin.",
        "%(organisation)s er også med i avtalane %(others)s; berre ein operatør kan endre han, "
        "i admin.",
        len(others),
    ) % {
        "organisation": organisation.name,
        "others": ", ".join(f"«{other.name}»" for other in others),
    }
