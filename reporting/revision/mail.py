"""The revision's e-mails, each saying what its reader is to do and linking straight to it.

The approvers asked to decide (which bodies, by when, their own decision form), reminders to
the late, the project leader told of a party's «Ikkje godkjend» and of KDD's send-back, and
everyone on the agreement told of KDD's approval with the PDF's link. Each is written in the
agreement's målform, links to settings.SITE_URL (the one address of the site) and is sent once
the step's transaction has committed; an e-mail that could not be sent is recorded on the
revision.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from access.models import Role
from measures.models import Organisation

from .models import Approval, Revision, RevisionEvent
from .recipients import reach_of

logger = logging.getLogger(__name__)


def site_link(name: str, *args) -> str:
    """The absolute address of a page, at the site's one address (settings.SITE_URL)."""
    return settings.SITE_URL + reverse(name, args=args)


def decision_link(revision: Revision, organisation: Organisation | None) -> str:
    """The organisation's own decision form, or the revision's page for an approver of none."""
    if organisation is None:
        return site_link("reporting:revision", revision.agreement.slug, revision.year)
    return site_link("reporting:decision", revision.agreement.slug, revision.year, organisation.key)


def notify_approvers(revision: Revision) -> list[str]:
    """Ask each party's approvers to decide: the bodies, the deadline and their own decision
    form. One e-mail per party, so each link is that party's; returns who is mailed."""
    bodies = dict(revision.deciding_parties())
    by_party: dict[Organisation | None, set[str]] = {}
    for role in reach_of(revision).reached:
        by_party.setdefault(role.organisation, set()).add(role.user.email)
    for organisation, emails in by_party.items():
        with translation.override(revision.agreement.language):  # the agreement's målform
            subject = _("Handlingsplan %(year)s for %(agreement)s er klar til handsaming") % {
                "year": revision.year,
                "agreement": revision.agreement.name,
            }
            context = {
                "revision": revision,
                "organisation": organisation,
                "bodies": _bodies(bodies.get(organisation, [])),
                "link": decision_link(revision, organisation),
            }
            body = render_to_string("reporting/email/submitted.txt", context)
        _mail_after_commit(revision, subject, body, sorted(emails))
    return sorted({email for emails in by_party.values() for email in emails})


def _bodies(bodies: list[str]) -> str:
    """«formannskap og kommunestyre», in the active målform."""
    names = [str(Approval.Body(body).label).lower() for body in bodies]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s og %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def notify_rejection(approval: Approval) -> list[str]:
    """Tell the project leader that a body has decided «Ikkje godkjend»: who, when, and why."""
    revision = approval.revision
    with translation.override(revision.agreement.language):
        subject = _("%(body)s har ikkje godkjent handlingsplan %(year)s") % {
            "body": approval.decider,
            "year": revision.year,
        }
        context = {
            "revision": revision,
            "approval": approval,
            "decider": approval.decider,
            "link": site_link("reporting:revision", revision.agreement.slug, revision.year),
        }
        body = render_to_string("reporting/email/rejected.txt", context)
    return _to_each(revision, subject, body, _leaders(revision))


def notify_sent_back(revision: Revision, comment: str) -> list[str]:
    """Tell the project leader that KDD sent the plan back, with KDD's reason."""
    with translation.override(revision.agreement.language):
        subject = _("KDD har sendt handlingsplan %(year)s tilbake") % {"year": revision.year}
        context = {
            "revision": revision,
            "comment": comment,
            "today": timezone.localdate(),
            "link": site_link("reporting:revision", revision.agreement.slug, revision.year),
        }
        body = render_to_string("reporting/email/sent_back.txt", context)
    return _to_each(revision, subject, body, _leaders(revision))


def notify_approved(revision: Revision) -> list[str]:
    """Tell everyone with a role on the agreement that KDD approved, with the PDF's link."""
    roles = Role.objects.filter(agreement=revision.agreement).select_related("user")
    emails = sorted({role.user.email for role in roles if role.user.email})
    with translation.override(revision.agreement.language):
        subject = _("Handlingsplan %(year)s for %(agreement)s er godkjend") % {
            "year": revision.year,
            "agreement": revision.agreement.name,
        }
        context = {
            "revision": revision,
            "approved_on": timezone.localdate(revision.approved_at),
            "link": site_link("reporting:report-pdf", revision.agreement.slug, revision.year),
        }
        body = render_to_string("reporting/email/approved.txt", context)
    return _to_each(revision, subject, body, emails)


def _leaders(revision: Revision) -> list[str]:
    """The project leaders' addresses: the agreement's editors'."""
    roles = Role.objects.filter(agreement=revision.agreement, kind=Role.Kind.EDITOR)
    return sorted({role.user.email for role in roles.select_related("user") if role.user.email})


def _to_each(revision: Revision, subject: str, body: str, emails: list[str]) -> list[str]:
    """One e-mail per address, so no reader sees the others' addresses."""
    for email in emails:
        _mail_after_commit(revision, subject, body, [email])
    return emails


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


def send_reminders(today: datetime.date | None = None) -> list[str]:
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
            words = {
                "year": revision.year,
                "organisation": organisation,
                "due": f"{revision.due_on:%d.%m.%Y}",
                "link": decision_link(revision, organisation),
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
