"""The timeline of the measures laid out for an SVG picture, in each medium.

x is a percentage of the picture's width, so one picture fits a phone, a wide screen and an A4
page without shrinking its text; y is in CSS pixels. In print a long timeline is cut into
pictures of a page each, with the years repeated.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from bygdevekst.colours import token

if TYPE_CHECKING:
    from .timeline import Entry, Timeline

# How each kind of bar is drawn: fill, stroke, dashes. "later" is also hatched (a pattern each
# picture defines), "next-revision" only outlined: none is told from the others by colour alone.
BAR_STYLES = {
    "now": (token("accent-base-default"), token("accent-base-default"), ""),
    "later": (token("accent-surface-tinted"), token("accent-base-default"), ""),
    "next-revision": ("#ffffff", token("neutral-text-subtle"), "5 3"),
    "closed": (token("neutral-surface-tinted"), token("neutral-text-subtle"), ""),
}


@dataclass(frozen=True)
class Layout:
    """The sizes of one medium: CSS pixels, but `label_share` (percent) and `wrap` (characters).

    With `label_share` 0 each label stands above its bar (narrow screens); otherwise the labels
    take that share of the width on the left. `page` is the height of one picture in print.
    """

    label_share: float
    wrap: int
    font: float
    line: float
    bar: float
    gap: float
    small: float = 11
    title: str = "accent-text-subtle"  # the colour token of the titles: links on screen
    page: float | None = None
    first_page: float | None = None
    max_lines: int = 3


# A phone: each label above its bar. Wider screens (charts.css switches at 48rem, where the
# label column is 280 px wide at least): labels on the left.
NARROW = Layout(label_share=0, wrap=44, font=13, line=17, bar=14, gap=12)
WIDE = Layout(label_share=38, wrap=40, font=13, line=17, bar=14, gap=9)
# A4 with the report's margins is 168 mm wide: the label column holds about 44 characters.
PRINT = Layout(
    label_share=40,
    wrap=44,
    font=10,
    line=12.5,
    bar=11,
    gap=7,
    small=8,
    title="neutral-text-default",
    page=900,
    first_page=700,
)


@dataclass
class Span:
    """A run of text in one style."""

    text: str
    fill: str
    weight: int = 400
    keep: bool = True


@dataclass
class TextLine:
    y: float
    spans: list[Span]


@dataclass
class Bar:
    """A measure's bar; `start` and `end` say which years (or closing date) it covers."""

    x: str
    width: str
    y: float
    height: float
    fill: str
    hatched: bool
    stroke: str
    dash: str
    start: str
    end: str
    end_mark: str | None = None
    note: str = ""
    note_x: str = ""

    @property
    def mark_top(self) -> float:
        """The closing mark stands out above and below the bar."""
        return self.y - 3

    @property
    def mark_bottom(self) -> float:
        return self.y + self.height + 3

    @property
    def note_y(self) -> float:
        """The baseline of the note written inside an outlined bar."""
        return self.y + self.height * 0.78


@dataclass
class Row:
    """A measure (with its bar), a sub-goal heading, or the years again (`axis_y` set)."""

    top: float
    height: float
    lines: list[TextLine]
    entry: Entry | None = None
    bar: Bar | None = None
    axis_y: float | None = None


@dataclass
class YearColumn:
    label: str
    x: str
    width: str
    centre: str
    shaded: bool


@dataclass
class Picture:
    """One SVG: the year axis, and the rows that fit it."""

    id: str
    title: str
    description: str
    layout: Layout
    columns: list[YearColumn]
    rows: list[Row] = field(default_factory=list)
    height: float = 0
    axis_y: float = 0
    foot_axis_y: float | None = None


def _percent(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "%"


def _year_fraction(day: datetime.date) -> float:
    """The end of the day as a year with a fraction: 31 December 2026 is 2027.0."""
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + day.timetuple().tm_yday / days


def _wrap(spans: list[Span], width: int, max_lines: int) -> list[list[Span]]:
    """Spans broken into lines of about `width` characters, words kept whole; the last cut short.

    A span marked `keep` (a tag, a code, a note in brackets) is never split.
    """
    words = [
        Span(piece, span.fill, span.weight)
        for span in spans
        for word in ([span.text] if span.keep else span.text.split())
        # A word longer than a line (a title without spaces) is cut into line-long pieces:
        # an SVG label does not wrap, and would run out of the picture and the page.
        for piece in ([word] if span.keep else _pieces(word, width))
    ]
    lines: list[list[Span]] = [[]]
    length = 0
    for word in words:
        if lines[-1] and length + 1 + len(word.text) > width:
            if len(lines) == max_lines:
                lines[-1][-1] = Span(
                    lines[-1][-1].text + " …", lines[-1][-1].fill, lines[-1][-1].weight
                )
                break
            lines.append([])
            length = 0
        lines[-1].append(word)
        length += len(word.text) + (1 if length else 0)
    return [_merge(line) for line in lines]


def _pieces(word: str, width: int) -> list[str]:
    """The word in pieces of at most `width` characters."""
    return [word[start : start + width] for start in range(0, len(word), width)] or [word]


def _merge(words: list[Span]) -> list[Span]:
    """Neighbouring words of the same style as one span, spaces between them."""
    merged: list[Span] = []
    for word in words:
        if merged and (merged[-1].fill, merged[-1].weight) == (word.fill, word.weight):
            merged[-1] = Span(f"{merged[-1].text} {word.text}", word.fill, word.weight)
        else:
            text = f" {word.text}" if merged else word.text
            merged.append(Span(text, word.fill, word.weight))
    return merged


class Painter:
    """Lays a timeline out in one medium, cutting it into pictures where a page is full."""

    def __init__(self, timeline: Timeline, layout: Layout, prefix: str) -> None:
        self.timeline = timeline
        self.layout = layout
        self.prefix = prefix
        self.share = (100 - layout.label_share) / len(timeline.years)
        # A long timeline on screen, far from the years at its top, has them under each heading.
        self.repeats_years = layout.page is None and len(timeline.entries) > 24

    def x(self, when: float) -> float:
        """Where a moment (a year with a fraction) lies, in percent of the width."""
        return self.layout.label_share + (when - self.timeline.first_year) * self.share

    def pictures(self) -> list[Picture]:
        pictures = [self._new_picture(1)]
        for group in self.timeline.groups:
            for index, entry in enumerate(group.entries or (None,)):
                picture, title = pictures[-1], group.heading if index == 0 else None
                needed = self._row(entry, 0).height if entry else 0
                if title:
                    needed += self._heading(title, 0).height
                if self._full(picture, picture.height + needed):
                    picture = self._new_picture(len(pictures) + 1)
                    pictures.append(picture)
                    title = group.heading if index == 0 else f"{group.heading} " + _("(framhald)")
                if title:
                    self._add(picture, self._heading(title, picture.height))
                    if self.repeats_years and len(picture.rows) > 1:
                        self._add(picture, self._axis(picture.height))
                if entry:
                    self._add(picture, self._row(entry, picture.height))
        for number, picture in enumerate(pictures, 1):
            self._finish(picture, number, len(pictures))
        return pictures

    @staticmethod
    def _add(picture: Picture, row: Row) -> None:
        picture.rows.append(row)
        picture.height += row.height

    def _full(self, picture: Picture, bottom: float) -> bool:
        budget = self.layout.page
        if budget is None or not picture.rows:
            return False
        if picture.id.endswith("-1") and self.layout.first_page:
            budget = self.layout.first_page
        return bottom > budget

    def _new_picture(self, number: int) -> Picture:
        layout = self.layout
        columns = [
            YearColumn(
                str(year),
                _percent(self.x(year)),
                _percent(self.share),
                _percent(self.x(year + 0.5)),
                index % 2 == 0,
            )
            for index, year in enumerate(self.timeline.years)
        ]
        return Picture(
            id=f"{self.prefix}-{number}",
            title=self.timeline.title,
            description=self.timeline.description,
            layout=layout,
            columns=columns,
            height=layout.line + 6,
            axis_y=layout.font + 1,
        )

    def _finish(self, picture: Picture, number: int, count: int) -> None:
        layout = self.layout
        if count > 1:
            picture.title += " " + _("(del %(number)s av %(count)s)") % {
                "number": number,
                "count": count,
            }
        # A tall picture on screen repeats the years below its last row.
        if layout.page is None and len(picture.rows) > 12:
            picture.foot_axis_y = picture.height + layout.font
            picture.height += layout.line + 4
        picture.height += 2

    def _heading(self, text: str, top: float) -> Row:
        layout = self.layout
        # In the label column, clear of the bars; its bolder letters take a little more room.
        span = Span(text, token("accent-text-default"), 600, keep=False)
        lines = _wrap([span], layout.wrap - 2, layout.max_lines)
        return Row(
            top,
            len(lines) * layout.line + 8,
            [self._line(top + 6, i, spans) for i, spans in enumerate(lines)],
        )

    def _axis(self, top: float) -> Row:
        return Row(top, self.layout.line + 2, [], axis_y=top + self.layout.font)

    def _line(self, top: float, index: int, spans: list[Span]) -> TextLine:
        """The `index`th line of text below `top`, its baseline set in its line's height."""
        layout = self.layout
        return TextLine(
            top + (index + 1) * layout.line - (layout.line - layout.font) / 2 - 1, spans
        )

    def _row(self, entry: Entry, top: float) -> Row:
        layout = self.layout
        lines = _wrap(self._label(entry), layout.wrap, layout.max_lines)
        text_height = len(lines) * layout.line
        if layout.label_share:
            height = max(text_height, layout.bar + 4)
            bar_y = top + (height - layout.bar) / 2
        else:
            height = text_height + 2 + layout.bar
            bar_y = top + text_height + 2
        text_lines = [self._line(top, i, spans) for i, spans in enumerate(lines)]
        return Row(top, height + layout.gap, text_lines, entry, self._bar(entry, bar_y))

    def _label(self, entry: Entry) -> list[Span]:
        spans = []
        if entry.new:
            spans.append(Span(_("NY"), token("success-text-subtle"), 700))
        spans.append(Span(entry.code, token("neutral-text-default"), 600))
        spans.append(Span(entry.title, token(self.layout.title), keep=False))
        notes = [_("seinare")] if entry.later else []
        if entry.closed:
            notes.append(entry.closed_label)
        if notes:
            spans.append(Span(f"({', '.join(notes)})", token("neutral-text-subtle")))
        return spans

    def _bar(self, entry: Entry, y: float) -> Bar:
        first, after_last = self.timeline.first_year, self.timeline.last_year + 1
        start = min(max(entry.start_year or first, first), after_last)
        end = min(max((entry.end_year or after_last - 1) + 1, start), after_last)
        data_end = "" if entry.end_year is None else str(entry.end_year)
        end_mark = None
        if entry.closed and entry.closed_on is not None:
            end = min(max(_year_fraction(entry.closed_on), start), after_last)
            data_end = entry.closed_on.isoformat()
            end_mark = _percent(self.x(end))
        fill, stroke, dash = BAR_STYLES[entry.kind]
        bar = Bar(
            x=_percent(self.x(start)),
            width=_percent(self.x(end) - self.x(start)),
            y=y,
            height=self.layout.bar,
            fill=fill,
            hatched=entry.kind == "later",
            stroke=stroke,
            dash=dash,
            start="" if entry.start_year is None else str(entry.start_year),
            end=data_end,
            end_mark=end_mark,
        )
        if entry.start_year is None:
            bar.note = _("vurderast ved neste rullering")
            bar.note_x = _percent(self.x((start + end) / 2))
        return bar
