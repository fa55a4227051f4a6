"""The permission audit: every URL pattern, as every role, gets exactly the expected answer.

A new URL pattern without an entry in POLICY fails `test_every_url_pattern_has_a_policy`, so no
view can be added without deciding who may use it.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access import invitations
from access.models import Role
from measures.models import Organisation
from reporting.revision import workflow
from tests.client import Client
from tests.factories import make_agreement, make_user
from tests.support import the_seed

ROLES = ["anonymous", "outsider", "partner", "approver", "ministry", "editor", "operator"]
LOGIN = 302  # anonymous users are sent to the login page


def expect(**statuses) -> dict[str, set[int]]:
    return {role: set(s) if isinstance(s, tuple) else {s} for role, s in statuses.items()}


READ = expect(
    anonymous=LOGIN, outsider=404, partner=200, approver=200, ministry=200, editor=200, operator=200
)
EDIT = expect(
    anonymous=LOGIN,
    outsider=404,
    partner=403,
    approver=403,
    ministry=403,
    editor=(200, 302),
    operator=(200, 302),
)
# KDD's steps: the confirmation (200), or a refusal said on the revision page (302).
MINISTRY = expect(
    anonymous=LOGIN,
    outsider=404,
    partner=403,
    approver=403,
    ministry=(200, 302),
    editor=403,
    operator=403,
)
# The accounts grid's totals: for the project leader entering, and KDD correcting.
GRID = expect(
    anonymous=LOGIN,
    outsider=404,
    partner=403,
    approver=403,
    ministry=200,
    editor=200,
    operator=200,
)
DECISION = expect(
    anonymous=LOGIN, outsider=404, partner=403, approver=200, ministry=403, editor=403, operator=403
)
ANY_USER = expect(
    anonymous=LOGIN, outsider=200, partner=200, approver=200, ministry=200, editor=200, operator=200
)
PUBLIC = {role: {200} for role in ROLES}
# The OpenID Connect login with a provider that is not configured (tests/access/test_oidc_*.py
# log in through a real one).
NO_SUCH_PROVIDER = {role: {404} for role in ROLES}
OPERATOR = expect(
    anonymous=LOGIN,
    outsider=LOGIN,
    partner=LOGIN,
    approver=LOGIN,
    ministry=LOGIN,
    editor=LOGIN,
    operator=200,
)

PEOPLE = expect(
    anonymous=LOGIN, outsider=404, partner=403, approver=403, ministry=200, editor=200, operator=200
)
# Acting on a reader's role or invitation: KDD gives only the ministry role and project leaders.
PEOPLE_READER = expect(
    anonymous=LOGIN,
    outsider=404,
    partner=403,
    approver=403,
    ministry=403,
    editor=(200, 302),
    operator=(200, 302),
)
# The link works for anyone who has it, logged out; none of these users has the invited address.
INVITATION = expect(
    anonymous=200, outsider=403, partner=403, approver=403, ministry=403, editor=403, operator=403
)
# Setting up agreements: operators, and users with measures.add_agreement (the group "KDD"; the
# audit's ministry user has the role only, and tests/reporting/test_setup.py gives it the group).
CREATE = expect(
    anonymous=LOGIN, outsider=403, partner=403, approver=403, ministry=403, editor=403, operator=200
)
# Plan files: editors (for their own agreement) and whoever may set up agreements.
UPLOAD = expect(
    anonymous=LOGIN, outsider=200, partner=403, approver=403, ministry=403, editor=200, operator=200
)
UPLOAD_APPLY = {role: {302} if statuses == {200} else statuses for role, statuses in UPLOAD.items()}

S = "vest-telemark"


def _measure(seed):
    return seed.measures.get(key="gott-nokk")


def _draft(seed, owner):
    workflow.start_revision(agreement=seed, year=2026, user=owner)
    return 2026


def _invitation(seed, owner):
    invitations.invite(
        agreement=seed, email="ny@example.no", kind=Role.Kind.PARTNER, organisation=None, by=owner
    )
    return seed.invitations.get(email="ny@example.no").pk


def _token(seed, owner):
    return invitations.invite(
        agreement=seed, email="ny@example.no", kind=Role.Kind.PARTNER, organisation=None, by=owner
    )


def _reader_role(seed):
    return Role.objects.get(agreement=seed, user__username="partnar").pk


def _submitted(seed, owner):
    revision = workflow.start_revision(agreement=seed, year=2026, user=owner)
    workflow.submit(revision=revision, user=owner)
    return 2026


def _stored_report(seed) -> list:
    """The approved 2025 report as stored bytes, so that no PDF is rendered for the audit."""
    from reporting.models import StoredReport

    StoredReport.objects.create(revision=seed.revisions.get(year=2025), pdf=b"%PDF-1.7 stand-in")
    return [S, 2025]


# name: (method, policy, setup(seed, owner) -> (args, data))
POLICY = {
    # The public face: approved plans and open data for anyone, logged in or not.
    "public:index": ("get", PUBLIC, lambda s, o: ([], {})),
    "public:plan": ("get", PUBLIC, lambda s, o: ([S], {})),
    "public:latest-json": ("get", PUBLIC, lambda s, o: ([S], {})),
    "public:year": ("get", PUBLIC, lambda s, o: ([S, 2025], {})),
    "public:json": ("get", PUBLIC, lambda s, o: ([S, 2025], {})),
    "public:measures-csv": ("get", PUBLIC, lambda s, o: ([S, 2025], {})),
    "public:budget-csv": ("get", PUBLIC, lambda s, o: ([S, 2025], {})),
    "public:xlsx": ("get", PUBLIC, lambda s, o: ([S, 2025], {})),
    "public:pdf": ("get", PUBLIC, lambda s, o: (_stored_report(s), {})),
    "robots-txt": ("get", PUBLIC, lambda s, o: ([], {})),
    "sitemap-xml": ("get", PUBLIC, lambda s, o: ([], {})),
    "health": ("get", PUBLIC, lambda s, o: ([], {})),
    "login": ("get", PUBLIC, lambda s, o: ([], {})),
    # The admin's own login page sends everyone to the one login page.
    "admin-login": ("get", {role: {302} for role in ROLES}, lambda s, o: ([], {})),
    "logout": ("post", expect(**{r: 302 for r in ROLES}), lambda s, o: ([], {})),
    "password_change": ("get", ANY_USER, lambda s, o: ([], {})),
    "password_change_done": ("get", ANY_USER, lambda s, o: ([], {})),
    "password_reset": ("get", PUBLIC, lambda s, o: ([], {})),
    "password_reset_done": ("get", PUBLIC, lambda s, o: ([], {})),
    "password_reset_confirm": ("get", PUBLIC, lambda s, o: (["MQ", "feil-lenkje"], {})),
    "password_reset_complete": ("get", PUBLIC, lambda s, o: ([], {})),
    "admin:index": ("get", OPERATOR, lambda s, o: ([], {})),
    "reporting:home": ("get", ANY_USER, lambda s, o: ([], {})),
    "access:account": ("get", ANY_USER, lambda s, o: ([], {})),
    # Each user changes only their own setting: every one who is logged in may.
    "access:account-language": (
        "post",
        expect(anonymous=LOGIN, **{r: 302 for r in ROLES if r != "anonymous"}),
        lambda s, o: ([], {"language": "nb"}),
    ),
    # Each user asks to change their own address: a link goes to it, nothing else changes.
    "access:account-email": (
        "post",
        expect(anonymous=LOGIN, **{r: 302 for r in ROLES if r != "anonymous"}),
        lambda s, o: ([], {"email": "ny@example.org"}),
    ),
    # A link that is not this user's changes nothing and goes back to their page.
    "access:account-email-confirm": (
        "get",
        expect(anonymous=LOGIN, **{r: 302 for r in ROLES if r != "anonymous"}),
        lambda s, o: (["ikkje-ei-lenkje"], {}),
    ),
    "measures:agreement-detail": ("get", READ, lambda s, o: ([S], {})),
    "measures:measure-detail": ("get", READ, lambda s, o: ([S, "gott-nokk"], {})),
    "measures:measure-history": ("get", READ, lambda s, o: ([S, "gott-nokk"], {})),
    "measures:organisation-list": ("get", READ, lambda s, o: ([S], {})),
    "measures:organisation-detail": ("get", READ, lambda s, o: ([S, "husbanken"], {})),
    "measures:organisation-edit": ("get", EDIT, lambda s, o: ([S, "husbanken"], {})),
    "measures:agreement-edit": ("get", EDIT, lambda s, o: ([S], {})),
    "measures:markdown-preview": ("post", EDIT, lambda s, o: ([S], {"body": "x"})),
    "measures:sub-goal-edit": ("get", EDIT, lambda s, o: ([S, 1], {})),
    "measures:measure-create": ("get", EDIT, lambda s, o: ([S], {})),
    "measures:measure-edit": ("get", EDIT, lambda s, o: ([S, "gott-nokk"], {})),
    "measures:measure-title": ("get", EDIT, lambda s, o: ([S, "gott-nokk"], {})),
    "measures:measure-move": ("post", EDIT, lambda s, o: ([S, "gott-nokk"], {"retning": "opp"})),
    "measures:measure-close": (
        "post",
        EDIT,
        lambda s, o: ([S, "gott-nokk"], {"closed_on": "2026-01-01"}),
    ),
    "measures:measure-reopen": ("post", EDIT, lambda s, o: ([S, "gott-nokk"], {})),
    "measures:measure-organisations": ("get", EDIT, lambda s, o: ([S, "gott-nokk"], {})),
    "measures:organisation-create": (
        "post",
        EDIT,
        lambda s, o: ([S, "gott-nokk"], {"name": "Ny org", "kind": "ngo", "role": "partner"}),
    ),
    "measures:involvement-remove": (
        "post",
        EDIT,
        lambda s, o: ([S, "gott-nokk", _measure(s).involvements.first().pk], {}),
    ),
    "measures:section-create": ("get", EDIT, lambda s, o: ([S, "gott-nokk"], {})),
    "measures:section-edit": (
        "get",
        EDIT,
        lambda s, o: ([S, "gott-nokk", _measure(s).sections.first().pk], {}),
    ),
    "measures:section-move": (
        "post",
        EDIT,
        lambda s, o: ([S, "gott-nokk", _measure(s).sections.first().pk], {"retning": "ned"}),
    ),
    "measures:section-delete": (
        "post",
        EDIT,
        lambda s, o: ([S, "gott-nokk", _measure(s).sections.first().pk], {}),
    ),
    "measures:people": ("get", PEOPLE, lambda s, o: ([S], {})),
    "measures:invitation-resend": (
        "post",
        PEOPLE_READER,
        lambda s, o: ([S, _invitation(s, o)], {}),
    ),
    "measures:invitation-withdraw": (
        "post",
        PEOPLE_READER,
        lambda s, o: ([S, _invitation(s, o)], {}),
    ),
    "measures:role-edit": ("get", PEOPLE_READER, lambda s, o: ([S, _reader_role(s)], {})),
    "measures:role-withdraw": ("post", PEOPLE_READER, lambda s, o: ([S, _reader_role(s)], {})),
    "access:invitation": ("get", INVITATION, lambda s, o: ([_token(s, o)], {})),
    "access:oidc-start": ("get", NO_SUCH_PROVIDER, lambda s, o: (["ansattporten"], {})),
    "access:oidc-callback": ("get", NO_SUCH_PROVIDER, lambda s, o: (["ansattporten"], {})),
    "budget:detail": ("get", READ, lambda s, o: ([S], {})),
    "budget:edit": ("get", EDIT, lambda s, o: ([S], {})),
    "budget:recompute": ("post", EDIT, lambda s, o: ([S], {})),
    "money:detail": ("get", READ, lambda s, o: ([S], {})),
    "money:accounts": ("get", READ, lambda s, o: ([S, 2025], {})),
    "money:accounts-edit": ("get", EDIT, lambda s, o: ([S, 2025], {})),
    "money:explanations": ("post", EDIT, lambda s, o: ([S, 2025], {})),
    "money:accounts-submit": ("post", EDIT, lambda s, o: ([S, 2025], {})),
    "money:accounts-accept": ("post", MINISTRY, lambda s, o: ([S, _sent_accounts(s)], {})),
    "money:accounts-return": (
        "post",
        MINISTRY,
        lambda s, o: ([S, _sent_accounts(s)], {"comment": "Rett delmål 2."}),
    ),
    "money:payment-create": ("get", MINISTRY, lambda s, o: ([S], {})),
    "money:accounts-recompute": ("post", GRID, lambda s, o: ([S, 2025], {})),
    "money:accounts-correct": ("get", MINISTRY, lambda s, o: ([S, _accepted_accounts(s)], {})),
    "money:payment-correct": ("get", MINISTRY, lambda s, o: ([S, _payment(s)], {})),
    "reporting:accounts-pdf": ("get", READ, lambda s, o: ([S, 2025], {})),
    "reporting:accounts-xlsx": ("get", READ, lambda s, o: ([S, 2025], {})),
    "reporting:accounts-upload": ("get", EDIT, lambda s, o: ([S, 2025], {})),
    "reporting:accounts-upload-apply": ("post", EDIT, lambda s, o: ([S, 2025], {})),
    "reporting:workbook-upload": ("get", EDIT, lambda s, o: ([S], {})),
    "reporting:workbook-apply": ("post", EDIT, lambda s, o: ([S], {})),
    "reporting:agreement-create": ("get", CREATE, lambda s, o: ([], {})),
    "reporting:plan-upload": ("get", UPLOAD, lambda s, o: ([], {})),
    "reporting:plan-apply": ("post", UPLOAD_APPLY, lambda s, o: ([], {})),
    "reporting:process": ("get", READ, lambda s, o: ([S], {})),
    "reporting:revision": ("get", READ, lambda s, o: ([S, 2025], {})),
    "reporting:report-pdf": ("get", READ, lambda s, o: ([S, 2025], {})),
    "reporting:report-xlsx": ("get", READ, lambda s, o: ([S, 2025], {})),
    "reporting:revision-start": (
        "post",
        EDIT,
        lambda s, o: ([S], {"year": 2026, "confirmed": "ja"}),
    ),
    "reporting:revision-notes": ("get", EDIT, lambda s, o: ([S, _draft(s, o)], {})),
    "reporting:revision-due": (
        "post",
        EDIT,
        lambda s, o: ([S, _draft(s, o)], {"due_on": "2026-06-01"}),
    ),
    "reporting:revision-submit": ("post", EDIT, lambda s, o: ([S, _draft(s, o)], {})),
    "reporting:revision-approve": ("post", MINISTRY, lambda s, o: ([S, _submitted(s, o)], {})),
    "reporting:revision-send-back": (
        "post",
        MINISTRY,
        lambda s, o: ([S, _submitted(s, o)], {"comment": "Ver så snill og rett."}),
    ),
    "reporting:decision": (
        "get",
        DECISION,
        lambda s, o: ([S, _submitted(s, o), "vinje-kommune"], {}),
    ),
}


def _sent_accounts(seed) -> int:
    """2025's accounts, sent to KDD."""
    from money.models import Accounts

    Accounts.objects.create(agreement=seed, year=2025, status=Accounts.Status.SUBMITTED)
    return 2025


def _accepted_accounts(seed) -> int:
    """2025's accounts, accepted by KDD."""
    from money.models import Accounts

    Accounts.objects.create(agreement=seed, year=2025, status=Accounts.Status.ACCEPTED)
    return 2025


def _payment(seed) -> int:
    """A payment KDD has recorded; its id."""
    import datetime

    from money.models import Payment

    payment = Payment(
        agreement=seed, year=2025, paid_on=datetime.date(2025, 3, 1), kroner=1, reference="R"
    )
    payment.save()
    return payment.pk


def url_names(resolver=None, namespace: str = "") -> set[str]:
    """Every named URL pattern of the project, with its namespace."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                names.add("admin:index")  # the admin is one operator-only area
                continue
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_pattern_has_a_policy():
    assert url_names() == set(POLICY)


@pytest.fixture(scope="module")
def people(module_transaction, django_db_blocker) -> dict:
    """A user of each role, and a session each is signed in with: made once for the module's
    91 tests (each test's own rows are rolled back after it, these only after the last)."""
    with django_db_blocker.unblock():
        seed = the_seed()
        other = make_agreement("nordfjord", "Bygdevekstavtale for Nordfjord")
        org = Organisation.objects.get
        users = {
            "anonymous": None,
            "outsider": make_user("utanfor", other, Role.Kind.EDITOR),
            "partner": make_user("partnar", seed, Role.Kind.PARTNER, org(key="husbanken")),
            "approver": make_user("vinje", seed, Role.Kind.APPROVER, org(key="vinje-kommune")),
            "ministry": make_user("kdd", seed, Role.Kind.MINISTRY, org(key="kdd")),
            "editor": make_user("prosjektleiar", seed, Role.Kind.EDITOR),
            "operator": get_user_model().objects.create_superuser(
                "drift", password="x-drift-12345"
            ),
        }
        sessions = {}
        for role, user in users.items():
            if user is not None:
                client = Client()
                client.force_login(user)
                sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"users": users, "sessions": sessions}


@pytest.mark.parametrize("name", sorted(POLICY))
def test_each_role_gets_the_expected_answer(client, seed, people, name):
    method, policy, setup = POLICY[name]
    args, data = setup(seed, people["users"]["editor"])
    wrong = []
    for role in ROLES:
        # Each role finds what the setup made, whatever the role before did to it.
        with transaction.atomic():
            # Signed in as the role (or no one), whatever the request before did to the cookie.
            client.cookies.clear()
            if role in people["sessions"]:
                client.cookies[settings.SESSION_COOKIE_NAME] = people["sessions"][role]
            response = getattr(client, method)(reverse(name, args=args), data)
            if response.status_code not in policy[role]:
                wrong.append(f"{role}: {response.status_code}, expected {sorted(policy[role])}")
            transaction.set_rollback(True)
    assert wrong == [], name
