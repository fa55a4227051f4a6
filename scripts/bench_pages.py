"""scripts/bench_pages.py: query counts and server times of the main pages as data grows,
and a load run against gunicorn. A benchmark, not a test: run it through `make bench`, which
gives it a database of its own.

The public page of the big agreement's approved plan is measured too, as an anonymous reader
gets it: cold (rendered from the snapshot), cached, and answered 304 to a conditional request;
and anonymous readers load it against gunicorn (scripts/bench_public.py).

Scale S means S agreements (copies of the seed, each with a revision and some history), the
first of which has 14 × S measures: pages are measured on that one, so both the installation
and the page grow.
"""

from __future__ import annotations

import copy
import datetime
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import django
import yaml

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bygdevekst.settings")
django.setup()

from bench_public import load_public, measure_public  # scripts/bench_public.py, beside this
from bench_report import synthetic_plan  # scripts/bench_report.py, beside this file
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from access.models import Role
from budget.models import BudgetLine, FundingSource
from measures.models import Agreement, Measure
from money.models import Accounts, Payment, Spending
from reporting.plan_file import import_plan, parse_plan
from reporting.revision import workflow

SEED = Path(settings.BASE_DIR) / "fixtures" / "vest-telemark-2025.yaml"
PASSWORD = "Bench-passord-2026"
PAGES = {
    "oversikt": "/avtale/{slug}/",
    "tiltak": "/avtale/{slug}/tiltak/gott-nokk-0/",
    "organisasjon": "/avtale/{slug}/organisasjonar/husbanken/",
    "budsjett": "/budsjett/{slug}/",
    "rullering": "/rullering/{slug}/2025/",
    "pengar": "/rekneskap/{slug}/",
}


def build_scale(scale: int) -> str:
    """Load `scale` agreements; return the slug of the big one (14 × scale measures)."""
    seed = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    for index in range(scale):
        plan = copy.deepcopy(seed)
        slug = f"bench-{scale}-{index}"
        plan["agreement"]["slug"], plan["agreement"]["name"] = slug, f"Benchavtale {scale}-{index}"
        if index == 0:
            plan["sub_goals"] = synthetic_plan(plan, scale)["sub_goals"]
        import_plan(parse_plan(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False)))
        agreement = Agreement.objects.get(slug=slug)
        for measure in Measure.objects.filter(agreement=agreement)[:5]:  # some history
            measure.title += " (endra)"
            measure.save()
        add_money(agreement, scale)
    return f"bench-{scale}-0"


def add_money(agreement: Agreement, scale: int) -> None:
    """2025's accounts, accepted, and `scale` payments: the money page's rows grow with them."""
    accounts = Accounts.objects.create(agreement=agreement, year=2025)
    sources = list(FundingSource.objects.filter(agreement=agreement))
    for line in BudgetLine.objects.filter(agreement=agreement):
        for source in sources:
            Spending.objects.create(accounts=accounts, line=line, source=source, kroner=1000)
    accounts.status = Accounts.Status.ACCEPTED
    accounts.save()
    for n in range(scale):
        Payment.objects.create(
            agreement=agreement,
            year=2025,
            paid_on=datetime.date(2025, 7, 1),
            kroner=100_000,
            reference=f"bench/{n}",
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Command(BaseCommand):
    help = (
        "Mål spørjingar og tid for hovudsidene ved 1×, 10× og 50× seed-planen, og ei lastkøyring."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scales", default="1,10,50")
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--load-seconds", type=int, default=10)
        parser.add_argument("--clients", type=int, default=8)
        # As in production (Dockerfile); --threads 1 gives gunicorn's sync workers to compare.
        parser.add_argument("--threads", type=int, default=4)

    def handle(
        self,
        *args,
        scales: str,
        runs: int,
        load_seconds: int,
        clients: int,
        threads: int,
        **options,
    ) -> None:
        user = get_user_model().objects.create_user("bench", password=PASSWORD)
        self.stdout.write(
            f"{'skala':>6} {'side':<14}{'spørjingar':>11}{'median ms':>11}{'p95 ms':>9}"
        )
        load_slug = None
        for scale in [int(s) for s in scales.split(",")]:
            slug = build_scale(scale)
            Role.objects.create(
                user=user, agreement=Agreement.objects.get(slug=slug), kind=Role.Kind.EDITOR
            )
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            for name, path in PAGES.items():
                self._page(client, scale, name, path.format(slug=slug), runs)
            # The approved plan's public page, read by anyone (scripts/bench_public.py).
            measure_public(self.stdout.write, scale, slug, runs, percentile)
            if scale == 10:
                load_slug = slug
        if load_slug and load_seconds:
            # Under load the overview is read by partners and municipalities, not the editor.
            reader = get_user_model().objects.create_user("bench-lesar", password=PASSWORD)
            agreement = Agreement.objects.get(slug=load_slug)
            Role.objects.create(user=reader, agreement=agreement, kind=Role.Kind.PARTNER)
            # A draft of seed size, whose PDF is rendered afresh at every download (seconds).
            draft = Agreement.objects.get(slug=load_slug.removesuffix("-0") + "-1")
            Role.objects.create(user=reader, agreement=draft, kind=Role.Kind.PARTNER)
            workflow.start_revision(agreement=draft, year=2026, user=user)
            self._load(load_slug, draft.slug, load_seconds, clients, threads)

    def _page(self, client: Client, scale: int, name: str, url: str, runs: int) -> None:
        client.get(url)  # warm up
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        self.stdout.write(
            f"{scale:>5}× {name:<14}{len(queries):>11}{statistics.median(timings):>11.1f}"
            f"{percentile(timings, 0.95):>9.1f}"
        )

    def _load(self, slug: str, draft: str, seconds: int, clients: int, threads: int) -> None:
        """Concurrent logged-in clients against gunicorn (2 workers), page and floor.

        The two endpoints take turns in rounds of ROUND_SECONDS, so that whatever else the
        machine is doing weighs on both alike; a short warm-up round comes first. Then the
        health endpoint is asked while every client reads the overview: what a load balancer
        sees when the workers are busy.
        """
        port = int(os.environ.get("BENCH_PORT", "8799"))  # another free port beside a running bench
        env = {
            **os.environ,
            "LOG_REQUESTS": "false",
            "LOG_LEVEL": "WARNING",  # not a login line per client
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bygdevekst.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                *(["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base + "/helse/")
            openers = [_logged_in(base, "bench-lesar") for _ in range(clients)]
            endpoints = {"golv (/helse/)": "/helse/", "oversikt (10×)": f"/avtale/{slug}/"}
            results: dict[str, LoadResult] = {label: LoadResult() for label in endpoints}
            for path in endpoints.values():
                _hammer(base + path, openers, 1.0, LoadResult())  # warm-up, not counted
            for _ in range(max(1, round(seconds / ROUND_SECONDS))):
                for label, path in endpoints.items():
                    _hammer(base + path, openers, ROUND_SECONDS, results[label])
            self.stdout.write(
                f"\nLast i {seconds} s per endepunkt med {clients} innlogga klientar mot gunicorn "
                f"(2 arbeidarar), i vekslande rundar på {ROUND_SECONDS:g} s:"
            )
            self.stdout.write(
                f"{'endepunkt':<22}{'førespurnader/s':>16}"
                f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'feil':>6}"
            )
            for label, result in results.items():
                self.stdout.write(
                    f"{label:<22}{result.rate:>16.0f}{percentile(result.timings, 0.5):>8.1f}"
                    f"{percentile(result.timings, 0.95):>8.1f}"
                    f"{percentile(result.timings, 0.99):>8.1f}{result.errors:>6}"
                )
            floor, page = results.values()
            self.stdout.write(f"Oversikta (lesar) når {page.rate / floor.rate:.0%} av golvet.")
            load_public(self.stdout.write, base, slug, seconds, clients, percentile)
            workers = f"gthread, {threads} trådar" if threads > 1 else "sync"
            # What a load balancer sees when the workers are busy: with many short requests
            # (every client reading the overview), and with two draft PDFs of seconds each.
            busy = {
                f"{clients} klientar les oversikta": (endpoints["oversikt (10×)"], openers),
                "2 klientar hentar utkast-PDF": (
                    f"/rullering/{draft}/2026/handlingsplan.pdf",
                    openers[:2],
                ),
            }
            for label, (path, busy_openers) in busy.items():
                health, load = _health_under_load(base, base + path, busy_openers, seconds)
                self.stdout.write(
                    f"/helse/ medan {label} (2 arbeidarar, {workers}): "
                    f"p50 {percentile(health.timings, 0.5):.0f} ms, "
                    f"p95 {percentile(health.timings, 0.95):.0f} ms, "
                    f"maks {max(health.timings):.0f} ms ({len(health.timings)} svar, "
                    f"{health.errors} feil; lasta: {len(load.timings)} svar, {load.errors} feil)."
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # workers still rendering
                server.kill()


ROUND_SECONDS = 2.0


@dataclass
class LoadResult:
    timings: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # appended to from several threads
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return len(self.failures)

    @property
    def rate(self) -> float:
        return len(self.timings) / self.seconds


def _hammer(url: str, openers: list, seconds: float, result: LoadResult) -> None:
    """Each opener requests `url` in its own thread, back to back, for `seconds`."""
    began = time.perf_counter()
    deadline = began + seconds

    def worker(opener) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                with opener.open(url, timeout=30) as response:
                    response.read()
                    ok = response.status == 200 and response.url == url
            except OSError:
                ok = False
            result.timings.append((time.perf_counter() - started) * 1000)
            if not ok:
                result.failures.append(url)

    threads = [threading.Thread(target=worker, args=(opener,)) for opener in openers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds += time.perf_counter() - began  # with the requests still running at the end


def _health_under_load(
    base: str, page: str, openers: list, seconds: float
) -> tuple[LoadResult, LoadResult]:
    """/helse/ asked ten times a second while every opener requests `page` back to back."""
    load = LoadResult()
    loading = threading.Thread(target=_hammer, args=(page, openers, seconds, load))
    loading.start()
    time.sleep(0.5)  # the workers busy first
    health = LoadResult()
    while loading.is_alive():
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + "/helse/", timeout=30) as response:
                ok = response.status == 200
        except OSError:
            ok = False
        health.timings.append((time.perf_counter() - started) * 1000)
        if not ok:
            health.failures.append("/helse/")
        time.sleep(0.1)
    return health, load


def _wait_until_up(url: str) -> None:
    for _ in range(60):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.25)
    raise CommandError(f"gunicorn svarte ikkje på {url} innan 15 sekund.")


def _logged_in(base: str, username: str):
    """An opener with a session cookie of the given bench user."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(base + "/konto/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(
        urllib.request.Request(
            base + "/konto/login/", data=data, headers={"Referer": base + "/konto/login/"}
        )
    )
    return opener


if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "bench_pages", *sys.argv[1:]])
