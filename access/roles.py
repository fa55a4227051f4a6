"""Who may do what within one agreement (access/rules.py applies the roles)."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy


class Role(models.Model):
    """What a user may do within one agreement."""

    class Kind(models.TextChoices):
        EDITOR = "editor", gettext_lazy("Redaktør (prosjektleiar)")
        APPROVER = "approver", gettext_lazy("Godkjennar for kommune")
        PARTNER = "partner", gettext_lazy("Samarbeidspart (lesetilgang)")
        MINISTRY = "ministry", gettext_lazy("Departement")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    agreement = models.ForeignKey(
        "measures.Agreement", on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(gettext_lazy("rolle"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        "measures.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "Kommunen ein godkjennar handlar for; organisasjonen til ein samarbeidspart."
        ),
    )

    class Meta:
        ordering = ["agreement", "kind", "user__username"]
        verbose_name = gettext_lazy("rolle")
        verbose_name_plural = gettext_lazy("roller")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agreement", "kind", "organisation"], name="role_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "agreement", "kind"],
                condition=Q(organisation__isnull=True),
                name="role_unique_without_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(kind="approver") | Q(organisation__isnull=False),
                name="approver_acts_for_an_organisation",
                violation_error_message=gettext_lazy(
                    "Ein godkjennar må vere knytt til ein kommune."
                ),
            ),
        ]

    def __str__(self) -> str:
        text = f"{self.user} – {self.get_kind_display()} – {self.agreement}"
        return f"{text} ({self.organisation})" if self.organisation_id else text

    @property
    def holder(self) -> str:
        """Who holds the role, as lists of people name them: «Kari Nordmann (Vinje kommune)»,
        and «Vinje kommune» once, not twice, when the person is named as the organisation."""
        name = self.user.get_full_name() or self.user.get_username()
        organisation = str(self.organisation or "")
        if not organisation or name == organisation:
            return name
        return f"{name} ({organisation})"

    @property
    def label(self) -> str:
        """«godkjennar for Vinje kommune»: the role as a sentence says it."""
        return role_label(self.kind, str(self.organisation or ""))


def role_label(kind: str, organisation_name: str = "") -> str:
    """The role as a sentence says it: «godkjennar for Vinje kommune»."""
    if kind == Role.Kind.EDITOR:
        return gettext("prosjektleiar")
    if kind == Role.Kind.APPROVER:
        return gettext("godkjennar for %(organisation)s") % {"organisation": organisation_name}
    if kind == Role.Kind.MINISTRY:
        return gettext("departementet (KDD)")
    if organisation_name:
        return gettext("lesar for %(organisation)s") % {"organisation": organisation_name}
    return gettext("lesar")


class RoleEvent(models.Model):
    """One change to who may do what in an agreement: the audit log of its people page.

    The names are kept as text, so an entry still says who and what after the user, the role or
    the invitation is gone.
    """

    class Kind(models.TextChoices):
        INVITED = "invited", gettext_lazy("invitert")
        RESENT = "resent", gettext_lazy("invitasjon sendt på nytt")
        INVITATION_WITHDRAWN = "invitation_withdrawn", gettext_lazy("invitasjon trekt tilbake")
        ACCEPTED = "accepted", gettext_lazy("invitasjon teken imot")
        CHANGED = "changed", gettext_lazy("rolle endra")
        WITHDRAWN = "withdrawn", gettext_lazy("rolle trekt tilbake")
        NOT_REACHED = "not_reached", gettext_lazy("e-post ikkje sendt")

    agreement = models.ForeignKey(
        "measures.Agreement", on_delete=models.CASCADE, related_name="role_events"
    )
    kind = models.CharField(gettext_lazy("hending"), max_length=30, choices=Kind.choices)
    at = models.DateTimeField(gettext_lazy("tid"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(gettext_lazy("utført av"), max_length=150, blank=True)
    person = models.CharField(gettext_lazy("gjeld"), max_length=254)
    role = models.CharField(gettext_lazy("rolle"), max_length=20, choices=Role.Kind.choices)
    organisation_name = models.CharField(max_length=200, blank=True)
    old_role = models.CharField(max_length=20, choices=Role.Kind.choices, blank=True)
    old_organisation_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = gettext_lazy("rollehending")
        verbose_name_plural = gettext_lazy("rollehendingar")

    def __str__(self) -> str:
        return self.sentence()

    @classmethod
    def record(
        cls,
        kind: str,
        *,
        agreement,
        actor,
        person: str,
        role: str,
        organisation=None,
        old: Role | None = None,
    ) -> RoleEvent:
        """Write one entry; `old` is the role as it was before a change."""
        return cls.objects.create(
            agreement=agreement,
            kind=kind,
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
            person=person,
            role=role,
            organisation_name=str(organisation or ""),
            old_role=old.kind if old else "",
            old_organisation_name=str(old.organisation or "") if old else "",
        )

    def sentence(self) -> str:
        """What happened, as the log on the people page says it."""
        values = {
            "actor": self.actor_name or gettext("Systemet"),
            "person": self.person,
            "role": role_label(self.role, self.organisation_name),
            "old": role_label(self.old_role, self.old_organisation_name),
        }
        texts = {
            self.Kind.INVITED: gettext("%(actor)s inviterte %(person)s som %(role)s."),
            self.Kind.RESENT: gettext(
                "%(actor)s sende invitasjonen til %(person)s som %(role)s på nytt."
            ),
            self.Kind.INVITATION_WITHDRAWN: gettext(
                "%(actor)s trekte tilbake invitasjonen til %(person)s som %(role)s."
            ),
            self.Kind.ACCEPTED: gettext("%(person)s tok imot invitasjonen og er no %(role)s."),
            self.Kind.CHANGED: gettext(
                "%(actor)s endra rolla til %(person)s frå %(old)s til %(role)s."
            ),
            self.Kind.WITHDRAWN: gettext(
                "%(actor)s trekte tilbake rolla til %(person)s som %(role)s."
            ),
            self.Kind.NOT_REACHED: gettext(
                "E-posten til %(person)s om rolla som %(role)s kunne ikkje sendast."
            ),
        }
        return texts[self.kind] % values


@transaction.atomic
def change_role(*, role: Role, kind: str, organisation, by) -> Role:
    """Give the person another role (or the same role for another organisation), logged; the
    invitations they sent for roles they can no longer give are withdrawn."""
    old = Role(kind=role.kind, organisation=role.organisation)
    role.kind, role.organisation = kind, organisation
    role.full_clean()
    role.save(update_fields=["kind", "organisation"])
    RoleEvent.record(
        RoleEvent.Kind.CHANGED,
        agreement=role.agreement,
        actor=by,
        person=role.user.get_username(),
        role=kind,
        organisation=organisation,
        old=old,
    )
    _withdraw_invitations_sent_by(role, by)
    return role


@transaction.atomic
def withdraw_role(*, role: Role, by) -> list:
    """Take the role away, logged. Rules read the roles on every request, so the person has
    lost it from their next request on, whatever their session says. The invitations they sent
    and may no longer give are withdrawn too, and returned."""
    role.delete()
    RoleEvent.record(
        RoleEvent.Kind.WITHDRAWN,
        agreement=role.agreement,
        actor=by,
        person=role.user.get_username(),
        role=role.kind,
        organisation=role.organisation,
    )
    return _withdraw_invitations_sent_by(role, by)


def _withdraw_invitations_sent_by(role: Role, by) -> list:
    from .invitations import withdraw_invitations_sent_by  # invitations import this module

    return withdraw_invitations_sent_by(role.user, by=by, agreement=role.agreement)
