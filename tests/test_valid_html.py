"""The main pages are valid HTML, as the Nu Html Checker (vnu, from the npm registry, on
Debian's Java) reads them: every page is rendered as a user who sees it, and all of them are
checked in one run of the checker, which fails the test on any error.

Without Java or node_modules/vnu-jar (`npm ci`, which `make test` runs) the test is skipped
with the reason, unless HTML_CHECK=required (CI) makes that a failure.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access import invitations
from access.models import Identity, Role
from measures.models import Organisation
from money.models import Accounts, Payment
from tests.factories import make_user
from tests.oidc_provider.visitor import ProviderVisitor
from tests.support import ROOT, SEED_SLUG, filled_in_workbook, revision_2026

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _checker() -> list[str]:
    java = shutil.which("java")
    if java and VNU.exists():
        # One short run: the JIT's first tier and one GC thread do it on half the CPU.
        return [java, "-Xss2m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU)]
    reason = "the Nu Html Checker needs Java and node_modules/vnu-jar (npm ci)"
    if os.environ.get("HTML_CHECK") == "required":
        pytest.fail(reason)
    pytest.skip(reason)


def _pages(client, seed) -> dict[str, str]:
    """Every main page as the role that sees the most of it: name → HTML. The login pages show
    their OpenID Connect buttons (settings.OIDC_PROVIDERS set by the test)."""
    leader = make_user("leiar", seed, Role.Kind.EDITOR)
    vinje = make_user(
        "vinje", seed, Role.Kind.APPROVER, Organisation.objects.get(key="vinje-kommune")
    )
    kdd = make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))
    revision_2026(seed)
    a = [SEED_SLUG]
    as_leader = {
        "front-leader": reverse("reporting:home"),
        "overview": reverse("measures:agreement-detail", args=a),
        "measure": reverse("measures:measure-detail", args=[SEED_SLUG, "gott-nokk"]),
        "measure-edit": reverse("measures:measure-edit", args=[SEED_SLUG, "gott-nokk"]),
        "measure-new": reverse("measures:measure-create", args=a),
        "organisations": reverse("measures:measure-organisations", args=[SEED_SLUG, "gott-nokk"]),
        "agreement-edit": reverse("measures:agreement-edit", args=a),
        "budget": reverse("budget:detail", args=a),
        "budget-edit": reverse("budget:edit", args=a),
        "revision-draft": reverse("reporting:revision", args=[SEED_SLUG, 2026]),
        "revision-approved": reverse("reporting:revision", args=[SEED_SLUG, 2025]),
        "process": reverse("reporting:process", args=a),
        "people": reverse("measures:people", args=a),
        "plan-upload": reverse("reporting:plan-upload"),
        "account": reverse("access:account"),
        "money": reverse("money:detail", args=a),
        "accounts": reverse("money:accounts", args=[SEED_SLUG, 2025]),
        "accounts-edit": reverse("money:accounts-edit", args=[SEED_SLUG, 2025]),
    }
    pages = {}
    client.force_login(leader)
    for name, url in as_leader.items():
        pages[name] = client.get(url).content.decode()
    pages["accounts-upload-preview"] = _accounts_upload_preview(client)
    client.force_login(vinje)
    pages["front-municipality"] = client.get(reverse("reporting:home")).content.decode()
    client.force_login(kdd)
    pages["front-kdd"] = client.get(reverse("reporting:home")).content.decode()
    pages["payment"] = client.get(reverse("money:payment-create", args=a)).content.decode()
    Accounts.objects.create(agreement=seed, year=2026, status=Accounts.Status.ACCEPTED)
    payment = Payment(
        agreement=seed, year=2025, paid_on=datetime.date(2025, 3, 1), kroner=9, reference="R"
    )
    payment.save()
    for name, url in {
        "accounts-correct": reverse("money:accounts-correct", args=[SEED_SLUG, 2026]),
        "payment-correct": reverse("money:payment-correct", args=[SEED_SLUG, payment.pk]),
        "money-kdd": reverse("money:detail", args=a),
        "accounts-accepted-kdd": reverse("money:accounts", args=[SEED_SLUG, 2026]),
    }.items():
        pages[name] = client.get(url).content.decode()
    pages["not-found"] = client.get("/avtale/finst-ikkje/").content.decode()
    client.logout()
    pages["public-index"] = client.get(reverse("public:index")).content.decode()
    pages["public-plan"] = client.get(reverse("public:plan", args=a)).content.decode()
    pages["login"] = client.get(reverse("login")).content.decode()
    pages["password-reset"] = client.get(reverse("password_reset")).content.decode()
    token = invitations.invite(
        agreement=seed, email="ny@example.no", kind=Role.Kind.PARTNER, organisation=None, by=leader
    )
    pages["invitation"] = client.get(reverse("access:invitation", args=[token])).content.decode()
    return pages


def _accounts_upload_preview(client) -> str:
    """The accounts workbook uploaded with a figure typed in and a plan figure edited."""
    year = [SEED_SLUG, 2025]
    template = client.get(reverse("reporting:accounts-xlsx", args=year)).content
    workbook = filled_in_workbook(template, "Rekneskap 2025", {"E6": 480_000, "D6": 1})
    upload = SimpleUploadedFile("rekneskap.xlsx", workbook)
    page = client.post(reverse("reporting:accounts-upload", args=year), {"workbook": upload})
    assert b"Lagre 1 endring" in page.content
    return page.content.decode()


def _oidc_pages(client, seed) -> dict[str, str]:
    """The way back from the provider (tests/oidc_provider): refused, unknown, and the page
    that goes on to the provider's logout."""
    start = reverse("access:oidc-start", args=["testid"])
    callback = reverse("access:oidc-callback", args=["testid"])
    pages = {"oidc-refused": client.get(callback, {"code": "x", "state": "forged"})}
    pages["oidc-unknown"] = client.get(
        ProviderVisitor("ukjend").back_to_app(client.get(start)["Location"])
    )
    Identity.objects.create(
        user=make_user("kari", seed, Role.Kind.PARTNER), provider="testid", subject="testid-kari"
    )
    client.get(ProviderVisitor("kari").back_to_app(client.get(start)["Location"]))
    pages["oidc-logged-out"] = client.post(reverse("logout"))
    assert [name for name, page in pages.items() if b"<h1" not in page.content] == []
    return {name: page.content.decode() for name, page in pages.items()}


def test_the_main_pages_are_valid_html(client, seed, tmp_path, testid):
    checker = _checker()
    files = []
    pages = _pages(client, seed) | _oidc_pages(client, seed)
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    run = subprocess.run(
        [*checker, "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
