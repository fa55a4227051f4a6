"""Migrations are history: they carry their own SQL and never import the app's code."""

from __future__ import annotations

import ast
import os
import shutil
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


# Run in a fresh SQLite database of its own (a copy of one just migrated): the test database is
# already fully migrated.
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
def migrated(tmp_path_factory):
    """A fresh SQLite database with every migration applied, made once for the module: going
    forward from nothing takes seconds, and each test starts from it (its script's own
    `migrate` then has nothing to do)."""
    folder = tmp_path_factory.mktemp("migrated")
    run_script(
        "import django\ndjango.setup()\nfrom django.core.management import call_command\n"
        'call_command("migrate", verbosity=0)\n',
        folder,
    )
    return folder / "db.sqlite3"


def run_in_a_database_of_its_own(script: str, tmp_path, migrated) -> list[str]:
    """The lines the script prints, run against a copy of the freshly migrated database."""
    shutil.copyfile(migrated, tmp_path / "db.sqlite3")
    return run_script(script, tmp_path)


def test_stored_report_files_move_into_the_database(tmp_path, migrated):
    """A report stored as a file before is served from its row after the migration."""
    printed = run_in_a_database_of_its_own(MOVE_REPORTS, tmp_path, migrated)
    # The row with a missing file is gone (rendered again when asked), the other one serves its
    # bytes without rendering, and the file itself stays until the operator removes it.
    assert printed == ["True", "%PDF-1.7 stored on disk", "True"]


# Roles, invitations, the role log and account settings made while they lived in measures.
MOVE_ACCESS = """
import django
django.setup()
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

call_command("migrate", verbosity=0)
call_command("migrate", "access", "zero", verbosity=0)
call_command("migrate", "measures", "0008", verbosity=0)
before = MigrationExecutor(connection).loader.project_state(
    ("measures", "0008_role_event_labels_sendt")
).apps
User = before.get_model("auth", "User")
Org = before.get_model("measures", "Organisation")
Agreement = before.get_model("measures", "Agreement")
vinje = Org.objects.create(key="vinje", name="Vinje kommune", kind="municipality")
agreement = Agreement.objects.create(
    slug="vt", name="Vest-Telemark", first_year=2025, last_year=2028
)
kari = User.objects.create(username="kari")
before.get_model("measures", "Role").objects.create(
    user=kari, agreement=agreement, kind="approver", organisation=vinje
)
before.get_model("measures", "RoleEvent").objects.create(
    agreement=agreement, kind="changed", person="kari", role="approver"
)
before.get_model("measures", "AccountSettings").objects.create(user=kari, language="nb")
old_type = ContentType.objects.get_or_create(app_label="measures", model="role")[0]
Permission.objects.get_or_create(
    content_type=old_type, codename="view_role", defaults={"name": "Can view role"}
)
call_command("migrate", verbosity=0)

from access.models import AccountSettings, Role, RoleEvent
role = Role.objects.get()
print(role.user.username, role.agreement.slug, role.organisation.name, role.kind)
print(RoleEvent.objects.get().person, AccountSettings.objects.get().language)
print(Permission.objects.get(codename="view_role").content_type.app_label)
print(sorted(t for t in connection.introspection.table_names() if "role" in t))
"""


def test_roles_made_in_measures_are_the_access_apps_after_the_move(tmp_path, migrated):
    printed = run_in_a_database_of_its_own(MOVE_ACCESS, tmp_path, migrated)
    assert printed == [
        "kari vt Vinje kommune approver",
        "kari nb",
        "access",
        "['access_role', 'access_roleevent']",
    ]
