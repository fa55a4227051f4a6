"""Operations: structured logs, deactivating users, backup and restore of a plan."""

from __future__ import annotations

import datetime
import json
import logging
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from access.invitations import invite
from access.models import Role
from bygdevekst.logs import JsonFormatter
from measures.models import Agreement, Measure, Organisation
from reporting.models import Revision
from reporting.outputs.context import Report
from reporting.outputs.pdf import render_report, report_html
from reporting.plan_file import export_plan
from reporting.revision import workflow
from tests.factories import make_agreement, make_user
from tests.support import PLAN_MODELS, ROOT, approver_of, empty_database, failing_checks, pdf_text


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
    from django.test.utils import CaptureQueriesContext

    from tests.client import Client

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


def test_backup_restored_into_an_empty_database_reproduces_the_plan(seed, tmp_path):
    """The backup and the restore of docs/operations.md, one command each, for every agreement.

    A new agreement without parties or sub-goals comes back too, and the restore is one
    transaction over all the files.
    """
    make_agreement("nordfjord", "Bygdevekstavtale for Nordfjord")
    call_command("export_plan", all=True, output_dir=tmp_path)
    files = sorted(tmp_path.glob("*.yaml"))
    assert [f.name for f in files] == ["nordfjord.yaml", "vest-telemark.yaml"]
    empty_database()  # the empty database of a restore
    assert all(model.objects.count() == 0 for model in PLAN_MODELS)
    out = StringIO()
    call_command("import_plan", *files, stdout=out)
    assert "Las inn «Bygdevekstavtale for Nordfjord»" in out.getvalue()
    for file in files:
        slug = file.stem
        assert export_plan(Agreement.objects.get(slug=slug)) == file.read_text(encoding="utf-8")
    assert (
        Measure.objects.count() == 14
        and Organisation.objects.filter(kind="municipality").count() == 6
    )


def test_a_restore_with_one_bad_file_restores_nothing(seed, tmp_path):
    call_command("export_plan", all=True, output_dir=tmp_path)
    broken = tmp_path / "zz-broken.yaml"
    broken.write_text("format: bygdevekst-plan/1\nagreement: {slug: x}\n", encoding="utf-8")
    empty_database()
    with pytest.raises(CommandError, match=r"zz-broken\.yaml: 4 feil, ingenting er lagra"):
        call_command("import_plan", *sorted(tmp_path.glob("*.yaml")))
    assert all(model.objects.count() == 0 for model in PLAN_MODELS)


def test_the_documented_backup_is_the_command_not_a_shell_loop():
    """`manage.py shell -c` prints "N objects imported automatically" on Django 6, which the
    old loop took for slugs."""
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "manage.py export_plan --all --output-dir" in operations
    assert "manage.py import_plan planar-" in operations
    assert "shell -c" not in operations


# --- backup and restore through plan files (docs/operations.md) ------------------------------


def approve_2026(seed: Agreement) -> Revision:
    """The 2026 cycle: plan changed, reasons written, rejected by Vinje in the first round and
    sent back with a comment, approved in the second."""
    editor = make_user("prosjektleiar", seed, Role.Kind.EDITOR)
    kdd = make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))
    measure = seed.measures.get(key="smb-utvikling")
    measure.title = "SMB-utvikling i alle seks kommunane"
    measure.save()
    closed = seed.measures.get(key="vandrande-seminar")
    closed.close(datetime.date(2026, 3, 1), version=closed.version)
    revision = workflow.start_revision(agreement=seed, year=2026, user=editor)
    notes = {
        "smb-utvikling": ("reason", "Alle kommunane er med."),
        "vandrande-seminar": ("assessment", "Seminaret vart slått saman med tiltak 1.4."),
    }
    progress = {"gott-nokk": ("delayed", "Ventar på utlysing.")}
    workflow.save_notes(revision=revision, notes=notes, progress=progress)
    workflow.submit(revision=revision, user=editor)
    vinje = revision.current_approvals().get(organisation__key="vinje-kommune", body="kommunestyre")
    rejection = {
        "planned_on": datetime.date(2026, 4, 21),
        "decided_on": datetime.date(2026, 4, 21),
        "decision": "rejected",
        "case_reference": "26/7",
        "comment": "Kva endrar seg for SMB-ane?",
    }
    workflow.record_decision(approval=vinje, user=approver_of(vinje), values=rejection)
    workflow.send_back(revision=revision, user=kdd, comment="Grunngjev SMB-endringa betre.")
    notes["smb-utvikling"] = ("reason", "Alle seks kommunane er no med, ikkje berre fire.")
    workflow.save_notes(revision=revision, notes=notes, progress=progress)
    workflow.submit(revision=revision, user=editor)
    for approval in revision.current_approvals():
        values = {
            "planned_on": datetime.date(2026, 6, 10),
            "decided_on": datetime.date(2026, 6, 18),
            "decision": "approved",
            "case_reference": "26/12",
            "comment": "Samrøystes.",
        }
        workflow.record_decision(approval=approval, user=approver_of(approval), values=values)
    return workflow.kdd_approve(revision=revision, user=kdd, accepted=failing_checks(revision))


def report_texts(agreement: Agreement) -> dict[int, str]:
    """Every revision's report as HTML, by year: what the PDF and the preview print."""
    return {r.year: report_html(Report.from_revision(r)) for r in agreement.revisions.all()}


def rounds_of(revision: Revision) -> list[tuple]:
    """Each approval round with its decisions, as the revision page shows them."""
    return [
        (
            r.number,
            r.opened_at,
            r.closed_at,
            r.comment,
            sorted(
                (a.organisation.key, a.body, a.decision, a.decided_on, a.case_reference, a.comment)
                for a in r.approvals.select_related("organisation")
            ),
        )
        for r in revision.rounds.all()
    ]


def test_a_plan_restored_from_its_backup_renders_every_approved_report_as_before(
    seed, tmp_path, client
):
    approve_2026(seed)
    rounds = rounds_of(Revision.objects.get(year=2026))
    assert [(number, closed is None) for number, _, closed, *_ in rounds] == [(1, False), (2, True)]
    measure = seed.measures.get(key="smb-utvikling")
    measure.title = "Ein tittel frå etter godkjenninga"
    measure.save()
    before = report_texts(seed)
    pdf_2025 = pdf_text_of(Revision.objects.get(year=2025))
    assert "Ein tittel frå etter godkjenninga" not in before[2025] + before[2026]

    call_command("export_plan", all=True, output_dir=tmp_path)
    backup = (tmp_path / "vest-telemark.yaml").read_text(encoding="utf-8")
    empty_database()
    call_command("import_plan", *sorted(tmp_path.glob("*.yaml")))

    restored = Agreement.objects.get(slug="vest-telemark")
    assert report_texts(restored) == before
    assert pdf_text_of(Revision.objects.get(year=2025)) == pdf_2025
    assert "SMB-utvikling (små og mellomstore bedrifter)" in pdf_2025
    assert "SMB-utvikling i alle seks kommunane" in before[2026]
    assert export_plan(restored) == backup

    # The round KDD sent back came back too: its rows, and the revision page's history.
    revision = Revision.objects.get(year=2026)
    assert rounds_of(revision) == rounds
    client.force_login(make_user("lesar", restored, Role.Kind.EDITOR))
    page = client.get(revision.get_absolute_url()).text
    history = page.split("Tidlegare godkjenningsrundar")[1]
    assert "Runde 1: sendt til godkjenning" in history
    assert "Merknad frå KDD: Grunngjev SMB-endringa betre." in history
    [vinje] = [
        row
        for row in history.split("<tr>")
        if ">Vinje kommune</th>" in row and "<td>Kommunestyre</td>" in row
    ]
    assert "Ikkje godkjend" in vinje and "21.04.2026" in vinje
    assert "Kva endrar seg for SMB-ane?" in vinje


def pdf_text_of(revision: Revision) -> str:
    """The report's text as a reader of the PDF gets it."""
    return pdf_text(render_report(Report.from_revision(revision)))


def test_a_secret_link_is_logged_by_its_route_not_its_token(client, seed, owner, caplog):
    token = invite(
        agreement=seed, email="kari@example.no", kind="partner", organisation=None, by=owner
    )
    caplog.set_level(logging.INFO)
    assert client.get(reverse("access:invitation", args=[token])).status_code == 200
    lines = "".join(JsonFormatter().format(r) for r in caplog.records)
    assert token not in lines
    assert "/invitasjon/<str:token>/" in lines
