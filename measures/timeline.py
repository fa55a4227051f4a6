"""The measures on a time axis ("Tidsline for tiltaka"): what the timeline shows.

Plain entries: the overview makes them from the living plan's measures, the annual report from
its frozen plan. timeline_layout.py lays them out for an SVG picture.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .timeline_layout import BAR_STYLES, NARROW, PRINT, WIDE, Painter, Picture


@dataclass(frozen=True)
class Entry:
    """One measure as the timeline needs it; no years: to be considered at the next revision."""

    key: str
    code: str
    title: str
    start_year: int | None
    end_year: int | None
    later: bool = False
    closed: bool = False
    closed_on: datetime.date | None = None
    new: bool = False
    url: str = ""

    @property
    def kind(self) -> str:
        """How its bar is drawn: "closed", "next-revision", "later" or "now"."""
        if self.closed:
            return "closed"
        if self.start_year is None:
            return "next-revision"
        return "later" if self.later else "now"

    @property
    def timeframe(self) -> str:
        if self.start_year is None:
            return _("vurderast ved neste rullering")
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def closed_label(self) -> str:
        if self.closed_on is None:
            return _("avslutta")
        return _("avslutta %(date)s") % {
            "date": formats.date_format(self.closed_on, "SHORT_DATE_FORMAT")
        }

    @property
    def name(self) -> str:
        """The row in words: its accessible name and tooltip."""
        facts = [self.timeframe]
        if self.later:
            facts.append(_("prioritert seinare i perioden"))
        if self.closed:
            facts.append(self.closed_label)
        if self.new:
            facts.append(_("nytt i denne rulleringa"))
        title = _("Tiltak %(code)s: %(title)s") % {"code": self.code, "title": self.title}
        return f"{title} ({', '.join(facts)})"


@dataclass(frozen=True)
class Group:
    """A sub-goal and its measures, in plan order."""

    number: int
    title: str
    entries: tuple[Entry, ...]

    @property
    def heading(self) -> str:
        return _("Delmål %(number)s: %(title)s") % {"number": self.number, "title": self.title}


def new_measure_keys(current: Iterable[str], approved: Iterable[str] | None) -> frozenset[str]:
    """The measures that the last approved plan did not have; none if no plan is approved yet."""
    if approved is None:
        return frozenset()
    return frozenset(current) - frozenset(approved)


def groups_from_sub_goals(sub_goals: Iterable, new_keys: Iterable[str] = ()) -> list[Group]:
    """The living plan's sub-goals, their measures prefetched (the overview's), as groups."""
    new = frozenset(new_keys)
    return [
        Group(
            goal.number,
            goal.title,
            tuple(
                Entry(
                    key=m.key,
                    code=f"{goal.number}.{m.number}",
                    title=m.title,
                    start_year=m.start_year,
                    end_year=m.end_year,
                    later=m.is_later,
                    closed=m.status == m.Status.CLOSED,
                    closed_on=m.closed_on,
                    new=m.key in new,
                    url=m.get_absolute_url(),
                )
                for m in goal.measures.all()
            ),
        )
        for goal in sub_goals
    ]


@dataclass
class Timeline:
    """Every measure of a plan, grouped by sub-goal, against the years of the agreement."""

    first_year: int
    last_year: int
    groups: list[Group]

    @property
    def entries(self) -> list[Entry]:
        return [entry for group in self.groups for entry in group.entries]

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def title(self) -> str:
        return _("Tidsline for tiltaka %(first)s–%(last)s") % {
            "first": self.first_year,
            "last": self.last_year,
        }

    @property
    def description(self) -> str:
        """What the picture shows, in words, for those who do not see it."""
        entries = self.entries
        count = {kind: sum(e.kind == kind for e in entries) for kind in BAR_STYLES}
        later = sum(e.later for e in entries)
        new = sum(e.new for e in entries)
        text = ngettext(
            "%(count)s tiltak i %(groups)s delmål, kvart med ein stolpe over åra det går.",
            "%(count)s tiltak i %(groups)s delmål, kvart med ein stolpe over åra det går.",
            len(entries),
        ) % {"count": len(entries), "groups": len(self.groups)}
        facts = _(
            "%(later)s er prioriterte seinare i perioden (skraverte), %(next)s skal vurderast "
            "ved neste rullering (stipla omriss), %(closed)s er avslutta (grå, med strek der "
            "dei slutta) og %(new)s er nye sidan førre godkjende handlingsplan (merkte NY)."
        ) % {
            "later": later,
            "next": count["next-revision"],
            "closed": count["closed"],
            "new": new,
        }
        return f"{text} {facts} " + _("Tabellane over tiltaka under kvart delmål viser det same.")

    @cached_property
    def narrow(self) -> Picture:
        """The whole timeline in one picture, for a phone."""
        return Painter(self, NARROW, "tidsline-smal").pictures()[0]

    @cached_property
    def wide(self) -> Picture:
        """The whole timeline in one picture, for a wider screen."""
        return Painter(self, WIDE, "tidsline-brei").pictures()[0]

    @cached_property
    def print_pages(self) -> list[Picture]:
        """The timeline in pictures of one printed page each."""
        return Painter(self, PRINT, "tidsline-side").pictures()
