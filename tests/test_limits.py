"""Counted limits live in the database (limits.counters), where every worker process and every
server counts the same events: a process's own memory is not where they are kept."""

from __future__ import annotations

import datetime

from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from access.password_reset import RESET_MAILS_PER_HOUR
from limits import counters
from limits.models import WindowCount
from tests.client import Client

HOUR = datetime.timedelta(hours=1)


def at(monkeypatch, moment: datetime.datetime) -> None:
    """Let the counters' clock read `moment`."""
    monkeypatch.setattr(counters.timezone, "now", lambda: moment)


def test_each_event_counts_once_and_an_old_window_no_longer_counts(db, monkeypatch):
    ten = timezone.now().replace(hour=10, minute=35, second=0, microsecond=0)
    at(monkeypatch, ten)
    assert [counters.count("test:a", HOUR) for _ in range(3)] == [1, 2, 3]
    assert counters.count("test:b", HOUR) == 1
    assert counters.counted("test:a", HOUR) == 3
    at(monkeypatch, ten + datetime.timedelta(minutes=50))  # the next hour: a new window
    assert counters.counted("test:a", HOUR) == 0
    assert counters.count("test:a", HOUR) == 1
    # The last hour's rows were deleted by that count: only the new window is kept.
    assert list(WindowCount.objects.values_list("key", "count")) == [("test:a", 1)]


def test_reset_mails_stop_at_the_limit_whichever_process_answers(kari):
    """Two clients, and the cache emptied between requests, as another worker's or server's
    memory would be: still no more than RESET_MAILS_PER_HOUR e-mails to the address."""
    clients = [Client(), Client()]
    for n in range(12):
        cache.clear()
        page = clients[n % 2].post(reverse("password_reset"), {"email": "Kari@example.no"})
        assert page.status_code == 302
    assert len(mail.outbox) == RESET_MAILS_PER_HOUR == 3
    assert [m.to for m in mail.outbox] == [["kari@example.no"]] * 3


def test_the_counted_key_keeps_no_address(kari):
    Client().post(reverse("password_reset"), {"email": "kari@example.no"})
    [row] = WindowCount.objects.all()
    assert "kari" not in row.key and row.key.startswith("password-reset:") and row.count == 1
