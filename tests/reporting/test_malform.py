"""The report, the workbook and the e-mails are wholly in the agreement's målform.

The plan's own texts are data and stay as written (the seed's are Nynorsk), so the tests that
look for words of the other målform first replace every text of the frozen plans with neutral
tokens that keep differences apart: what is left in the PDF and the workbook is our own words.
"""

from __future__ import annotations

import hashlib
import re
from io import BytesIO

import openpyxl
import pytest
from django.core import mail
from django.db import models

from reporting.models import MeasureNote, MeasureProgress, Revision
from reporting.outputs.context import Report
from reporting.outputs.pdf import render_report, revision_pdf
from reporting.outputs.workbook.writer import report_workbook
from tests.support import NYNORSK_ONLY, approve, pdf_text, revision_2026, submitted_2026

# Words only Bokmål writes: none of them may be in a Nynorsk report.
BOKMAL_ONLY = [
    "Innhold",
    "Hovedansvarlig",
    "Samarbeidspartnere",
    "Begrunnelse",
    "delmålene",
    "tiltakene",
    "ikke",
    "Ikke",
    "Endringer",
    "Avsluttet",
    "Endret",
    "Samlet",
    "hele",
    "statlig",
    "Tidslinje",
    "behandling",
    "Fremdrift",
]
# The plan's texts, as the plan file and snapshots name them.
TEXT_KEYS = {
    "anchoring_text",
    "body",
    "framework",
    "heading",
    "introduction",
    "leads_more",
    "main_goal",
    "name",
    "organisation_text",
    "partners_more",
    "pilot_name",
    "priorities",
    "remark",
    "short_name",
    "tagline",
    "text",
    "title",
}


def neutral(value, key: str = ""):
    """The plan with each of its texts replaced by a token of no målform ("Tekst 3f2a9c");
    different texts stay different, so the change list still finds what changed."""
    if isinstance(value, dict):
        return {k: neutral(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [neutral(v, key) for v in value]
    if isinstance(value, str) and value and key in TEXT_KEYS:
        return "Tekst " + hashlib.sha256(value.encode()).hexdigest()[:6]
    return value


def found(words: list[str], text: str) -> list[str]:
    return [word for word in words if re.search(rf"(?<!\w){word}(?!\w)", text)]


def workbook_text(xlsx: bytes) -> str:
    workbook = openpyxl.load_workbook(BytesIO(xlsx))
    cells = [
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    return " ".join([*workbook.sheetnames, *cells])


def approved_2026(seed, people, language: str) -> Revision:
    """Handlingsplan 2026 approved by every party and KDD, for an agreement writing
    `language`, its plans and notes made neutral."""
    seed.language = language
    seed.save()
    revision = revision_2026(seed)
    for row in [*MeasureNote.objects.all(), *MeasureProgress.objects.exclude(text="")]:
        row.text = "Tekst notat" if isinstance(row, MeasureNote) else "Tekst framdrift"
        row.save()
    approve(revision, people["kdd"])
    # Past the approved-revision guard on purpose: the test rewrites the data, not the app.
    frozen = models.QuerySet(model=Revision).filter(agreement=seed, status="approved")
    for pk, snapshot in frozen.values_list("pk", "snapshot"):
        models.QuerySet(model=Revision).filter(pk=pk).update(snapshot=neutral(snapshot))
    return Revision.objects.get(pk=revision.pk)


def test_the_vest_telemark_report_has_no_bokmal_word(seed):
    pdf, _name = revision_pdf(Revision.objects.get(agreement=seed, year=2025))
    assert found(BOKMAL_ONLY, pdf_text(pdf)) == []


@pytest.mark.parametrize(
    ("language", "other", "own"),
    [
        ("nb", NYNORSK_ONLY, ["Innhold", "Hovedansvarlig", "Begrunnelse for endringen"]),
        ("nn", BOKMAL_ONLY, ["Innhald", "Hovudansvarleg", "Grunngjeving for endringa"]),
    ],
)
def test_the_report_and_workbook_are_wholly_in_the_agreements_malform(
    seed, people, language, other, own
):
    revision = approved_2026(seed, people, language)
    report = Report.from_revision(revision)
    text = pdf_text(render_report(report))
    assert found(other, text) == []
    for words in own:
        assert words in text
    cells = workbook_text(report_workbook(report))
    assert found(other, cells) == []
    # Every part of the report is there to be checked: changes, statuses, approvals, charts.
    for part in ["Tekst notat", "Tekst framdrift", "KDD", "2.3", "mill."]:
        assert part in text, part


def test_a_bokmal_report_speaks_bokmal_from_the_title_page_to_the_change_list(seed, people):
    text = pdf_text(render_report(Report.from_revision(approved_2026(seed, people, "nb"))))
    for words in [
        "Godkjent av KDD",
        "Samlet budsjett og finansiering for 2026",
        "2.1 Endringer i handlingsplanen",
        "Nye tiltak",
        "Avsluttet 01.03.2026",
        "Vurdering av hva tiltaket har bidratt til",
        "Tidslinje for tiltakene",
        "Sum alle linjer, 2026",
    ]:
        assert words in text, words


def test_an_older_snapshot_without_a_malform_is_reported_in_nynorsk(seed):
    revision = Revision.objects.get(agreement=seed, year=2025)
    snapshot = revision.snapshot
    del snapshot["plan"]["agreement"]["language"]
    # Past the approved-revision guard on purpose: a snapshot as older versions stored it.
    models.QuerySet(model=Revision).filter(pk=revision.pk).update(snapshot=snapshot)
    seed.language = "nb"  # the living agreement's målform does not rewrite an approved plan
    seed.save()
    report = Report.from_revision(Revision.objects.get(pk=revision.pk))
    assert report.language == "nn"
    assert "Innhald" in pdf_text(render_report(report))


def test_a_bokmal_municipality_is_mailed_in_bokmal(
    client, seed, people, django_capture_on_commit_callbacks
):
    seed.language = "nb"
    seed.save()
    with django_capture_on_commit_callbacks(execute=True):
        submitted_2026(client, people, seed)
    [message] = [m for m in mail.outbox if m.to == ["fyresdal@example.no"]]
    assert message.subject == (
        "Handlingsplan 2026 for Bygdevekstavtale for Vest-Telemark er klar til behandling"
    )
    assert "er sendt til politisk behandling" in message.body
    assert found(NYNORSK_ONLY, message.subject + message.body) == []


def test_a_nynorsk_municipality_is_mailed_in_nynorsk(
    client, seed, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted_2026(client, people, seed)
    [message] = [m for m in mail.outbox if m.to == ["fyresdal@example.no"]]
    assert "er sendt til politisk handsaming" in message.body
    assert found(BOKMAL_ONLY, message.subject + message.body) == []
