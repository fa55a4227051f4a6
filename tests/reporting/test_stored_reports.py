"""Approved reports: rendered when KDD approves, kept in the database, rendered again on request.

Rendering is replaced by a stand-in that returns labelled bytes (or fails), so each test can
tell which rendering a download serves, and that a download renders nothing at all.
"""

from __future__ import annotations

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from access.models import Role
from measures.models import Organisation
from reporting.models import Approval, Revision, StoredReport
from reporting.outputs import pdf as pdfs
from reporting.revision import workflow
from tests.factories import make_user
from tests.support import approver_of, editor_of, failing_checks

SLUG = "vest-telemark"


class Renderer:
    """A stand-in for WeasyPrint: PDF-like bytes numbered by call, or a failure when told to."""

    def __init__(self) -> None:
        self.calls = 0
        self.fails = False

    def __call__(self, report) -> bytes:
        if self.fails:
            raise RuntimeError("rendering is not expected here")
        self.calls += 1
        return f"%PDF-1.7 rendering {self.calls} of {report.year}".encode()


@pytest.fixture
def renderer(monkeypatch) -> Renderer:
    stand_in = Renderer()
    monkeypatch.setattr(pdfs, "render_report", stand_in)
    return stand_in


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_superuser("drift", password="x-drift-12345")


def approved_by_the_parties(seed) -> tuple[Revision, object]:
    """Handlingsplan 2026, submitted and approved by every party; KDD has still to approve."""
    editor = make_user("prosjektleiar", seed, Role.Kind.EDITOR)
    kdd = make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))
    revision = workflow.start_revision(agreement=seed, year=2026, user=editor)
    workflow.submit(revision=revision, user=editor)
    for approval in revision.approvals.all():
        values = {"decision": Approval.Decision.APPROVED, "decided_on": datetime.date(2026, 6, 18)}
        workflow.record_decision(approval=approval, user=approver_of(approval), values=values)
    return revision, kdd


def approve_in_the_browser(client, kdd, revision: Revision) -> None:
    """KDD's confirmed approval, accepting the failing checks, as the confirmation posts it."""
    client.force_login(kdd)
    accepted = {"confirm": "on", "accepted": failing_checks(revision), "confirmed": "ja"}
    client.post(reverse("reporting:revision-approve", args=[SLUG, revision.year]), accepted)
    client.logout()


def download(client, user, year: int):
    client.force_login(user)
    return client.get(reverse("reporting:report-pdf", args=[SLUG, year]))


def test_kdds_approval_stores_the_report_and_the_first_download_renders_nothing(
    seed, client, renderer, django_capture_on_commit_callbacks
):
    revision, kdd = approved_by_the_parties(seed)
    with django_capture_on_commit_callbacks(execute=True):
        approve_in_the_browser(client, kdd, revision)
    stored = StoredReport.objects.get(revision=revision)
    assert (stored.created_by, stored.reason) == (kdd, "Godkjend av KDD")

    renderer.fails = True  # from here on, any rendering would fail the download
    response = download(client, kdd, 2026)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 rendering 1 of 2026"


def test_a_rendering_that_fails_on_approval_leaves_the_approval_and_the_download_renders(
    seed, client, renderer, django_capture_on_commit_callbacks, caplog
):
    revision, kdd = approved_by_the_parties(seed)
    renderer.fails = True
    with django_capture_on_commit_callbacks(execute=True):
        approve_in_the_browser(client, kdd, revision)
    revision.refresh_from_db()
    assert revision.is_approved and not StoredReport.objects.filter(revision=revision).exists()
    assert "could not be rendered on approval" in caplog.text

    renderer.fails = False
    assert download(client, kdd, 2026).content == b"%PDF-1.7 rendering 1 of 2026"
    stored = StoredReport.objects.get(revision=revision)
    assert stored.created_by is None and stored.reason.startswith("Første nedlasting")


def test_the_report_is_kept_in_the_database_as_bytes(seed, client, collaborator, renderer):
    """No file on disk: what another app instance (or a restored backup) reads is the row."""
    first = download(client, collaborator, 2025).content
    stored = StoredReport.objects.get(revision__year=2025)
    assert bytes(StoredReport.objects.get(pk=stored.pk).pdf) == first
    assert not hasattr(stored.pdf, "path")


def test_rendering_again_keeps_every_earlier_file_and_downloads_serve_the_newest(
    seed, client, collaborator, renderer, operator, caplog
):
    caplog.set_level(logging.INFO, logger="bygdevekst.audit")
    first = download(client, collaborator, 2025).content
    call_command("rerender_report", SLUG, "2025", "--reason", "Rett tabell 7", "--user", "drift")
    call_command("rerender_report", SLUG, "2025", "--reason", "Ny skrift")

    assert download(client, collaborator, 2025).content == b"%PDF-1.7 rendering 3 of 2025"
    oldest, middle, newest = StoredReport.objects.order_by("created_at", "pk")
    assert bytes(oldest.pdf) == first and oldest.replaced_by == operator
    assert oldest.replaced_at is not None and oldest.replaced_at <= middle.created_at
    assert (middle.reason, middle.created_by, middle.replaced_by) == (
        "Rett tabell 7",
        operator,
        None,
    )
    assert middle.replaced_at is not None and newest.replaced_at is None
    logged = [r for r in caplog.records if getattr(r, "event", None) == "report_rerendered"]
    assert [(r.year, r.reason, r.user) for r in logged] == [
        (2025, "Rett tabell 7", "drift"),
        (2025, "Ny skrift", None),
    ]


def test_only_an_approved_report_with_a_reason_is_rendered_again(seed, renderer):
    workflow.start_revision(agreement=seed, year=2026, user=editor_of(seed))
    with pytest.raises(CommandError, match="ikkje godkjend"):
        call_command("rerender_report", SLUG, "2026", "--reason", "Feil")
    with pytest.raises(CommandError, match="Skriv kvifor"):
        call_command("rerender_report", SLUG, "2025", "--reason", "  ")
    with pytest.raises(CommandError, match="Fann ingen brukar"):
        call_command("rerender_report", SLUG, "2025", "--reason", "Feil", "--user", "ingen")
    assert renderer.calls == 0 and not StoredReport.objects.exists()


# --- the admin ---------------------------------------------------------------------------------

STORED_LIST = reverse("admin:reporting_storedreport_changelist")
REVISION_LIST = reverse("admin:reporting_revision_changelist")


def test_the_operator_renders_again_from_the_admin_giving_a_reason(
    seed, client, collaborator, renderer, operator
):
    revision = Revision.objects.get(year=2025)
    download(client, collaborator, 2025)
    client.force_login(operator)
    chosen = {"action": "rerender_reports", "_selected_action": [revision.pk]}

    asked = client.post(REVISION_LIST, chosen)
    assert "Kvifor blir rapporten laga på nytt?" in asked.text
    assert StoredReport.objects.count() == 1  # nothing rendered before the reason is given

    done = client.post(REVISION_LIST, {**chosen, "apply": "yes", "reason": "Rett årstal"})
    assert done.status_code == 302
    newest = StoredReport.objects.newest().get(revision=revision)
    assert (newest.reason, newest.created_by) == ("Rett årstal", operator)
    earlier = StoredReport.objects.exclude(pk=newest.pk).get()
    assert earlier.replaced_by == operator
    assert download(client, collaborator, 2025).content == b"%PDF-1.7 rendering 2 of 2025"

    draft = workflow.start_revision(agreement=seed, year=2026, user=editor_of(seed))
    client.force_login(operator)
    refused = client.post(
        REVISION_LIST,
        {
            "action": "rerender_reports",
            "_selected_action": [draft.pk],
            "apply": "yes",
            "reason": "x",
        },
        follow=True,
    )
    assert "Berre godkjende handlingsplanar har ein rapport." in refused.text
    assert renderer.calls == 2 and not StoredReport.objects.filter(revision=draft).exists()


def test_the_admin_lists_every_rendering_downloads_each_and_never_edits_or_deletes(
    seed, client, collaborator, renderer, operator
):
    download(client, collaborator, 2025)
    call_command("rerender_report", SLUG, "2025", "--reason", "Rett tabell 7")
    earlier, newest = StoredReport.objects.order_by("created_at", "pk")
    client.force_login(operator)

    listing = client.get(STORED_LIST).text
    assert "Rett tabell 7" in listing and listing.count("Last ned PDF") == 2
    old_file = client.get(reverse("admin:reporting_storedreport_pdf", args=[earlier.pk]))
    assert old_file.content == b"%PDF-1.7 rendering 1 of 2025"
    assert old_file["Content-Disposition"].startswith(
        'attachment; filename="handlingsplan-vest-telemark-2025-'
    )
    change = reverse("admin:reporting_storedreport_change", args=[newest.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'type="file"' not in page.text and "_save" not in page.text
    assert client.post(change, {"reason": "endra"}).status_code == 403
    delete = reverse("admin:reporting_storedreport_delete", args=[earlier.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert StoredReport.objects.count() == 2
    assert bytes(StoredReport.objects.get(pk=newest.pk).pdf) == b"%PDF-1.7 rendering 2 of 2025"


def test_the_stored_files_are_for_operators_only(seed, client, collaborator, renderer):
    download(client, collaborator, 2025)
    stored = StoredReport.objects.get()
    staff = make_user("stab")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert (
        client.get(reverse("admin:reporting_storedreport_pdf", args=[stored.pk])).status_code == 403
    )
