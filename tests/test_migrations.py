"""Migrations are history: they carry their own SQL and never import the app's code."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

from tests.support import ROOT

PROJECT_PACKAGES = {"bygdevekst", "access", "measures", "budget", "money", "reporting", "limits"}
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
    assert apps == {"bygdevekst", "limits", "access", "measures", "budget", "money", "reporting"}


@pytest.mark.parametrize(
    "path", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.name}"
)
def test_a_migration_imports_no_app_code(path):
    app_imports = {m for m in _imported_modules(path) if m.split(".")[0] in PROJECT_PACKAGES}
    assert app_imports == set(), f"{path.name} imports {app_imports}: freeze what it needs"


# Both moves checked in one fresh SQLite database, in a process of its own (the test database
# is already fully migrated): from nothing, forward only to just before each move, then rows as
# the old code made them, then forward to the end. Migrating from nothing costs seconds, and a
# second process or a way back and forth would cost as much again.
BEFORE_THE_MOVES = """
import django
django.setup()
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Reports as files (reporting 0002), roles in measures (measures 0008).
targets = [
    ("reporting", "0002_revision_event_not_reached"),
    ("measures", "0008_role_event_labels_sendt"),
]
executor = MigrationExecutor(connection)
executor.migrate(targets)
before = MigrationExecutor(connection).loader.project_state(targets).apps
model = before.get_model
User = model("auth", "User")
Org = model("measures", "Organisation")
Agreement = model("measures", "Agreement")
Revision, Old = model("reporting", "Revision"), model("reporting", "StoredReport")

vinje = Org.objects.create(key="vinje", name="Vinje kommune", kind="municipality")
agreement = Agreement.objects.create(
    slug="vt", name="Vest-Telemark", first_year=2025, last_year=2028
)
# An approved report stored as a file, and one whose file is gone.
revision = Revision.objects.create(agreement=agreement, year=2025, status="approved")
kept = Old(revision_id=revision.pk)
kept.pdf.save("handlingsplan.pdf", ContentFile(b"%PDF-1.7 stored on disk"), save=False)
kept.save()
other = Revision.objects.create(agreement=agreement, year=2026, status="approved")
Old.objects.create(revision_id=other.pk, pdf="rapportar/borte.pdf")
# Roles, invitations, the role log and account settings made while they lived in measures.
kari = User.objects.create(username="kari")
model("measures", "Role").objects.create(
    user=kari, agreement=agreement, kind="approver", organisation=vinje
)
model("measures", "RoleEvent").objects.create(
    agreement=agreement, kind="changed", person="kari", role="approver"
)
model("measures", "AccountSettings").objects.create(user=kari, language="nb")
old_type = ContentType.objects.get_or_create(app_label="measures", model="role")[0]
Permission.objects.get_or_create(
    content_type=old_type, codename="view_role", defaults={"name": "Can view role"}
)

call_command("migrate", verbosity=0)

from django.core.files.storage import default_storage
from access.models import AccountSettings, Role, RoleEvent
from reporting.models import Revision, StoredReport
from reporting.outputs import pdf
def no_rendering(report):
    raise AssertionError("rendered")
pdf.render_report = no_rendering
print("reports:", sorted(StoredReport.objects.values_list("pk", flat=True)) == [kept.pk])
print("reports:", pdf.revision_pdf(Revision.objects.get(pk=revision.pk))[0].decode())
print("reports:", default_storage.exists(kept.pdf.name))
role = Role.objects.get()
print("access:", role.user.username, role.agreement.slug, role.organisation.name, role.kind)
print("access:", RoleEvent.objects.get().person, AccountSettings.objects.get().language)
print("access:", Permission.objects.get(codename="view_role").content_type.app_label)
print("access:", sorted(t for t in connection.introspection.table_names() if "role" in t))
"""


def run_script(script: str, folder) -> list[str]:
    """The lines the script prints, run against the SQLite database in `folder`."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bygdevekst.settings",
        DEBUG="true",
        SQLITE_PATH=str(folder / "db.sqlite3"),
        MEDIA_ROOT=str(folder / "media"),
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def after_the_moves(tmp_path_factory) -> dict[str, list[str]]:
    """What the script printed, by the move it is about ("reports", "access")."""
    printed: dict[str, list[str]] = {}
    for line in run_script(BEFORE_THE_MOVES, tmp_path_factory.mktemp("moves")):
        move, _, said = line.partition(": ")
        printed.setdefault(move, []).append(said)
    return printed


def test_stored_report_files_move_into_the_database(after_the_moves):
    """A report stored as a file before is served from its row after the migration."""
    # The row with a missing file is gone (rendered again when asked), the other one serves its
    # bytes without rendering, and the file itself stays until the operator removes it.
    assert after_the_moves["reports"] == ["True", "%PDF-1.7 stored on disk", "True"]


def test_roles_made_in_measures_are_the_access_apps_after_the_move(after_the_moves):
    assert after_the_moves["access"] == [
        "kari vt Vinje kommune approver",
        "kari nb",
        "access",
        "['access_role', 'access_roleevent']",
    ]
