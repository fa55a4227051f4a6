"""The public pages in the benchmark (scripts/bench_pages.py calls these): the approved plan's
page as an anonymous reader gets it, cold (rendered from the snapshot) and cached, its 304
answer to a conditional request, and a load run of anonymous readers against gunicorn.
"""

from __future__ import annotations

import statistics
import threading
import time
import urllib.error
import urllib.request

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

COLD_RUNS = 5


def _timed(client: Client, url: str, **headers) -> tuple[float, int, int]:
    """Milliseconds, queries and status of one request."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        ms = (time.perf_counter() - started) * 1000
    return ms, len(queries), response.status_code


def measure_public(write, scale: int, slug: str, runs: int, percentile) -> None:
    """Lines for the table of bench_pages: cold, cached and 304, each median and p95."""
    client = Client(HTTP_HOST="localhost")  # anonymous
    url = f"/offentleg/{slug}/"
    cold = []
    for _ in range(COLD_RUNS):
        cache.clear()  # the rendering kept under the page's ETag goes, so it renders afresh
        cold.append(_timed(client, url))
    warm = [_timed(client, url) for _ in range(runs)]
    etag = client.get(url)["ETag"]
    unchanged = [_timed(client, url, **{"If-None-Match": etag}) for _ in range(runs)]
    rows = {"offentleg kald": cold, "offentleg": warm, "offentleg 304": unchanged}
    for name, timings in rows.items():
        expected = 304 if name.endswith("304") else 200
        assert all(status == expected for _, _, status in timings), (name, timings)
        ms = [t for t, _, _ in timings]
        write(
            f"{scale:>5}× {name:<14}{timings[-1][1]:>11}{statistics.median(ms):>11.1f}"
            f"{percentile(ms, 0.95):>9.1f}"
        )


def load_public(write, base: str, slug: str, seconds: float, clients: int, percentile) -> None:
    """Anonymous readers back to back against gunicorn: the page, then the 304 path."""
    url = f"{base}/offentleg/{slug}/"
    with urllib.request.urlopen(url, timeout=30) as response:
        etag = response.headers["ETag"]
    write(f"\nAnonyme lesarar ({clients}) av den offentlege sida (10×) i {seconds:g} s:")
    write(f"{'endepunkt':<26}{'svar/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'feil':>6}")
    for label, headers, status in (
        ("offentleg side", {}, 200),
        ("offentleg 304 (ETag)", {"If-None-Match": etag}, 304),
    ):
        timings, errors, took = _hammer(url, headers, status, seconds, clients)
        write(
            f"{label:<26}{len(timings) / took:>8.0f}{percentile(timings, 0.5):>8.1f}"
            f"{percentile(timings, 0.95):>8.1f}{percentile(timings, 0.99):>8.1f}{errors:>6}"
        )


def _hammer(url: str, headers: dict, status: int, seconds: float, clients: int):
    timings: list[float] = []
    errors: list[int] = []
    deadline = time.perf_counter() + seconds
    began = time.perf_counter()

    def worker() -> None:
        opener = urllib.request.build_opener()  # no cookies: a visitor who is not logged in
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as r:
                    r.read()
                    got = r.status
            except urllib.error.HTTPError as error:  # urllib answers 304 as an error
                got = error.code
            except OSError:
                got = 0
            timings.append((time.perf_counter() - started) * 1000)
            if got != status:
                errors.append(got)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, len(errors), time.perf_counter() - began
