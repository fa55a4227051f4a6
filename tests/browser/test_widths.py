"""No page is wider than the screen, for any role, on a phone (390 px) and a laptop (1280 px).

Every page the application serves by GET is listed here with the roles that open it; a test
walks the URL resolver and fails on any page that is neither visited nor exempt with a reason,
so a new page cannot be forgotten. On each page, as each role, at both widths: the document is
no wider than the window, and axe finds no serious or critical violation. Roles that the server
sends the same page, byte for byte but for the per-request tokens and the user's name in the
header, see the same thing: the browser opens it as one of them (the longest name) and it
stands for the others. The plan includes a measure whose title is one unbroken 200-character
word. Then, in the project leader's window: at 1280 px the budget grid and the financing table
show every column, and every cell of the grid shows a nine-digit amount; on a phone the
revision's status table scrolls in its frame and says so.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator as token_generator
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from access.invitations import invite
from access.models import Role
from measures.models import Measure, Organisation, Section
from money.models import Accounts, Payment
from tests.client import Client
from tests.factories import make_user
from tests.support import editor_of, revision_2026, serious_violations, sign_in

pytestmark = pytest.mark.browser

SLUG = "vest-telemark"
PHONE, LAPTOP = 390, 1280
LONG_TITLE = "Lang" + "tittelutanmellomrom" * 10 + "x" * 6  # 200 characters, no space
LONG_KEY = "lang-tittel"
# The pages a person looks at as pictures after a run (test-artifacts/bredde-*.png).
PICTURED = {
    f"avtale-{SLUG}",
    f"avtale-{SLUG}-tiltak-{LONG_KEY}",
    f"budsjett-{SLUG}-endre-?ar=2026",
    f"rullering-{SLUG}-2026",
}


@dataclass(frozen=True)
class Visit:
    """A page: its URL name, how to build its arguments, the roles that open it."""

    name: str
    args: Callable[[dict], list]
    roles: frozenset[str]
    query: str = ""


# In this order: axe checks each page at each width once, as the first role that opens it (the
# editors see the most); the widths are measured for every role.
ROLES = ["prosjektleiar", "operator", "kdd", "vinje", "fylkeskommunen", "husbanken"]
EVERYONE = frozenset(ROLES)
EDITORS = frozenset({"prosjektleiar", "operator"})


def _page(name, args=lambda d: [SLUG], roles=EVERYONE, query=""):
    return Visit(name, args, frozenset(roles), query)


# The draft's texts can only be written before the revision is submitted: visited first.
DRAFT_PAGES = [_page("reporting:revision-notes", lambda d: [SLUG, 2026], EDITORS)]
PAGES = [
    _page("reporting:home", lambda d: []),
    _page("measures:agreement-detail"),
    _page("measures:measure-detail", lambda d: [SLUG, LONG_KEY]),
    _page("measures:measure-detail", lambda d: [SLUG, "kompetansesirkel"]),
    _page("measures:measure-history", lambda d: [SLUG, "kompetansesirkel"]),
    _page("measures:organisation-list"),
    _page("measures:organisation-detail", lambda d: [SLUG, "vinje-kommune"]),
    _page("budget:detail"),
    _page("reporting:process"),
    _page("reporting:revision", lambda d: [SLUG, 2025]),
    _page("reporting:revision", lambda d: [SLUG, 2026]),
    _page("password_change", lambda d: []),
    _page("password_change_done", lambda d: []),
    _page("measures:agreement-edit", roles=EDITORS),
    _page("measures:sub-goal-edit", lambda d: [SLUG, 1], EDITORS),
    _page("measures:organisation-edit", lambda d: [SLUG, "vinje-kommune"], EDITORS),
    _page("measures:measure-create", roles=EDITORS),
    _page("measures:measure-edit", lambda d: [SLUG, LONG_KEY], EDITORS),
    _page("measures:measure-title", lambda d: [SLUG, LONG_KEY], EDITORS),
    _page("measures:measure-organisations", lambda d: [SLUG, LONG_KEY], EDITORS),
    _page("measures:section-create", lambda d: [SLUG, LONG_KEY], EDITORS),
    _page("measures:section-edit", lambda d: [SLUG, LONG_KEY, d["section"]], EDITORS),
    _page("budget:edit", roles=EDITORS, query="?ar=2026"),
    _page("reporting:workbook-upload", roles=EDITORS),
    _page("reporting:decision", lambda d: [SLUG, 2026, "vinje-kommune"], {"vinje"}),
    _page(
        "reporting:decision",
        lambda d: [SLUG, 2026, "telemark-fylkeskommune"],
        {"fylkeskommunen"},
    ),
    _page("money:detail"),
    _page("money:accounts", lambda d: [SLUG, 2025]),
    _page("money:accounts-edit", lambda d: [SLUG, 2025], EDITORS),
    _page("money:payment-create", roles={"kdd"}),
    _page("money:accounts-correct", lambda d: [SLUG, 2026], {"kdd"}),
    _page("money:payment-correct", lambda d: [SLUG, d["payment"]], {"kdd"}),
    _page("reporting:accounts-upload", lambda d: [SLUG, 2025], EDITORS),
    _page("access:account", lambda d: []),
    _page("measures:people", roles={"prosjektleiar", "operator", "kdd"}),
    _page("measures:role-edit", lambda d: [SLUG, d["role"]], EDITORS),
    _page("reporting:agreement-create", lambda d: [], {"operator"}),
    _page("reporting:plan-upload", lambda d: [], EDITORS),
    _page("admin:index", lambda d: [], {"operator"}),
    _page("admin:measures_measure_changelist", lambda d: [], {"operator"}),
    _page("admin:measures_measure_change", lambda d: [d["measure"]], {"operator"}),
]
ANONYMOUS_PAGES = [
    _page("login", lambda d: []),
    _page("password_reset", lambda d: []),
    _page("password_reset_done", lambda d: []),
    _page("password_reset_confirm", lambda d: d["reset"]),
    _page("password_reset_complete", lambda d: []),
    _page("access:invitation", lambda d: [d["invitation"]]),
    _page("public:index", lambda d: []),
    _page("public:plan"),
    _page("public:year", lambda d: [SLUG, 2025]),
]

# Addresses that are no page to look at, each with the reason.
EXEMPT = {
    "health": "the monitors' JSON answer",
    "admin-login": "a redirect to the login page",
    "access:oidc-start": "a redirect to the provider's login",
    "access:oidc-callback": "the provider's way back: logs in and redirects (test_oidc_login.py)",
    "logout": "POST only",
    "reporting:report-pdf": "a download (PDF)",
    "reporting:report-xlsx": "a download (Excel workbook)",
    "measures:markdown-preview": "POST only: the Markdown preview fragment",
    "measures:measure-move": "POST only",
    "measures:measure-close": "POST only",
    "measures:measure-reopen": "POST only",
    "measures:organisation-create": "POST only",
    "measures:involvement-remove": "POST only",
    "measures:section-move": "POST only",
    "measures:section-delete": "POST only",
    "budget:recompute": "POST only: the grid's totals while typing",
    "reporting:revision-start": "POST only",
    "reporting:revision-due": "POST only",
    "reporting:revision-submit": "POST only",
    "reporting:revision-approve": "POST only",
    "reporting:revision-send-back": "POST only",
    "reporting:workbook-apply": "POST only",
    "reporting:accounts-upload-apply": "POST only",
    "reporting:plan-apply": "POST only",
    "access:account-language": "POST only",
    "access:account-email": "POST only",
    "access:account-email-confirm": "the e-mail's link: changes the address, then redirects",
    "measures:invitation-resend": "POST only",
    "measures:invitation-withdraw": "POST only",
    "measures:role-withdraw": "POST only",
    "money:explanations": "POST only",
    "money:accounts-recompute": "POST only (htmx: the grid's totals)",
    "money:accounts-submit": "POST only",
    "money:accounts-return": "POST only",
    "money:accounts-accept": "POST only",
    "reporting:accounts-pdf": "a download (PDF)",
    "reporting:accounts-xlsx": "a download (Excel workbook)",
    "public:json": "open data (JSON)",
    "public:latest-json": "open data (JSON)",
    "public:measures-csv": "open data (CSV)",
    "public:budget-csv": "open data (CSV)",
    "public:pdf": "a download (PDF)",
    "public:xlsx": "a download (Excel workbook)",
    "robots-txt": "for search engines (text)",
    "sitemap-xml": "for search engines (XML)",
}
# Django's admin draws every page from a few templates of its own: its index, a list and a
# form are visited above; its other addresses are the same pages for other models.
EXEMPT_NAMESPACES = {"admin"}


def url_names(patterns=None, namespace: str = "") -> set[str]:
    """Every named address the resolver knows, with its namespace."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else f"{namespace}{pattern}")
    return names


def test_every_page_is_visited_or_exempt_with_a_reason():
    visited = {visit.name for visit in DRAFT_PAGES + PAGES + ANONYMOUS_PAGES}
    forgotten = {
        name
        for name in url_names() - visited - set(EXEMPT)
        if name.split(":")[0] not in EXEMPT_NAMESPACES
    }
    assert forgotten == set(), f"pages the width test does not visit: {sorted(forgotten)}"
    assert visited & set(EXEMPT) == set()
    assert set(EXEMPT) <= url_names(), "an exempt page that no longer exists"


# What differs between two requests for the same page, whoever asks: the CSRF token in forms
# and in htmx's headers, the scripts' nonce.
PER_REQUEST = re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": |nonce=)"[^"]*"')


def page_as(client: Client, path: str, username: str) -> tuple[int, str]:
    """The status and HTML the server sends this user, without the per-request tokens and with
    the user's name in the header as a placeholder."""
    response = client.get(path, headers={"accept-language": "nn-NO"})
    html = PER_REQUEST.sub(r"\1", response.content.decode())
    header = f'href="{reverse("access:account")}">{username}</a>'
    return response.status_code, html.replace(header, 'href="">NAME</a>', 1)


def distinct(path: str, roles: list[str], clients: dict[str, Client]) -> set[str]:
    """One role for each different page the roles get at `path`: of roles that get the same
    page, the one with the longest name (the widest header)."""
    groups: dict[tuple[int, str], list[str]] = {}
    for role in roles:
        groups.setdefault(page_as(clients[role], path, role), []).append(role)
    return {max(group, key=len) for group in groups.values()}


def test_roles_get_the_same_page_only_when_the_server_sends_the_same(seed):
    """The grouping above: what differs per request or in the name does not part two pages,
    anything else does."""
    clients = {}
    for name, kind, key in [
        ("husbanken", Role.Kind.PARTNER, "husbanken"),
        ("distriktssenteret", Role.Kind.PARTNER, "distriktssenteret"),
        ("vinje", Role.Kind.APPROVER, "vinje-kommune"),
    ]:
        clients[name] = Client()
        organisation = Organisation.objects.get(key=key)
        clients[name].force_login(make_user(name, seed, kind, organisation))
    password = reverse("password_change")
    assert distinct(password, list(clients), clients) == {"distriktssenteret"}
    assert page_as(clients["vinje"], password, "vinje")[1].count("NAME") == 1
    account = reverse("access:account")  # names each one's role
    assert distinct(account, list(clients), clients) == set(clients)


def overflow(page) -> int:
    """How far the document is wider than the window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def look(page, path: str, role: str, checked: set, problems: list[str], screenshot) -> None:
    """Open the page at the phone's width, then the laptop's; note what is wrong."""
    for width in (PHONE, LAPTOP):
        page.set_viewport_size({"width": width, "height": 900})
        if width == PHONE:
            response = page.goto(path)
            if response.status != 200:
                problems.append(f"{role} {path}: HTTP {response.status}")
                return
        wider = overflow(page)
        if wider > 0:
            problems.append(f"{role} {path} at {width} px: {wider} px wider than the window")
        if (path, width) not in checked:
            checked.add((path, width))
            for violation in serious_violations(page):
                problems.append(f"{role} {path} at {width} px: {violation}")
            name = path.split("/", 3)[-1].replace("/", "-").strip("-")
            if name in PICTURED:
                screenshot(page, f"bredde-{role}-{name}-{width}")


@pytest.fixture
def plan(seed):
    """The seed with a 200-character title, a 2026 draft, and one user of every role."""
    measure = Measure.objects.create(
        agreement=seed,
        sub_goal=seed.sub_goals.get(number=1),
        key=LONG_KEY,
        number=9,
        title=LONG_TITLE,
        tagline=LONG_TITLE,
        start_year=2025,
        end_year=2027,
    )
    section = Section.objects.create(
        measure=measure, kind=Section.Kind.DESCRIPTION, body=LONG_TITLE
    )
    revision_2026(seed)
    make_user("prosjektleiar", seed, Role.Kind.EDITOR)
    org = Organisation.objects.get
    vinje = make_user("vinje", seed, Role.Kind.APPROVER, org(key="vinje-kommune"))
    make_user("fylkeskommunen", seed, Role.Kind.APPROVER, org(key="telemark-fylkeskommune"))
    make_user("husbanken", seed, Role.Kind.PARTNER, org(key="husbanken"))
    make_user("kdd", seed, Role.Kind.MINISTRY, org(key="kdd"))
    operator = make_user("operator")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    # 2026's accounts accepted, and a payment recorded: KDD's corrections have pages.
    Accounts.objects.create(agreement=seed, year=2026, status=Accounts.Status.ACCEPTED)
    payment = Payment(
        agreement=seed,
        year=2025,
        paid_on=datetime.date(2025, 3, 1),
        kroner=2_400_000,
        reference="KDD 25/1234",
    )
    payment.save()
    return {
        "payment": payment.pk,
        "section": section.pk,
        "measure": measure.pk,
        "role": vinje.roles.get().pk,
        "invitation": invite(
            agreement=seed, email="ny@example.no", kind="partner", organisation=None, by=operator
        ),
        "reset": [urlsafe_base64_encode(force_bytes(vinje.pk)), token_generator.make_token(vinje)],
    }


def test_no_page_is_wider_than_the_screen_for_any_role(
    transactional_db, live_server, browser, seed, plan, screenshot
):
    from reporting.revision import workflow

    base = live_server.url
    problems: list[str] = []
    checked: set = set()
    # One window for every role, each signed in by its own session cookie in turn: a window
    # costs as much as two pages, and the roles look one after the other anyway.
    context = browser.new_context(viewport={"width": LAPTOP, "height": 900}, locale="nn-NO")
    context.set_default_timeout(15_000)
    page = context.new_page()
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(get_user_model().objects.get(username=role))

    def as_role(role: str | None) -> None:
        context.clear_cookies()
        if role is not None:
            sign_in(page, base, role, path=None)
        # The window is now this role's, or no one's: its account page says whose it is.
        account = context.request.get(base + reverse("access:account"))
        header = f'href="{reverse("access:account")}">{role}</a>'
        assert (header in account.text()) == (role is not None), role

    def visit(pages):
        paths = {}
        for visit in pages:
            path = reverse(visit.name, args=visit.args(plan)) + visit.query
            assert resolve(path.split("?")[0]).view_name == visit.name
            roles = [role for role in ROLES if role in visit.roles]
            paths[path] = distinct(path, roles, clients)
        for role in ROLES:
            looking = [path for path, roles in paths.items() if role in roles]
            if looking:
                as_role(role)
            for path in looking:
                look(page, base + path, role, checked, problems, screenshot)

    visit(DRAFT_PAGES)
    revision = seed.revisions.get(year=2026)
    try:
        workflow.submit(revision=revision, user=editor_of(revision.agreement))
    except workflow.ChecksFailed as failing:
        workflow.submit(
            revision=revision,
            user=editor_of(revision.agreement),
            accepted=[c.label for c in failing.checks],
        )
    visit(PAGES)

    as_role(None)  # logged out
    for visit_ in ANONYMOUS_PAGES:
        path = reverse(visit_.name, args=visit_.args(plan))
        look(page, base + path, "anonym", checked, problems, screenshot)
    assert problems == [], "\n".join(problems)

    # The same plan, read closer by the project leader: the wide tables.
    as_role("prosjektleiar")
    leader = page
    budget_at_1280_px(leader, base, screenshot)
    status_table_on_a_phone(leader, base)


def fits(page, selector: str) -> list[int]:
    """How far each frame's table is wider than its frame."""
    return page.eval_on_selector_all(selector, "fs => fs.map(f => f.scrollWidth - f.clientWidth)")


def budget_at_1280_px(page, base: str, screenshot) -> None:
    """At 1280 px the budget grid shows every column, and each of its cells a nine-digit
    amount; so does the financing table."""
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    page.goto(f"{base}/budsjett/{SLUG}/endre/?ar=2026")
    grid = page.get_by_role("region", name="Budsjettet for 2026, kan rullast sidevegs")
    assert grid.get_by_role("columnheader", name="Totalbudsjett").is_visible()
    assert fits(page, ".table-scroll") == [0, 0]
    cells = page.locator(".budget-grid input.ds-input")
    assert cells.count() == 24
    for index in range(cells.count()):
        cells.nth(index).fill("123 456 789")
    cut = cells.evaluate_all("cells => cells.filter(c => c.scrollWidth > c.clientWidth).length")
    assert cut == 0, f"{cut} cells cut a nine-digit amount short"
    assert not page.get_by_text("Rull sidelengs for å sjå heile tabellen").first.is_visible()
    screenshot(page, "budsjett-rutenett-1280")

    page.goto(f"{base}/budsjett/{SLUG}/?ar=2025")
    assert page.get_by_role("columnheader", name="Anna").first.is_visible()
    assert fits(page, ".table-scroll") == [0, 0]


def status_table_on_a_phone(page, base: str) -> None:
    """On a phone the submitted revision's status table scrolls in its frame, says so, and is
    reached by the keys; wider, it fits and the hint goes."""
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto(f"{base}/rullering/{SLUG}/2026/")
    status = page.get_by_role("region", name="Status for partane, kan rullast sidevegs")
    hint = page.locator(".scroll-hint:has(+ .table-scroll[aria-label^='Status for partane'])")
    assert hint.is_visible()
    assert hint.inner_text() == "Rull sidelengs for å sjå heile tabellen"
    # The decisions are in the table, out of sight until it is scrolled, and reachable by keys.
    decision = status.get_by_role("columnheader", name="Vedtak", exact=True)
    assert decision.count() == 1
    status.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('[aria-label^=\"Status for partane\"]').scrollLeft > 0"
    )
    assert overflow(page) <= 0
    # Wider, the table fits and the hint goes away.
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    page.wait_for_function("() => !document.querySelector('.scroll-hint.is-shown')")
