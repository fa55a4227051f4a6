"""Shared fixtures: the seed plan (imported once per test session), the three personas.

The seed is imported into the test database once; each test runs in a transaction that is
rolled back, so it sees the seed as imported. Transactional tests (the browser's live server)
empty the database when they end; they run last, and the next one that asks for the seed gets
the rows the import wrote, copied back as they were (tests/test_seed_restore.py checks that
this is the import's database, row for row).
"""

from __future__ import annotations

import gc
import hashlib

import pytest
from django.db import transaction

from access.models import Role
from measures.models import Agreement, Organisation
from reporting.outputs import pdf
from reporting.plan_file import import_plan, parse_plan

from .client import Client
from .factories import make_agreement, make_user
from .support import (
    DEMO_FILE,
    SEED_ROWS,
    empty_database,
    import_seed,
    rows_of_the_plan_apps,
    the_seed,
)


def pytest_configure(config):
    """The suite makes millions of short-lived objects (requests, querysets, templates): the
    collector runs a young collection every 50,000 new objects instead of every 2,000, which
    saves about 6% of the suite's CPU (measured with /usr/bin/time on four test modules)."""
    gc.set_threshold(50_000, 50, 1000)


# CPython keeps the frames of Python calls in chunks of 16 KiB, and before gh-142183 (fixed in
# the 3.13 and 3.14 releases of spring 2026; the 3.13.0 here is older) it unmaps a chunk the
# moment the calls fall back out of it. A request whose middleware, view and templates reach
# just past the end of a chunk maps and unmaps one at every call that crosses it (in the
# reporting and measures tests: four fifths of the minor page faults, two thirds of the system
# time). The tests run above one frame so large (_FRAME_SLOTS locals) that CPython gives it a
# chunk of 256 KiB, half of it free above the frame: room for any test's deepest calls, and
# never unmapped.
_FRAME_SLOTS = 15_500


def _above_a_large_frame(call):
    names = " = ".join(f"_{i}" for i in range(_FRAME_SLOTS))
    namespace: dict = {}
    exec(f"def run(call):\n    {names} = None\n    return call()\n", namespace)
    return namespace["run"](call)


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session):
    """pytest's own test loop, the main plugin's, which this hook replaces, run above the
    large frame."""
    from _pytest.main import pytest_runtestloop as run_the_tests

    return _above_a_large_frame(lambda: run_the_tests(session))


def pytest_collection_finish(session):
    """What is loaded by now (Django, the apps, the test modules) lives as long as the run: out
    of the collector's scans for good."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the seed plan in it, for every test of the session."""
    with django_db_blocker.unblock():
        import_seed()
        SEED_ROWS[:] = rows_of_the_plan_apps()


@pytest.fixture(scope="session", autouse=True)
def _each_pdf_rendered_once():
    """WeasyPrint takes a second or more per report, and many tests render the same one (the
    seed's approved 2025 plan, to see who may download it or to read its title page). The PDF
    is a function of the HTML handed to WeasyPrint (and the static files it reads), so the
    session renders each distinct HTML once and hands the same bytes to whoever asks again.
    Every test still builds the report's HTML from its own data: a change to the data is a
    change to the HTML, and so a rendering of its own."""
    rendered: dict[bytes, bytes] = {}
    html_to_pdf = pdf.html_to_pdf

    def once(html: str) -> bytes:
        key = hashlib.sha256(html.encode()).digest()
        if key not in rendered:
            rendered[key] = html_to_pdf(html)
        return rendered[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "html_to_pdf", once)
        yield


@pytest.fixture
def client() -> Client:
    """pytest-django's client fixture, as the suite's Client (tests/client.py)."""
    return Client()


@pytest.fixture
def admin_client(db, admin_user) -> Client:
    """pytest-django's admin_client fixture, as the suite's Client."""
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def seed(db) -> Agreement:
    """The approved Handlingsplan 2025 for Vest-Telemark, as imported from the fixture."""
    return the_seed()


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction open while a module's tests run, for rows a module-scoped fixture makes
    once in it (`namdal`, tests/test_permission_audit.py, test_plan_file_money.py): each
    test runs in a savepoint of its own inside it, rolled back after the test as usual, and the
    module's rows go when its last test has run. Only for modules without transactional tests
    (pytest-django runs those at the very end, outside the module's run)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def namdal(module_transaction, django_db_blocker) -> Agreement:
    """Indre Namdal, the bokmål demo agreement (`make run` loads it), beside the seed: imported
    once for the module that asks, in its module_transaction."""
    with django_db_blocker.unblock():
        the_seed()
        return import_plan(parse_plan(DEMO_FILE.read_text(encoding="utf-8")))


@pytest.fixture
def empty_db(db) -> None:
    """A database without the seed, for tests of what happens to an empty installation."""
    empty_database()


@pytest.fixture
def owner(seed):
    """The project leader: editor of the seed agreement."""
    return make_user("prosjektleiar", seed, Role.Kind.EDITOR)


@pytest.fixture
def collaborator(seed):
    """A partner with read access to the seed agreement."""
    county = Organisation.objects.get(key="telemark-fylkeskommune")
    return make_user("fylkeskommunen", seed, Role.Kind.PARTNER, county)


@pytest.fixture
def outsider(seed):
    """A user with a role in another agreement only."""
    other = make_agreement("nordfjord", "Bygdevekstavtale for Nordfjord")
    return make_user("utanforståande", other, Role.Kind.EDITOR)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture(autouse=True)
def _empty_cache(request, django_db_blocker):
    """The cache is a database table (settings.CACHES): what a test caches goes with its
    rolled-back transaction. Transactional tests commit theirs, so the cache is emptied after
    them: rolled-back or deleted ids could otherwise meet old entries. The connection that
    empties it is closed again, as the transactional test closed its own: one left open would
    outlive the session and keep the test database from being dropped."""
    yield
    marker = request.node.get_closest_marker("django_db")
    committed = {"transactional_db", "live_server"} & set(request.fixturenames)
    if committed or (marker and marker.kwargs.get("transaction")):
        from django.core.cache import cache
        from django.db import connections

        with django_db_blocker.unblock():
            cache.clear()
            connections.close_all()


@pytest.fixture
def kari(db):
    """A user with an e-mail address and no role: for accounts, resets and limits."""
    return make_user("kari", email="kari@example.no")


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """A real OpenID provider in a process of its own (tests/oidc_provider), for the session."""
    from .oidc_provider.server import running_provider

    with running_provider(tmp_path_factory.mktemp("provider"), "http://testserver") as provider:
        yield provider


@pytest.fixture
def testid(oidc_provider, settings, db):
    """The application configured to log in with the provider's client that behaves."""
    settings.OIDC_PROVIDERS = oidc_provider.settings_for()
    return oidc_provider
