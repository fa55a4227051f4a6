"""Migrations are history: they carry their own SQL and never import the app's code."""

from __future__ import annotations

import ast
import datetime
import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

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


def test_every_model_change_has_its_migration(db):
    """`makemigrations --check`: nothing in the models that the migrations do not make."""
    said = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=said)
    except SystemExit:
        pytest.fail(f"models changed without a migration (make one):\n{said.getvalue()}")


def test_there_are_migrations_to_check():
    apps = {path.parent.parent.name for path in MIGRATIONS}
    assert apps == {"bygdevekst", "limits", "access", "measures", "budget", "money", "reporting"}


@pytest.mark.parametrize(
    "path", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.name}"
)
def test_a_migration_imports_no_app_code(path):
    app_imports = {m for m in _imported_modules(path) if m.split(".")[0] in PROJECT_PACKAGES}
    assert app_imports == set(), f"{path.name} imports {app_imports}: freeze what it needs"


# The migrations that move rows, checked in one fresh SQLite database, in a process of its own
# (the test database is already fully migrated): from nothing, forward only to just before each
# move, rows as the code of that time made them (each move in an agreement of its own), then
# forward to the end, and for the rounds' move back again. Migrating from nothing costs
# seconds, and a process or a way back and forth per move would cost as much again each.
MIGRATIONS_WITH_ROWS = """
import datetime
import json

import django
django.setup()
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


# The models as they were at the targets, once the database is migrated to them.
def state_at(targets):
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def say(move, *values):
    print(f"{move}: {json.dumps(values, default=str)}")


def at(day, ms=0):
    return datetime.datetime(2026, 4, day, 10, 0, 0, ms * 1000, tzinfo=datetime.UTC)


# Reports as files (reporting 0002), roles in measures (measures 0008).
before = state_at([
    ("reporting", "0002_revision_event_not_reached"),
    ("measures", "0008_role_event_labels_sendt"),
])
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

# Approvals before there were rounds (reporting 0007): a submitted revision's, and a draft's
# that KDD sent back.
model = state_at([("reporting", "0007_approval_rounds")]).get_model
org = model("measures", "Organisation").objects.create(
    key="rundekommune", name="Rundekommune", kind="municipality"
)
rounds = model("measures", "Agreement").objects.create(
    slug="runde", name="Runde", pilot_name="Runde", first_year=2025, last_year=2028
)
submitted = model("reporting", "Revision").objects.create(
    agreement=rounds, year=2026, status="submitted", submitted_at=at(1)
)
draft = model("reporting", "Revision").objects.create(agreement=rounds, year=2027, status="draft")
model("reporting", "RevisionEvent").objects.create(
    revision=draft, kind="sent_back", comment="Rett budsjettet."
)
for waiting in (submitted, draft):
    model("reporting", "Approval").objects.create(
        revision=waiting, organisation=org, body="kommunestyre"
    )

# Rounds that held their own times and KDD's comment (reporting 0012): linked to the events a
# moment apart, a comment only the round had, a submission's copy of the snapshot, a round
# without events, an imported submitted revision.
BEFORE_EVENTS = [("reporting", "0012_drop_unused_approved_by_parties_status")]
model = state_at(BEFORE_EVENTS).get_model
org = model("measures", "Organisation").objects.create(
    key="hendingkommune", name="Hendingkommune", kind="municipality"
)
events = model("measures", "Agreement").objects.create(
    slug="hendingar", name="Hendingar", pilot_name="Hendingar", first_year=2025, last_year=2028
)
OldRevision, OldRound = model("reporting", "Revision"), model("reporting", "ApprovalRound")
OldEvent = model("reporting", "RevisionEvent")
plan = {"plan": {"format": "bygdevekst-plan/1"}}
draft = OldRevision.objects.create(agreement=events, year=2026, status="draft")
for kind, day in (("submitted", 20), ("sent_back", 22)):
    event = OldEvent.objects.create(revision=draft, kind=kind, snapshot=plan)
    OldEvent.objects.filter(pk=event.pk).update(at=at(day))
first = OldRound.objects.create(
    revision=draft, number=1, opened_at=at(20, 3), closed_at=at(22, 2), comment="Rett budsjettet."
)
model("reporting", "Approval").objects.create(
    revision=draft, round=first, organisation=org, body="kommunestyre"
)
approved = OldRevision.objects.create(
    agreement=events, year=2025, status="approved", approved_at=at(30)
)
OldRound.objects.create(
    revision=approved, number=1, opened_at=at(1), closed_at=at(2), comment="Gammal."
)
OldRound.objects.create(revision=approved, number=2, opened_at=at(30))
imported = OldRevision.objects.create(agreement=events, year=2027, status="submitted")
OldRound.objects.create(revision=imported, number=1, opened_at=at(25))

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

from reporting.models import ApprovalRound
runde = ApprovalRound.objects.filter(revision__agreement__slug="runde")
first, closed = runde.get(revision__year=2026), runde.get(revision__year=2027)
organisation = first.approvals.get().organisation.key
say("first round", first.number, first.is_open, first.opened_at, organisation)
say("first round", closed.number, closed.is_open, closed.comment)

hendingar = ApprovalRound.objects.filter(revision__agreement__slug="hendingar")
round_ = hendingar.get(revision__year=2026)
organisation = round_.approvals.get().organisation.key
say("events", round_.opened_at, round_.closed_at, round_.comment, organisation)
revision = Revision.objects.get(agreement__slug="hendingar", year=2026)
say("events", [[event.kind, event.snapshot] for event in revision.events.all()])
old, current = hendingar.filter(revision__year=2025)
say("events", old.opened_at, old.closed_at, old.comment, current.is_open)
say(
    "events",
    Revision.objects.get(agreement__slug="hendingar", year=2027).submitted_at,
    hendingar.get(revision__year=2027).opened_at,
)

model = state_at(BEFORE_EVENTS).get_model
back = model("reporting", "ApprovalRound").objects.filter(
    revision__agreement__slug="hendingar", revision__year=2026
)
say("events back", [[r.opened_at, r.closed_at, r.comment] for r in back])
approvals = model("reporting", "Approval").objects.filter(revision__agreement__slug="hendingar")
say("events back", [approval.revision.year for approval in approvals])
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
def migrated(tmp_path_factory) -> dict[str, list[str]]:
    """What the script printed, by the move it is about ("reports", "access", ...)."""
    printed: dict[str, list[str]] = {}
    for line in run_script(MIGRATIONS_WITH_ROWS, tmp_path_factory.mktemp("moves")):
        move, _, said = line.partition(": ")
        printed.setdefault(move, []).append(said)
    return printed


def said(migrated, move: str) -> list[list]:
    """The values the script said about a move, as JSON gives them back (times as text)."""
    return [json.loads(line) for line in migrated[move]]


def at(day: int) -> str:
    """A moment the script wrote, as the script says it back."""
    return str(datetime.datetime(2026, 4, day, 10, tzinfo=datetime.UTC))


def test_stored_report_files_move_into_the_database(migrated):
    """A report stored as a file before is served from its row after the migration."""
    # The row with a missing file is gone (rendered again when asked), the other one serves its
    # bytes without rendering, and the file itself stays until the operator removes it.
    assert migrated["reports"] == ["True", "%PDF-1.7 stored on disk", "True"]


def test_roles_made_in_measures_are_the_access_apps_after_the_move(migrated):
    assert migrated["access"] == [
        "kari vt Vinje kommune approver",
        "kari nb",
        "access",
        "['access_role', 'access_roleevent']",
    ]


def test_earlier_approvals_go_into_a_first_round(migrated):
    """A submitted revision's approvals become its open round 1; a draft's, after KDD's
    send-back, a closed round 1 with KDD's comment."""
    assert said(migrated, "first round") == [
        [1, True, at(1), "rundekommune"],
        [1, False, "Rett budsjettet."],
    ]


def test_what_only_the_rounds_said_moves_into_their_events_and_back(migrated):
    """A round linked to the events a moment apart from its times, KDD's comment only the round
    had moved into the send-back, the copy of the snapshot a submission kept dropped; a round
    without events gets them; an imported submitted revision keeps its round's time. Going
    back fills the rounds' columns again."""
    plan = {"plan": {"format": "bygdevekst-plan/1"}}
    assert said(migrated, "events") == [
        [at(20), at(22), "Rett budsjettet.", "hendingkommune"],
        [[["submitted", None], ["sent_back", plan]]],
        [at(1), at(2), "Gammal.", True],
        [at(25), at(25)],
    ]
    assert said(migrated, "events back") == [
        [[[at(20), at(22), "Rett budsjettet."]]],
        [[2026]],
    ]
