"""python manage.py deactivate_user USERNAME: stop a person from logging in, keep their history."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from access.accounts import deactivate


class Command(BaseCommand):
    help = "Steng ein brukar ute (kontoen og historikken blir verande) og logg han ut overalt."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Fann ingen brukar {username!r}.")
        deactivate(user)
        self.stdout.write(
            f"{username} kan ikkje logge inn lenger, og opne økter gjeld ikkje lenger."
        )
