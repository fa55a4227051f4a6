"""The organisations a plan names: parties, leads and partners."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
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

    def used_elsewhere(self, slug: str) -> list[str]:
        """Names of the agreements other than `slug` that use this organisation: as a party,
        a lead or partner, in a collective, or in someone's role. The register is shared, so
        only an operator (in the admin) changes an organisation another agreement uses."""
        from .models import Agreement  # the models import this module

        uses = (
            Q(parties=self)
            | Q(measures__involvements__organisation=self)
            | Q(memberships__member=self)
            | Q(memberships__collective=self)
            | Q(roles__organisation=self)
        )
        others = Agreement.objects.filter(uses).exclude(slug=slug).distinct()
        return sorted(others.values_list("name", flat=True))


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
