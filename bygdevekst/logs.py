"""Structured logs: one JSON object a line, with the fields an operator searches by.

`audit` events (logins, decisions, approvals, report downloads) go to the logger
"bygdevekst.audit"; every request is logged by RequestLogMiddleware to "bygdevekst.requests".
"""

from __future__ import annotations

import json
import logging
import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

audit_log = logging.getLogger("bygdevekst.audit")
request_log = logging.getLogger("bygdevekst.requests")
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """The record's message, level, logger and time, plus every `extra` field, as JSON."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if isinstance(data.get("request"), HttpRequest):
            # Not its repr: the query string may hold a login's code and state.
            data["request"] = f"{data['request'].method} {_logged_path(data['request'])}"
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class RefusalsOnOneLine(logging.Filter):
    """A refused request (400, 403, 404) is a rule at work, not a fault: one line with the
    reason, without the traceback Django attaches to it. Server errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            # Django's "Forbidden: <path>": the route instead of a path that holds a secret.
            record.args = tuple(
                _logged_path(request) if arg == request.path else arg for arg in record.args
            )
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500 and record.exc_info:
            reason = record.exc_info[1]
            message = record.getMessage()
            if reason is not None and str(reason):
                message = f"{message} ({type(reason).__name__}: {reason})"
            record.msg, record.args = message, ()
            record.exc_info = record.exc_text = None
        return True


def audit(event: str, request=None, **fields) -> None:
    """Record something a person did that an operator may need to trace later."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        fields.setdefault("user", user.username)
    audit_log.info(event, extra={"event": event, **fields})


# Views whose address carries a secret (an invitation or a password-reset token): their line
# shows the route, so a log reader cannot use the link.
SECRET_ADDRESSES = {
    "access:invitation",
    "password_reset_confirm",
    "access:account-email-confirm",
}


def _logged_path(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in SECRET_ADDRESSES:
        return "/" + match.route
    return request.path


class RequestLogMiddleware:
    """One line per request: method, path, status, user and time taken."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_log.info(
            "request",
            extra={
                "method": request.method,
                "path": _logged_path(request),
                "status": response.status_code,
                "user": user.username if user is not None and user.is_authenticated else None,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


# Django announces logins and logouts as signals; logging them is the only use of them here.
@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    audit("login", request, user=user.username)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    audit("logout", request, user=getattr(user, "username", None))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit(
        "login_failed",
        username=credentials.get("username"),
        ip=request.META.get("REMOTE_ADDR") if request else None,
    )
