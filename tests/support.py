"""Helpers the test modules share: the seed file, database dumps, form data, browser steps."""

from __future__ import annotations

import copy
import datetime
import functools
import hashlib
import html
import re
import subprocess
from io import BytesIO
from pathlib import Path

import openpyxl
import yaml
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from access.models import Role
from budget.models import Amount, BudgetLine, Footnote, FundingSource
from measures.models import (
    Agreement,
    Involvement,
    Measure,
    Membership,
    Organisation,
    Section,
    SubGoal,
)
from money.models import Accounts, AccountsEvent, Correction, Explanation, Payment, Spending
from reporting.models import (
    Approval,
    ApprovalRound,
    MeasureNote,
    MeasureProgress,
    Revision,
    RevisionEvent,
)
from reporting.plan_file import import_plan, parse_plan
from reporting.revision.review import budget_checks, failed
from reporting.revision.workflow import recorded_mark

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "fixtures" / "vest-telemark-2025.yaml"
DEMO_FILE = ROOT / "fixtures" / "indre-namdal-demo.yaml"
SOURCE_DOCUMENT = ROOT / "fixtures" / "handlingsplan-2025-kjelde.txt"
# Screenshots and downloads of the browser tests, for a person to look at.
ARTIFACTS = ROOT / "test-artifacts"
SEED_SLUG = "vest-telemark"
PASSWORD = "test-passord-123"
# Words only Nynorsk writes: none of them may be in a Bokmål report or workbook.
NYNORSK_ONLY = [
    "Innhald",
    "Hovudansvarleg",
    "Samarbeidspartar",
    "Grunngjeving",
    "delmåla",
    "tiltaka",
    "ikkje",
    "Ikkje",
    "Godkjend",
    "Endringar",
    "Avslutta",
    "Endra",
    "Samla",
    "heile",
    "statleg",
    "Tidsline",
    "handsaming",
    "Framdrift",
    "kjelde",
    "Kva",
    "sidan",
    "partane",
    "Godkjenningar",
]

# Every table a plan file writes, in the order an import fills them.
PLAN_MODELS = [
    Organisation,
    Agreement,
    Membership,
    SubGoal,
    Measure,
    Involvement,
    Section,
    BudgetLine,
    FundingSource,
    Amount,
    Footnote,
    Revision,
    ApprovalRound,
    Approval,
    MeasureNote,
    MeasureProgress,
    RevisionEvent,
    Accounts,
    Spending,
    Explanation,
    AccountsEvent,
    Payment,
    Correction,
]


def seed_text() -> str:
    return SEED_FILE.read_text(encoding="utf-8")


def read_yaml(text: str):
    """YAML read by libyaml (PyYAML's own reader is ten times slower); for tests' own use."""
    return yaml.load(text, Loader=yaml.CSafeLoader)


def write_yaml(data) -> str:
    """YAML written by libyaml, as PyYAML's safe_dump writes it, ten times as fast."""
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)


@functools.cache
def _seed_data() -> dict:
    return read_yaml(seed_text())


def edited_seed(change) -> str:
    """The seed file after `change(data)` has edited its parsed YAML. The seed is parsed once,
    and written by libyaml."""
    data = copy.deepcopy(_seed_data())
    change(data)
    return write_yaml(data)


# The pages read so far: a page's text is a pure function of the PDF's bytes.
_PDF_PAGES: dict[bytes, tuple[str, ...]] = {}


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF, read by poppler's pdftotext in the order the page draws
    it (-raw): the order of the HTML WeasyPrint rendered, the running header and footer last.
    pdftotext's own reading order would drop a hyphen that ends a line ("Vest-" + "Telemark"
    read as "VestTelemark"), scatter the letters of a draft's slanted watermark over the page
    and move table cells out of their rows around them."""
    key = hashlib.sha256(pdf).digest()
    if key not in _PDF_PAGES:
        _PDF_PAGES[key] = _read_pages(pdf)
    return list(_PDF_PAGES[key])


def _read_pages(pdf: bytes) -> tuple[str, ...]:
    read = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    # Every page ends with a form feed, the last one too.
    *pages, after_the_last = read.stdout.decode().split("\f")
    assert after_the_last == "", after_the_last
    return tuple(pages)


def pdf_text(pdf: bytes) -> str:
    """The words of all the pages in order, each run of whitespace (line and page breaks,
    no-break spaces) one space."""
    return re.sub(r"\s+", " ", " ".join(pdf_pages(pdf)))


def watermarked_pages(pdf: bytes) -> list[int]:
    """The numbers of the pages that carry a draft's «UTKAST» watermark. It is slanted and
    widely spaced, so pdftotext reads it in pieces on lines of their own ("U", "TKA", "ST")."""
    return [n for n, page in enumerate(pdf_pages(pdf), 1) if "UTKAST" in re.sub(r"\s+", "", page)]


def dump_database() -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row of every plan table, for comparing before and after: by model, the table's
    columns and its rows as the database holds them, in primary-key order. Read with one plain
    SELECT per table: the suite takes some 400 dumps, and building 23 ORM queries and a dict
    per row cost four times as much (10 against 2.3 ms a dump of the seed on PostgreSQL)."""
    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for model in PLAN_MODELS:
            meta = model._meta
            cursor.execute(f"SELECT * FROM {quote(meta.db_table)} ORDER BY {quote(meta.pk.column)}")
            tables[model.__name__] = (
                [column[0] for column in cursor.description],
                cursor.fetchall(),
            )
    return tables


def measure_form_data(measure: Measure, **changes) -> dict:
    """The measure form as the browser would post it, with some fields changed."""
    data = {
        "sub_goal": measure.sub_goal_id,
        "number": measure.number,
        "title": measure.title,
        "tagline": measure.tagline,
        "start_year": measure.start_year or "",
        "end_year": measure.end_year or "",
        "priority": measure.priority,
        "leads_more": measure.leads_more,
        "partners_more": measure.partners_more,
        "version": measure.version,
    }
    if measure.at_next_revision:
        data["at_next_revision"] = "on"
    data.update(changes)
    return data


def plan_app_models() -> list:
    """Every table of the plan's apps, their history and many-to-many tables included."""
    return [
        model
        for config in apps.get_app_configs()
        if config.label in {"access", "measures", "budget", "money", "reporting"}
        for model in config.get_models(include_auto_created=True)
    ]


def empty_database() -> None:
    """Delete every row of the plan's apps inside the test's transaction (rolled back after)."""
    with connection.cursor() as cursor:
        for model in plan_app_models():
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def rows_of_the_plan_apps() -> list[tuple[type, list[dict]]]:
    """Every row of the plan's apps, table by table, as `restore_rows` writes them back."""
    tables = [
        (model, list(model._base_manager.order_by("pk").values())) for model in plan_app_models()
    ]
    return [(model, rows) for model, rows in tables if rows]


# The rows the seed's import wrote into the test database, kept once per session
# (tests/conftest.py's django_db_setup).
SEED_ROWS: list[tuple[type, list[dict]]] = []


def import_seed() -> Agreement:
    return import_plan(parse_plan(seed_text()), source=SEED_FILE.name)


def the_seed() -> Agreement:
    """The seed agreement, copied back first if a transactional test has emptied the database."""
    return Agreement.objects.filter(slug=SEED_SLUG).first() or restore_seed()


def restore_seed() -> Agreement:
    """The seed back in a database a transactional test has emptied: the rows its import wrote
    (a bulk copy takes a fraction of the import's time), or the import if there are none."""
    if not SEED_ROWS:
        return import_seed()
    restore_rows(SEED_ROWS)
    return Agreement.objects.get(slug=SEED_SLUG)


def restore_rows(tables: list[tuple[type, list[dict]]]) -> None:
    """Write rows from `rows_of_the_plan_apps` back as they were, primary keys included, into
    tables that hold none of them. One transaction: the foreign keys are checked at its end
    (Django makes them deferrable on PostgreSQL and SQLite), so the order of tables is free."""
    with transaction.atomic():
        for model, rows in tables:
            model._base_manager.bulk_create([model(**row) for row in rows])


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{base_url}/konto/login/")
    page.get_by_label("Brukarnamn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base_url}/")


def sign_in(page, base_url: str, username: str, path: str | None = "/") -> None:
    """Logged in without the form, then at `path` (None: nowhere yet): a session for the user,
    its cookie set in the page's browser context. A new context costs as much as two pages and
    the form as much again; log_in clicks through the form where a test is about logging in."""
    from django.contrib.auth import get_user_model

    from tests.client import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
    if path is not None:
        page.goto(base_url + path)


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical accessibility violations on the page, readable.

    axe-playwright-python's script, put into the page once (half a megabyte through the driver
    each time): checked again, say at another width, the page runs the copy it has. The page
    itself turns axe's result into these lines: the whole result (every rule that passed or did
    not apply) would cross the driver to be parsed and thrown away, at about half the check's
    CPU in this process."""
    from axe_playwright_python.base import AXE_SCRIPT

    if page.evaluate("typeof window.axe === 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate(_SERIOUS_VIOLATIONS)


_SERIOUS_VIOLATIONS = """async () => {
    const result = await axe.run({resultTypes: ['violations']});
    return result.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.id} (${v.impact}): ${v.help} – ` +
                  JSON.stringify(v.nodes.slice(0, 3).map(n => n.target)));
}"""


# --- a 2026 revision with every kind of change -------------------------------------------------

REASON_2026 = "Sirkelen er no eit fast fagnettverk for planleggjarane i alle seks kommunane."
ASSESSMENT_2026 = "Tre seminar samla 140 deltakarar; arbeidet held fram i kompetansesirkelen."
PROGRESS_2026 = "Ventar på utlysinga av tilskot frå Husbanken hausten 2026."


def revision_2026(agreement: Agreement) -> Revision:
    """Handlingsplan 2026 as a draft: «Kompetansesirkel» (1.4) retitled and its description
    rewritten (Markdown and an HTML tag in the new text), 2.5 «Lokal matproduksjon» new, 1.5
    «Vandrande bygdevekstseminar» closed on 1 March 2026, 200 000 kr less from KDD for sub-goal
    2 in 2026; the reason, the assessment and two yearly statuses written."""
    from reporting.revision import workflow

    circle = agreement.measures.get(key="kompetansesirkel")
    circle.title = "Kompetansesirkel for planleggjarar"
    circle.save()
    description = circle.sections.get(kind="description")
    description.body = description.body.replace(
        "Føremålet med dialogen er todelt:",
        "Føremålet med dialogen er **tredelt**, og <b>kommunane</b> leier han:",
    )
    description.save()
    new = Measure.objects.create(
        agreement=agreement,
        sub_goal=agreement.sub_goals.get(number=2),
        key="lokal-matproduksjon",
        number=5,
        title="Lokal matproduksjon",
        start_year=2026,
        end_year=2028,
    )
    Section.objects.create(
        measure=new,
        kind=Section.Kind.DESCRIPTION,
        body="Eit **nettverk** for småskala matprodusentar i dei seks kommunane.",
    )
    closed = agreement.measures.get(key="vandrande-seminar")
    closed.close(datetime.date(2026, 3, 1), version=closed.version)
    amount = Amount.objects.get(line__key="delmal-2", year=2026, source__key="kdd-1350-post-66")
    amount.kroner = 1_800_000
    amount.save()
    revision = workflow.start_revision(agreement=agreement, year=2026, user=editor_of(agreement))
    workflow.save_notes(
        revision=revision,
        notes={
            "kompetansesirkel": ("reason", REASON_2026),
            "vandrande-seminar": ("assessment", ASSESSMENT_2026),
        },
        progress={
            "gott-nokk": ("delayed", PROGRESS_2026),
            "innsikt-bustadstrategi": ("in_progress", ""),
        },
    )
    return revision


def approve(revision: Revision, kdd=None) -> Revision:
    """Let the project leader submit the revision, every party's approver approve it on 18 June,
    and KDD (`kdd`, a user with the ministry role; made if not given) after them, each accepting
    any failing check."""
    from reporting.revision import workflow

    editor = editor_of(revision.agreement)
    try:
        workflow.submit(revision=revision, user=editor)
    except workflow.ChecksFailed as failing:  # the editor confirms sending it anyway
        workflow.submit(revision=revision, user=editor, accepted=[c.label for c in failing.checks])
    for approval in revision.approvals.exclude(body=Approval.Body.KDD):
        workflow.record_decision(
            approval=approval,
            user=approver_of(approval),
            values={"decided_on": datetime.date(2026, 6, 18), "decision": "approved"},
        )
    kdd = kdd or ministry_user_of(revision.agreement)
    return workflow.kdd_approve(revision=revision, user=kdd, accepted=failing_checks(revision))


def ministry_user_of(agreement):
    """A user of KDD with the ministry role in the agreement (made if there is none)."""
    from tests.factories import make_user

    role = Role.objects.filter(agreement=agreement, kind=Role.Kind.MINISTRY).first()
    if role is not None:
        return role.user
    kdd = Organisation.objects.get(key="kdd")
    return make_user("kdd-saksbehandlar", agreement, Role.Kind.MINISTRY, kdd)


def failing_checks(revision: Revision) -> list[str]:
    """The labels of the budget checks that fail for the revision, as the pages list them."""
    from reporting.revision import workflow

    return [c.label for c in failed(budget_checks(workflow.plan_of(revision), revision.year))]


def editor_of(agreement):
    """A project leader of the agreement (made if there is none): who starts and submits."""
    from tests.factories import make_user

    role = Role.objects.filter(agreement=agreement, kind=Role.Kind.EDITOR).first()
    if role is not None:
        return role.user
    return make_user(f"prosjektleiar-{agreement.slug}", agreement, Role.Kind.EDITOR)


def approver_of(approval: Approval):
    """A user who records decisions for the approval's organisation (made if there is none)."""
    from tests.factories import make_user

    agreement, organisation = approval.revision.agreement, approval.organisation
    role = Role.objects.filter(
        agreement=agreement, kind=Role.Kind.APPROVER, organisation=organisation
    ).first()
    if role is not None:
        return role.user
    return make_user(f"godkjennar-{organisation.key}", agreement, Role.Kind.APPROVER, organisation)


# The yearly cycle through the views, as the browser would post it.

MUNICIPALITIES = ["fyresdal", "kviteseid", "nissedal", "seljord", "tokke", "vinje"]


def confirmed(page) -> dict:
    """The submission confirmed for the failing checks that `page` asked about."""
    accepted = re.findall(r'<input type="hidden" name="accepted" value="([^"]*)"', page.text)
    return {
        "confirm": "on",
        "accepted": [html.unescape(label) for label in accepted],
        "confirmed": "ja",
    }


# The field the confirmation of an irreversible step posts (measures/confirmation.py).
CONFIRMED = {"confirmed": "ja"}


def as_user(client, user):
    client.force_login(user)
    return client


def url(name: str, *args) -> str:
    return reverse(f"reporting:{name}", args=[SEED_SLUG, *args])


def decide(
    client, user, org_key: str, bodies: list[str], decision: str = "approved", comment: str = ""
):
    """Record the bodies' decisions as the form would, over what is recorded now: decided today
    (a decision cannot be dated before the submission, nor in the future), with `comment` (a
    decision not to approve needs one)."""
    today = timezone.localdate().isoformat()
    data = {}
    for body in bodies:
        shown = Approval.objects.filter(
            round__revision__year=2026,
            organisation__key=org_key,
            body=body,
            round__send_back__isnull=True,
        ).first()
        data.update(
            {
                f"{body}-seen": recorded_mark(shown) if shown else "",
                f"{body}-planned_on": today,
                f"{body}-decided_on": today,
                f"{body}-decision": decision,
                f"{body}-case_reference": "26/12",
                f"{body}-comment": comment,
            }
        )
    return as_user(client, user).post(url("decision", 2026, org_key), data)


def submitted_2026(client, people, seed) -> Revision:
    as_user(client, people["prosjektleiar"])
    client.post(url("revision-start"), {"year": 2026, "confirmed": "ja"})
    client.post(url("revision-submit", 2026), CONFIRMED)
    return Revision.objects.get(year=2026)


def filled_in_workbook(template: bytes, sheet: str, cells: dict) -> bytes:
    """A downloaded workbook with `cells` (such as {"E6": 480_000}) typed into `sheet`."""
    workbook = openpyxl.load_workbook(BytesIO(template))
    for place, value in cells.items():
        workbook[sheet][place] = value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
