"""Who a person is at an OpenID Connect provider: the provider's subject, bound to one account.

A binding is made only by accepting an invitation with the provider, or by a person already
logged in who connects the provider to their own account; never by an e-mail address alone.
Operators see and remove bindings in the admin.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy


class Identity(models.Model):
    """The account a provider's subject (`sub`) logs in to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities"
    )
    provider = models.CharField(gettext_lazy("innlogging"), max_length=50)
    subject = models.CharField(gettext_lazy("identifikator hos innlogginga"), max_length=255)
    bound_at = models.DateTimeField(gettext_lazy("kopla til"), default=timezone.now)
    last_login_at = models.DateTimeField(gettext_lazy("sist innlogga"), null=True, blank=True)

    class Meta:
        ordering = ["provider", "user_id"]
        verbose_name = gettext_lazy("innlogging med OpenID Connect")
        verbose_name_plural = gettext_lazy("innloggingar med OpenID Connect")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="one_account_per_provider_subject"
            ),
            models.UniqueConstraint(
                fields=["provider", "user"], name="one_subject_per_provider_and_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"

    @property
    def provider_label(self) -> str:
        return provider_label(self.provider)


def provider_label(name: str) -> str:
    """The provider's name as people know it (OIDC_<NAME>_LABEL), or its configured name."""
    config = settings.OIDC_PROVIDERS.get(name)
    return config["label"] if config else name


def login_methods(user) -> list[str]:
    """How the person logs in, as people read it: each bound provider, and the password."""
    methods = [identity.provider_label for identity in user.identities.all()]
    if settings.PASSWORD_LOGIN and user.has_usable_password():
        methods.append(gettext("Passord"))
    return methods


def connect(user, provider: str, subject: str) -> Identity:
    """Bind the provider's subject to the account (raises IntegrityError if either is bound)."""
    return Identity.objects.create(user=user, provider=provider, subject=subject)


@transaction.atomic
def account_for_invitation(invitation, provider: str, claims: dict) -> Identity:
    """A new account for the invited address, bound to the provider's subject instead of a
    password, with the invitation's role (accept() refuses a used or stale invitation)."""
    from .forms import suggested_username
    from .invitations import accept

    user = get_user_model()(
        username=suggested_username(invitation.email) or _free_username(invitation.email),
        email=invitation.email,
        first_name=_name(claims),
    )
    user.set_unusable_password()
    user.save()
    identity = connect(user, provider, claims["sub"])
    accept(invitation=invitation, user=user)
    return identity


def _name(claims: dict) -> str:
    """The person's name, as the provider gives it (Ansattporten and Entra ID do)."""
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part
    )
    return str(name)[:150]


def _free_username(email: str) -> str:
    return f"{email[:140]}-{secrets.token_hex(3)}"
