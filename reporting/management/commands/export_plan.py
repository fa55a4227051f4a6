"""python manage.py export_plan SLUG | --all --output-dir DIR: write plans as plan files."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.models import Agreement
from reporting.plan_file import export_plan


class Command(BaseCommand):
    help = (
        "Skriv heile planen til ei avtale som planfil (YAML), til standard ut eller til ei fil; "
        "med --all og --output-dir kvar avtale til MAPPE/SLUG.yaml (reservekopien)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", nargs="?", help="nøkkelen til avtala, t.d. vest-telemark")
        parser.add_argument("--all", action="store_true", dest="every", help="alle avtalene")
        parser.add_argument("--output", "-o", type=Path, help="fila det skal skrivast til")
        parser.add_argument(
            "--output-dir", type=Path, help="mappa kvar avtale skal skrivast til, som SLUG.yaml"
        )

    def handle(
        self,
        *args,
        slug: str | None,
        every: bool,
        output: Path | None,
        output_dir: Path | None,
        **options,
    ) -> None:
        if every == bool(slug):
            raise CommandError("Skriv anten nøkkelen til éi avtale eller --all.")
        if every and not output_dir:
            raise CommandError("Med --all må du gi --output-dir MAPPE.")
        if output and output_dir:
            raise CommandError("Gi anten --output eller --output-dir, ikkje begge.")
        agreements = list(Agreement.objects.order_by("slug")) if every else [_agreement(slug)]
        if output_dir:
            output_dir.mkdir(parents=True, exist_ok=True)
            for agreement in agreements:
                _write(output_dir / f"{agreement.slug}.yaml", export_plan(agreement))
                self.stderr.write(f"Skreiv {output_dir / f'{agreement.slug}.yaml'}.")
        elif output:
            _write(output, export_plan(agreements[0]))
            self.stderr.write(f"Skreiv {output}.")
        else:
            self.stdout.write(export_plan(agreements[0]), ending="")


def _agreement(slug: str) -> Agreement:
    agreement = Agreement.objects.filter(slug=slug).first()
    if agreement is None:
        known = ", ".join(Agreement.objects.values_list("slug", flat=True)) or "ingen"
        raise CommandError(f"Fann inga avtale {slug!r}. Avtalene som finst: {known}.")
    return agreement


def _write(target: Path, text: str) -> None:
    """Write the whole file or nothing: a backup cut short must not pass for a plan."""
    partial = target.with_name(target.name + ".delvis")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
