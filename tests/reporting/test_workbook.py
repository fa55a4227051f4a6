"""Budget and financing back from an edited workbook: named errors, preview, nothing half-saved."""

from __future__ import annotations

import zipfile
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budget.models import Amount
from reporting.models import Revision
from reporting.outputs.context import Report
from reporting.outputs.workbook.writer import report_workbook
from tests.support import dump_database

UPLOAD = reverse("reporting:workbook-upload", args=["vest-telemark"]) + "?ar=2025"
APPLY = reverse("reporting:workbook-apply", args=["vest-telemark"]) + "?ar=2025"


def exported(seed) -> openpyxl.Workbook:
    data = report_workbook(Report.from_revision(Revision.objects.get(year=2025)))
    return openpyxl.load_workbook(BytesIO(data))


def as_upload(workbook: openpyxl.Workbook | bytes) -> SimpleUploadedFile:
    if isinstance(workbook, bytes):
        data = workbook
    else:
        buffer = BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    return SimpleUploadedFile("plan.xlsx", data)


def upload(client, workbook):
    return client.post(UPLOAD, {"workbook": as_upload(workbook)})


def test_the_exported_workbook_uploaded_unchanged_changes_nothing(owner_client, seed):
    before = dump_database()
    response = upload(owner_client, exported(seed))
    assert "Fila har dei same beløpa som budsjettet. Ingenting å lagre." in response.text
    assert dump_database() == before


def test_the_downloaded_workbook_uploaded_back_as_it_is_changes_nothing(owner_client, seed):
    """The bytes the writer made, not a copy openpyxl saved again: totals stored with values."""
    download = owner_client.get(reverse("reporting:report-xlsx", args=["vest-telemark", 2025]))
    before = dump_database()
    response = upload(owner_client, download.content)
    assert "Fila har dei same beløpa som budsjettet. Ingenting å lagre." in response.text
    assert dump_database() == before


def test_a_valid_upload_is_previewed_then_applied(owner_client, seed):
    workbook = exported(seed)
    workbook["Budsjett"]["E6"] = 4_800_000  # line 1, 2026
    workbook["Finansiering 2025"]["F7"] = 50_000  # line 2, Fylkeskommunen
    response = upload(owner_client, workbook)
    assert "Dette blir endra" in response.text and "Lagre 2 endringar" in response.text
    assert (
        Amount.objects.get(line__number=1, year=2026, source__key="kdd-1350-post-66").kroner
        == 5_000_000
    )
    changes = [line for line in response.text.split('name="change" value="')[1:]]
    data = {"change": [c.split('"')[0] for c in changes]}
    assert owner_client.post(APPLY, data).status_code == 302
    assert (
        Amount.objects.get(line__number=1, year=2026, source__key="kdd-1350-post-66").kroner
        == 4_800_000
    )
    assert (
        Amount.objects.get(line__number=2, year=2025, source__key="fylkeskommunen").kroner == 50_000
    )


def test_applying_after_someone_else_changed_the_budget_is_refused(owner_client, seed):
    workbook = exported(seed)
    workbook["Budsjett"]["E6"] = 4_800_000
    response = upload(owner_client, workbook)
    data = {"change": [c.split('"')[0] for c in response.text.split('name="change" value="')[1:]]}
    amount = Amount.objects.get(line__number=1, year=2026, source__key="kdd-1350-post-66")
    amount.kroner = 4_900_000
    amount.save()
    refused = owner_client.post(APPLY, data, follow=True)
    assert "Budsjettet er endra sidan du lasta opp fila" in refused.text
    amount.refresh_from_db()
    assert amount.kroner == 4_900_000


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda wb: wb["Budsjett"].__setitem__("D7", "mykje"),
            "Arket «Budsjett», rad 7, kolonne D: «mykje» er tekst, ikkje eit beløp.",
        ),
        (
            lambda wb: wb["Finansiering 2025"].__setitem__("E8", -100),
            "Arket «Finansiering 2025», rad 8, kolonne E: beløpet -100 er negativt.",
        ),
        (
            lambda wb: wb["Budsjett"].__setitem__("A8", 9),
            "Arket «Budsjett», rad 8, kolonne A: ukjend budsjettline «9».",
        ),
        (
            lambda wb: wb["Finansiering 2025"].__setitem__("I5", "Sparebanken"),
            "Arket «Finansiering 2025», rad 5, kolonne I: "
            "ukjend finansieringskjelde «Sparebanken».",
        ),
        (
            lambda wb: wb["Budsjett"].__setitem__("G5", 2031),
            "Arket «Budsjett», rad 5, kolonne G: "
            "«2031» er ikkje eit år i avtaleperioden 2025–2028.",
        ),
        (
            lambda wb: wb.remove(wb["Finansiering 2025"]),
            "Arket «Finansiering 2025» manglar i fila.",
        ),
        (
            lambda wb: wb["Budsjett"].__setitem__("D6", 1000.5),
            "Arket «Budsjett», rad 6, kolonne D: 1000.5 er ikkje heile kroner.",
        ),
        (
            lambda wb: wb["Finansiering 2025"].__setitem__("D6", 999),
            "Arket «Finansiering 2025», rad 6, kolonne D: KDD 13.50 post 66 er 999 her, men 500000",
        ),
    ],
)
def test_each_bad_upload_names_its_place_and_saves_nothing(owner_client, seed, edit, message):
    workbook = exported(seed)
    edit(workbook)
    before = dump_database()
    response = upload(owner_client, workbook)
    assert "Fila har feil, og ingenting er lagra" in response.text
    assert message in response.text.replace("&laquo;", "«").replace("&raquo;", "»")
    assert dump_database() == before


def test_a_file_that_is_not_xlsx_is_refused(owner_client, seed):
    response = upload(owner_client, b"%PDF-1.7 not a workbook")
    assert "Fila er ikkje ei Excel-fil (.xlsx) som kan lesast: ho er ikkje eit heilt zip-arkiv" in (
        response.text
    )


def test_a_zip_bomb_is_refused_before_it_is_unpacked(owner_client, seed):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"0" * (60 * 1024 * 1024))
    response = upload(owner_client, buffer.getvalue())
    assert "meir enn 20 MB" in response.text


def test_only_the_editor_may_upload(client, collaborator, seed):
    client.force_login(collaborator)
    assert client.get(UPLOAD).status_code == 403
    assert client.post(APPLY, {"change": ["1:2025:1::5"]}).status_code == 403


def test_a_tampered_apply_is_refused(owner_client, seed):
    response = owner_client.post(APPLY, {"change": ["1:2025:1:x:-5"]}, follow=True)
    assert "Endringane kunne ikkje lesast" in response.text
