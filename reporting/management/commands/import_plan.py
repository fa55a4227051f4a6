"""python manage.py import_plan FILE [FILE ...]: load plan files, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reporting.plan_file import PlanFileError, import_plan, parse_plan
from reporting.plan_file.loader import MAX_CHARACTERS
from reporting.plan_file.shared import SharedChange, shared_changes


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
            imported = [(file, *self._import(file)) for file in files]
        for file, agreement, shared in imported:
            self.stdout.write(self.style.SUCCESS(f"Las inn «{agreement}» frå {file}."))
            for change in shared:
                self.stdout.write(self.style.WARNING(_shared_note(change)))

    def _import(self, file: Path) -> tuple:
        """The agreement imported, and the changes it made to organisations other agreements
        use: an operator may make them, the browser may not (reporting/plan_file/shared.py)."""
        text = _read(file)
        try:
            plan = parse_plan(text)
            shared = shared_changes(plan)
            return import_plan(plan, operator=True, source=file.name), shared
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


def _shared_note(change: SharedChange) -> str:
    """What the operator changed in the shared register, and which agreements see it."""
    others = ", ".join(f"«{other}»" for other in change.others)
    fields = ", ".join(change.fields)
    return (
        f"Merk: endra {fields} på organisasjonen «{change.organisation.name}» "
        f"(organisations[{change.index}]), som også er med i {others}. "
        "Berre ein operatør kan gjere det; nettlesaren avviser slike filer."
    )
