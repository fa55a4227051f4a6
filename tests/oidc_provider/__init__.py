"""A real OpenID provider for the login tests, run as a process of its own.

Built on django-oidc-provider with its own settings, database and signing key, it speaks to
the application over HTTP as Ansattporten or Entra ID would (discovery, authorization code
with PKCE, token endpoint, JWKS, end-session). Besides the client that behaves, it has one
client per way a provider's answer can be wrong (scenarios.py); the application is configured
with that client to see it refuse the answer. `server.py` starts it for the tests, and
`scripts/oidc-provider` for a local trial.
"""
