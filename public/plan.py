"""An approved plan as the public sees it: plain data read from the revision's frozen snapshot.

Everything a public page, the JSON and the CSV files show is a field of `PublicPlan` (and of
the dataclasses in it): the templates get nothing else, and the JSON is this data as it is
(`as_json`), so the page and the open data hold the same content. No user, e-mail address,
comment on a decision, internal id or text of a draft is read into it. The timeline and the
money charts are pictures of what the measures and the tables already say.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from budget.charts import MoneyCharts
from measures.timeline import Timeline
from reporting.models import Revision
from reporting.outputs.context import ExplainedChanges, Report, ReportMeasure

# The version of the JSON document (docs/open-data.md); raised when a field changes meaning.
FORMAT = "bygdevekst-offentleg-plan/1"


@dataclass(frozen=True)
class PublicMark:
    """«Ny», «Endra» or «Avslutta dd.mm.åååå» against the plan approved the year before."""

    kind: str
    label: str


@dataclass
class PublicSection:
    heading: str
    html: str


@dataclass
class PublicMeasure:
    key: str  # the measure's key in the plan: the same across years, whatever its number
    code: str
    number: int
    title: str
    tagline: str
    leads: str
    partners: str
    timeframe: str
    priority: str
    later: bool
    closed_on: datetime.date | None
    marks: list[PublicMark]
    year_status: str  # how the measure stood in the plan's year, as the plan reported it
    year_status_text: str
    sections: list[PublicSection]


@dataclass
class PublicSubGoal:
    number: int
    title: str
    main_goal: str
    weight: int
    introduction_html: str
    remark_html: str
    measures: list[PublicMeasure]


@dataclass
class PublicRow:
    """A line of a budget table: its cells in column order (None: empty), its total."""

    number: int | None
    title: str
    cells: list[int | None]
    total: int
    # Footnote markers by column label ("" for none); "total" for the total's.
    markers: dict[str, str] = field(default_factory=dict)

    @property
    def marked_cells(self) -> list[tuple[int | None, str]]:
        """What budget/_table.html shows: each cell with its footnote marker."""
        return [(cell, self.markers.get(str(i), "")) for i, cell in enumerate(self.cells)]


@dataclass
class PublicTable:
    caption: str
    column_labels: list[str]
    rows: list[PublicRow]
    sum_row: PublicRow
    footnotes: list[PublicFootnote]


@dataclass
class PublicFootnote:
    marker: str
    text: str


@dataclass
class PublicAmount:
    """One amount of the budget: a line's money from one source in one year (whole kroner)."""

    year: int
    line_number: int
    line: str
    source: str
    state_cofinancing: bool
    kroner: int


@dataclass
class PublicDecision:
    """A body's decision on the plan, as section 8 lists them (never its comment)."""

    organisation: str
    body: str
    decision: str
    decided_on: datetime.date | None
    planned_on: datetime.date | None
    case_reference: str


@dataclass
class PublicPlan:
    """The approved plan of one agreement for one year, as the public pages show it."""

    format: str
    slug: str
    agreement: str
    pilot: str
    language: str
    year: int
    period: str
    first_year: int
    last_year: int
    signed_on: datetime.date | None
    parties: list[str]
    municipalities: list[str]
    approved_as: str  # "Godkjend av KDD", or by the parties for a plan from before the app
    approved_on: datetime.date
    state_source: str | None
    state_cofinancing: int  # kroner over the period, from the state's funding source
    texts_html: dict[str, str]
    sub_goals: list[PublicSubGoal]
    changes: ExplainedChanges
    allocation: PublicTable
    financing: PublicTable
    amounts: list[PublicAmount]  # the whole budget: every line, year and source
    decisions: list[PublicDecision]
    # Pictures of the measures and the tables above; not data of their own, not in the JSON.
    timeline: Timeline = field(repr=False, compare=False, metadata={"picture": True})
    money: MoneyCharts = field(repr=False, compare=False, metadata={"picture": True})

    @property
    def title(self) -> str:
        with translation.override(self.language):
            return _("Handlingsplan %(year)s – %(agreement)s") % {
                "year": self.year,
                "agreement": self.agreement,
            }

    def measures(self) -> list[PublicMeasure]:
        return [m for goal in self.sub_goals for m in goal.measures]

    @classmethod
    def from_revision(cls, revision: Revision) -> PublicPlan:
        """The approved revision's plan from its snapshot, in the agreement's målform."""
        if not revision.is_approved or not revision.snapshot:
            raise ValueError(f"{revision} is not approved: only approved plans are public.")
        report = Report.from_revision(revision)
        with translation.override(report.language):
            return cls._from_report(report, revision.snapshot["plan"])

    @classmethod
    def _from_report(cls, report: Report, plan: dict) -> PublicPlan:
        agreement = plan["agreement"]
        timeline = _linked_here(report.timeline)
        return cls(
            format=FORMAT,
            slug=report.slug,
            agreement=report.agreement_name,
            pilot=report.pilot_name,
            language=report.language,
            year=report.year,
            period=report.period,
            first_year=agreement["first_year"],
            last_year=agreement["last_year"],
            signed_on=_date(report.signed_on),
            parties=report.parties,
            municipalities=_municipalities(plan),
            approved_as=report.dated_as,
            approved_on=report.dated,
            state_source=report.state_source,
            state_cofinancing=report.allocation.total,
            texts_html={name: str(html) for name, html in report.texts.items()},
            sub_goals=[
                PublicSubGoal(
                    number=goal.number,
                    title=goal.title,
                    main_goal=goal.main_goal,
                    weight=goal.weight,
                    introduction_html=str(goal.introduction),
                    remark_html=str(goal.remark),
                    measures=[_measure(m) for m in goal.measures],
                )
                for goal in report.sub_goals
            ],
            changes=report.explained_changes,
            allocation=_table(report.allocation),
            financing=_table(report.financing),
            amounts=_amounts(plan),
            decisions=_decisions(report),
            timeline=timeline,
            money=report.money,
        )


def _linked_here(timeline: Timeline) -> Timeline:
    """The timeline with each row leading to its measure further down the same page."""
    groups = [
        dataclasses.replace(
            group,
            entries=tuple(dataclasses.replace(e, url=f"#tiltak-{e.key}") for e in group.entries),
        )
        for group in timeline.groups
    ]
    return Timeline(timeline.first_year, timeline.last_year, groups)


def _date(value) -> datetime.date | None:
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def _municipalities(plan: dict) -> list[str]:
    kinds = {org["key"]: org for org in plan.get("organisations", [])}
    parties = [kinds.get(key, {}) for key in plan["agreement"].get("parties", [])]
    return [org["name"] for org in parties if org.get("kind") == "municipality"]


def _measure(m: ReportMeasure) -> PublicMeasure:
    progress = m.progress
    return PublicMeasure(
        key=m.key,
        code=m.code,
        number=m.number,
        title=m.title,
        tagline=m.tagline,
        leads=m.leads,
        partners=m.partners,
        timeframe=m.timeframe,
        priority=m.priority_label,
        later=m.later,
        closed_on=_date(m.closed_on),
        marks=[PublicMark(mark.kind, str(mark.label)) for mark in m.marks],
        year_status=progress.get_state_display() if progress else "",
        year_status_text=progress.text if progress else "",
        sections=[PublicSection(s.heading, str(s.html)) for s in m.sections],
    )


def _row(row, labels: list[str], keys: list[str]) -> PublicRow:
    markers = {str(keys.index(key)): marker for key, marker in row.markers.items() if key in keys}
    if "total" in row.markers:
        markers["total"] = row.markers["total"]
    return PublicRow(row.number, row.title, list(row.cells), row.total, markers)


def _table(table) -> PublicTable:
    keys, labels = list(table.column_keys), [str(label) for label in table.column_labels]
    return PublicTable(
        caption=str(table.caption),
        column_labels=labels,
        rows=[_row(row, labels, keys) for row in table.rows],
        sum_row=_row(table.sum_row, labels, keys),
        footnotes=[PublicFootnote(note.marker, note.text) for note in table.footnotes],
    )


def _amounts(plan: dict) -> list[PublicAmount]:
    """Every amount of the frozen budget, by year, then line, then source, in plan order."""
    budget = plan.get("budget", {})
    sources = budget.get("sources", [])
    found = []
    for line in budget.get("lines", []):
        for year, cells in budget.get("amounts", {}).get(line["key"], {}).items():
            for source in sources:
                if cells.get(source["key"]) is not None:
                    found.append(
                        PublicAmount(
                            int(year),
                            line["number"],
                            line["title"],
                            source["name"],
                            bool(source.get("state_cofinancing")),
                            cells[source["key"]],
                        )
                    )
    return sorted(found, key=lambda a: (a.year, a.line_number))


def _decisions(report: Report) -> list[PublicDecision]:
    """Every body's treatment in the round KDD approved, in the agreement's party order."""
    return [
        PublicDecision(
            organisation=approval.organisation.name,
            body=approval.get_body_display(),
            decision=approval.get_decision_display(),
            decided_on=approval.decided_on,
            planned_on=approval.planned_on,
            case_reference=approval.case_reference,
        )
        for row in (report.process.rows if report.process else [])
        for approval in row.all
    ]
