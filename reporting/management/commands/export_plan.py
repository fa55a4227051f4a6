"""python manage.py export_plan SLUG: write an agreement's whole plan as a plan file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.models import Agreement
from reporting.plan_file import export_plan


class Command(BaseCommand):
    help = "Skriv heile planen til ei avtale som planfil (YAML), til standard ut eller til ei fil."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="nøkkelen til avtala, t.d. vest-telemark")
        parser.add_argument("--output", "-o", type=Path, help="fila det skal skrivast til")

    def handle(self, *args, slug: str, output: Path | None, **options) -> None:
        agreement = Agreement.objects.filter(slug=slug).first()
        if agreement is None:
            known = ", ".join(Agreement.objects.values_list("slug", flat=True)) or "ingen"
            raise CommandError(f"Fann inga avtale {slug!r}. Avtalene som finst: {known}.")
        text = export_plan(agreement)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Skreiv {output}.")
