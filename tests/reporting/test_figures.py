"""The timeline on the overview and in the report, read back from the SVG; the report's charts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from measures.models import Measure
from reporting.models import Revision
from reporting.outputs.context import Report
from reporting.outputs.figures import approved_measure_keys, overview_timeline
from reporting.outputs.pdf import report_html
from tests.factories import MeasureFactory, make_agreement
from tests.support import SEED_FILE, read_yaml
from tests.svg import SVG, bars, percent, pictures, text_of


def seed_timeframes() -> dict[str, tuple[str, str, str]]:
    """Each seed measure's expected bar, from the fixture: (kind, start, end)."""
    data = read_yaml(SEED_FILE.read_text(encoding="utf-8"))
    expected = {}
    for goal in data["sub_goals"]:
        for m in goal["measures"]:
            frame = m["timeframe"]
            if frame == "next_revision":
                expected[m["key"]] = ("next-revision", "", "")
            else:
                kind = "later" if m.get("priority") == "later" else "now"
                expected[m["key"]] = (kind, str(frame["start"]), str(frame["end"]))
    return expected


def drawn(svg) -> dict[str, tuple[str, str, str]]:
    return {
        r.get("data-key"): (r.get("data-kind"), r.get("data-start"), r.get("data-end"))
        for r in bars(svg, "data-key")
    }


def overview(client, slug: str = "vest-telemark") -> str:
    return client.get(reverse("measures:agreement-detail", args=[slug])).text


def test_the_overview_draws_one_bar_per_measure_with_the_seed_years(owner_client):
    expected = seed_timeframes()
    assert len(expected) == 14
    assert {kind for kind, _, _ in expected.values()} == {"now", "later", "next-revision"}
    narrow, wide = pictures(overview(owner_client), "timeline")
    for svg in (narrow, wide):
        assert len(bars(svg, "data-key")) == 14
        assert drawn(svg) == expected


def test_each_row_links_to_its_measure_and_the_picture_is_named(owner_client, seed):
    html = overview(owner_client)
    for svg in pictures(html, "timeline"):
        links = {a.get("href") for a in svg.iter(f"{SVG}a")}
        assert links == {m.get_absolute_url() for m in seed.measures.all()}
        assert svg.get("role") == "group"  # links inside: not an image
        title = next(svg.iter(f"{SVG}title"))
        assert title.get("id") == svg.get("aria-labelledby")
        assert title.text == "Tidsline for tiltaka 2025–2028"
        assert "14 tiltak i 3 delmål" in text_of(svg)
    # The tables it summarises stay on the page.
    assert html.count('class="ds-table measure-table"') == 3


def test_later_measures_are_hatched_and_labelled(owner_client):
    (narrow, _) = pictures(overview(owner_client), "timeline")
    later = [r for r in bars(narrow, "data-key") if r.get("data-kind") == "later"]
    assert later and all(r.get("fill").startswith("url(#") for r in later)
    row = next(a for a in narrow.iter(f"{SVG}a") if a.get("data-key") == "gott-nokk")
    assert "(seinare)" in "".join(row.itertext())


def test_a_closed_measure_ends_at_its_closing_date_and_says_so(owner_client, seed):
    closed = seed.measures.get(key="kompetansesirkel")
    closed.close(datetime.date(2026, 6, 30), version=closed.version)
    (narrow, _) = pictures(overview(owner_client), "timeline")
    rect = next(r for r in bars(narrow, "data-key") if r.get("data-key") == "kompetansesirkel")
    assert (rect.get("data-kind"), rect.get("data-start"), rect.get("data-end")) == (
        "closed",
        "2025",
        "2026-06-30",
    )
    end = percent(rect.get("x")) + percent(rect.get("width"))
    assert end == pytest.approx((1 + 181 / 365) * 25, abs=0.01)
    row = next(a for a in narrow.iter(f"{SVG}a") if a.get("data-key") == "kompetansesirkel")
    assert "avslutta 30.06.2026" in "".join(row.itertext())
    assert any(line.get("x1") == line.get("x2") for line in row.iter(f"{SVG}line"))


def test_a_measure_added_since_the_approved_plan_is_marked_new(owner_client, seed):
    assert approved_measure_keys(seed) == set(seed_timeframes())
    goal = seed.sub_goals.get(number=2)
    MeasureFactory(sub_goal=goal, key="ny-ide", number=9, start_year=2027, end_year=2028)
    (narrow, _) = pictures(overview(owner_client), "timeline")
    new = [r.get("data-key") for r in bars(narrow, "data-key") if r.get("data-new")]
    assert new == ["ny-ide"]
    row = next(a for a in narrow.iter(f"{SVG}a") if a.get("data-key") == "ny-ide")
    assert "".join(row.itertext()).count("NY") == 1
    assert "1 er nye sidan førre godkjende handlingsplan" in text_of(narrow)


def test_nothing_is_new_before_a_plan_is_approved(db):
    agreement = make_agreement(goals=1)
    MeasureFactory(sub_goal=agreement.sub_goals.get(), key="forste")
    assert approved_measure_keys(agreement) is None
    sub_goals = agreement.sub_goals.prefetch_related("measures")
    timeline = overview_timeline(agreement, sub_goals)
    assert [e.key for e in timeline.entries] == ["forste"]
    assert not any(e.new for e in timeline.entries)


def test_the_report_has_the_timeline_as_its_own_section_in_the_contents(seed):
    html = report_html(Report.from_revision(Revision.objects.get(agreement=seed, year=2025)))
    assert '<a href="#tidsline">2.2 Tidsline for tiltaka</a>' in html
    assert html.index('id="tidsline"') < html.index('id="delmal"')
    pages = pictures(html, "timeline")
    assert pages
    found = {}
    for svg in pages:
        assert svg.get("role") == "img"
        found |= drawn(svg)
    assert found == seed_timeframes()


def test_the_report_of_the_next_year_marks_measures_new_since_the_approved_one(seed):
    MeasureFactory(sub_goal=seed.sub_goals.get(number=1), key="nytt", number=9)
    report = Report.draft(seed, 2026)
    assert [e.key for e in report.timeline.entries if e.new] == ["nytt"]
    assert [m.key for m in report.changes.new] == ["nytt"]


def test_a_big_plan_spans_pages_with_every_measure_once(seed):
    goal = seed.sub_goals.get(number=3)
    Measure.objects.bulk_create(
        Measure(
            agreement=seed,
            sub_goal=goal,
            key=f"ekstra-{n}",
            number=n,
            title=f"Eit ekstra tiltak med ein lang tittel som må brytast, nummer {n}",
            start_year=2026,
            end_year=2028,
        )
        for n in range(10, 136)
    )
    html = report_html(Report.draft(seed, 2026))
    pages = pictures(html, "timeline")
    assert len(pages) >= 3
    keys = [r.get("data-key") for svg in pages for r in bars(svg, "data-key")]
    assert len(keys) == len(set(keys)) == 140
    assert all("(del " in next(svg.iter(f"{SVG}title")).text for svg in pages)


def test_the_report_charts_sum_to_its_tables(seed):
    report = Report.from_revision(Revision.objects.get(agreement=seed, year=2025))
    html = report_html(report)
    (years,) = pictures(html, "years")
    (sources,) = pictures(html, "sources")
    assert sum(int(r.get("data-kroner")) for r in bars(years, "data-kroner")) == (
        report.allocation.total
    )
    assert sum(int(r.get("data-kroner")) for r in bars(sources, "data-kroner")) == (
        report.financing.total
    )
    assert "Finansiering for 2025 etter kjelde" in text_of(sources)
