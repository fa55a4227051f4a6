"""Everything the annual report shows, gathered once from a frozen plan.

The report is built from a snapshot (an approved revision's) or from the living plan taken as
one (a draft), never from the live tables, so an approved report can be rendered again years
later with the same content. The HTML preview, the PDF and the Excel workbook share this.
Section 7's look back at last year's accounts is read from the money's tables as they stood at
the plan's submission (actuals.py), which comes to the same.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace

from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from budget.charts import MoneyCharts
from budget.tables import Row, Table
from measures.markdown import render_markdown
from measures.models import Agreement
from measures.prose import as_prose
from measures.timeline import Timeline
from reporting.outputs.actuals import PreviousActuals, previous_actuals
from reporting.outputs.figures import plan_timeline
from reporting.plan_data.labels import people, section_heading, unsaved_measure
from reporting.plan_data.living import take_snapshot
from reporting.revision.changes import ChangeList, compare
from reporting.revision.explained_changes import ExplainedChanges, explain
from reporting.revision.marks import Mark, closed_label, marks_by_key
from reporting.revision.models import Approval, MeasureNote, Revision
from reporting.revision.process import PoliticalProcess


@dataclass
class ReportSection:
    heading: str
    body: str  # Markdown, as the plan holds it

    @property
    def html(self) -> SafeString:
        """The body rendered, where a section is shown (the PDF, the public plan): the
        workbook, which shows no section, renders none."""
        return render_markdown(self.body)


@dataclass
class ReportMeasure:
    key: str
    code: str
    number: int
    title: str
    tagline: str
    leads: str
    partners: str
    timeframe: str
    later: bool
    priority_label: str
    status_label: str
    closed_on: str | None
    sections: list[ReportSection]
    progress: object | None = None
    marks: list[Mark] = field(default_factory=list)
    note: MeasureNote | None = None  # the reason for a change, or a closed one's assessment

    @property
    def closed_label(self) -> str:
        return closed_label(self.closed_on)


@dataclass
class ReportSubGoal:
    number: int
    title: str
    main_goal: str
    weight: int
    introduction: str
    remark: str
    measures: list[ReportMeasure] = field(default_factory=list)


@dataclass
class Report:
    """The annual action-plan update of one agreement for one year."""

    agreement_name: str
    pilot_name: str
    slug: str
    year: int
    status: str
    is_draft: bool
    dated: datetime.date
    dated_as: str  # what the date is: "Utkast per", "Godkjend av KDD", ...
    period: str
    signed_on: str | None
    parties: list[str]
    municipalities: str  # the municipalities among the parties, as prose: "A, B og C"
    texts: dict[str, str]
    sub_goals: list[ReportSubGoal]
    changes: ChangeList
    base_year: int | None
    notes: dict
    allocation: Table
    financing: Table
    process: PoliticalProcess | None
    approvals: list[Approval]
    state_source: str | None = None  # the funding source that is the state's co-financing
    timeline: Timeline | None = None  # the measures over the years, new ones marked
    language: str = "nn"  # the agreement's målform, as the plan recorded it: the report's words
    actuals: PreviousActuals | None = None  # last year's accepted accounts, for section 7

    @cached_property
    def money(self) -> MoneyCharts:
        """The allocation and financing tables as charts."""
        with translation.override(self.language):
            return MoneyCharts.from_tables(self.allocation, self.financing, self.year)

    @property
    def title(self) -> str:
        with translation.override(self.language):
            return _("Handlingsplan %(year)s – %(agreement)s") % {
                "year": self.year,
                "agreement": self.agreement_name,
            }

    @property
    def filename(self) -> str:
        return f"handlingsplan-{self.slug}-{self.year}.pdf"

    @cached_property
    def explained_changes(self) -> ExplainedChanges:
        """Section 2.1: the change list with the reasons and assessments written for it."""
        texts = {key: note.text for key, note in self.notes.items()}
        return explain(self.changes, texts, self.base_year)

    @property
    def is_first_plan(self) -> bool:
        """No approved plan before this one to compare with: the change list says so."""
        return self.base_year is None

    @property
    def shows_progress(self) -> bool:
        """Whether the report has its table of yearly statuses (not the period's first plan
        without any)."""
        return not self.is_first_plan or any(m.progress for m in self.measures())

    @property
    def timeline_number(self) -> str:
        """The timeline's number in section 2: after 2.1 changes and, where it is, 2.2 status."""
        return "2.3" if self.shows_progress else "2.2"

    def measures(self) -> list[ReportMeasure]:
        return [m for goal in self.sub_goals for m in goal.measures]

    @classmethod
    def from_revision(cls, revision: Revision) -> Report:
        """A revision's report: from its snapshot once submitted, from the living plan before."""
        if revision.snapshot and not revision.is_draft:
            plan = revision.snapshot["plan"]
        else:
            plan = take_snapshot(revision.agreement)["plan"]
        with translation.override(plan_language(plan)):
            return cls._from_revision(revision, plan)

    @classmethod
    def _from_revision(cls, revision: Revision, plan: dict) -> Report:
        base = _base(revision.agreement, revision.year)
        process = PoliticalProcess.from_revision(revision)
        approvals = [a for row in process.rows for a in row.all]
        if revision.is_approved:
            dated_as, dated = _approval_date(revision, process)
        else:
            when = revision.submitted_at if revision.snapshot else None
            dated_as, dated = _("Utkast per"), timezone.localdate(when or timezone.now())
        # As the parties and KDD were asked to decide on it: the accounts as at its submission.
        as_of = revision.submitted_at if revision.snapshot and not revision.is_draft else None
        return cls._build(
            plan,
            revision.year,
            revision.get_status_display(),
            not revision.is_approved,
            (dated_as, dated),
            base,
            revision,
            process,
            approvals,
            previous_actuals(revision.agreement, plan, revision.year, as_of),
        )

    @classmethod
    def draft(cls, agreement: Agreement, year: int) -> Report:
        """The living plan as the draft for `year`, with the texts of the year's revision (its
        reasons, assessments and yearly statuses) if one is started."""
        plan = take_snapshot(agreement)["plan"]
        base = _base(agreement, year)
        revision = agreement.revisions.filter(year=year).first()
        with translation.override(plan_language(plan)):
            dated = (_("Utkast per"), timezone.localdate())
            actuals = previous_actuals(agreement, plan, year)
            return cls._build(
                plan, year, _("Utkast"), True, dated, base, revision, None, [], actuals
            )

    @classmethod
    def from_plan(
        cls, plan: dict, *, year: int, status: str, dated: datetime.date, revision: Revision
    ) -> Report:
        """The revision's final report with other plan data (a snapshot's "plan") as content.

        No change list and no political process: scripts/bench_report.py renders plans larger
        than the seed this way.
        """
        with translation.override(plan_language(plan)):
            dated_as = (_("Godkjend"), dated)
            return cls._build(plan, year, status, False, dated_as, None, revision, None, [])

    @classmethod
    def _build(
        cls, plan, year, status, is_draft, dated, base, revision, process, approvals, actuals=None
    ) -> Report:
        old = base.snapshot["plan"] if base and base.snapshot else None
        names = {org["key"]: org["name"] for org in plan.get("organisations", [])}
        agreement = plan["agreement"]
        changes = compare(old, plan)
        texts = {
            "progress": {p.measure_key: p for p in revision.progress.all()} if revision else {},
            "notes": {n.measure_key: n for n in revision.notes.all()} if revision else {},
            "marks": marks_by_key(plan, changes if old else None),
        }
        dated_as, dated = dated
        return cls(
            agreement_name=agreement["name"],
            pilot_name=agreement["pilot_name"],
            slug=agreement["slug"],
            year=year,
            status=status,
            is_draft=is_draft,
            dated=dated if isinstance(dated, datetime.date) else timezone.localdate(),
            dated_as=dated_as,
            period=f"{agreement['first_year']}–{agreement['last_year']}",
            signed_on=agreement.get("signed_on"),
            parties=[names.get(key, key) for key in agreement.get("parties", [])],
            municipalities=as_prose(_municipalities(plan)),
            texts={
                name: render_markdown(agreement.get(name, ""))
                for name in (
                    "introduction",
                    "framework",
                    "priorities",
                    "organisation_text",
                    "anchoring_text",
                )
            },
            sub_goals=[_sub_goal(goal, names, texts) for goal in plan.get("sub_goals", [])],
            changes=changes,
            base_year=base.year if base and old else None,
            notes=texts["notes"],
            allocation=_allocation(plan),
            financing=_financing(plan, year),
            process=process,
            approvals=approvals,
            state_source=next(
                (s["name"] for s in _budget_parts(plan)[2] if s.get("state_cofinancing")), None
            ),
            timeline=plan_timeline(plan, old),
            language=plan_language(plan),
            actuals=actuals,
        )


def plan_language(plan: dict) -> str:
    """The målform the plan's agreement writes (a snapshot from before it was recorded: nn)."""
    return plan["agreement"].get("language") or Agreement.Language.NYNORSK


def _base(agreement: Agreement, year: int) -> Revision | None:
    return (
        Revision.objects.filter(agreement=agreement, year__lt=year, status=Revision.Status.APPROVED)
        .order_by("-year")
        .first()
    )


def _approval_date(revision: Revision, process: PoliticalProcess) -> tuple[str, datetime.date]:
    """KDD's approval date; for a plan approved before the application (imported, without
    KDD's row), the last decision of the parties (section 8)."""
    decisions = [row.final for row in process.approved_rows]
    kdd = [a.decided_on for a in decisions if a.body == Approval.Body.KDD]
    if kdd:
        return _("Godkjend av KDD"), kdd[0]
    if decisions:
        return _("Godkjend av partane"), max(a.decided_on for a in decisions)
    return _("Godkjend"), timezone.localdate(revision.approved_at or timezone.now())


def _sub_goal(goal: dict, names: dict, texts: dict) -> ReportSubGoal:
    return ReportSubGoal(
        number=goal["number"],
        title=goal["title"],
        main_goal=goal["main_goal"],
        weight=goal["weight"],
        introduction=render_markdown(goal.get("introduction", "")),
        remark=render_markdown(goal.get("remark", "")),
        measures=[_measure(goal["number"], m, names, texts) for m in goal.get("measures", [])],
    )


def _measure(goal_number: int, measure: dict, names: dict, texts: dict) -> ReportMeasure:
    labelled = unsaved_measure(measure)
    return ReportMeasure(
        key=measure["key"],
        code=f"{goal_number}.{measure['number']}",
        number=measure["number"],
        title=measure["title"],
        tagline=measure.get("tagline", ""),
        leads=people(measure, "leads", names),
        partners=people(measure, "partners", names),
        timeframe=labelled.timeframe,
        later=labelled.is_later,
        priority_label=labelled.get_priority_display(),
        status_label=labelled.get_status_display(),
        closed_on=measure.get("closed_on"),
        sections=[
            ReportSection(section_heading(section), section["body"])
            for section in measure.get("sections", [])
        ],
        progress=texts["progress"].get(measure["key"]),
        marks=texts["marks"].get(measure["key"], []),
        note=texts["notes"].get(measure["key"]),
    )


def _budget_parts(plan: dict):
    budget = plan.get("budget", {})
    lines = budget.get("lines", [])
    sources = budget.get("sources", [])
    amounts = budget.get("amounts", {})
    return budget, lines, sources, amounts


def _footnotes(budget: dict, lines: list[dict], table: str, year: int | None) -> list:
    """Footnotes shaped like the model rows Table expects (line, line_id, column, marker, text)."""
    numbers = {line["key"]: line["number"] for line in lines}
    notes = []
    for note in budget.get("footnotes", []):
        if note["table"] != table or (year is not None and note.get("year") != year):
            continue
        line = SimpleNamespace(number=numbers[note["line"]]) if note.get("line") else None
        notes.append(
            SimpleNamespace(
                line=line,
                line_id=bool(line),
                column=str(note["column"]),
                marker=note.get("marker", "*"),
                text=note["text"],
            )
        )
    return notes


def _allocation(plan: dict) -> Table:
    budget, lines, sources, amounts = _budget_parts(plan)
    agreement = plan["agreement"]
    years = [str(y) for y in range(agreement["first_year"], agreement["last_year"] + 1)]
    state = next((s for s in sources if s.get("state_cofinancing")), None)
    rows = [
        Row(
            line["number"],
            line["title"],
            [
                amounts.get(line["key"], {}).get(y, {}).get(state["key"]) if state else None
                for y in years
            ],
        )
        for line in lines
    ]
    if state:
        caption = _(
            "Fordeling av budsjett for heile avtaleperioden (statleg medfinansiering, %(source)s)"
        ) % {"source": state["name"]}
    else:
        caption = _("Fordeling av budsjett for heile avtaleperioden (statleg medfinansiering)")
    return Table(
        caption,
        years,
        years,
        rows,
        _footnotes(budget, lines, "allocation", None),
    )


def _financing(plan: dict, year: int) -> Table:
    budget, lines, sources, amounts = _budget_parts(plan)
    rows = [
        Row(
            line["number"],
            line["title"],
            [amounts.get(line["key"], {}).get(str(year), {}).get(s["key"]) for s in sources],
        )
        for line in lines
    ]
    return Table(
        _("Samla budsjett og finansiering for %(year)s") % {"year": year},
        [s["key"] for s in sources],
        [s["name"] for s in sources],
        rows,
        _footnotes(budget, lines, "financing", year),
    )


def _municipalities(plan: dict) -> list[str]:
    """The names of the municipalities among the plan's parties, in party order."""
    kinds = {org["key"]: org for org in plan.get("organisations", [])}
    parties = [kinds.get(key, {}) for key in plan["agreement"].get("parties", [])]
    return [org["name"] for org in parties if org.get("kind") == "municipality"]
