"""Invitations: a person is asked by e-mail to take a role in an agreement.

The link carries a random token; only its SHA-256 hash is stored, so a copy of the database
cannot be used to accept anyone's invitation. The role, the organisation and the agreement are
the invitation row's, never the link's: a link can only give what its row says. A link works
once, for VALID_FOR; sending the invitation again makes a new token and the old link dead.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from limits.counters import count, counted, key_for

from .roles import Role, RoleEvent, role_label

logger = logging.getLogger(__name__)

VALID_FOR = datetime.timedelta(days=7)
# Links that find no pending invitation (a wrong, used or expired token), per client address and
# hour: past this, the address is refused the page until the hour is out, so no one can try
# token after token. Counted in the database, for every process and server (limits.counters).
FAILED_LINKS_PER_HOUR = 20
HOUR = datetime.timedelta(hours=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn (expired ones included)."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


class Invitation(models.Model):
    """An e-mail address asked to take one role in one agreement."""

    class State(models.TextChoices):
        PENDING = "pending", gettext_lazy("ventar på svar")
        EXPIRED = "expired", gettext_lazy("gått ut")
        ACCEPTED = "accepted", gettext_lazy("teken imot")
        WITHDRAWN = "withdrawn", gettext_lazy("trekt tilbake")

    agreement = models.ForeignKey(
        "measures.Agreement", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(gettext_lazy("e-postadresse"))
    kind = models.CharField(gettext_lazy("rolle"), max_length=20, choices=Role.Kind.choices)
    organisation = models.ForeignKey(
        "measures.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("invitert"), default=timezone.now)
    expires_at = models.DateTimeField(gettext_lazy("går ut"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = gettext_lazy("invitasjon")
        verbose_name_plural = gettext_lazy("invitasjonar")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="approver") | Q(organisation__isnull=False),
                name="invited_approver_acts_for_an_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.role_label}"

    @property
    def role_label(self) -> str:
        return role_label(self.kind, str(self.organisation or ""))

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.withdrawn_at:
            return self.State.WITHDRAWN
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    def new_token(self) -> str:
        """A fresh link, sent now and valid for VALID_FOR; returns the token, which is not
        stored."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.created_at = timezone.now()
        self.expires_at = self.created_at + VALID_FOR
        return token

    @classmethod
    def find(cls, token: str) -> Invitation | None:
        """The invitation whose link carries this token, in whatever state it is."""
        if not token or len(token) > 100:
            return None
        return (
            cls.objects.select_related("agreement", "organisation")
            .filter(token_hash=hash_token(token))
            .first()
        )


@transaction.atomic
def invite(*, agreement, email: str, kind: str, organisation, by) -> str:
    """Invite the address to the role; the e-mail goes once the transaction has committed.

    Returns the token (for the e-mail; tests read the link from the e-mail instead).
    """
    email = email.strip()
    open_ = agreement.invitations.open().filter(
        email__iexact=email, kind=kind, organisation=organisation, expires_at__gt=timezone.now()
    )
    if open_.exists():
        raise ValidationError(
            gettext(
                "%(email)s er alt invitert til denne rolla. Send invitasjonen på nytt i staden."
            )
            % {"email": email}
        )
    if Role.objects.filter(
        agreement=agreement, user__email__iexact=email, kind=kind, organisation=organisation
    ).exists():
        raise ValidationError(gettext("%(email)s har alt denne rolla.") % {"email": email})
    invitation = Invitation(
        agreement=agreement, email=email, kind=kind, organisation=organisation, invited_by=by
    )
    token = invitation.new_token()
    invitation.save()
    RoleEvent.record(
        RoleEvent.Kind.INVITED,
        agreement=agreement,
        actor=by,
        person=email,
        role=kind,
        organisation=organisation,
    )
    _mail_after_commit(invitation, token, by)
    return token


@transaction.atomic
def resend(*, invitation: Invitation, by) -> str:
    """A new link for seven more days; the old link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state not in {Invitation.State.PENDING, Invitation.State.EXPIRED}:
        raise ValidationError(gettext("Invitasjonen er alt teken imot eller trekt tilbake."))
    token = invitation.new_token()
    invitation.save(update_fields=["token_hash", "expires_at", "created_at"])
    _record(RoleEvent.Kind.RESENT, invitation, by)
    _mail_after_commit(invitation, token, by)
    return token


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by) -> None:
    """The link stops working at once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state not in {Invitation.State.PENDING, Invitation.State.EXPIRED}:
        raise ValidationError(gettext("Invitasjonen er alt teken imot eller trekt tilbake."))
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    _record(RoleEvent.Kind.INVITATION_WITHDRAWN, invitation, by)


@transaction.atomic
def accept(*, invitation: Invitation, user) -> Role:
    """Give the user the invitation's role, once: a second use of the link is refused."""
    invitation = (
        Invitation.objects.select_for_update().select_related("agreement").get(pk=invitation.pk)
    )
    reason = refusal(invitation)
    if reason:
        raise ValidationError(reason)
    role, _ = Role.objects.get_or_create(
        user=user,
        agreement=invitation.agreement,
        kind=invitation.kind,
        organisation=invitation.organisation,
    )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    RoleEvent.record(
        RoleEvent.Kind.ACCEPTED,
        agreement=invitation.agreement,
        actor=user,
        person=user.get_username(),
        role=invitation.kind,
        organisation=invitation.organisation,
    )
    return role


def accepted_message(invitation: Invitation) -> str:
    # Said in the agreement's målform: the person was a visitor until a moment ago.
    with translation.override(invitation.agreement.language):
        return gettext("Velkomen! Du er no %(role)s i %(agreement)s.") % {
            "role": invitation.role_label,
            "agreement": invitation.agreement.name,
        }


def accounts_with(email: str):
    """Active accounts with the address (an invitation to it is taken by logging in to one)."""
    return get_user_model().objects.filter(email__iexact=email, is_active=True)


def links_refused(address: str | None) -> bool:
    """Has this client address opened FAILED_LINKS_PER_HOUR failed links in this hour?"""
    return counted(key_for("invitation-link", address or ""), HOUR) >= FAILED_LINKS_PER_HOUR


def count_failed_link(address: str | None) -> None:
    """Count a link that found no pending invitation against the client's address."""
    count(key_for("invitation-link", address or ""), HOUR)


def refusal(invitation: Invitation) -> str:
    """Why the link cannot be accepted now, as the person reads it; "" if it can. The page
    explains with it and accept() refuses with it."""
    if invitation.is_pending and not sender_may_give(invitation):
        return gettext(
            "Den som inviterte deg, kan ikkje lenger gje denne rolla, så invitasjonen gjeld "
            "ikkje. Be prosjektleiaren for avtala (eller KDD) om ein ny invitasjon."
        )
    return {
        Invitation.State.EXPIRED: gettext(
            "Invitasjonen har gått ut. Be den som inviterte deg om å sende ho på nytt."
        ),
        Invitation.State.ACCEPTED: gettext(
            "Invitasjonen er alt teken imot, og lenkja kan ikkje brukast på nytt."
        ),
        Invitation.State.WITHDRAWN: gettext("Invitasjonen er trekt tilbake."),
    }.get(invitation.state, "")


def sender_may_give(invitation: Invitation) -> bool:
    """Whether the person who sent the invitation may still give its role: authority is
    checked when the link is used, not only when it was sent."""
    from .rules import grantable_kinds  # rules read the models, which import this module

    sender = invitation.invited_by
    return (
        sender is not None
        and sender.is_active
        and invitation.kind in grantable_kinds(sender, invitation.agreement)
    )


@transaction.atomic
def withdraw_invitations_sent_by(user, *, by, agreement=None) -> list[Invitation]:
    """Withdraw the user's pending invitations that they may no longer give (after their role
    was changed or withdrawn, or their account closed), each logged for the people page."""
    pending = Invitation.objects.open().filter(invited_by=user, expires_at__gt=timezone.now())
    if agreement is not None:
        pending = pending.filter(agreement=agreement)
    withdrawn = []
    locked = pending.select_for_update(of=("self",))
    for invitation in locked.select_related("agreement", "organisation"):
        if not sender_may_give(invitation):
            invitation.withdrawn_at = timezone.now()
            invitation.save(update_fields=["withdrawn_at"])
            _record(RoleEvent.Kind.INVITATION_WITHDRAWN, invitation, by)
            withdrawn.append(invitation)
    return withdrawn


def _record(kind: str, invitation: Invitation, by) -> None:
    RoleEvent.record(
        kind,
        agreement=invitation.agreement,
        actor=by,
        person=invitation.email,
        role=invitation.kind,
        organisation=invitation.organisation,
    )


def _mail_after_commit(invitation: Invitation, token: str, by) -> None:
    """Send once the transaction has committed, so a failing mail server undoes nothing; an
    address that could not be reached is written in the log the people page shows. Written in
    the agreement's målform, whoever sends it."""
    with translation.override(invitation.agreement.language):
        subject, body = _invitation_mail(invitation, token, by)

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
        except OSError:  # smtplib.SMTPException, and a server that cannot be reached at all
            logger.warning("Invitation e-mail to %s failed", invitation.email, exc_info=True)
            _record(RoleEvent.Kind.NOT_REACHED, invitation, None)

    transaction.on_commit(send)


def _invitation_mail(invitation: Invitation, token: str, by) -> tuple[str, str]:
    context = {
        "agreement": invitation.agreement,
        "role": invitation.role_label,
        "inviter": (by.get_full_name() or by.get_username()) if by is not None else "",
        "link": settings.SITE_URL + reverse("access:invitation", args=[token]),
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("access/email/invitation_subject.txt", context).strip()
    return subject, render_to_string("access/email/invitation.txt", context)
