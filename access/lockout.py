"""Failed logins: axes locks a username at one address, and this also locks a whole address.

Axes compares every lockout parameter with the one AXES_FAILURE_LIMIT, so
`[["username", "ip_address"], "ip_address"]` would lock a town hall's shared address after
five mistakes by its staff. The address alone gets its own, higher limit here instead:
LOCKOUT_ADDRESS_FAILURE_LIMIT failures within the cool-off, whichever usernames were tried, is
password spraying (a few guesses at each of many accounts), and locks that address out.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, with the per-address limit on top of the per-username one."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.LOCKOUT_ADDRESS_FAILURE_LIMIT:
            return max(failures, settings.AXES_FAILURE_LIMIT)
        return failures

    @staticmethod
    def address_failures(request) -> int:
        """Failed logins from the request's address within the cool-off, for any username."""
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
