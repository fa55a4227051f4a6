"""What the uploads say, in the reader's målform: the workbook upload's page, its problems
(sheet, row and column) and its messages, and the problems of a plan file."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from access.accounts import AccountSettings
from budget.models import Amount
from reporting.models import Revision
from reporting.outputs.context import Report
from reporting.outputs.workbook.writer import report_workbook
from reporting.plan_file import PlanFileError, parse_plan
from tests.support import dump_database, edited_seed

WORKBOOK_UPLOAD = reverse("reporting:workbook-upload", args=["vest-telemark"]) + "?ar=2025"
WORKBOOK_APPLY = reverse("reporting:workbook-apply", args=["vest-telemark"]) + "?ar=2025"
PLAN_UPLOAD = reverse("reporting:plan-upload")


def in_bokmal(user) -> None:
    AccountSettings.objects.update_or_create(user=user, defaults={"language": "nb"})


def workbook_with(**cells) -> SimpleUploadedFile:
    """The 2025 workbook as downloaded, with cells of the budget sheet changed: E6=4800000."""
    data = report_workbook(Report.from_revision(Revision.objects.get(year=2025)))
    workbook = openpyxl.load_workbook(BytesIO(data))
    for cell, value in cells.items():
        workbook["Budsjett"][cell] = value
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("plan.xlsx", buffer.getvalue())


def changes_of(page: str) -> dict:
    return {"change": [c.split('"')[0] for c in page.split('name="change" value="')[1:]]}


def test_the_workbook_problems_are_named_in_bokmal_and_nothing_is_saved(owner_client, owner):
    in_bokmal(owner)
    before = dump_database()
    page = owner_client.post(WORKBOOK_UPLOAD, {"workbook": workbook_with(E6="mykje", F7=-5)}).text
    assert "Filen har feil, og ingenting er lagret" in page
    assert "Arket «Budsjett», rad 6, kolonne E: «mykje» er tekst, ikke et beløp." in page
    assert "Arket «Budsjett», rad 7, kolonne F: beløpet -5 er negativt." in page
    assert "Last opp budsjett og finansiering for 2025 fra Excel" in page
    assert "Les filen" in page
    for nynorsk in ["Fila har feil", "ikkje eit beløp", "frå Excel", "Les fila"]:
        assert nynorsk not in page, nynorsk
    assert dump_database() == before


def test_a_file_that_is_no_workbook_is_refused_in_bokmal(owner_client, owner):
    in_bokmal(owner)
    upload = SimpleUploadedFile("plan.xlsx", b"dette er ikke en arbeidsbok")
    page = owner_client.post(WORKBOOK_UPLOAD, {"workbook": upload}).text
    assert "Filen er ikke en Excel-fil (.xlsx) som kan leses" in page
    assert "Fila er ikkje" not in page


def test_the_workbook_problems_stay_nynorsk_by_default(owner_client):
    page = owner_client.post(WORKBOOK_UPLOAD, {"workbook": workbook_with(E6="mykje")}).text
    assert "Fila har feil, og ingenting er lagra" in page
    assert "Arket «Budsjett», rad 6, kolonne E: «mykje» er tekst, ikkje eit beløp." in page


def test_one_change_is_offered_and_saved_in_the_singular(owner_client, owner, seed):
    page = owner_client.post(WORKBOOK_UPLOAD, {"workbook": workbook_with(E6=4_800_000)}).text
    assert "Lagre 1 endring<" in page and "Lagre 1 endringar" not in page
    in_bokmal(owner)
    page = owner_client.post(WORKBOOK_UPLOAD, {"workbook": workbook_with(E6=4_800_000)}).text
    assert "Dette blir endret" in page and "Lagre 1 endring<" in page
    assert '<th scope="col">Linje</th>' in page and ">Fra filen</th>" in page
    response = owner_client.post(WORKBOOK_APPLY, changes_of(page), follow=True)
    assert "1 beløp fra Excel-filen er lagret." in response.text
    assert (
        Amount.objects.get(line__number=1, year=2026, source__key="kdd-1350-post-66").kroner
        == 4_800_000
    )


def test_a_stale_preview_is_refused_in_bokmal(owner_client, owner, seed):
    in_bokmal(owner)
    page = owner_client.post(WORKBOOK_UPLOAD, {"workbook": workbook_with(E6=4_800_000)}).text
    amount = Amount.objects.get(line__number=1, year=2026, source__key="kdd-1350-post-66")
    amount.kroner = 1
    amount.save()
    response = owner_client.post(WORKBOOK_APPLY, changes_of(page), follow=True)
    assert "Budsjettet er endret siden du lastet opp filen. Last opp på nytt." in response.text
    assert Amount.objects.get(line__number=1, year=2026, source__key="kdd-1350-post-66").kroner == 1


def bad_plan() -> str:
    def change(data):
        data["agreement"]["slug"] = "nordfjell"
        data["agreement"]["first_year"] = "tjuetjuefem"
        data["sub_goals"][0]["weight"] = 600
        data["sub_goals"][0]["wieght"] = 60
        data["revisions"] = []

    return edited_seed(change)


def test_plan_file_problems_are_shown_in_bokmal(client, seed):
    operator = get_user_model().objects.create_superuser("drift", password="x-drift-12345")
    in_bokmal(operator)
    client.force_login(operator)
    before = dump_database()
    page = client.post(
        PLAN_UPLOAD, {"plan": SimpleUploadedFile("plan.yaml", bad_plan().encode())}
    ).content.decode()
    assert "skal være et heltall, ikke &#x27;tjuetjuefem&#x27;" in page
    assert "vektingen skal være mellom 0 og 100 prosent" in page
    assert "ukjent nøkkel &#x27;wieght&#x27; – mente du &#x27;weight&#x27;?" in page
    for nynorsk in ["skal vere", "vektinga", "ukjend nøkkel", "meinte du"]:
        assert nynorsk not in page, nynorsk
    assert dump_database() == before


@pytest.mark.parametrize(
    "language, expected",
    [
        ("nn", ["fila skal vere ein oppslagstabell", "linje 1: "]),
        ("nb", ["filen skal være en oppslagstabell", "linje 1: "]),
    ],
)
def test_a_plan_file_that_is_no_mapping_is_refused_in_the_readers_malform(db, language, expected):
    with translation.override(language), pytest.raises(PlanFileError) as refused:
        parse_plan("- ei liste\n- ikkje ein plan\n")
    said = str(refused.value)
    assert all(words in said for words in expected), said


@pytest.mark.parametrize(
    "language, expected",
    [
        ("nn", "format (linje 1): skal vere 'bygdevekst-plan/1'"),
        ("nb", "format (linje 1): skal være 'bygdevekst-plan/1'"),
    ],
)
def test_a_problem_names_its_key_and_line_in_the_readers_malform(db, language, expected):
    with translation.override(language), pytest.raises(PlanFileError) as refused:
        parse_plan("format: 2\n")
    assert expected in str(refused.value)
    with translation.override(language), pytest.raises(PlanFileError) as refused:
        parse_plan("a: 1\na: 2\n")
    twice = {"nn": "står to gonger (først på linje 1)", "nb": "står to ganger (først på linje 1)"}
    assert twice[language] in str(refused.value)
