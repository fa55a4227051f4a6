"""Plan files that change another agreement's organisation in the shared register: Vest-Telemark's
project leader renames Indre Namdal's «Lierne kommune» (with markup) or makes it a school.
Refused in the browser, naming Indre Namdal, the database as it was; an operator's command may."""

from __future__ import annotations

import hashlib
import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from measures.models import Agreement, Organisation
from reporting.plan_file import PlanFileError, import_plan, parse_plan
from reporting.setup.preview import fingerprint
from reporting.setup.upload import sign_preview

from ..support import dump_database, edited_seed, read_yaml

UPLOAD = reverse("reporting:plan-upload")
APPLY = reverse("reporting:plan-apply")
LIERNE = {"key": "lierne-kommune", "name": "Lierne kommune", "kind": "municipality"}
MARKUP_NAME = '<img src=x onerror="alert(1)">Lierne kommune'


def database_hash() -> str:
    return hashlib.sha256(repr(dump_database()).encode()).hexdigest()


def with_lierne(**changes) -> str:
    """Vest-Telemark's plan file, naming Lierne in its organisations with the changes."""

    def change(data):
        data["organisations"].append({**LIERNE, "short_name": "Lierne", **changes})

    return edited_seed(change)


def line_of(text: str, needle: str) -> int:
    """The last line with the needle: Lierne's entry is the last organisation."""
    return max(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


HOSTILE = {
    "rename-with-markup": (with_lierne(name=MARKUP_NAME), "name", "onerror"),
    "reclassify-as-education": (with_lierne(kind="education"), "kind", "kind: education"),
}


def lierne_as_it_is() -> tuple:
    return Organisation.objects.filter(key="lierne-kommune").values_list(
        "name", "short_name", "kind"
    )[0]


@pytest.mark.parametrize("name", HOSTILE)
def test_the_upload_refuses_a_change_to_another_agreements_organisation(owner_client, namdal, name):
    text, field, needle = HOSTILE[name]
    index = len(read_yaml(text)["organisations"]) - 1
    before, lierne = database_hash(), lierne_as_it_is()
    response = owner_client.post(UPLOAD, {"plan": SimpleUploadedFile("plan.yaml", text.encode())})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fila har 1 feil" in page
    assert (
        f"Linje {line_of(text, needle)}</strong> · <code>organisations[{index}].{field}</code>"
        in page
    )
    assert f"Lierne kommune er også med i avtala «{namdal.name}»" in page
    assert "berre ein operatør kan endre han, i admin." in page
    assert 'name="token"' not in page  # nothing to apply
    assert "<img src=x" not in page
    assert database_hash() == before and lierne_as_it_is() == lierne == (
        "Lierne kommune",
        "Lierne",
        "municipality",
    )


@pytest.mark.parametrize("name", HOSTILE)
def test_applying_a_signed_file_that_changes_it_is_refused_too(owner_client, owner, namdal, name):
    """A token signed as the preview would sign it (say, made before Indre Namdal took Lierne
    in): the apply step refuses the same, and saves nothing."""
    text = HOSTILE[name][0]
    base = fingerprint(Agreement.objects.get(slug="vest-telemark"))
    token = sign_preview(text, user=owner, base=base)
    before, lierne = database_hash(), lierne_as_it_is()
    response = owner_client.post(APPLY, {"token": token, "confirm": "on"}, follow=True)
    page = response.content.decode()
    assert f"Lierne kommune er også med i avtala «{namdal.name}»" in page
    assert database_hash() == before and lierne_as_it_is() == lierne


def test_a_file_naming_a_shared_organisation_as_it_is_is_applied(owner_client, namdal):
    """KDD, named identically in both files, and Lierne unchanged as a partner: no change to
    the register, so the upload may be applied."""

    def change(data):
        data["organisations"].append({**LIERNE, "short_name": "Lierne"})
        data["sub_goals"][0]["measures"][0]["partners"].append("lierne-kommune")

    text = edited_seed(change)
    page = owner_client.post(
        UPLOAD, {"plan": SimpleUploadedFile("plan.yaml", text.encode())}
    ).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    owner_client.post(APPLY, {"token": token})
    vest_telemark = Agreement.objects.get(slug="vest-telemark")
    assert vest_telemark.measures.filter(organisations__key="lierne-kommune").count() == 1
    assert lierne_as_it_is() == ("Lierne kommune", "Lierne", "municipality")


def test_an_own_organisation_may_be_renamed_by_the_file(owner_client, namdal):
    """Vinje kommune takes part in Vest-Telemark alone: its plan file may rename it."""

    def change(data):
        vinje = next(o for o in data["organisations"] if o["key"] == "vinje-kommune")
        vinje["name"] = "Vinje kommune (Telemark)"

    page = owner_client.post(
        UPLOAD, {"plan": SimpleUploadedFile("plan.yaml", edited_seed(change).encode())}
    ).content.decode()
    owner_client.post(APPLY, {"token": re.search(r'name="token" value="([^"]+)"', page)[1]})
    assert Organisation.objects.get(key="vinje-kommune").name == "Vinje kommune (Telemark)"


def test_import_plan_refuses_it_and_the_operators_command_says_what_it_changed(
    db, namdal, tmp_path
):
    text = HOSTILE["reclassify-as-education"][0]
    before = database_hash()
    with pytest.raises(PlanFileError, match="Lierne kommune er også med i avtala"):
        import_plan(parse_plan(text))
    assert database_hash() == before
    file = tmp_path / "plan.yaml"
    file.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_plan", str(file), stdout=out)
    assert (
        "Merk: endra kind på organisasjonen «Lierne kommune» (organisations[31]), som også er "
        f"med i «{namdal.name}»."
    ) in out.getvalue()
    assert Organisation.objects.get(key="lierne-kommune").kind == "education"


def test_the_refusal_is_listed_with_the_files_other_errors(owner_client, namdal):
    text = with_lierne(kind="education").replace("weight: 60", "weight: 600", 1)
    page = owner_client.post(
        UPLOAD, {"plan": SimpleUploadedFile("plan.yaml", text.encode())}
    ).content.decode()
    assert "Fila har 2 feil" in page
    assert "<code>sub_goals[0].weight</code>" in page
    assert f"Lierne kommune er også med i avtala «{namdal.name}»" in page
