"""The change list's comparison, tested on its own with generated plans (hypothesis)."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.revision.changes import compare

words = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå ", min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
ORGS = ["a", "b", "c", "d"]


@st.composite
def measures(draw, key: str, number: int) -> dict:
    start = draw(st.integers(2025, 2028))
    return {
        "key": key,
        "number": number,
        "title": draw(words),
        "tagline": draw(st.one_of(st.just(""), words)),
        "leads": draw(st.lists(st.sampled_from(ORGS), unique=True, max_size=3)),
        "partners": draw(st.lists(st.sampled_from(ORGS), unique=True, max_size=3)),
        "timeframe": draw(
            st.one_of(
                st.just("next_revision"),
                st.just({"start": start, "end": draw(st.integers(start, 2028))}),
            )
        ),
        "priority": draw(st.sampled_from(["now", "later"])),
        "sections": [
            {"kind": kind, "body": draw(words)}
            for kind in draw(
                st.lists(
                    st.sampled_from(["challenge", "description", "first_steps"]),
                    unique=True,
                    max_size=3,
                )
            )
        ],
    }


@st.composite
def plans(draw) -> dict:
    count = draw(st.integers(1, 8))
    goals = [
        {"number": n, "title": draw(words), "main_goal": draw(words), "weight": 50, "measures": []}
        for n in (1, 2)
    ]
    for index in range(count):
        goal = goals[draw(st.integers(0, 1))]
        goal["measures"].append(draw(measures(f"m{index}", len(goal["measures"]) + 1)))
    amounts = {"l1": {"2025": {"kdd": draw(st.integers(0, 10**7))}}}
    return {
        "organisations": [{"key": k, "name": f"Org {k.upper()}"} for k in ORGS],
        "sub_goals": goals,
        "budget": {
            "lines": [{"key": "l1", "title": "Line 1"}],
            "sources": [{"key": "kdd", "name": "KDD"}],
            "amounts": amounts,
        },
    }


def all_measures(plan: dict) -> list[dict]:
    return [m for goal in plan["sub_goals"] for m in goal["measures"]]


@settings(max_examples=60, deadline=None)
@given(plans())
def test_a_plan_compared_with_itself_has_no_changes(plan):
    assert compare(plan, copy.deepcopy(plan)).is_empty


CHANGES = {
    "title": ("Tittel", lambda m: m.update(title=m["title"] + " endra")),
    "tagline": ("Undertittel", lambda m: m.update(tagline=m["tagline"] + " ny")),
    "priority": (
        "Prioritet",
        lambda m: m.update(priority="later" if m["priority"] == "now" else "now"),
    ),
    "timeframe": (
        "Tidsramme",
        lambda m: m.update(
            timeframe={"start": 2025, "end": 2026}
            if m["timeframe"] != {"start": 2025, "end": 2026}
            else "next_revision"
        ),
    ),
    "partners": (
        "Samarbeidspartar",
        lambda m: m.update(partners=m["partners"][:-1] if m["partners"] else ["a"]),
    ),
    "number": ("Nummer", lambda m: m.update(number=m["number"] + 100)),
    "section": (
        "Tekst: Utfordring",
        lambda m: m.update(
            sections=[s for s in m["sections"] if s["kind"] != "challenge"]
            + [{"kind": "challenge", "body": "heilt ny tekst om utfordringa"}]
        ),
    ),
}


@settings(max_examples=80, deadline=None)
@given(plans(), st.data(), st.sampled_from(sorted(CHANGES)))
def test_a_change_made_is_a_change_found_exactly_once(plan, data, change):
    changed = copy.deepcopy(plan)
    target = data.draw(st.sampled_from(all_measures(changed)))
    label, apply = CHANGES[change]
    apply(target)
    result = compare(plan, changed)
    assert [m.key for m in result.changed] == [target["key"]]
    assert [c.label for c in result.changed[0].changes] == [label]
    assert not (result.new or result.closed or result.sub_goals or result.budget)


@settings(max_examples=40, deadline=None)
@given(plans(), st.data())
def test_a_moved_measure_is_changed_not_closed_and_new(plan, data):
    changed = copy.deepcopy(plan)
    source = data.draw(st.sampled_from([g for g in changed["sub_goals"] if g["measures"]]))
    measure = source["measures"].pop()
    other = changed["sub_goals"][1 if source["number"] == 1 else 0]
    other["measures"].append(measure)
    result = compare(plan, changed)
    assert not result.new and not result.closed
    assert [c.label for c in result.changed[0].changes] == ["Delmål"]


@settings(max_examples=40, deadline=None)
@given(plans(), st.data())
def test_added_closed_and_removed_measures_are_listed_once(plan, data):
    changed = copy.deepcopy(plan)
    victims = all_measures(changed)
    closed = data.draw(st.sampled_from(victims))
    closed["status"], closed["closed_on"] = "closed", "2026-05-01"
    changed["sub_goals"][0]["measures"].append(
        {**copy.deepcopy(closed), "key": "ny", "status": "active", "number": 99}
    )
    result = compare(plan, changed)
    assert [m.key for m in result.closed] == [closed["key"]]
    assert [m.key for m in result.new] == ["ny"]
    gone = copy.deepcopy(plan)
    removed = gone["sub_goals"][0]["measures"].pop() if gone["sub_goals"][0]["measures"] else None
    if removed:
        listed = compare(plan, gone).closed
        assert [(m.key, m.removed) for m in listed] == [(removed["key"], True)]


@settings(max_examples=40, deadline=None)
@given(plans(), st.integers(0, 10**7))
def test_a_budget_change_is_found_with_old_and_new_amounts(plan, kroner):
    changed = copy.deepcopy(plan)
    old = plan["budget"]["amounts"]["l1"]["2025"]["kdd"]
    changed["budget"]["amounts"]["l1"]["2025"]["kdd"] = kroner
    result = compare(plan, changed)
    assert len(result.budget) == (0 if kroner == old else 1)
    if result.budget:
        assert result.budget[0].label == "Line 1, 2025, KDD"


def test_without_an_approved_plan_every_measure_is_new():
    plan = {
        "sub_goals": [
            {"number": 1, "title": "T", "measures": [{"key": "x", "number": 1, "title": "X"}]}
        ]
    }
    assert [m.code for m in compare(None, plan).new] == ["1.1"]


def test_a_changed_measure_is_worded_as_the_plan_and_the_report_word_it():
    """Timeframe, people and priority: "2026" for one year, "A, B og C" for three names."""

    def plan(measure: dict) -> dict:
        return {
            "organisations": [{"key": k, "name": f"Org {k.upper()}"} for k in ORGS],
            "sub_goals": [{"number": 1, "title": "T", "measures": [measure]}],
        }

    before = {"key": "x", "number": 1, "title": "X", "leads": ["a"]}
    before["timeframe"] = {"start": 2025, "end": 2028}
    after = before | {"leads": ["a", "b", "c"], "timeframe": {"start": 2026, "end": 2026}}
    after["priority"] = "later"
    found = compare(plan(before), plan(after)).changed[0].changes
    assert {c.label: (c.old, c.new) for c in found} == {
        "Tidsramme": ("2025–2028", "2026"),
        "Prioritet": ("Prioritert no", "Prioritert seinare i perioden"),
        "Hovudansvarleg": ("Org A", "Org A, Org B og Org C"),
    }
