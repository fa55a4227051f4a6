"""The timeline's layout, from plain entries: bars, closing dates, new marks, pages."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string

from measures.timeline import Entry, Group, Timeline, new_measure_keys
from measures.timeline_layout import NARROW, PRINT, WIDE, Painter, Span, _wrap
from tests.svg import bars, percent, pictures, text_of


def entry(key: str, start: int | None = 2025, end: int | None = 2028, **facts) -> Entry:
    return Entry(
        key=key, code="1.1", title=f"Tiltak {key}", start_year=start, end_year=end, **facts
    )


def timeline(*entries: Entry) -> Timeline:
    return Timeline(2025, 2028, [Group(1, "Bustader", tuple(entries))])


def bar_of(picture, key: str):
    return next(row.bar for row in picture.rows if row.entry and row.entry.key == key)


def test_new_measures_are_those_the_approved_plan_lacks():
    assert new_measure_keys(["a", "b", "c"], {"a", "gone"}) == {"b", "c"}
    assert new_measure_keys(["a", "b"], None) == frozenset()  # nothing approved yet: none new


@pytest.mark.parametrize("layout", [NARROW, WIDE, PRINT])
def test_a_bar_spans_the_years_of_its_timeframe(layout):
    picture = Painter(timeline(entry("heile"), entry("seinare", 2026, 2027)), layout, "t")
    first = picture.pictures()[0]
    share = (100 - layout.label_share) / 4
    whole, later = bar_of(first, "heile"), bar_of(first, "seinare")
    assert percent(whole.x) == pytest.approx(layout.label_share)
    assert percent(whole.width) == pytest.approx(4 * share)
    assert percent(later.x) == pytest.approx(layout.label_share + share)
    assert percent(later.width) == pytest.approx(2 * share)
    assert (later.start, later.end) == ("2026", "2027")


def test_kinds_are_drawn_apart_and_said_in_words():
    line = timeline(
        entry("no"),
        entry("seinare", 2026, 2028, later=True),
        entry("neste", None, None, later=True),
        entry("slutt", closed=True, closed_on=datetime.date(2026, 6, 30)),
    )
    kinds = {e.key: e.kind for e in line.entries}
    assert kinds == {"no": "now", "seinare": "later", "neste": "next-revision", "slutt": "closed"}
    picture = line.wide
    assert bar_of(picture, "seinare").hatched
    assert bar_of(picture, "neste").dash and bar_of(picture, "neste").note
    assert "(seinare)" in [
        s.text.strip() for row in picture.rows for ln in row.lines for s in ln.spans
    ]
    assert "1 skal vurderast ved neste rullering" in line.description
    assert "1 er avslutta" in line.description


def test_a_measure_to_be_considered_at_the_next_revision_has_no_years():
    bar = bar_of(timeline(entry("neste", None, None)).narrow, "neste")
    assert (bar.start, bar.end) == ("", "")
    assert bar.note == "vurderast ved neste rullering"


def test_a_closed_measure_ends_at_its_closing_date():
    closed_on = datetime.date(2026, 6, 30)
    bar = bar_of(timeline(entry("slutt", closed=True, closed_on=closed_on)).narrow, "slutt")
    # 30 June is day 181 of 365: the bar ends that far into 2026, the second of four years.
    assert percent(bar.x) + percent(bar.width) == pytest.approx((1 + 181 / 365) * 25, abs=0.01)
    assert bar.end == "2026-06-30"
    assert percent(bar.end_mark) == pytest.approx((1 + 181 / 365) * 25, abs=0.01)


def test_a_closing_date_outside_the_bar_is_kept_within_the_period():
    early = entry("tidleg", 2026, 2028, closed=True, closed_on=datetime.date(2025, 3, 1))
    late = entry("seint", closed=True, closed_on=datetime.date(2031, 1, 1))
    picture = timeline(early, late).narrow
    assert percent(bar_of(picture, "tidleg").width) == 0
    assert percent(bar_of(picture, "seint").x) + percent(bar_of(picture, "seint").width) == 100


def test_new_measures_are_labelled_not_only_coloured():
    picture = timeline(entry("ny", new=True)).narrow
    row = next(row for row in picture.rows if row.entry)
    assert row.lines[0].spans[0].text == "NY"
    assert "nytt i denne rulleringa" in row.entry.name


def test_long_titles_wrap_and_stop_at_the_last_line():
    title = Span(" ".join(["ordet"] * 60), "#000", keep=False)
    lines = _wrap([Span("1.1", "#000"), title], 20, 3)
    assert len(lines) == 3
    assert all(sum(len(s.text) for s in line) <= 22 for line in lines)
    assert lines[-1][-1].text.endswith("…")


def big_timeline(goals: int = 10, per_goal: int = 14) -> Timeline:
    return Timeline(
        2025,
        2028,
        [
            Group(
                g,
                f"Delmål med eit langt namn nummer {g}",
                tuple(
                    Entry(
                        f"t-{g}-{m}", f"{g}.{m}", "Eit tiltak med ein lang tittel " * 2, 2026, 2028
                    )
                    for m in range(1, per_goal + 1)
                ),
            )
            for g in range(1, goals + 1)
        ],
    )


def test_a_title_without_spaces_is_cut_into_lines_that_fit():
    """An SVG label does not wrap: a 200-character word would run out of the picture."""
    word = "Lang" + "x" * 196
    lines = _wrap([Span("1.9", "#000"), Span(word, "#000", keep=False)], 40, 3)
    assert len(lines) == 3
    assert all(sum(len(s.text) for s in line) <= 44 for line in lines)
    assert "".join(s.text for s in lines[0]).startswith("1.9")
    assert lines[-1][-1].text.endswith("…")


def test_a_long_timeline_is_cut_into_pages_each_with_the_years():
    pages = big_timeline().print_pages
    assert len(pages) > 3
    keys = [row.entry.key for page in pages for row in page.rows if row.entry]
    assert len(keys) == len(set(keys)) == 140
    for number, page in enumerate(pages, 1):
        assert [column.label for column in page.columns] == ["2025", "2026", "2027", "2028"]
        assert page.height <= PRINT.page + 10
        assert page.title.endswith(f"(del {number} av {len(pages)})")
        assert page.rows[0].entry is None  # a page starts with its sub-goal's heading
    continued = [" ".join(s.text for ln in p.rows[0].lines for s in ln.spans) for p in pages[1:]]
    assert any("(framhald)" in text for text in continued)


def test_the_picture_is_well_formed_svg_with_a_title_and_description():
    line = big_timeline(2, 3)
    html = render_to_string("_timeline.svg", {"picture": line.narrow, "links": False})
    (svg,) = pictures(html, "timeline")
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby"), svg.get("aria-describedby")
    assert {e.get("id") for e in svg} >= {title_id, desc_id}
    assert len(bars(svg, "data-key")) == 6
    assert "6 tiltak i 2 delmål" in text_of(svg)
