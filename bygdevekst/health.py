"""/helse/: is the app up and can it reach its database? For load balancers and monitoring."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger("bygdevekst.health")


@require_GET
@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 with {"status": "ok"} when the database answers, 503 otherwise; says nothing more.

    The answer names no cause (anyone may ask); the log says why, for the operator.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        log.error(
            "health check failed: the database does not answer (%s: %s)",
            type(error).__name__,
            error,
            extra={"event": "health_failed", "cause": f"{type(error).__name__}: {error}"},
        )
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
