"""Make the provider's database, signing key, people and clients (tests/oidc_provider)."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from oidc_provider.models import Client, ResponseType, RSAKey

from tests.oidc_provider.scenarios import PASSWORD, PEOPLE, SCENARIOS, SECRET, client_id


class Command(BaseCommand):
    help = "Set up the test provider: its tables, a key, the people, the clients, their addresses."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--app",
            action="append",
            default=[],
            help="The address of an application that logs in here (repeatable).",
        )
        parser.add_argument(
            "--name",
            default="testid",
            help="The application's name for the provider (its callback path names it).",
        )

    def handle(self, *args, app, name, **options) -> None:
        # In this process rather than a `migrate` of its own: one start of Django the fewer.
        call_command("migrate", interactive=False, verbosity=0)
        if not RSAKey.objects.exists():
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric import rsa

            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            )
            RSAKey.objects.create(key=pem.decode())
        for username in PEOPLE:
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.set_password(PASSWORD)
            user.save()
        code = ResponseType.objects.get(value="code")
        for scenario in (None, *SCENARIOS):
            client, _ = Client.objects.get_or_create(
                client_id=client_id(scenario),
                defaults={"name": client_id(scenario), "client_type": "confidential"},
            )
            provider = f"{name}-{scenario}" if scenario else name
            callbacks = [f"{base.rstrip('/')}/konto/oidc/{provider}/tilbake/" for base in app]
            client.client_secret = SECRET
            client.jwt_alg = "RS256"
            client.require_consent = False
            client.redirect_uris = sorted({*client.redirect_uris, *callbacks})
            client.post_logout_redirect_uris = sorted(
                {*client.post_logout_redirect_uris, *(f"{b.rstrip('/')}/konto/login/" for b in app)}
            )
            client.scope = ["openid", "profile", "email"]
            client.save()
            client.response_types.set([code])
