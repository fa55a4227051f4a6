"""The organisation register is shared by every agreement: a plan file may create
organisations and change its own, but not one another agreement uses (here Indre Namdal's
Lierne kommune, renamed with markup and reclassified by Vest-Telemark's project leader)."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from measures.models import Organisation, Role
from reporting.plan_file import export_plan, import_plan, parse_plan
from reporting.plan_file.exporter import plan_text
from reporting.setup.preview import fingerprint
from reporting.setup.upload import sign_preview
from tests.factories import make_user
from tests.support import ROOT, dump_database

UPLOAD = reverse("reporting:plan-upload")
APPLY = reverse("reporting:plan-apply")
SHARED = "«Lierne kommune» er òg med i «Bygdevekstavtale for Indre Namdal (demo)»"


def database_hash() -> str:
    return hashlib.sha256(repr(dump_database()).encode()).hexdigest()


@pytest.fixture
def namdal(seed):
    text = (ROOT / "fixtures" / "indre-namdal-demo.yaml").read_text(encoding="utf-8")
    return import_plan(parse_plan(text))


def with_lierne(seed, **changes) -> str:
    """Vest-Telemark's plan file, naming Lierne kommune among its organisations, changed."""
    data = yaml.safe_load(export_plan(seed))
    lierne = Organisation.objects.get(key="lierne-kommune")
    data["organisations"].append(
        {
            "key": lierne.key,
            "name": lierne.name,
            "short_name": lierne.short_name,
            "kind": lierne.kind,
        }
        | changes
    )
    return plan_text(data)


@pytest.mark.parametrize(
    "changes",
    [{"name": "<script>alert(1)</script>Lierne"}, {"kind": "education"}, {"short_name": "X"}],
)
def test_another_agreements_organisation_is_not_changed_through_the_browser(
    client, seed, namdal, changes
):
    leader = make_user("prosjektleiar", seed, Role.Kind.EDITOR)
    client.force_login(leader)
    text = with_lierne(seed, **changes)
    before = database_hash()
    page = client.post(UPLOAD, {"plan": SimpleUploadedFile("plan.yaml", text.encode())}).text
    assert SHARED in page and "Ein operatør kan gjere det i administrasjonen." in page
    assert 'name="token"' not in page
    token = sign_preview(text, user=leader, base=fingerprint(seed))
    client.post(APPLY, {"token": token, "confirm": "on"})
    assert database_hash() == before
    lierne = Organisation.objects.get(key="lierne-kommune")
    assert (lierne.name, lierne.kind) == ("Lierne kommune", "municipality")


def test_the_command_refuses_it_too(seed, namdal, tmp_path):
    file = tmp_path / "plan.yaml"
    file.write_text(with_lierne(seed, kind="education"), encoding="utf-8")
    with pytest.raises(CommandError, match="Lierne kommune"):
        call_command("import_plan", str(file), stdout=StringIO())
    assert Organisation.objects.get(key="lierne-kommune").kind == "municipality"


def test_naming_it_unchanged_and_renaming_ones_own_organisation_are_allowed(
    client, seed, namdal, tmp_path
):
    text = with_lierne(seed)
    data = yaml.safe_load(text)
    tokke = next(o for o in data["organisations"] if o["key"] == "tokke-kommune")
    tokke["short_name"] = "Tokke k."
    file = tmp_path / "plan.yaml"
    file.write_text(plan_text(data), encoding="utf-8")
    call_command("import_plan", str(file), stdout=StringIO())
    assert Organisation.objects.get(key="tokke-kommune").short_name == "Tokke k."
