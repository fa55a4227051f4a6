"""The yearly cycle: a revision of the plan and its political approvals."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from measures.models import Agreement, Organisation, year_validators

from .provenance import provenance_of


class ImmutableRevisionError(Exception):
    """An approved revision, and everything recorded with it, can no longer be changed."""

    def __init__(self, revision: Revision) -> None:
        self.revision = revision
        super().__init__(
            _("Handlingsplan %(year)s er godkjend av KDD og kan ikkje endrast lenger.")
            % {"year": revision.year}
        )


# Said beside the comment of a decision not to approve, by the form and by the workflow alike.
REASON_REQUIRED = _("Skriv kvifor handlingsplanen ikkje er godkjend: merknaden er grunngjevinga.")


class RevisionPartQuerySet(models.QuerySet):
    """Rows belonging to a revision: no bulk change may bypass the approved-revision guard."""

    def update(self, **kwargs):
        raise TypeError(f"Change {self.model.__name__} rows one by one with save().")

    def delete(self):
        for row in self:
            row.delete()
        return len(self), {}

    def bulk_create(self, objs, *args, **kwargs):
        """Rows created together are guarded as save() guards each: checked once for each
        revision (or round) they belong to, as they share its answer."""
        objs = list(objs)
        for obj in {obj.guarded_by: obj for obj in objs}.values():
            obj._guard()
        return super().bulk_create(objs, *args, **kwargs)


class RevisionPart(models.Model):
    """Something recorded with a revision: frozen once the revision is approved."""

    objects = RevisionPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard()
        return super().delete(*args, **kwargs)

    def _guard(self) -> None:
        if Revision.objects.filter(pk=self.revision_id, status=Revision.Status.APPROVED).exists():
            raise ImmutableRevisionError(self.revision)

    @property
    def guarded_by(self) -> tuple[str, int | None]:
        """What `_guard` asks about: rows with the same answer are checked once together."""
        return ("revision", self.revision_id)


class Revision(models.Model):
    """The handlingsplan of one year (rullering), on its way from draft to KDD's approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Til politisk handsaming")
        APPROVED = "approved", _("Godkjend av KDD")

    # PROTECT: an agreement with revisions cannot be deleted, so approved ones cannot vanish.
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("avtale")
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=year_validators)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.DRAFT
    )
    snapshot = models.JSONField(
        _("frosen plan"),
        null=True,
        blank=True,
        help_text=_("Heile planen slik han var ved innsending."),
    )
    submitted_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sendt av"),
    )
    approved_at = models.DateTimeField(_("godkjend"), null=True, blank=True)
    due_on = models.DateField(
        _("frist for vedtak"),
        null=True,
        blank=True,
        help_text=_("Partar utan vedtak innan fristen får påminning og blir viste som seine."),
    )

    objects = RevisionPartQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "-year"]
        verbose_name = _("handlingsplan (rullering)")
        verbose_name_plural = _("handlingsplanar (rulleringar)")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"],
                name="one_revision_per_year",
                violation_error_message=_("Avtala har alt ein handlingsplan for dette året."),
            ),
        ]

    def __str__(self) -> str:
        return _("Handlingsplan %(year)s – %(agreement)s") % {
            "year": self.year,
            "agreement": self.agreement,
        }

    def save(self, *args, **kwargs) -> None:
        self._guard()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reporting:revision", args=[self.agreement.slug, self.year])

    def delete(self, *args, **kwargs):
        self._guard()
        return super().delete(*args, **kwargs)

    def _guard(self) -> None:
        if self._stored_as_approved():
            raise ImmutableRevisionError(self)

    @property
    def guarded_by(self) -> tuple[str, int | None]:
        """A stored revision is asked about once; a new one has nothing stored to guard."""
        return ("revision", self.pk) if self.pk else ("new", id(self))

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def current_round(self) -> ApprovalRound | None:
        """The round whose decisions count: the open one (submitted, or approved by KDD).

        A draft has none: its earlier rounds, each closed by a send-back, are history.
        """
        return self.rounds.filter(send_back__isnull=True).first()

    @property
    def approvals(self) -> models.QuerySet[Approval]:
        """The approvals of all its rounds."""
        return Approval.objects.filter(round__revision=self)

    def current_approvals(self) -> models.QuerySet[Approval]:
        """The approvals of the current round (none for a draft)."""
        return self.approvals.filter(round__send_back__isnull=True)

    def earlier_rounds(self) -> list[ApprovalRound]:
        """The rounds KDD sent back, newest first, each with its events and approvals loaded."""
        return list(
            self.rounds.filter(send_back__isnull=False)
            .order_by("-number")
            .select_related("submission", "send_back")
            .prefetch_related("approvals__organisation")
        )

    def deciding_parties(self, parties=None) -> list[tuple[Organisation, list[str]]]:
        """The parties that decide before KDD, each with the bodies that treat the plan for it.

        `parties`, if given, are the agreement's ordered parties, loaded beforehand.
        """
        parties = self.agreement.ordered_parties() if parties is None else parties
        treating = [(org, Approval.Body.treating(org.kind)) for org in parties]
        return [
            (org, bodies) for org, bodies in treating if bodies and Approval.Body.KDD not in bodies
        ]

    def final_decisions(self, approvals=None, parties=None) -> dict[int, Approval | None]:
        """Each deciding party's final approval (kommunestyre, fylkesting) in the current round,
        by organisation id. `approvals` (the current round's) may be loaded beforehand."""
        decisions = {org.pk: None for org, _ in self.deciding_parties(parties)}
        if approvals is None:
            approvals = self.current_approvals().select_related("organisation")
        for approval in approvals:
            if approval.organisation_id in decisions and approval.is_final:
                decisions[approval.organisation_id] = approval
        return decisions

    def approved_by_every_party(self, approvals=None, parties=None) -> bool:
        """Every deciding party's final body has approved the plan, so KDD may approve it."""
        decisions = self.final_decisions(approvals, parties)
        return bool(decisions) and all(a is not None and a.is_approved for a in decisions.values())

    def _stored_as_approved(self) -> bool:
        return (
            bool(self.pk)
            and Revision.objects.filter(pk=self.pk, status=self.Status.APPROVED).exists()
        )


class Approval(RevisionPart):
    """One body's treatment of a revision in one round: planned meeting, decision date, decision.

    Its revision is its round's (`round__revision` in queries).

    Who wrote the decision is part of it: recorded in the app by the person who holds it
    (recorded_by), or restored from a plan file by an operator (`import_plan FILE`).
    """

    class Via(models.TextChoices):
        APP = "app", _("registrert i Bygdevekst")
        RESTORED = "restored", _("gjenoppretta frå planfil av ein operatør")

    class Body(models.TextChoices):
        FORMANNSKAP = "formannskap", _("Formannskap")
        KOMMUNESTYRE = "kommunestyre", _("Kommunestyre")
        FYLKESTING = "fylkesting", _("Fylkesting")
        KDD = "kdd", _("Kommunal- og distriktsdepartementet")

        @classmethod
        def treating(cls, kind: str) -> list[Approval.Body]:
            """The bodies that treat the plan for an organisation of this kind, the final last.

            The state's parties (agencies, the ministry) are decided for by KDD; other kinds of
            organisation take no decision.
            """
            return {
                Organisation.Kind.MUNICIPALITY: [cls.FORMANNSKAP, cls.KOMMUNESTYRE],
                Organisation.Kind.COUNTY: [cls.FYLKESTING],
                Organisation.Kind.STATE_AGENCY: [cls.KDD],
                Organisation.Kind.MINISTRY: [cls.KDD],
            }.get(kind, [])

        @classmethod
        def final_for(cls, kind: str) -> Approval.Body | None:
            """The body whose decision is the organisation's: kommunestyre, fylkesting or KDD."""
            bodies = cls.treating(kind)
            return bodies[-1] if bodies else None

    class Decision(models.TextChoices):
        PENDING = "pending", _("Ikkje registrert")
        APPROVED = "approved", _("Godkjend")
        REJECTED = "rejected", _("Ikkje godkjend")

    round = models.ForeignKey(
        "ApprovalRound",
        on_delete=models.CASCADE,
        related_name="approvals",
        verbose_name=_("runde"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="approvals",
        verbose_name=_("organisasjon"),
    )
    body = models.CharField(_("organ"), max_length=20, choices=Body.choices)
    planned_on = models.DateField(_("planlagt møte"), null=True, blank=True)
    decided_on = models.DateField(_("vedteke"), null=True, blank=True)
    decision = models.CharField(
        _("vedtak"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    case_reference = models.CharField(_("saksnummer"), max_length=100, blank=True)
    comment = models.TextField(_("merknad"), blank=True)
    recorded_at = models.DateTimeField(_("registrert"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrert av"),
    )
    recorded_via = models.CharField(
        _("registrert korleis"), max_length=10, choices=Via.choices, default=Via.APP
    )
    restored_from = models.CharField(_("planfil"), max_length=255, blank=True)

    class Meta:
        ordering = ["round_id", "organisation__name", "body"]
        verbose_name = _("godkjenning")
        verbose_name_plural = _("godkjenningar")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "body"], name="one_approval_per_body_and_round"
            ),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_on__isnull=True)
                | (~Q(decision="pending") & Q(decided_on__isnull=False)),
                name="decision_has_a_date",
                violation_error_message=_(
                    "Eit vedtak må ha ein dato, og berre eit vedtak har dato."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_body_display()} – {self.revision.year}"

    @property
    def revision(self) -> Revision:
        """The revision the approval's round belongs to."""
        return self.round.revision

    def _guard(self) -> None:
        # An approval is frozen with its round's revision.
        approved = Revision.objects.filter(rounds=self.round_id, status=Revision.Status.APPROVED)
        if approved.exists():
            raise ImmutableRevisionError(self.revision)

    @property
    def guarded_by(self) -> tuple[str, int | None]:
        return ("round", self.round_id)

    def clean(self) -> None:
        """A decision has a date, a date a decision (decision_has_a_date), beside the field."""
        if self.decision != self.Decision.PENDING and not self.decided_on:
            raise ValidationError({"decided_on": _("Skriv datoen vedtaket vart gjort.")})
        if self.decided_on and self.decision == self.Decision.PENDING:
            raise ValidationError({"decision": _("Vel vedtaket (godkjend eller ikkje godkjend).")})
        errors = self._date_errors()
        if self.lacks_reason:
            errors["comment"] = REASON_REQUIRED
        if errors:
            raise ValidationError(errors)

    def _date_errors(self) -> dict[str, str]:
        """A decision not in the future nor before its round was submitted; a planned meeting
        not after the decision it led to."""
        errors = {}
        if self.decided_on:
            today = timezone.localdate()
            # Read from a plan file, an approval has no round yet: only the calendar applies.
            opened = self.round.opened_at if self.round_id else None
            submitted = timezone.localdate(opened) if opened else None
            if self.decided_on > today:
                errors["decided_on"] = gettext(
                    "Vedtaksdatoen kan ikkje vere fram i tid. I dag er %(today)s."
                ) % {"today": date_format(today, "SHORT_DATE_FORMAT")}
            elif submitted and self.decided_on < submitted:
                errors["decided_on"] = gettext(
                    "Vedtaksdatoen kan ikkje vere før handlingsplanen vart sendt til "
                    "godkjenning (%(submitted)s)."
                ) % {"submitted": date_format(submitted, "SHORT_DATE_FORMAT")}
        if self.planned_on and self.decided_on and self.planned_on > self.decided_on:
            errors["planned_on"] = gettext(
                "Det planlagde møtet kan ikkje vere etter vedtaket (%(decided)s)."
            ) % {"decided": date_format(self.decided_on, "SHORT_DATE_FORMAT")}
        return errors

    @property
    def lacks_reason(self) -> bool:
        """«Ikkje godkjend» without a comment: the others could not know why, nor what to fix."""
        return self.decision == self.Decision.REJECTED and not self.comment.strip()

    @property
    def is_final(self) -> bool:
        """Whether this body's decision is its organisation's (a formannskap's never is)."""
        return self.body == self.Body.final_for(self.organisation.kind)

    @property
    def is_approved(self) -> bool:
        """The body has decided to approve the plan."""
        return self.decision == self.Decision.APPROVED

    @property
    def provenance(self) -> str:
        """Who recorded the decision, and how: «Registrert av Kari Nordmann 12.06.2026»."""
        return provenance_of(self)

    @property
    def decider(self) -> str:
        """The body as a sentence names it: "Kviteseid kommunestyre", "KDD (Kommunal- ...)"."""
        body = self.get_body_display().lower()
        if self.organisation.kind == Organisation.Kind.MUNICIPALITY:
            return f"{self.organisation.short_name or self.organisation.name} {body}"
        return f"{self.organisation.name} ({body})"


# The rounds, texts and events recorded with a revision live beside it; imported here, where
# Django and the rest of the code look for the revision's models.
from .records import MeasureNote, MeasureProgress, RevisionEvent  # noqa: E402
from .rounds import ApprovalRound  # noqa: E402

__all__ = [
    "Approval",
    "ApprovalRound",
    "ImmutableRevisionError",
    "MeasureNote",
    "MeasureProgress",
    "Revision",
    "RevisionEvent",
    "RevisionPart",
]
