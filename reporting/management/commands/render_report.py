"""python manage.py render_report SLUG YEAR -o FILE [--draft]: the annual report as PDF."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.management.lookup import agreement_for
from reporting.outputs.context import Report
from reporting.outputs.pdf import render_report, revision_pdf


class Command(BaseCommand):
    help = "Lag handlingsplanen for eit år som PDF; med --draft av den levande planen som utkast."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("year", type=int)
        parser.add_argument("--output", "-o", type=Path, required=True)
        parser.add_argument(
            "--draft",
            action="store_true",
            help=(
                "utkast av den levande planen, med endringane sidan sist godkjende handlingsplan "
                "og grunngjevingane, vurderingane og årsstatusane i rulleringa for året"
            ),
        )

    def handle(self, *args, slug: str, year: int, output: Path, draft: bool, **options) -> None:
        agreement = agreement_for(slug, year)
        revision = agreement.revisions.filter(year=year).first()
        if draft:
            pdf = render_report(Report.draft(agreement, year))
        elif revision is None:
            raise CommandError(
                f"Det finst ingen handlingsplan for {year}. Bruk --draft for eit utkast."
            )
        else:
            pdf, _ = revision_pdf(revision)
        output.write_bytes(pdf)
        self.stdout.write(f"Skreiv {output} ({len(pdf) // 1024} kB).")
