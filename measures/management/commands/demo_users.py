"""python manage.py demo_users: one user per role for agreements (the seed by default)."""

from __future__ import annotations

import os
import secrets

from django.contrib.auth.password_validation import ValidationError, validate_password
from django.core.management.base import BaseCommand, CommandError

from measures.demo_users import create_demo_users
from measures.models import Agreement


class Command(BaseCommand):
    help = "Lag demobrukarar (prosjektleiar, ein per kommune, fylkeskommunen, kdd) for ei avtale."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--agreement",
            action="append",
            help="nøkkelen til avtala (kan gjevast fleire gonger; utan: vest-telemark)",
        )

    def handle(self, *args, agreement: list[str] | None, **options) -> None:
        slugs = agreement or ["vest-telemark"]
        agreements = [Agreement.objects.filter(slug=slug).first() for slug in slugs]
        for slug, found in zip(slugs, agreements, strict=True):
            if found is None:
                raise CommandError(
                    f"Fann inga avtale {slug!r}. Les inn planen først: "
                    "python manage.py import_plan fixtures/vest-telemark-2025.yaml"
                )
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError("DEMO_PASSWORD er for svakt: " + " ".join(error.messages)) from error
        for found in agreements:
            users = create_demo_users(agreement=found, password=password)
            self.stdout.write(f"Demobrukarar for «{found}»:")
            for user in users:
                where = f" for {user.organisation}" if user.organisation else ""
                self.stdout.write(f"  {user.username:<16} {user.kind}{where}")
        source = "frå DEMO_PASSWORD" if os.environ.get("DEMO_PASSWORD") else "laga no"
        self.stdout.write(self.style.SUCCESS(f"Passord for alle ({source}): {password}"))
