"""Hostile workbooks uploaded by an editor: each is refused with a message that says what is
wrong and where, changes nothing, and is read within a bound of time and memory."""

from __future__ import annotations

import time
import tracemalloc
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budget.models import Amount
from reporting.models import Revision
from reporting.outputs.context import Report
from reporting.outputs.workbook.writer import report_workbook
from tests.support import dump_database

from .workbooks import FIRST, HOSTILE, cell

UPLOAD = reverse("reporting:workbook-upload", args=["vest-telemark"]) + "?ar=2025"
SECONDS = 10
MEGABYTES = 64


@pytest.fixture
def downloaded(seed) -> bytes:
    """The 2025 workbook as the app lets everyone download it."""
    return report_workbook(Report.from_revision(Revision.objects.get(year=2025)))


def upload(client, data: bytes):
    """Post the file as a browser would; the time and the peak of Python memory it took."""
    file = SimpleUploadedFile("handlingsplan.xlsx", data)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = client.post(UPLOAD, {"workbook": file})
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()
    return response, seconds, peak


def shown(response) -> str:
    return response.text.replace("&laquo;", "«").replace("&raquo;", "»").replace("&#x27;", "'")


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_workbook_is_refused_with_its_reason_and_changes_nothing(
    owner_client, downloaded, name
):
    build, message = HOSTILE[name]
    data = build(downloaded)
    before = dump_database()
    response, seconds, peak = upload(owner_client, data)
    assert response.status_code == 200
    assert message in shown(response)
    assert "Dette blir endra" not in response.text
    assert dump_database() == before
    assert seconds < SECONDS, f"{name}: {seconds:.1f} s"
    assert peak < MEGABYTES, f"{name}: {peak:.0f} MB"


def test_a_formula_with_its_stored_value_is_read_as_that_value(owner_client, downloaded):
    """Excel and LibreOffice store what a formula comes to; that value is what is proposed."""
    formula = f'<c r="E{FIRST}"><f>4000000+800000</f><v>4800000</v></c>'
    data = cell(f"E{FIRST}", formula)(downloaded)
    response, _, _ = upload(owner_client, data)
    assert "Dette blir endra" in response.text
    assert 'name="change"' in response.text and ':4800000"' in response.text
    assert not Amount.objects.filter(kroner=4_800_000).exists()  # previewed, not saved


def test_an_upload_over_the_limit_is_dropped_as_it_arrives(settings, tmp_path):
    """Of 8 MB sent, nothing is kept in memory or on disk; the size is known to the form."""
    from django.http.multipartparser import MultiPartParser
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
    from django.utils.module_loading import import_string

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    sent = b"x" * (8 * 1024 * 1024)
    body = encode_multipart(BOUNDARY, {"workbook": SimpleUploadedFile("stor.xlsx", sent)})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handlers = [import_string(path)() for path in settings.FILE_UPLOAD_HANDLERS]
    _, files = MultiPartParser(meta, BytesIO(body), handlers).parse()
    upload = files["workbook"]
    assert upload.size == len(sent) and upload.read() == b""
    assert list(tmp_path.iterdir()) == []
