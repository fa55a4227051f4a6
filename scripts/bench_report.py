"""scripts/bench_report.py (run by make bench): how long the annual report takes, and where.

Renders the seed's approved 2025 report and a synthetic plan ten times its size, several
times each, and prints medians: pages, our own time (gathering the data and building the
HTML), WeasyPrint's time (layout and writing the PDF), the total, and our share of it. Then it
times serving an approved report that is already stored. A benchmark, not a test.
"""

from __future__ import annotations

import copy
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bygdevekst.settings")
django.setup()

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from weasyprint import HTML

from access.models import Role
from measures.models import Agreement
from reporting.outputs.context import Report
from reporting.outputs.pdf import STATIC_BASE, report_html, revision_pdf


def synthetic_plan(plan: dict, factor: int) -> dict:
    """The plan with every sub-goal's measures repeated `factor` times under new keys."""
    bigger = copy.deepcopy(plan)
    for goal in bigger["sub_goals"]:
        originals = goal.get("measures", [])
        goal["measures"] = [
            {
                **copy.deepcopy(measure),
                "key": f"{measure['key']}-{copy_number}",
                "number": copy_number * len(originals) + index + 1,
            }
            for copy_number in range(factor)
            for index, measure in enumerate(originals)
        ]
    return bigger


class Command(BaseCommand):
    help = (
        "Mål kor lang tid årsrapporten (PDF) tek å lage, for seed-planen og ein ti gonger større."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--slug", default="vest-telemark")
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, slug: str, runs: int, **options) -> None:
        agreement = Agreement.objects.filter(slug=slug).first()
        revision = (
            agreement.revisions.filter(status="approved").order_by("year").first()
            if agreement
            else None
        )
        if revision is None:
            raise CommandError(
                "Les inn seed-planen først: python manage.py import_plan "
                "fixtures/vest-telemark-2025.yaml"
            )

        def seed_report() -> Report:
            return Report.from_revision(revision)

        def synthetic_report() -> Report:
            plan = synthetic_plan(revision.snapshot["plan"], 10)
            return Report.from_plan(
                plan,
                year=revision.year,
                status="Godkjent",
                dated=revision.approved_at.date(),
                revision=revision,
            )

        self.stdout.write(
            f"{'plan':<22}{'sider':>6}{'HTML (s)':>10}{'WeasyPrint (s)':>16}"
            f"{'total (s)':>11}{'vår del':>9}"
        )
        for label, build, count in (
            ("seed (14 tiltak)", seed_report, runs),
            ("syntetisk (140 tiltak)", synthetic_report, max(3, runs // 2)),
        ):
            self._measure(label, build, count)
        self._measure_download(revision, runs * 4)

    def _measure_download(self, revision, count: int) -> None:
        """A logged-in reader downloads the stored report through Django's whole request cycle."""
        revision_pdf(revision)  # make sure it is stored
        url = reverse("reporting:report-pdf", args=[revision.agreement.slug, revision.year])
        timings = []
        with transaction.atomic():
            reader = get_user_model().objects.create_user("bench-lesar")
            Role.objects.create(user=reader, agreement=revision.agreement, kind=Role.Kind.PARTNER)
            client = Client(HTTP_HOST="localhost")
            client.force_login(reader)
            for _ in range(count):
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise CommandError(f"Nedlastinga svara {response.status_code}.")
            transaction.set_rollback(True)  # leave no bench user behind
        median = statistics.median(timings) * 1000
        self.stdout.write(
            f"Nedlasting av lagra rapport (heile førespurnaden): median {median:.1f} ms"
        )

    def _measure(self, label: str, build, count: int) -> None:
        ours, weasy, pages = [], [], 0
        for _ in range(count):
            started = time.perf_counter()
            html = report_html(build())
            built = time.perf_counter()
            document = HTML(string=html, base_url=str(STATIC_BASE) + "/").render()
            document.write_pdf(pdf_variant="pdf/a-2b", pdf_tags=True)
            done = time.perf_counter()
            ours.append(built - started)
            weasy.append(done - built)
            pages = len(document.pages)
        own, layout = statistics.median(ours), statistics.median(weasy)
        total = own + layout
        self.stdout.write(
            f"{label:<22}{pages:>6}{own:>10.2f}{layout:>16.2f}{total:>11.2f}{own / total:>8.0%}"
        )


if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "bench_report", *sys.argv[1:]])
