"""How each of the provider's clients answers: `bygdevekst` as a provider should, and each
`bygdevekst-<scenario>` wrong in one way, so that a test can configure the application with that
client and see it refuse the answer. The rest of the provider (codes, PKCE, the token endpoint,
JWKS) is django-oidc-provider's own, the same for every client.
"""

from __future__ import annotations

import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

GOOD_CLIENT = "bygdevekst"
SECRET = "test-provider-secret"
# The people who can log in at the provider; the password is the same for all.
PEOPLE = ("kari", "ola", "ukjend", "nils")
PASSWORD = "provider-passord-1"
# The level of assurance the provider reports, as ID-porten and Ansattporten name them.
SUBSTANTIAL = "idporten-loa-substantial"
LOW = "idporten-loa-low"

CLAIM_SCENARIOS = {
    "wrong-nonce": lambda claims: claims | {"nonce": "not-the-nonce-that-was-sent"},
    "wrong-issuer": lambda claims: claims | {"iss": "http://127.0.0.1:1/another-provider"},
    "wrong-audience": lambda claims: claims | {"aud": "another-client"},
    "expired": lambda claims: (
        claims | {"iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}
    ),
    "low-acr": lambda claims: claims | {"acr": LOW},
}
SIGNING_SCENARIOS = ("alg-none", "unknown-key")
SCENARIOS = (*CLAIM_SCENARIOS, *SIGNING_SCENARIOS)


def client_id(scenario: str | None = None) -> str:
    return f"{GOOD_CLIENT}-{scenario}" if scenario else GOOD_CLIENT


def scenario_of(client_id: str) -> str | None:
    prefix = f"{GOOD_CLIENT}-"
    return client_id.removeprefix(prefix) if client_id.startswith(prefix) else None


def subject(user) -> str:
    """The person's stable identifier at this provider (the `sub` claim)."""
    return f"testid-{user.username}"


def claims_as_the_scenario_says(id_token, user, token, request):
    """OIDC_IDTOKEN_PROCESSING_HOOK: every token reports its level of assurance; a scenario's
    client gets that one claim wrong."""
    claims = {**id_token, "acr": SUBSTANTIAL, "amr": ["Passord"]}
    change = CLAIM_SCENARIOS.get(scenario_of(token.client.client_id) or "")
    return change(claims) if change else claims


def signed_as_the_scenario_says(encode):
    """Wrap the provider's ID-token encoder: unsigned (`alg: none`) for one scenario's client,
    signed with a key the JWKS does not publish for another, as the provider signs otherwise."""

    def encode_id_token(payload, client):
        scenario = scenario_of(client.client_id)
        if scenario == "alg-none":
            return jwt.encode(payload, None, algorithm="none")
        if scenario == "unknown-key":
            stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            return jwt.encode(payload, stranger, algorithm="RS256", headers={"kid": "unknown"})
        return encode(payload, client)

    return encode_id_token
