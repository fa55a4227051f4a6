"""Plan files that forge history (states, decisions, events, snapshots) or reach into an
agreement the user may not read, uploaded through the browser: each refused at the preview and
again at the apply step (with a token signed as the preview would), the database unchanged."""

from __future__ import annotations

import copy
import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access.models import Role
from measures.models import Agreement, Organisation
from reporting.models import Approval, Revision
from reporting.plan_file import export_plan, import_plan, parse_plan
from reporting.plan_file.exporter import plan_text
from reporting.revision import workflow
from reporting.setup.preview import fingerprint
from reporting.setup.upload import sign_preview
from tests.factories import make_user
from tests.support import ROOT, dump_database, read_yaml

UPLOAD = reverse("reporting:plan-upload")
APPLY = reverse("reporting:plan-apply")
REFUSED = "Ei fil i nettlesaren kan ha dei med uendra, men ikkje leggje til eller endre dei."


def database_hash() -> str:
    return hashlib.sha256(repr(dump_database()).encode()).hexdigest()


def exported(agreement: Agreement, change=None) -> str:
    """The agreement's plan file as exported, after `change(data)` edited it."""
    data = read_yaml(export_plan(agreement))
    if change:
        change(data)
    return plan_text(data)


def upload(client, text: str) -> str:
    file = SimpleUploadedFile("plan.yaml", text.encode())
    return client.post(UPLOAD, {"plan": file}).content.decode()


def apply_signed(client, user, text: str, agreement: Agreement | None):
    """Post the file to the apply step as if a preview had offered it (a forged preview)."""
    token = sign_preview(text, user=user, base=fingerprint(agreement))
    return client.post(APPLY, {"token": token, "confirm": "on"}, follow=True).content.decode()


@pytest.fixture
def leader(client, seed):
    user = make_user("prosjektleiar", seed, Role.Kind.EDITOR)
    client.force_login(user)
    return user


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, tzinfo=datetime.UTC)


def _revision(data: dict, year: int) -> dict:
    return next(r for r in data["revisions"] if r["year"] == year)


def forged_approved_2026(data: dict) -> None:
    """The forgery found in review: 2026 appended as approved by KDD and every party."""
    approved = copy.deepcopy(_revision(data, 2025))
    forged = {**approved, "year": 2026, "approved_at": _at(2026, 6, 20)}
    forged["submitted_at"] = _at(2026, 5, 2)
    for approval in forged["approvals"]:
        if approval["decision"] != "pending":
            approval["decided_on"] = datetime.date(2026, 6, 18)
    data["revisions"].append(forged)


def assert_refused_everywhere(client, user, text: str, agreement, *expected: str) -> None:
    before = database_hash()
    page = upload(client, text)
    for words in (REFUSED, *expected):
        assert words in page
    assert 'name="token"' not in page
    assert database_hash() == before
    applied = apply_signed(client, user, text, agreement)
    assert "er lesen inn" not in applied
    assert database_hash() == before


def test_a_forged_approval_of_2026_is_refused_and_nothing_changes(client, seed, leader):
    text = exported(seed, forged_approved_2026)
    assert_refused_everywhere(
        client,
        leader,
        text,
        seed,
        "status, tidspunkt og frist for handlingsplan 2026 blir berre endra av stega",
        "vedtaka for handlingsplan 2026 blir berre registrerte av den som har vedtaket",
    )
    assert not Revision.objects.filter(year=2026).exists()


def test_each_forgery_is_named_with_its_line(client, seed, leader):
    text = exported(seed, forged_approved_2026)
    page = upload(client, text)
    lines = text.splitlines()
    index = len(seed.revisions.all())  # the forged revision comes after the real ones
    status_line = next(
        number
        for number, line in enumerate(lines, start=1)
        if line.strip() == "status: approved" and number > lines.index("- year: 2026")
    )
    assert (
        f"Linje {status_line:,}</strong> · <code>revisions[{index}].status</code>".replace(
            ",", "\xa0"
        )
        in page
    )


@pytest.fixture
def submitted(seed, leader):
    """Handlingsplan 2026 sent to the parties, no decision recorded yet."""
    revision = workflow.start_revision(agreement=seed, year=2026, user=leader)
    try:
        workflow.submit(revision=revision, user=leader)
    except workflow.ChecksFailed as failing:
        workflow.submit(revision=revision, user=leader, accepted=[c.label for c in failing.checks])
    return Revision.objects.get(pk=revision.pk)


def _forge_decision(data: dict) -> None:
    for approval in _revision(data, 2026)["approvals"]:
        if approval["organisation"] == "vinje-kommune" and approval["body"] == "kommunestyre":
            approval.update(decision="approved", decided_on=datetime.date.today())


def _forge_event(data: dict) -> None:
    _revision(data, 2026)["events"].append(
        {"kind": "sent_back", "at": _at(2026, 5, 3), "comment": "Falsk."}
    )


def _forge_submission_time(data: dict) -> None:
    _revision(data, 2026)["submitted_at"] = _at(2026, 1, 1)


def _forge_round(data: dict) -> None:
    """An earlier round, with the submission and send-back that opened and closed it."""
    revision = _revision(data, 2026)
    revision["rounds"] = [{"number": 1, "approvals": []}]
    revision["events"] += [
        {"kind": "submitted", "at": _at(2026, 1, 2)},
        {"kind": "sent_back", "at": _at(2026, 1, 3), "comment": "Falsk runde."},
    ]


def _forge_snapshot(data: dict) -> None:
    frozen = read_yaml(export_plan(Agreement.objects.get(slug="vest-telemark")))
    frozen.pop("revisions")
    frozen["agreement"]["name"] = "Forfalska avtale"
    _revision(data, 2026)["snapshot"] = frozen


@pytest.mark.parametrize(
    ("forge", "message"),
    [
        (_forge_decision, "vedtaka for handlingsplan 2026 blir berre registrerte"),
        (_forge_event, "hendingane i handlingsplan 2026 kan ikkje endrast"),
        (_forge_submission_time, "status, tidspunkt og frist for handlingsplan 2026"),
        (_forge_round, "godkjenningsrundane for handlingsplan 2026 kan ikkje endrast"),
        (_forge_snapshot, "den frosne planen i handlingsplan 2026 kan ikkje endrast"),
    ],
)
def test_a_forged_part_of_an_open_revision_is_refused(
    client, seed, leader, submitted, forge, message
):
    assert_refused_everywhere(client, leader, exported(seed, forge), seed, message)
    vinje = Approval.objects.get(
        round__revision=submitted, organisation__key="vinje-kommune", body="kommunestyre"
    )
    assert vinje.decision == Approval.Decision.PENDING


def test_the_exported_file_goes_back_in_with_a_content_change(client, seed, leader, submitted):
    def retitle(data):
        data["sub_goals"][0]["measures"][0]["title"] = "Ny tittel frå fila"

    text = exported(seed, retitle)
    page = upload(client, text)
    assert "Ny tittel frå fila" not in page or 'name="token"' in page
    applied = apply_signed(client, leader, text, seed)
    assert "er lesen inn" in applied
    assert seed.measures.filter(title="Ny tittel frå fila").exists()
    assert Revision.objects.get(year=2026).status == Revision.Status.SUBMITTED


def test_a_new_draft_year_is_plan_content(client, seed, leader):
    def add_draft(data):
        data["revisions"].append({"year": 2026, "status": "draft"})

    text = exported(seed, add_draft)
    page = upload(client, text)
    assert 'name="token"' in page
    assert "er lesen inn" in apply_signed(client, leader, text, seed)
    assert Revision.objects.get(year=2026).status == Revision.Status.DRAFT


def test_kdd_setting_up_an_agreement_with_history_is_told_how_an_operator_restores_it(client, seed):
    kdd = make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))
    kdd.user_permissions.add(*_add_agreement())
    client.force_login(kdd)

    def as_new_agreement(data):
        data["agreement"]["slug"] = "nordfjell"

    text = exported(seed, as_new_agreement)
    before = database_hash()
    page = upload(client, text)
    assert "status, tidspunkt og frist for handlingsplan 2025" in page
    assert "gjer ein operatør det med kommandoen import_plan" in page
    assert database_hash() == before
    apply_signed(client, kdd, text, None)
    assert database_hash() == before
    assert not Agreement.objects.filter(slug="nordfjell").exists()


def _add_agreement():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="add_agreement")


def test_an_editor_of_another_agreement_sees_nothing_of_vest_telemark(client, seed):
    namdal_text = (ROOT / "fixtures" / "indre-namdal-demo.yaml").read_text(encoding="utf-8")
    namdal = import_plan(parse_plan(namdal_text))
    other = make_user("prosjektleder", namdal, Role.Kind.EDITOR)
    client.force_login(other)
    text = exported(seed, lambda data: data["agreement"].update(name="Kapra"))
    before = database_hash()
    page = upload(client, text)
    unknown = upload(client, exported(seed, lambda d: d["agreement"].update(slug="finst-ikkje")))
    assert "Du kan ikke lese inn denne planfilen." in page  # the reader of Bokmål

    def refusal(html: str) -> str:
        return html.split('role="alert">', 1)[1].split("</div>", 1)[0]

    assert refusal(page) == refusal(unknown)
    for measure in seed.measures.all():
        assert measure.title not in page
    assert "Handlingsplan 2025" not in page
    apply_signed(client, other, text, seed)
    assert database_hash() == before
