"""Two people at once: threads that start together, each on its own database connection.

PostgreSQL only: SQLite takes one lock for the whole database on every write, so the races of
production (row locks, READ COMMITTED) cannot happen there. The tests commit for real
(transaction=True); the database is emptied when each ends.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections

from tests.client import Client

races = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need PostgreSQL's row locks: run with DATABASE_URL=postgresql://...",
    ),
    pytest.mark.django_db(transaction=True),
]

# How long a step waits between reading what it checks and writing: long enough that the
# other person's step runs in between unless a lock keeps it out.
WINDOW = 0.03


def at_once(*steps: Callable[[], object]) -> list:
    """Run the steps in threads released together (each a little jittered, so either may go
    first); their results in order. An exception in a step (a 500) fails the test."""
    barrier = threading.Barrier(len(steps))
    results: list = [None] * len(steps)
    errors: list[BaseException] = []

    def run(index: int, step: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            time.sleep(random.uniform(0, WINDOW / 2))
            results[index] = step()
        except BaseException as error:  # reported in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    return results


def widen(monkeypatch, owner, name: str, *, before: bool = False) -> None:
    """Make `owner.name` pause after it returns (or before it runs): a step that reads there
    and writes later leaves room for the other person's step in between."""
    original = getattr(owner, name)

    def slow(*args, **kwargs):
        if before:
            time.sleep(WINDOW)
        result = original(*args, **kwargs)
        if not before:
            time.sleep(WINDOW)
        return result

    monkeypatch.setattr(owner, name, slow)


def said(response) -> list[str]:
    """The messages this request added, for the next page (not older ones never shown)."""
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


def logged_in(user) -> Client:
    """A client of its own (a thread each), logged in as the user."""
    client = Client()
    client.force_login(user)
    return client
