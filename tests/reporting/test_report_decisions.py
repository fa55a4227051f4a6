"""The report around the decisions, read back as its reader reads it: section 5 shows the
planned meetings when there are any and the decision dates otherwise, never a table of
dashes; 2.1's budget sums say which money they count and match section 6 where they count the
state's; the workbook's change sheet carries the amounts, the sums and the changed wording."""

from __future__ import annotations

import datetime
import re
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from reporting.models import Revision
from reporting.outputs.context import Report
from reporting.outputs.pdf import render_report, report_html
from reporting.outputs.workbook.writer import report_workbook
from tests.support import (
    REASON_2026,
    SEED_SLUG,
    approve,
    as_user,
    pdf_text,
    revision_2026,
    submitted_2026,
    url,
)


def text_of(html_or_pdf: str | bytes) -> str:
    """The words as read: a PDF's extracted text or a page's text, spaces collapsed."""
    if isinstance(html_or_pdf, bytes):
        return pdf_text(html_or_pdf)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_or_pdf))


def section(text: str, start: str, end: str) -> str:
    return text.split(start)[-1].split(end)[0]


@pytest.fixture
def approved_2026(seed, time_machine) -> Revision:
    """2026 approved: every party decided on 18 June, no meeting was planned."""
    revision = revision_2026(seed)
    time_machine.move_to("2026-06-25 10:00+02:00")
    return approve(revision)


def test_the_approved_report_shows_decision_dates_and_says_what_its_sums_count(approved_2026):
    """One render of the approved 2026 report, read back from the PDF."""
    text = text_of(render_report(Report.from_revision(approved_2026)))
    five = section(text, "5. Lokal og regional forankring", "6. Fordeling av budsjett")
    assert "Ingen møte vart førde opp som planlagde. Vedtaka i kommunane vart gjorde:" in five
    assert "Fyresdal kommune 18. juni 2026 18. juni 2026" in five
    assert "–" not in five  # every municipality decided: no dash at all
    changes = section(text, "Endringar i budsjett og finansiering", "2.2 Årsstatus")
    assert (
        "Sum alle liner, 2026, alle kjelder 10 500 000 kr 10 300 000 kr \u2212200 000 kr" in changes
    )
    assert "Summane merkte «alle kjelder» tel pengar frå alle finansieringskjeldene" in changes
    line = "Korleis få fleire arbeidsplassar i privat sektor"
    assert (
        f"Sum {line}, heile perioden, statleg medfinansiering 3 600 000 kr 3 400 000 kr "
        "\u2212200 000 kr" in changes
    )
    assert (
        "Sum alle liner, 2026, statleg medfinansiering 10 500 000 kr 10 300 000 kr \u2212200 000 kr"
        in changes
    )
    # Section 6 (the state's money only) shows the same numbers: the line's total for the
    # period, and the sum of every line in 2026.
    assert "Nr. Delmål Totalbudsjett 2025 2026 2027 2028" in text  # section 6's table
    assert f"2 {line} 3 400 000 200 000 1 800 000" in text
    assert "SUM 21 800 000 2 400 000 10 300 000" in text


def plan_meeting(client, user, org_key: str, planned: datetime.date):
    """The municipality's approver enters its kommunestyre's planned meeting, no decision yet."""
    data = {
        f"{body}-{field}": ""
        for body in ("formannskap", "kommunestyre")
        for field in ("seen", "planned_on", "decided_on", "case_reference", "comment")
    }
    data |= {"formannskap-decision": "pending", "kommunestyre-decision": "pending"}
    data["kommunestyre-planned_on"] = planned.isoformat()
    response = as_user(client, user).post(url("decision", 2026, org_key), data)
    assert response.status_code == 302


def test_planned_meetings_are_shown_when_there_are_any(client, seed, people):
    revision = submitted_2026(client, people, seed)
    process = reverse("reporting:process", args=[SEED_SLUG])
    page = text_of(as_user(client, people["prosjektleiar"]).get(process).text)
    five = section(page, "5. Lokal og regional forankring", "8. Handlingsplanen")
    assert "Kommunane har ikkje ført opp møte eller vedtak enno." in five
    assert "Planlagde politiske møte" not in five and "Fyresdal kommune –" not in five
    pdf_five = section(
        text_of(report_html(Report.from_revision(revision))),
        "5. Lokal og regional forankring",
        "6. Fordeling",
    )
    assert "Kommunane har ikkje ført opp møte eller vedtak enno." in pdf_five

    planned = timezone.localdate() + datetime.timedelta(days=10)
    plan_meeting(client, people["vinje"], "vinje-kommune", planned)
    on_page = date_format(planned, "DATE_FORMAT")
    page = text_of(as_user(client, people["prosjektleiar"]).get(process).text)
    five = section(page, "5. Lokal og regional forankring", "8. Handlingsplanen")
    assert "Planlagde politiske møte" in five
    assert f"Vinje kommune – {on_page}" in five
    pdf_five = section(
        text_of(report_html(Report.from_revision(revision))),
        "5. Lokal og regional forankring",
        "6. Fordeling",
    )
    assert "Planlagde politiske møte i kommunane:" in pdf_five
    assert f"Vinje kommune – {on_page}" in pdf_five


def test_the_workbooks_change_sheet_carries_amounts_sums_and_the_changed_wording(seed):
    revision = revision_2026(seed)
    sheet = openpyxl.load_workbook(BytesIO(report_workbook(Report.from_revision(revision))))[
        "Endringar"
    ]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    cells = {row[1]: row[3:6] for row in rows if row[1]}
    line = "Korleis få fleire arbeidsplassar i privat sektor"
    assert cells[f"{line}, 2026, KDD 13.50 post 66"] == (2_000_000, 1_800_000, -200_000)
    assert cells[f"Sum {line}, 2026, alle kjelder"] == (2_000_000, 1_800_000, -200_000)
    assert cells[f"Sum {line}, heile perioden, alle kjelder"] == (3_700_000, 3_500_000, -200_000)
    state = cells[f"Sum {line}, heile perioden, statleg medfinansiering"]
    assert state == (3_600_000, 3_400_000, -200_000)
    assert cells["Sum alle liner, 2026, alle kjelder"] == (10_500_000, 10_300_000, -200_000)
    assert cells["Sum alle liner, 2026, statleg medfinansiering"][2] == -200_000
    assert any(str(label).startswith("Summane merkte «alle kjelder»") for label in cells)
    # The changed description: its old and its new wording, not «sjå rapporten».
    circle = next(row for row in rows if row[0] == "1.4")
    assert "Tittel: «Kompetansesirkel» → Kompetansesirkel for planleggjarar" in circle[3]
    old, new = circle[3].split("\nFør: ")[1].split("\nNo: ")
    assert "Føremålet med dialogen er todelt:" in old and "tredelt" not in old
    assert "Føremålet med dialogen er tredelt, og kommunane leier han:" in new
    assert circle[4] == REASON_2026
    text = "\n".join(str(v) for row in rows for v in row if v)
    assert "sjå rapporten" not in text and " → " not in text.split("Endringar i budsjettet")[1]
