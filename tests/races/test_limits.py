"""Many requests at once, each on its own database connection as each worker process and server
has: a counted limit still counts every one, and lets no more through than it allows."""

from __future__ import annotations

import datetime

from django.core import mail
from django.urls import reverse

from access.password_reset import RESET_MAILS_PER_HOUR
from limits.counters import count
from tests.client import Client
from tests.factories import make_user

from .race import at_once, races

pytestmark = races
AT_ONCE = 12


def test_counts_and_reset_mails_at_once_each_count_once(transactional_db):
    """One test, as each transactional test empties the database when it ends."""
    hour = datetime.timedelta(hours=1)
    counted = at_once(*[lambda: count("race:a", hour)] * AT_ONCE)
    # Each count saw the ones before it and none twice: no read-then-write lost one.
    assert sorted(counted) == list(range(1, AT_ONCE + 1))

    user = make_user("kari")
    user.email = "kari@example.no"
    user.save()
    clients = [Client() for _ in range(AT_ONCE)]

    def ask(client: Client):
        return client.post(reverse("password_reset"), {"email": "kari@example.no"}).status_code

    assert at_once(*[lambda c=c: ask(c) for c in clients]) == [302] * AT_ONCE
    assert len(mail.outbox) == RESET_MAILS_PER_HOUR
