"""The budget tables at a glance: bar charts of sections 6 and 7, laid out for SVG.

`YearChart` draws the state co-financing of each year as a stacked bar, a segment per budget
line (section 6); `SourceChart` one year's financing as a bar per funding source (section 7).
Both read a `Table` (budget/tables.py), which the budget page and the annual report print
beside them, so the bars add up to the table's totals by construction. As in
measures/timeline_layout.py, x is a percentage of the picture's width and y is in CSS pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from bygdevekst.colours import token

from .money import as_kroner
from .tables import Table

# A colour and a pattern for each budget line in turn, so neighbours differ in both.
SERIES = [
    (token("accent-base-default"), "solid"),
    (token("brand1-base-default"), "diagonal"),
    (token("brand2-base-default"), "dots"),
    (token("warning-text-subtle"), "cross"),
    (token("neutral-text-subtle"), "horizontal"),
    (token("accent-text-default"), "backdiagonal"),
]


@dataclass(frozen=True)
class Size:
    """Text and bar sizes of one medium, in CSS pixels."""

    font: float
    small: float
    plot: float  # height of the year chart's bars at their tallest
    bar: float  # thickness of a source bar
    line: float
    gap: float


SCREEN = Size(font=13, small=12, plot=220, bar=16, line=18, gap=12)
PRINT = Size(font=10, small=9, plot=170, bar=11, line=13, gap=8)


def as_millions(kroner: int) -> str:
    """An amount in millions the Norwegian way, as an axis or a bar's top says it: "5,7 mill."."""
    if kroner == 0:
        return "0"
    number = f"{kroner / 1_000_000:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return _("%(number)s mill.") % {"number": number}


def _percent(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "%"


def _scale(largest: int) -> tuple[int, list[int]]:
    """A round top for the axis and the ticks up to it: at most five steps of 1, 2, 2.5 or 5.

    No money at all: an axis of one krone with a single tick at 0, and no bars.
    """
    if largest <= 0:
        return 1, [0]
    rough = largest / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    # Whole kroner: a step of at least one, whatever the amounts.
    step = max(next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough), 1)
    steps = math.ceil(largest / step)
    return int(steps * step), [int(i * step) for i in range(steps + 1)]


@dataclass
class Series:
    """A budget line: its number, title, colour and pattern."""

    index: int
    number: int | None
    title: str
    colour: str
    pattern: str

    @property
    def label(self) -> str:
        return f"{self.number}" if self.number is not None else ""


@dataclass
class Segment:
    series: Series
    year: str
    kroner: int
    y: float
    height: float
    label_y: float = 0
    labelled: bool = False  # tall enough to write the line's number in

    @property
    def name(self) -> str:
        return f"{self.series.title}, {self.year}: {as_kroner(self.kroner)}"


@dataclass
class Column:
    label: str
    total: int
    x: str
    width: str
    centre: str
    segments: list[Segment] = field(default_factory=list)
    top: float = 0

    @property
    def total_label(self) -> str:
        """Short enough to stand above a bar on a phone: "11,7 mill."."""
        return as_millions(self.total)

    @property
    def total_y(self) -> float:
        return self.top - 5


@dataclass
class Tick:
    y: float
    label: str


# Share of the width left of the year chart's bars, for the axis labels ("10 mill.").
GUTTER = 17


@dataclass
class YearPicture:
    """The year chart laid out in one medium."""

    id: str
    size: Size
    columns: list[Column]
    ticks: list[Tick]
    height: float
    base: float
    gutter: str = _percent(GUTTER)
    tick_x: str = _percent(GUTTER - 1.5)

    @property
    def year_y(self) -> float:
        return self.base + self.size.line


@dataclass
class YearChart:
    """Section 6 as stacked bars: a bar per year, a segment per budget line."""

    table: Table
    kind = "years"

    @cached_property
    def series(self) -> list[Series]:
        return [
            Series(i, row.number, row.title, *SERIES[i % len(SERIES)])
            for i, row in enumerate(self.table.rows)
        ]

    @property
    def total(self) -> int:
        return self.table.total

    @property
    def title(self) -> str:
        return _("Statleg medfinansiering per år, fordelt på delmål og andre budsjettliner")

    @property
    def description(self) -> str:
        years = "; ".join(
            f"{label}: {as_kroner(self.table.column_total(key))}"
            for key, label in zip(self.table.column_keys, self.table.column_labels, strict=True)
        )
        lines = "; ".join(
            f"{s.number}. {s.title}: {as_kroner(row.total)}"
            for s, row in zip(self.series, self.table.rows, strict=True)
        )
        return (
            _("Ein stabla stolpe for kvart år, delt etter budsjettline.")
            + " "
            + _("Til saman %(total)s.") % {"total": as_kroner(self.total)}
            + f" {_('Per år')}: {years}. {_('Per line')}: {lines}. "
            + _("Tabellen ved sida av viser dei same tala.")
        )

    @cached_property
    def screen(self) -> YearPicture:
        return self._layout(SCREEN, "budsjett-ar")

    @cached_property
    def print(self) -> YearPicture:
        return self._layout(PRINT, "rapport-budsjett-ar")

    def _layout(self, size: Size, prefix: str) -> YearPicture:
        table = self.table
        top, ticks = _scale(max((table.column_total(k) for k in table.column_keys), default=0))
        head = size.font + 8  # room for the totals above the bars
        base = head + size.plot
        per_krone = size.plot / top
        share = (100 - GUTTER) / max(len(table.column_keys), 1)
        columns = []
        for i, (key, label) in enumerate(zip(table.column_keys, table.column_labels, strict=True)):
            column = Column(
                label,
                table.column_total(key),
                _percent(GUTTER + (i + 0.2) * share),
                _percent(0.6 * share),
                _percent(GUTTER + (i + 0.5) * share),
            )
            bottom = base
            for series, row in zip(self.series, table.rows, strict=True):
                kroner = row.cells[i] or 0
                if kroner:
                    height = kroner * per_krone
                    bottom -= height
                    segment = Segment(series, label, kroner, bottom, height)
                    segment.label_y = bottom + height / 2 + size.small * 0.36
                    segment.labelled = height >= size.small + 3
                    column.segments.append(segment)
            column.top = bottom
            columns.append(column)
        return YearPicture(
            id=prefix,
            size=size,
            columns=columns,
            ticks=[Tick(base - t * per_krone, as_millions(t)) for t in ticks],
            height=base + size.line + 4,
            base=base,
        )


@dataclass
class SourceBar:
    key: str
    label: str
    kroner: int
    share: int
    text_y: float
    y: float
    width: str

    @property
    def amount(self) -> str:
        return as_kroner(self.kroner)


@dataclass
class SourcePicture:
    id: str
    size: Size
    bars: list[SourceBar]
    height: float


@dataclass
class SourceChart:
    """Section 7 as bars: the year's money from each funding source."""

    table: Table
    year: int
    kind = "sources"

    @property
    def total(self) -> int:
        return self.table.total

    @property
    def title(self) -> str:
        return _("Finansiering for %(year)s etter kjelde") % {"year": self.year}

    @property
    def description(self) -> str:
        sources = "; ".join(
            f"{label}: {as_kroner(self.table.column_total(key))}"
            for key, label in zip(self.table.column_keys, self.table.column_labels, strict=True)
        )
        return (
            _("Ein stolpe for kvar finansieringskjelde.")
            + " "
            + _("Til saman %(total)s.") % {"total": as_kroner(self.total)}
            + f" {sources}. "
            + _("Tabellen ved sida av viser dei same tala per budsjettline.")
        )

    @cached_property
    def screen(self) -> SourcePicture:
        return self._layout(SCREEN, "budsjett-kjelder")

    @cached_property
    def print(self) -> SourcePicture:
        return self._layout(PRINT, "rapport-budsjett-kjelder")

    def _layout(self, size: Size, prefix: str) -> SourcePicture:
        table = self.table
        totals = [table.column_total(key) for key in table.column_keys]
        largest = max(totals, default=0) or 1
        bars, top = [], 0.0
        for key, label, kroner in zip(table.column_keys, table.column_labels, totals, strict=True):
            share = round(100 * kroner / self.total) if self.total else 0
            text_y = top + size.line - 4
            bars.append(
                SourceBar(
                    key,
                    label,
                    kroner,
                    share,
                    text_y,
                    top + size.line,
                    _percent(100 * kroner / largest),
                )
            )
            top += size.line + size.bar + size.gap
        return SourcePicture(prefix, size, bars, top + 2)


@dataclass
class MoneyCharts:
    """Both charts of a plan's money: section 6 by year, section 7 by source for one year."""

    allocation: YearChart
    financing: SourceChart

    @classmethod
    def from_tables(cls, allocation: Table, financing: Table, year: int) -> MoneyCharts:
        return cls(YearChart(allocation), SourceChart(financing, year))


@dataclass
class SmallBar:
    label: str
    kroner: int
    x: str
    width: str
    y: float
    height: float
    current: bool
    centre: str

    @property
    def amount(self) -> str:
        return as_kroner(self.kroner)


@dataclass
class YearBars:
    """A table's sums per year as a row of small bars, for a table cell (KDD's front page).

    `top` is the largest sum of every picture drawn beside it, so that bars in one column of
    the page compare: a pilot with twice the money has bars twice as tall.
    """

    id: str
    labels: list[str]
    totals: list[int]
    top: int
    current: str = ""
    plot: float = 28  # the tallest bar; the years are written below

    @property
    def base(self) -> float:
        return self.plot + 1

    @property
    def height(self) -> float:
        return self.plot + 16

    @property
    def year_y(self) -> float:
        return self.plot + 14

    @classmethod
    def from_table(cls, id: str, table: Table, top: int, current: str = "") -> YearBars:
        totals = [table.column_total(key) for key in table.column_keys]
        return cls(id, list(table.column_labels), totals, top, current)

    @property
    def bars(self) -> list[SmallBar]:
        share = 100 / max(len(self.totals), 1)
        per_krone = self.plot / self.top if self.top > 0 else 0
        bars = []
        for i, (label, kroner) in enumerate(zip(self.labels, self.totals, strict=True)):
            height = max(kroner * per_krone, 1 if kroner else 0)
            bars.append(
                SmallBar(
                    label,
                    kroner,
                    _percent((i + 0.15) * share),
                    _percent(0.7 * share),
                    self.base - height,
                    height,
                    label == self.current,
                    _percent((i + 0.5) * share),
                )
            )
        return bars

    @property
    def description(self) -> str:
        pairs = zip(self.labels, self.totals, strict=True)
        return "; ".join(f"{label}: {as_kroner(kroner)}" for label, kroner in pairs) + "."
