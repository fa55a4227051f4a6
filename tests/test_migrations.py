"""Migrations are history: they carry their own SQL and never import the app's code."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

from tests.support import ROOT

PROJECT_PACKAGES = {"bygdevekst", "measures", "budget", "reporting", "limits"}
MIGRATIONS = sorted(ROOT.glob("*/migrations/0*.py"))


def _imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_there_are_migrations_to_check():
    apps = {path.parent.parent.name for path in MIGRATIONS}
    assert apps == {"bygdevekst", "limits", "measures", "budget", "reporting"}


@pytest.mark.parametrize(
    "path", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.name}"
)
def test_a_migration_imports_no_app_code(path):
    app_imports = {m for m in _imported_modules(path) if m.split(".")[0] in PROJECT_PACKAGES}
    assert app_imports == set(), f"{path.name} imports {app_imports}: freeze what it needs"


# Run in a fresh SQLite database of its own: the test database is already fully migrated.
MOVE_REPORTS = """
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from reporting.plan_file import import_plan, parse_plan
from tests.support import seed_text

call_command("migrate", verbosity=0)
revision = import_plan(parse_plan(seed_text())).revisions.get(year=2025)
call_command("migrate", "reporting", "0002", verbosity=0)  # reports as files, one per revision
before = MigrationExecutor(connection).loader.project_state(
    ("reporting", "0002_revision_event_not_reached")
).apps
Old, OldRevision = (before.get_model("reporting", name) for name in ("StoredReport", "Revision"))
kept = Old(revision_id=revision.pk)
kept.pdf.save("handlingsplan.pdf", ContentFile(b"%PDF-1.7 stored on disk"), save=False)
kept.save()
other = OldRevision.objects.create(agreement_id=revision.agreement_id, year=2026, status="approved")
Old.objects.create(revision_id=other.pk, pdf="rapportar/borte.pdf")
call_command("migrate", "reporting", verbosity=0)

from reporting.models import Revision, StoredReport
from reporting.outputs import pdf
def no_rendering(report):
    raise AssertionError("rendered")
pdf.render_report = no_rendering
print(sorted(StoredReport.objects.values_list("pk", flat=True)) == [kept.pk])
print(pdf.revision_pdf(Revision.objects.get(pk=revision.pk))[0].decode())
print(default_storage.exists(kept.pdf.name))
"""


def test_stored_report_files_move_into_the_database(tmp_path):
    """A report stored as a file before is served from its row after the migration."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bygdevekst.settings",
        DEBUG="true",
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    result = subprocess.run(
        [sys.executable, "-c", MOVE_REPORTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # The row with a missing file is gone (rendered again when asked), the other one serves its
    # bytes without rendering, and the file itself stays until the operator removes it.
    assert result.stdout.splitlines() == ["True", "%PDF-1.7 stored on disk", "True"]
