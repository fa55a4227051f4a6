"""The revision's e-mails: the approvers asked to decide, reminders to the late, and a record
on the revision of every e-mail that could not be sent. Each is written in the agreement's
målform and sent once the step's transaction has committed."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from measures.models import Organisation, Role

from .models import Approval, Revision, RevisionEvent
from .recipients import reach_of

logger = logging.getLogger(__name__)


def notify_approvers(revision: Revision, site_url: str) -> list[str]:
    """Ask the approvers by e-mail to decide on the submitted revision; returns who is mailed."""
    recipients = reach_of(revision).emails
    if recipients:
        link = site_url + reverse(
            "reporting:revision", args=[revision.agreement.slug, revision.year]
        )
        words = {"year": revision.year, "agreement": revision.agreement.name, "link": link}
        with translation.override(revision.agreement.language):  # the agreement's målform
            subject = _("Handlingsplan %(year)s for %(agreement)s er klar til handsaming") % words
            body = (
                _(
                    "Handlingsplan %(year)s er send til politisk handsaming.\n\n"
                    "Les han og registrer vedtaket for kommunen din her:\n%(link)s\n"
                )
                % words
            )
        _mail_after_commit(revision, subject, body, recipients)
    return recipients


def late_parties(revision: Revision, today: datetime.date | None = None) -> list[Organisation]:
    """Parties without a final decision after the due date."""
    today = today or timezone.localdate()
    if (
        revision.status != Revision.Status.SUBMITTED
        or not revision.due_on
        or today <= revision.due_on
    ):
        return []
    decisions = revision.final_decisions()
    orgs = {org.pk: org for org, _bodies in revision.deciding_parties()}
    return [
        orgs[pk]
        for pk, a in decisions.items()
        if a is None or a.decision == Approval.Decision.PENDING
    ]


def send_reminders(today: datetime.date | None = None, site_url: str = "") -> list[str]:
    """E-mail the approvers of every late party of every submitted revision; returns recipients."""
    sent = []
    for revision in Revision.objects.filter(status=Revision.Status.SUBMITTED).select_related(
        "agreement"
    ):
        for organisation in late_parties(revision, today):
            users = Role.objects.filter(
                agreement=revision.agreement, kind=Role.Kind.APPROVER, organisation=organisation
            ).select_related("user")
            emails = sorted({role.user.email for role in users if role.user.email})
            if not emails:
                continue
            link = site_url + reverse(
                "reporting:revision", args=[revision.agreement.slug, revision.year]
            )
            words = {
                "year": revision.year,
                "organisation": organisation,
                "due": f"{revision.due_on:%d.%m.%Y}",
                "link": link,
            }
            with translation.override(revision.agreement.language):  # the agreement's målform
                subject = _("Påminning: vedtak om handlingsplan %(year)s manglar") % words
                body = (
                    _(
                        "Fristen for å registrere vedtaket til %(organisation)s om handlingsplan "
                        "%(year)s var %(due)s.\n\nRegistrer det her:\n%(link)s\n"
                    )
                    % words
                )
            _mail_after_commit(revision, subject, body, emails)
            sent += emails
    return sent


def _mail_after_commit(revision: Revision, subject: str, body: str, to: list[str]) -> None:
    """Send once the transaction has committed, so a failing mail server cannot undo the step.

    Who could not be reached is recorded on the revision, whose page shows it.
    """

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except OSError:  # smtplib.SMTPException, and a server that cannot be reached at all
            logger.warning("E-mail «%s» to %s failed", subject, to, exc_info=True)
            with translation.override(revision.agreement.language):  # as the e-mail itself
                comment = _("E-posten «%(subject)s» kunne ikkje sendast til %(to)s.") % {
                    "subject": subject,
                    "to": ", ".join(to),
                }
            RevisionEvent.objects.create(
                revision=revision, kind=RevisionEvent.Kind.NOT_REACHED, comment=comment
            )

    transaction.on_commit(send)
