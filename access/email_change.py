"""A user's own e-mail address, changed only through a link sent to the new address.

The link is signed for this purpose alone (its salt), expires after EMAIL_LINK_MAX_AGE, names
the user it was made for and the address they had then: it changes nothing when opened by
anyone else, after the address has changed since (so it works once), or when forged.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from bygdevekst.logs import audit

from .accounts import interface_language

logger = logging.getLogger(__name__)

SALT = "measures.email-change"
EMAIL_LINK_MAX_AGE = 60 * 60 * 24  # a day, in seconds


class InvalidLink(Exception):
    """The link is forged, expired, someone else's, or already used."""


def confirmation_token(user, new_email: str) -> str:
    """The signed, dated token of the link that moves `user` to `new_email`."""
    return signing.dumps({"user": user.pk, "old": user.email, "new": new_email}, salt=SALT)


def send_confirmation(user, new_email: str) -> None:
    """Send the link to the new address, in the user's målform, once the request commits."""
    token = confirmation_token(user, new_email)
    context = {
        "user": user,
        "email": new_email,
        "link": settings.SITE_URL + reverse("access:account-email-confirm", args=[token]),
        "hours": EMAIL_LINK_MAX_AGE // 3600,
    }
    with translation.override(interface_language(user)):
        subject = render_to_string("access/email/email_change_subject.txt", context).strip()
        body = render_to_string("access/email/email_change.txt", context)

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [new_email])
        except OSError:  # smtplib.SMTPException, and a server that cannot be reached at all
            logger.warning("E-mail confirmation to %s failed", new_email, exc_info=True)

    transaction.on_commit(send)


@transaction.atomic
def confirm(user, token: str) -> str:
    """Give `user` the address the token names, if the token is theirs, valid and unused."""
    try:
        claim = signing.loads(token, salt=SALT, max_age=EMAIL_LINK_MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired is one
        raise InvalidLink from error
    user.refresh_from_db(fields=["email"])
    if claim.get("user") != user.pk or claim.get("old") != user.email:
        raise InvalidLink
    user.email = claim["new"]
    user.save(update_fields=["email"])
    audit("email_changed", user=user.username)
    return user.email
