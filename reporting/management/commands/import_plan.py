"""python manage.py import_plan FILE: load a plan file, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.plan_file import PlanFileError, import_plan, parse_plan


class Command(BaseCommand):
    help = (
        "Les ei planfil (YAML, sjå docs/plan-format.md) inn i databasen. "
        "Køyrd to gonger endrar ingenting."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="planfila som skal lesast inn")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Kan ikkje lese {file}: {error}") from error
        try:
            agreement = import_plan(parse_plan(text))
        except PlanFileError as error:
            count = len(error.problems)
            raise CommandError(f"{file}: {count} feil, ingenting er lagra.\n{error}") from error
        self.stdout.write(self.style.SUCCESS(f"Las inn «{agreement}» frå {file}."))
