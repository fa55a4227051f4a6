"""Every decision says who recorded it and how: in the app by the person who holds it, or
restored from a named plan file by an operator on the command line."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from reporting.models import Approval
from reporting.plan_file import export_plan
from tests.support import approve, as_user, empty_database, revision_2026


def _process_page(client, user) -> str:
    as_user(client, user)
    return client.get(reverse("reporting:process", args=["vest-telemark"])).content.decode()


def test_decisions_recorded_in_the_app_name_who_recorded_them(client, seed, people):
    kdd = people["kdd"]
    kdd.first_name, kdd.last_name = "Kari", "Saksbehandlar"
    kdd.save()
    approve(revision_2026(seed), kdd)
    page = _process_page(client, people["vinje"])
    today = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    assert f"Registrert av Kari Saksbehandlar {today}" in page
    assert "Gjenoppretta" not in page.split("8. Handlingsplanen er godkjend av")[1]


def test_decisions_restored_by_an_operator_name_the_file(client, seed, people, tmp_path):
    backup = tmp_path / "sikkerheitskopi-vest-telemark.yaml"
    backup.write_text(export_plan(seed), encoding="utf-8")
    empty_database()
    call_command("import_plan", str(backup), stdout=StringIO())
    restored = Approval.objects.exclude(decision=Approval.Decision.PENDING)
    assert restored and all(a.recorded_via == Approval.Via.RESTORED for a in restored)
    assert {a.restored_from for a in restored} == {"sikkerheitskopi-vest-telemark.yaml"}
    assert all(a.recorded_by is None for a in restored)


def test_the_seed_decisions_are_shown_as_restored_from_its_file(client, seed, people):
    page = _process_page(client, people["vinje"])
    section = page.split("8. Handlingsplanen er godkjend av")[1]
    assert "Gjenoppretta frå planfila «" in section and "av ein operatør" in section
    assert "Registrert av" not in section


def test_a_second_import_of_the_same_file_keeps_who_recorded_what(seed, tmp_path, people):
    approve(revision_2026(seed), people["kdd"])
    file = tmp_path / "same.yaml"
    file.write_text(export_plan(seed), encoding="utf-8")
    call_command("import_plan", str(file), stdout=StringIO())
    recorded = Approval.objects.filter(round__revision__year=2026).exclude(decision="pending")
    assert all(a.recorded_via == Approval.Via.APP and a.recorded_by for a in recorded)
