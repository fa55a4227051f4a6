"""Operations: structured logs, deactivating users, backup and restore of a plan."""

from __future__ import annotations

import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from bygdevekst.logs import JsonFormatter
from measures.models import Agreement, Measure, Organisation
from reporting.plan_file import export_plan, import_plan, parse_plan
from tests.support import PLAN_MODELS, empty_database


def test_logs_are_json_lines_with_their_fields():
    record = logging.makeLogRecord(
        {
            "name": "bygdevekst.audit",
            "levelname": "INFO",
            "msg": "login",
            "event": "login",
            "user": "vinje",
        }
    )
    line = json.loads(JsonFormatter().format(record))
    assert (line["event"], line["user"], line["logger"]) == ("login", "vinje", "bygdevekst.audit")


def test_logins_requests_and_downloads_are_logged(client, owner, caplog):
    caplog.set_level(logging.INFO)
    client.post(reverse("login"), {"username": "prosjektleiar", "password": "test-passord-123"})
    client.get(reverse("reporting:report-xlsx", args=["vest-telemark", 2025]))
    events = [
        (r.name, getattr(r, "event", None) or r.getMessage())
        for r in caplog.records
        if r.name.startswith("bygdevekst.")
    ]
    assert ("bygdevekst.audit", "login") in events
    assert ("bygdevekst.audit", "report_download") in events
    request = next(
        r for r in caplog.records if r.name == "bygdevekst.requests" and r.path.endswith(".xlsx")
    )
    assert request.status == 200 and request.user == "prosjektleiar"


def test_failed_logins_are_logged_without_the_password(client, owner, caplog):
    caplog.set_level(logging.INFO)
    client.post(reverse("login"), {"username": "prosjektleiar", "password": "hemmeleg-feil"})
    failed = [r for r in caplog.records if getattr(r, "event", None) == "login_failed"]
    assert failed and failed[0].username == "prosjektleiar"
    assert "hemmeleg-feil" not in "".join(JsonFormatter().format(r) for r in caplog.records)


def test_a_deactivated_user_is_logged_out_and_cannot_log_in(client, owner):
    client.force_login(owner)
    assert client.get("/").status_code == 200
    call_command("deactivate_user", "prosjektleiar")
    assert client.get("/").status_code == 302
    response = client.post(
        reverse("login"), {"username": "prosjektleiar", "password": "test-passord-123"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    with pytest.raises(CommandError):
        call_command("deactivate_user", "finst-ikkje")


def test_deactivating_ends_every_session_of_the_user_without_reading_the_session_table(
    owner, collaborator
):
    """Other people's sessions are not decoded: the work does not grow with the session table."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    laptop, phone, colleague = Client(), Client(), Client()
    laptop.force_login(owner)
    phone.force_login(owner)
    colleague.force_login(collaborator)
    with CaptureQueriesContext(connection) as queries:
        call_command("deactivate_user", "prosjektleiar")
    assert not [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert laptop.get("/").status_code == 302 and phone.get("/").status_code == 302
    assert colleague.get("/").status_code == 200
    owner.is_active = True  # reactivated: the ended sessions stay ended
    owner.save(update_fields=["is_active"])
    assert laptop.get("/").status_code == 302


def test_the_admin_action_deactivates_users(client, owner):
    operator = get_user_model().objects.create_superuser("drift", password="x-drift-12345")
    client.force_login(operator)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate_users", "_selected_action": [owner.pk]},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert not owner.is_active


def test_backup_restored_into_an_empty_database_reproduces_the_plan(seed):
    """export_plan of every agreement is the plan's backup (see docs/operations.md)."""
    backups = {a.slug: export_plan(a) for a in Agreement.objects.all()}
    empty_database()  # the empty database of a restore
    assert all(model.objects.count() == 0 for model in PLAN_MODELS)
    for slug, text in backups.items():
        import_plan(parse_plan(text))
        assert export_plan(Agreement.objects.get(slug=slug)) == text
    assert (
        Measure.objects.count() == 14
        and Organisation.objects.filter(kind="municipality").count() == 6
    )
