"""Accepting an invitation: the link from the e-mail, open to anyone who has it.

A person without an account chooses a username and a password there, or logs in with an
OpenID Connect provider that is then bound to the new account, and is logged in; a person
whose account already has the invited address logs in and accepts. The role is the
invitation row's; nothing in the request can ask for another.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from bygdevekst.logs import audit

from . import oidc, oidc_views
from .forms import AcceptForm
from .invitations import (
    Invitation,
    accept,
    accepted_message,
    accounts_with,
    count_failed_link,
    links_refused,
    refusal,
)

# The account was just made with the password given here; axes' backend needs a login attempt,
# so log in through the project's ModelBackend (settings.AUTHENTICATION_BACKENDS) directly.
BACKEND = "access.backends.ModelBackendWithLanguage"


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    # The same address as the login lockout's (axes), so both limits agree on who the client is.
    address = get_client_ip_address(request)
    if links_refused(address):
        audit("invitation_links_limited", request)
        return render(request, "access/invitation_limited.html", status=429)
    invitation = Invitation.find(token)
    if invitation is None:
        count_failed_link(address)
        raise Http404(gettext("Fann inga slik invitasjon."))
    context = {"invitation": invitation, "agreement_name": invitation.agreement.name}
    context["refusal"] = refusal(invitation)
    if context["refusal"]:
        if not invitation.is_pending:
            count_failed_link(address)
        return render(request, "access/invitation_accept.html", context, status=410)
    if request.user.is_authenticated:
        return _as_logged_in_user(request, invitation, context)
    if accounts_with(invitation.email).exists():
        context["log_in_first"] = True
        return render(request, "access/invitation_accept.html", context)
    # Or, with a provider's button (access/oidc_views.py), an account bound to that login.
    context["providers"] = oidc.providers()
    context["intent"] = oidc_views.offer(request, invitation=invitation.token_hash)
    form = (
        AcceptForm(request.POST or None, email=invitation.email)
        if settings.PASSWORD_LOGIN
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                accept(invitation=invitation, user=user)
        except ValidationError:  # taken in another tab a moment ago: no account is left behind
            invitation.refresh_from_db()
            context["refusal"] = refusal(invitation)
            return render(request, "access/invitation_accept.html", context, status=410)
        login(request, user, backend=BACKEND)
        return _accepted(request, invitation, user)
    context["form"] = form
    return render(request, "access/invitation_accept.html", context)


def _as_logged_in_user(request: HttpRequest, invitation: Invitation, context: dict) -> HttpResponse:
    """Accept with the account one is logged in with, if it has the invited address."""
    if request.user.email.lower() != invitation.email.lower():
        context["wrong_account"] = True
        return render(request, "access/invitation_accept.html", context, status=403)
    if request.method == "POST":
        try:
            accept(invitation=invitation, user=request.user)
        except ValidationError:
            invitation.refresh_from_db()
            context["refusal"] = refusal(invitation)
            return render(request, "access/invitation_accept.html", context, status=410)
        return _accepted(request, invitation, request.user)
    context["confirm"] = True
    return render(request, "access/invitation_accept.html", context)


def _accepted(request: HttpRequest, invitation: Invitation, user) -> HttpResponse:
    audit("invitation_accepted", request, agreement=invitation.agreement.slug, role=invitation.kind)
    messages.success(request, accepted_message(invitation))
    return redirect(invitation.agreement.get_absolute_url())
