"""Logging in with an OpenID Connect provider: the way out to it, the way back, and logout.

The way back logs in the account the provider's subject is bound to (access/identities.py), or
binds it: to a new account when the person came from an invitation's link, or to their own
account when they asked to connect it while logged in. Anyone else is told who can invite them.
"""

from __future__ import annotations

import secrets

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from bygdevekst.logs import audit

from . import oidc
from .identities import Identity, account_for_invitation, connect
from .invitations import Invitation, accepted_message, accounts_with, refusal

BACKEND = "access.backends.OpenIdConnectBackend"
INTENT_KEY = "oidc_intent"
OFFER_KEY = "oidc_offer"
LOGIN_KEY = "oidc_login"


@login_not_required
@require_GET
def start(request: HttpRequest, name: str) -> HttpResponse:
    """Out to the provider. A link, not a form: the browser's form-action policy would stop a
    form's redirect to another site. What the person came for (an invitation, connecting their
    account) is what the page with the button kept in the session (`offer`), never the link's."""
    provider = _provider(name)
    if _locked(request, provider):
        return _locked_out(request)
    intent = {"provider": name, "next": _safe_next(request, request.GET.get("next", ""))}
    offered = request.session.get(OFFER_KEY) or {}
    key = request.GET.get("intent", "")
    if key and constant_time_compare(key, offered.get("key", "")):
        intent |= {k: v for k, v in offered.items() if k in ("invitation", "connect")}
    callback = request.build_absolute_uri(reverse("access:oidc-callback", args=[name]))
    try:
        response = oidc.redirect_to_provider(request, provider, callback)
    except oidc.Refused as refused:
        return _refused(request, provider, refused)
    request.session[INTENT_KEY] = intent
    return response


def offer(request: HttpRequest, **intent) -> str:
    """Keep what the provider buttons on this page are for (the invitation's hash, or the
    account to connect) in the session, under a fresh key that the buttons' links carry: a link
    made elsewhere cannot bind anything."""
    key = secrets.token_urlsafe(16)
    request.session[OFFER_KEY] = {"key": key, **intent}
    return key


@login_not_required
@require_GET
def callback(request: HttpRequest, name: str) -> HttpResponse:
    """Back from the provider: check its answer, then log in, bind or refuse."""
    provider = _provider(name)
    if _locked(request, provider):
        return _locked_out(request)
    try:
        claims = oidc.verified_claims(request, provider)
    except oidc.Refused as refused:
        return _refused(request, provider, refused)
    intent = request.session.pop(INTENT_KEY, None) or {}
    if intent.get("provider") != name:
        intent = {}
    subject = claims["sub"]
    identity = (
        Identity.objects.select_related("user").filter(provider=name, subject=subject).first()
    )
    if intent.get("connect"):
        return _connect(request, provider, subject, intent, identity)
    if identity is not None:
        if not identity.user.is_active:
            return _unknown(request, provider, closed=True)
        _log_in(request, provider, identity, claims)
        if intent.get("invitation"):
            # Not taken here: the invitation page, opened again as this account, says whether
            # it is this account's to take (its address) and asks to confirm.
            messages.info(
                request,
                gettext(
                    "Du har alt ein konto med denne innlogginga, og er no logga inn med han. "
                    "Opne lenkja i invitasjonen på nytt for å ta imot."
                ),
            )
        return redirect(intent.get("next") or "reporting:home")
    if intent.get("invitation"):
        return _accept_invitation(request, provider, claims, intent)
    return _unknown(request, provider)


class LogoutView(auth_views.LogoutView):
    """Django's logout, then the provider's too (RP-initiated logout) for a person who logged in
    there, so that the next person at a shared computer is asked who they are."""

    def post(self, request, *args, **kwargs):
        logged_in_with = request.session.get(LOGIN_KEY)
        response = super().post(request, *args, **kwargs)
        provider = oidc.provider(logged_in_with["provider"]) if logged_in_with else None
        if provider is None:
            return response
        after = request.build_absolute_uri(reverse("login"))
        url = oidc.logout_url(provider, logged_in_with["id_token"], after)
        if not url:
            return response
        # A page that goes on to the provider, not a redirect: the logout form's redirect to
        # another site would break the browser's form-action policy.
        context = {"provider": provider, "provider_logout_url": url}
        return render(request, "access/logged_out.html", context)


def _provider(name: str) -> oidc.Provider:
    provider = oidc.provider(name)
    if provider is None:
        raise Http404(gettext("Inga slik innlogging."))
    return provider


def _lockout_credentials(provider: oidc.Provider) -> dict:
    # Failures are counted per provider and address, like a username's at the password login,
    # and count towards the address's own limit (access/lockout.py).
    return {"username": f"oidc:{provider.name}"}


def _locked(request: HttpRequest, provider: oidc.Provider) -> bool:
    return AxesProxyHandler.is_locked(request, _lockout_credentials(provider))


def _locked_out(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/locked_out.html", status=429)


def _refused(request: HttpRequest, provider: oidc.Provider, refused: oidc.Refused) -> HttpResponse:
    # The reason's code only: never the code, the tokens or the claims.
    audit("oidc_login_refused", request, provider=provider.name, reason=refused.code)
    user_login_failed.send(
        sender=__name__, credentials=_lockout_credentials(provider), request=request
    )
    context = {"provider": provider, "reason": refused.reason}
    return render(request, "access/oidc_refused.html", context, status=403)


def _unknown(request: HttpRequest, provider: oidc.Provider, closed: bool = False) -> HttpResponse:
    audit("oidc_login_unknown", request, provider=provider.name, closed=closed)
    context = {"provider": provider, "closed": closed}
    return render(request, "access/oidc_unknown.html", context, status=403)


def _log_in(request, provider, identity: Identity, claims: dict) -> None:
    login(request, identity.user, backend=BACKEND)  # a new session key (rotated at login)
    # For the provider's logout: which provider, and the token it asks for as a hint.
    request.session[LOGIN_KEY] = {"provider": provider.name, "id_token": claims["id_token"]}
    Identity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())
    audit("oidc_login", request, provider=provider.name)


def _accept_invitation(request, provider, claims: dict, intent: dict) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("agreement", "organisation")
        .filter(token_hash=intent["invitation"])
        .first()
    )
    if invitation is None:
        return _unknown(request, provider)
    reason = refusal(invitation)
    if not reason and accounts_with(invitation.email).exists():
        reason = gettext(
            "Du har alt ein konto med denne e-postadressa. Logg inn med han, opne lenkja i "
            "invitasjonen på nytt og ta imot; under «Kontoen min» kan du kople %(provider)s til "
            "kontoen."
        ) % {"provider": provider.label}
    if not reason:
        try:
            identity = account_for_invitation(invitation, provider.name, claims)
        except (ValidationError, IntegrityError):  # used a moment ago, or the subject is bound
            invitation.refresh_from_db()
            reason = refusal(invitation) or oidc.unverified(provider)
    if reason:
        context = {"invitation": invitation, "agreement_name": invitation.agreement.name}
        context["refusal"] = reason
        return render(request, "access/invitation_accept.html", context, status=410)
    audit("invitation_accepted", request, agreement=invitation.agreement.slug, role=invitation.kind)
    _log_in(request, provider, identity, claims)
    messages.success(request, accepted_message(invitation))
    return redirect(invitation.agreement.get_absolute_url())


def _connect(request, provider, subject: str, intent: dict, identity) -> HttpResponse:
    """Bind the provider to the account of the person logged in, who asked for it."""
    if not request.user.is_authenticated or request.user.pk != intent["connect"]:
        return _unknown(request, provider)
    if identity is not None and identity.user_id != request.user.pk:
        messages.error(
            request,
            gettext("Denne innlogginga hos %(provider)s høyrer alt til ein annan konto.")
            % {"provider": provider.label},
        )
        return redirect("access:account")
    try:
        with transaction.atomic():
            connect(request.user, provider.name, subject)
    except IntegrityError:
        messages.error(
            request,
            gettext("Kontoen din er alt kopla til ei anna innlogging hos %(provider)s.")
            % {"provider": provider.label},
        )
        return redirect("access:account")
    audit("oidc_connected", request, provider=provider.name)
    messages.success(
        request,
        gettext("No kan du logge inn med %(provider)s.") % {"provider": provider.label},
    )
    return redirect("access:account")


def _safe_next(request: HttpRequest, url: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""
