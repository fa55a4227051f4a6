"""Agreements of any shape: the demo agreement (bokmål, five sub-goals, 2024–2027) imports and
round-trips, and every page and output of a plan unlike the seed reads what that plan holds."""

from __future__ import annotations

import re
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.urls import reverse

from access.models import Role
from measures.models import Agreement
from reporting.plan_file import export_plan, import_plan, parse_plan

from ..factories import make_user
from ..support import ROOT, dump_database, pdf_text, read_yaml, write_yaml

DEMO_FILE = ROOT / "fixtures" / "indre-namdal-demo.yaml"
GOALS = [
    "Flere boliger i Indre Namdal",
    "Arbeidsplasser i naturbasert næring",
    "Kompetanse der folk bor",
    "Et samfunn som tar imot nye innbyggere",
    "Prosjektledelse",
]
SOURCES = [
    "KDD 13.50 post 66",
    "Statsforvalteren (skjønnsmidler)",
    "Trøndelag fylkeskommune (regionale utviklingsmidler)",
]


def demo_text() -> str:
    return DEMO_FILE.read_text(encoding="utf-8")


def without_comments(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


def test_the_demo_file_says_it_is_demo_data_imports_and_round_trips(seed):
    assert "DEMODATA" in demo_text().splitlines()[0]
    agreement = import_plan(parse_plan(demo_text()))
    assert export_plan(agreement) == without_comments(demo_text())
    before = dump_database()
    import_plan(parse_plan(demo_text()))
    assert dump_database() == before
    # The seed's organisations that the demo also names (KDD) are left as the seed has them.
    assert export_plan(seed) == (ROOT / "fixtures" / "vest-telemark-2025.yaml").read_text()


@pytest.fixture
def other_shape(seed) -> Agreement:
    """The demo with two municipalities: five sub-goals, three sources, no county, 2024–2027."""
    data = read_yaml(demo_text())
    gone = "namsskogan-kommune"
    data["organisations"] = [o for o in data["organisations"] if o["key"] != gone]
    data["agreement"]["parties"].remove(gone)
    for goal in data["sub_goals"]:
        for measure in goal.get("measures", []):
            for role in ("leads", "partners"):
                measure[role] = [k for k in measure.get(role, []) if k != gone] or [
                    "lierne-kommune"
                ]
    revision = data["revisions"][0]
    revision["approvals"] = [a for a in revision["approvals"] if a["organisation"] != gone]
    return import_plan(parse_plan(write_yaml(data)))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ")


def _reads_the_plan(text: str, *, years: bool = True) -> None:
    for title in GOALS:
        assert title in text, title
    assert "Vest-Telemark" not in text and "Telemark" not in text
    assert "2028" not in text


def test_every_page_and_output_reads_a_plan_of_another_shape(client, other_shape):
    assert [p.short_name for p in other_shape.municipalities()] == ["Lierne", "Røyrvik"]
    editor = make_user("prosjektleder", other_shape, Role.Kind.EDITOR)
    client.force_login(editor)
    slug = other_shape.slug

    overview = _text(client.get(reverse("measures:agreement-detail", args=[slug])).content.decode())
    _reads_the_plan(overview)
    assert "Lierne kommune" in overview and "Røyrvik kommune" in overview

    budget = _text(client.get(reverse("budget:detail", args=[slug])).content.decode())
    _reads_the_plan(budget)
    for year in range(2024, 2028):
        assert str(year) in budget
    for source in SOURCES:
        assert source in budget, source
    assert "3 500 000" in budget  # the state co-financing over the period: 1 200 000 + 2 300 000

    revision = _text(client.get(reverse("reporting:revision", args=[slug, 2024])).content.decode())
    assert "Handlingsplan 2024" in revision
    assert "Lierne kommune" in revision and "Røyrvik kommune" in revision
    assert "Namsskogan" not in revision and "Telemark" not in revision

    pdf = client.get(reverse("reporting:report-pdf", args=[slug, 2024]))
    report = pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    _reads_the_plan(report)
    for source in ["Statsforvalteren", "Trøndelag fylkeskommune"]:
        assert source in report, source
    assert "Lierne kommune" in report and "Røyrvik kommune" in report

    xlsx = client.get(reverse("reporting:report-xlsx", args=[slug, 2024]))
    book = openpyxl.load_workbook(BytesIO(xlsx.content))
    cells = " ".join(
        str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value
    )
    _reads_the_plan(cells)
    for source in SOURCES:
        assert source in cells, source
    assert "Prosjektledelse" in cells


def test_demo_users_for_both_agreements_and_kdd_may_set_up_agreements(seed, monkeypatch):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    import_plan(parse_plan(demo_text()))
    monkeypatch.setenv("DEMO_PASSWORD", "demo-passord-123")
    call_command("demo_users", agreement=["vest-telemark", "indre-namdal"], stdout=StringIO())
    users = get_user_model().objects
    namdal = Agreement.objects.get(slug="indre-namdal")
    assert {r.user.username for r in namdal.roles.all()} == {
        "prosjektleder",
        "lierne",
        "røyrvik",
        "namsskogan",
        "kdd",
    }
    assert users.get(username="prosjektleiar").roles.get().agreement == seed
    assert users.get(username="kdd").has_perm("measures.add_agreement")
    assert not users.get(username="prosjektleder").has_perm("measures.add_agreement")
