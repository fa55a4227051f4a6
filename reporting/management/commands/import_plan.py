"""python manage.py import_plan FILE [FILE ...]: load plan files, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reporting.plan_file import PlanFileError, import_plan, parse_plan
from reporting.plan_file.loader import MAX_CHARACTERS


class Command(BaseCommand):
    help = (
        "Les planfiler (YAML, sjå docs/plan-format.md) inn i databasen, alle eller ingen. "
        "Køyrd to gonger endrar ingenting. Ein restore: import_plan MAPPE/*.yaml."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="planfilene som skal lesast inn")

    def handle(self, *args, files: list[Path], **options) -> None:
        # One transaction for them all: a restore is whole or not at all.
        with transaction.atomic():
            imported = [(file, self._import(file)) for file in files]
        for file, agreement in imported:
            self.stdout.write(self.style.SUCCESS(f"Las inn «{agreement}» frå {file}."))

    def _import(self, file: Path):
        text = _read(file)
        try:
            return import_plan(parse_plan(text), source=file.name)
        except PlanFileError as error:
            count = len(error.problems)
            raise CommandError(f"{file}: {count} feil, ingenting er lagra.\n{error}") from error


def _read(file: Path) -> str:
    """The file as text, refused before it is read whole if it is larger than a plan can be."""
    try:
        with file.open("rb") as stream:
            data = stream.read(MAX_CHARACTERS + 1)
    except OSError as error:
        raise CommandError(f"Kan ikkje lese {file}: {error.strerror or error}") from error
    if len(data) > MAX_CHARACTERS:
        raise CommandError(
            f"{file}: fila er større enn {MAX_CHARACTERS // 1_000_000} MB; "
            "ei planfil kan ikkje vere så stor. Ingenting er lagra."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CommandError(
            f"{file}: linje {line}: fila er ikkje UTF-8-tekst (byte {error.start + 1}). "
            "Ingenting er lagra."
        ) from error
