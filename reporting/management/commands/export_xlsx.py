"""python manage.py export_xlsx SLUG YEAR -o FILE: the plan's tables as an Excel workbook."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from reporting.management.lookup import agreement_for
from reporting.outputs.context import Report
from reporting.outputs.workbook.writer import report_workbook


class Command(BaseCommand):
    help = "Skriv tiltak, budsjett, finansiering og godkjenningar for eit år til ei Excel-fil."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("year", type=int)
        parser.add_argument("--output", "-o", type=Path, required=True)

    def handle(self, *args, slug: str, year: int, output: Path, **options) -> None:
        agreement = agreement_for(slug, year)
        revision = agreement.revisions.filter(year=year).first()
        report = Report.from_revision(revision) if revision else Report.draft(agreement, year)
        output.write_bytes(report_workbook(report))
        self.stdout.write(f"Skreiv {output}.")
