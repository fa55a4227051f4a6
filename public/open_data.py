"""The approved plan as open data: the JSON document and the CSV files (docs/open-data.md).

The JSON is the public page's data (`PublicPlan`) as it is, field for field, with the links to
the plan's files and to every approved year; the CSV files are its measures and its budget.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json

from django.conf import settings
from django.urls import reverse

from .plan import PublicPlan

MEASURE_COLUMNS = [
    "sub_goal",
    "code",
    "key",
    "title",
    "tagline",
    "leads",
    "partners",
    "timeframe",
    "priority",
    "marks",
    "closed_on",
    "year_status",
    "year_status_text",
]
BUDGET_COLUMNS = ["year", "line_number", "line", "source", "state_cofinancing", "kroner"]


def plain(value):
    """Dataclasses, tuples and dates as JSON has them: objects, lists and ISO text."""
    if dataclasses.is_dataclass(value):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.metadata.get("picture")
        }
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def files_of(slug: str, year: int) -> dict[str, str]:
    """The addresses of one approved year's page and files."""
    names = {
        "page": "public:year",
        "pdf": "public:pdf",
        "xlsx": "public:xlsx",
        "json": "public:json",
        "measures_csv": "public:measures-csv",
        "budget_csv": "public:budget-csv",
    }
    return {kind: absolute(reverse(name, args=[slug, year])) for kind, name in names.items()}


def years_of(slug: str, years) -> list[dict]:
    """Every approved year of the agreement: when it was approved and where to read it."""
    return [
        {"year": y.year, "approved_at": y.approved_at.isoformat(), "files": files_of(slug, y.year)}
        for y in years
    ]


def plan_json(plan: PublicPlan, years) -> bytes:
    document = plain(plan) | {
        "files": files_of(plan.slug, plan.year),
        "approved_years": years_of(plan.slug, years),
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        # A text a spreadsheet would read as a formula is written as text (OWASP CSV injection).
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r" else v for v in row])
    # With a byte order mark, so that Excel reads æ, ø and å as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode()


def measures_csv(plan: PublicPlan) -> bytes:
    rows = [
        [
            goal.number,
            m.code,
            m.key,
            m.title,
            m.tagline,
            m.leads,
            m.partners,
            m.timeframe,
            m.priority,
            "; ".join(mark.label for mark in m.marks),
            m.closed_on.isoformat() if m.closed_on else "",
            m.year_status,
            m.year_status_text,
        ]
        for goal in plan.sub_goals
        for m in goal.measures
    ]
    return _csv(MEASURE_COLUMNS, rows)


def budget_csv(plan: PublicPlan) -> bytes:
    rows = [
        [a.year, a.line_number, a.line, a.source, "ja" if a.state_cofinancing else "nei", a.kroner]
        for a in plan.amounts
    ]
    return _csv(BUDGET_COLUMNS, rows)
