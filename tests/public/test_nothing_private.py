"""Nothing private on the public pages and in the public files.

Every field they show is listed here, so that a new one fails until it is looked at; and a
yearly cycle with a rejected round, a send-back, named users with e-mail addresses and a draft
of the next year leaves none of its private parts in any public answer.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
import re
import zipfile

from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.demo_users import create_demo_users
from public.index import IndexEntry
from public.plan import PublicPlan
from reporting.models import Approval, Revision
from reporting.outputs.context import Report
from reporting.outputs.pdf import report_html
from reporting.revision import workflow
from tests.support import (
    PASSWORD,
    SEED_SLUG,
    approve,
    approver_of,
    failing_checks,
    pdf_text,
    revision_2026,
)

# Every field of the JSON, which is the public page's data (public/plan.py) field for field:
# "[]" is each item of a list. A new field fails this test until it is listed here, after
# asking whether the public may read it.
JSON_FIELDS = {
    "format",
    "slug",
    "agreement",
    "pilot",
    "language",
    "year",
    "period",
    "first_year",
    "last_year",
    "signed_on",
    "parties[]",
    "municipalities[]",
    "approved_as",
    "approved_on",
    "state_source",
    "state_cofinancing",
    "texts_html.introduction",
    "texts_html.framework",
    "texts_html.priorities",
    "texts_html.organisation_text",
    "texts_html.anchoring_text",
    "sub_goals[].number",
    "sub_goals[].title",
    "sub_goals[].main_goal",
    "sub_goals[].weight",
    "sub_goals[].introduction_html",
    "sub_goals[].remark_html",
    "sub_goals[].measures[].key",
    "sub_goals[].measures[].code",
    "sub_goals[].measures[].number",
    "sub_goals[].measures[].title",
    "sub_goals[].measures[].tagline",
    "sub_goals[].measures[].leads",
    "sub_goals[].measures[].partners",
    "sub_goals[].measures[].timeframe",
    "sub_goals[].measures[].priority",
    "sub_goals[].measures[].later",
    "sub_goals[].measures[].closed_on",
    "sub_goals[].measures[].marks[].kind",
    "sub_goals[].measures[].marks[].label",
    "sub_goals[].measures[].year_status",
    "sub_goals[].measures[].year_status_text",
    "sub_goals[].measures[].sections[].heading",
    "sub_goals[].measures[].sections[].html",
    "changes.base_year",
    *{
        f"changes.{part}[].{name}"
        for part in ("new", "changed", "closed")
        for name in (
            "key",
            "code",
            "title",
            "description_html",
            "reason",
            "closed_on",
            "removed",
            "assessment",
        )
    },
    *{f"changes.changed[].fields[].{name}" for name in ("label", "old", "new", "diff")},
    "changes.sub_goals[][]",
    *{f"changes.sub_goals[][][].{name}" for name in ("label", "old", "new", "diff")},
    *{f"changes.budget[].{name}" for name in ("label", "old", "new", "difference", "is_sum")},
    *{
        f"{table}.{name}"
        for table in ("allocation", "financing")
        for name in (
            "caption",
            "column_labels[]",
            "footnotes[].marker",
            "footnotes[].text",
            *{
                f"{row}.{field}"
                for row in ("rows[]", "sum_row")
                for field in ("number", "title", "cells[]", "total", "markers")
            },
        )
    },
    *{
        f"amounts[].{name}"
        for name in ("year", "line_number", "line", "source", "state_cofinancing", "kroner")
    },
    *{
        f"decisions[].{name}"
        for name in (
            "organisation",
            "body",
            "decision",
            "decided_on",
            "planned_on",
            "case_reference",
        )
    },
    *{
        f"{files}.{kind}"
        for files in ("files", "approved_years[].files")
        for kind in ("page", "pdf", "xlsx", "json", "measures_csv", "budget_csv")
    },
    "approved_years[].year",
    "approved_years[].approved_at",
}
# Maps whose keys are data, not fields: footnote markers by column.
DATA_KEYS = {"markers"}
# What the page draws as pictures of the fields above (public/plan.py: metadata "picture").
PICTURES = {"timeline", "money"}
INDEX_FIELDS = {
    "slug",
    "agreement",
    "pilot",
    "language",
    "municipalities",
    "period",
    "state_cofinancing",
    "latest_year",
    "approved_on",
    "years",
}
# The workbook's header row (its fifth) on every sheet; the budget sheets go on with their
# table's columns (years, funding sources), which are data.
WORKBOOK_HEADERS = {
    "Tiltak": [
        "Nr.",
        "Tiltak",
        "Delmål",
        "Hovudansvarleg",
        "Samarbeidspartar",
        "Tidsramme",
        "Prioritet",
        "Status",
    ],
    "Endringar": [
        "Nr.",
        "Tiltak",
        "Endring",
        "Kva er endra",
        "Grunngjeving eller vurdering",
        "Status 2025",
        "Framdrift",
    ],
    "Budsjett": ["Nr.", "Delmål", "Totalbudsjett"],
    "Finansiering 2025": ["Nr.", "Delmål", "Totalbudsjett"],
    "Godkjenningar": [
        "Samarbeidspart",
        "Organ",
        "Planlagt møte",
        "Vedtak",
        "Vedteke",
        "Saksnummer",
    ],
}
# The labels of the PDF's tables and lists of facts (its template, reporting/report_pdf.html).
PDF_LABELS = {
    "Pilot",
    "Avtaleperiode",
    "Avtala signert",
    "Status",
    "Nr.",
    "Tiltak",
    "Hovudansvarleg",
    "Samarbeidspartar",
    "Tidsramme",
    "Kommune",
    "Formannskap",
    "Kommunestyre",
    "Delmål",
    "Total&shy;budsjett",
    "SUM",
    "Finansieringskjelder",
    "Samarbeidspart",
    "Dato for (politisk) godkjenning",
    "Organ",
    "Framdrift",
    "Status 2025",
    "Grunngjeving for endringa",
    "Vurdering av kva tiltaket har bidrege til",
    "Budsjettline, år og kjelde",
    "Før",
    "No",
    "Endring",
    "Avslutta",
    "Vurdering",
}


def paths(value, prefix: str = "") -> set[str]:
    """Every field path of a JSON value: "a.b", "a[].b" for the items of a list."""
    if isinstance(value, dict):
        if prefix.rsplit(".", 1)[-1] in DATA_KEYS:
            return {prefix}
        found = set()
        for key, item in value.items():
            found |= paths(item, f"{prefix}.{key}" if prefix else key)
        return found
    if isinstance(value, list):
        found = set()
        for item in value:
            found |= paths(item, f"{prefix}[]")
        return found or {f"{prefix}[]"}
    return {prefix}


def public_plan_json(client, year: int) -> dict:
    return json.loads(client.get(reverse("public:json", args=[SEED_SLUG, year])).content)


def approved_2026(seed) -> Revision:
    revision = revision_2026(seed)
    return approve(revision)


def test_every_field_the_public_json_and_page_show_is_listed(client, seed):
    approved_2026(seed)
    found = paths(public_plan_json(client, 2026)) | paths(public_plan_json(client, 2025))
    # Lists that are empty in both plans stand for their items' fields.
    unlisted = {p for p in found if p not in JSON_FIELDS and not p.endswith("[]")}
    assert unlisted == set(), "public fields nobody has looked at"
    assert "sub_goals[].measures[].marks[].label" in found  # the walk reaches the depths
    top = {f.name for f in dataclasses.fields(PublicPlan)}
    assert (
        top
        == {p.split(".")[0].split("[")[0] for p in JSON_FIELDS}
        - {
            "files",
            "approved_years",
        }
        | PICTURES
    )
    assert {f.name for f in dataclasses.fields(IndexEntry)} == INDEX_FIELDS


def test_the_files_show_only_the_listed_fields(client, seed):
    from openpyxl import load_workbook

    xlsx = client.get(reverse("public:xlsx", args=[SEED_SLUG, 2025]))
    assert xlsx.status_code == 200 and xlsx["Cache-Control"].startswith("public")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    data = public_plan_json(client, 2025)
    columns = {
        "Budsjett": [int(y) for y in data["allocation"]["column_labels"]],
        "Finansiering 2025": data["financing"]["column_labels"],
    }
    assert workbook.sheetnames == list(WORKBOOK_HEADERS)
    for sheet, headers in WORKBOOK_HEADERS.items():
        header = [
            c for c in next(workbook[sheet].iter_rows(min_row=5, max_row=5, values_only=True))
        ]
        assert header == headers + columns.get(sheet, []), sheet
    html = report_html(Report.from_revision(seed.revisions.get(year=2025)))
    labels = {
        re.sub(r"<[^>]+>", "", label).strip()
        for label in re.findall(r"<(?:th|dt)[^>]*>(.*?)</(?:th|dt)>", html, re.S)
    }
    # Years and funding sources head the budget tables' columns: data, not fields.
    data_columns = {str(c) for c in columns["Budsjett"] + columns["Finansiering 2025"]}
    assert labels - data_columns - PDF_LABELS == set()
    assert {"Hovudansvarleg", "Dato for (politisk) godkjenning"} <= labels


def named_users(seed) -> dict:
    """The seed's demo users (by their demo names), each with a person's name, an e-mail
    address and a user name of its own: the demo's ("vinje", "kdd") are words of the plan."""
    demo = create_demo_users(agreement=seed, password=PASSWORD)
    users = {}
    for number, person in enumerate(demo):
        user = get_user_model().objects.get(username=person.username)
        user.username = f"brukar{number}.{person.username}"
        user.first_name, user.last_name = "Ragnhild", f"Hemmelegsdotter{number}"
        user.email = f"hemmeleg.person{number}@example.no"
        user.save()
        users[person.username] = user
    return users


def approve_second_round(revision: Revision, leader, kdd) -> None:
    """Submitted again; every party approves in the new round, by its named user; KDD last."""
    try:
        workflow.submit(revision=revision, user=leader)
    except workflow.ChecksFailed as failing:
        workflow.submit(revision=revision, user=leader, accepted=[c.label for c in failing.checks])
    for approval in revision.current_approvals().exclude(body=Approval.Body.KDD):
        workflow.record_decision(
            approval=approval,
            user=approver_of(approval),
            values={"decided_on": datetime.date(2026, 6, 18), "decision": "approved"},
        )
    workflow.kdd_approve(revision=revision, user=kdd, accepted=failing_checks(revision))


def every_public_answer(client) -> list[tuple[str, str]]:
    """Every public address as a visitor reads it (the xlsx and PDF read back as text)."""
    urls = ["/offentleg/", "/robots.txt", "/sitemap.xml", reverse("public:plan", args=[SEED_SLUG])]
    for year in (2025, 2026):
        urls += [
            reverse(f"public:{name}", args=[SEED_SLUG, year])
            for name in ("year", "json", "measures-csv", "budget-csv", "xlsx")
        ]
    answers = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(response.content)) as book:
                content = " ".join(book.read(name).decode() for name in book.namelist())
        else:
            content = response.content.decode("utf-8-sig")
        answers.append((url, content))
    # The one PDF read: 2026's, rendered now from its snapshot.
    pdf = client.get(reverse("public:pdf", args=[SEED_SLUG, 2026]))
    answers.append(("2026.pdf", pdf_text(pdf.content)))
    return answers


def test_no_user_comment_draft_or_internal_id_reaches_a_public_answer(client, seed, time_machine):
    # The dates of tests/reporting/test_report_decisions.py: the same approved report, whose
    # PDF the session then renders once for both.
    time_machine.move_to("2026-06-25 10:00+02:00")
    users = named_users(seed)
    leader, kdd = users["prosjektleiar"], users["kdd"]
    revision = revision_2026(seed)
    try:
        workflow.submit(revision=revision, user=leader)
    except workflow.ChecksFailed as failing:
        workflow.submit(revision=revision, user=leader, accepted=[c.label for c in failing.checks])
    rejected = revision.approvals.get(organisation__key="vinje-kommune", body="kommunestyre")
    workflow.record_decision(
        approval=rejected,
        user=users["vinje"],
        values={
            "decided_on": datetime.date(2026, 6, 18),
            "decision": Approval.Decision.REJECTED,
            "comment": "AVVIST-MERKNAD som berre partane skal lese",
        },
    )
    workflow.send_back(revision=revision, user=kdd, comment="SENDT-TILBAKE-MERKNAD frå KDD")
    approve_second_round(revision, leader, kdd)
    # The next year's draft, with a changed title and a reason not yet submitted.
    draft = workflow.start_revision(agreement=seed, year=2027, user=leader)
    circle = seed.measures.get(key="kompetansesirkel")
    circle.title = "UTKAST-TITTEL for 2027"
    circle.save()
    workflow.save_notes(
        revision=draft,
        notes={"kompetansesirkel": ("reason", "UTKAST-GRUNNGJEVING")},
        progress={},
    )

    private = ["AVVIST-MERKNAD", "SENDT-TILBAKE-MERKNAD", "UTKAST-TITTEL", "UTKAST-GRUNNGJEVING"]
    for user in users.values():
        private += [user.email, user.get_full_name(), user.last_name]
    usernames = [user.username for user in users.values()]
    for url, content in every_public_answer(client):
        assert [p for p in private if p in content] == [], url
        for name in usernames:
            assert not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", content), (url, name)
