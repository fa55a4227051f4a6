"""Logging in with OpenID Connect: the configured providers and the checks on their answers.

Authlib does the protocol (discovery, authorization code with PKCE, `state` and `nonce` kept in
the session, the ID token's signature against the provider's JWKS, its issuer, audience, expiry
and nonce). On top of it, here: only asymmetric signatures, the discovered issuer must be the
configured one, and the level of assurance (`acr`) must be one the installation accepts.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from joserfc.errors import ExpiredTokenError, JoseError

# Ansattporten, ID-porten and Entra ID sign with RS256; a shared-secret (HS*) or unsigned token
# is refused whatever the provider's discovery document offers.
SIGNING_ALGORITHMS = ("RS256", "PS256", "ES256")
# The discovery document (endpoints and keys) is read again after this long.
METADATA_MAX_AGE = 3600
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Provider:
    """One provider from OIDC_PROVIDERS (settings.oidc_providers_from_env)."""

    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    # The levels of assurance accepted, the lowest first (it is the one asked for); none: any.
    acr_values: tuple[str, ...]
    label: str

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def providers() -> list[Provider]:
    return [provider(name) for name in settings.OIDC_PROVIDERS]


def provider(name: str) -> Provider | None:
    config = settings.OIDC_PROVIDERS.get(name)
    if config is None:
        return None
    return Provider(
        name=name,
        issuer=config["issuer"],
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        scopes=tuple(config["scopes"]),
        acr_values=tuple(config["acr_values"]),
        label=config["label"],
    )


class Refused(Exception):
    """The provider's answer does not hold; `reason` is what the person reads."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(code)
        self.reason = reason
        self.code = code


class CheckedClient(DjangoOAuth2App):
    """Authlib's Django client, reading the discovery document again after METADATA_MAX_AGE,
    refusing a document that names another issuer, and taking only asymmetric signatures."""

    def __init__(self, provider: Provider) -> None:
        super().__init__(
            DjangoIntegration(provider.name),
            provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.discovery_url,
            client_kwargs={
                "scope": " ".join(provider.scopes),
                "code_challenge_method": "S256",
                "timeout": TIMEOUT_SECONDS,
            },
        )
        self.provider = provider

    def load_server_metadata(self) -> dict:
        loaded_at = self.server_metadata.get("_loaded_at", 0)
        if time.time() - loaded_at > METADATA_MAX_AGE:
            self.server_metadata.pop("_loaded_at", None)
        metadata = super().load_server_metadata()
        if metadata.get("issuer") != self.provider.issuer:
            self.server_metadata.pop("_loaded_at", None)
            raise Refused(unverified(self.provider), "discovery_issuer_mismatch")
        offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        metadata["id_token_signing_alg_values_supported"] = [
            algorithm for algorithm in offered if algorithm in SIGNING_ALGORITHMS
        ]
        return metadata


@functools.cache
def client(provider: Provider) -> CheckedClient:
    """One client per provider configuration, keeping its discovery document and keys."""
    return CheckedClient(provider)


def redirect_to_provider(request: HttpRequest, provider: Provider, callback_url: str):
    """The redirect to the provider's login, with PKCE, state and nonce kept in the session."""
    extra = {"acr_values": provider.acr_values[0]} if provider.acr_values else {}
    try:
        return client(provider).authorize_redirect(request, callback_url, **extra)
    except requests.RequestException:
        raise Refused(unreachable(provider), "provider_unreachable") from None


def verified_claims(request: HttpRequest, provider: Provider) -> dict:
    """The ID token's claims, once the code is exchanged and the token checked; or Refused."""
    try:
        token = client(provider).authorize_access_token(request)
    except MismatchingStateError:
        raise Refused(
            gettext(
                "Innlogginga kunne ikkje fullførast: ho var starta i ein annan fane eller for "
                "lenge sidan, eller lenkja er brukt før. Prøv å logge inn på nytt."
            ),
            "state_mismatch",
        ) from None
    except OAuthError as error:  # the provider said no, at its login or its token endpoint
        raise Refused(unverified(provider), f"provider_error:{error.error}") from None
    except ExpiredTokenError:
        raise Refused(unverified(provider), "token_expired") from None
    except JoseError as error:  # signature, key, algorithm, issuer, audience, nonce
        raise Refused(unverified(provider), f"token_invalid:{error.error}") from None
    except requests.RequestException:
        raise Refused(unreachable(provider), "provider_unreachable") from None
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise Refused(unverified(provider), "no_id_token")
    if provider.acr_values and claims.get("acr") not in provider.acr_values:
        raise Refused(
            gettext(
                "Du logga inn på eit lågare tryggleiksnivå enn Bygdevekst krev. Logg inn på nytt "
                "med ein metode på minst nivå «betydeleg» (til dømes BankID eller MinID med app)."
            ),
            "acr_too_low",
        )
    return dict(claims) | {"id_token": token["id_token"]}


def logout_url(provider: Provider, id_token: str, after_logout_url: str) -> str | None:
    """The provider's end-session address (RP-initiated logout), if it has one."""
    try:
        metadata = client(provider).load_server_metadata()
    except (requests.RequestException, Refused):
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return client(provider).create_logout_url(
        post_logout_redirect_uri=after_logout_url, id_token_hint=id_token
    )["url"]


def unverified(provider: Provider) -> str:
    return gettext(
        "Innlogginga med %(provider)s vart avvist, fordi svaret derifrå ikkje kunne stadfestast. "
        "Prøv på nytt; hjelper ikkje det, kontakt den som driftar Bygdevekst."
    ) % {"provider": provider.label}


def unreachable(provider: Provider) -> str:
    return gettext("Fekk ikkje kontakt med %(provider)s. Prøv på nytt om litt.") % {
        "provider": provider.label
    }
