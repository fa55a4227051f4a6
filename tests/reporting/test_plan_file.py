"""The plan file: import is idempotent and all-or-nothing, export round-trips exactly."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from budget.models import Amount, Footnote
from measures.models import Agreement, Measure, Organisation
from reporting.plan_file import PlanFileError, export_plan, import_plan, parse_plan
from tests.support import PLAN_MODELS, SEED_FILE, dump_database, edited_seed, seed_text


def test_the_seed_holds_the_whole_document(seed):
    assert seed.slug == "vest-telemark"
    assert [p.name for p in seed.ordered_parties()][:6] == [
        "Fyresdal kommune",
        "Kviteseid kommune",
        "Nissedal kommune",
        "Seljord kommune",
        "Tokke kommune",
        "Vinje kommune",
    ]
    assert [(g.number, g.weight) for g in seed.sub_goals.all()] == [(1, 60), (2, 20), (3, 20)]
    assert seed.measures.count() == 14
    assert [seed.measures.filter(sub_goal__number=n).count() for n in (1, 2, 3)] == [6, 4, 4]
    assert Amount.objects.filter(line__agreement=seed).count() == 19
    assert Footnote.objects.filter(agreement=seed).count() == 2
    revision = seed.revisions.get()
    assert revision.year == 2025 and revision.is_approved
    assert revision.approvals.filter(body="kommunestyre", decision="approved").count() == 6


def change_log_entries(client) -> list[int]:
    """How many entries the change logs of a measure and of the budget show."""
    pages = [
        reverse("measures:measure-history", args=["vest-telemark", "gott-nokk"]),
        reverse("budget:detail", args=["vest-telemark"]),
    ]
    return [client.get(url).text.count('class="changelog__entry"') for url in pages]


def test_importing_twice_changes_nothing_and_writes_nothing(client, seed):
    """A second import changes no row and saves none: no change-log entry, no version bump."""
    client.force_login(get_user_model().objects.create_superuser("drift", password="x-12345"))
    before, entries = dump_database(), change_log_entries(client)
    history = {m.__name__: m.history.count() for m in PLAN_MODELS if hasattr(m, "history")}
    import_plan(parse_plan(seed_text()))
    assert dump_database() == before  # versions included: nobody's open form goes stale
    assert {m.__name__: m.history.count() for m in PLAN_MODELS if hasattr(m, "history")} == history
    assert change_log_entries(client) == entries and min(entries) > 0


def test_export_of_the_seed_is_the_seed_file_byte_for_byte(seed):
    assert export_plan(seed) == seed_text()


def test_export_import_export_is_identical_after_edits(seed):
    measure = seed.measures.get(key="gott-nokk")
    measure.title = "Pilot: «Gøtt nøkk» – ny tittel"
    measure.save()
    first = export_plan(seed)
    import_plan(parse_plan(first))
    assert export_plan(Agreement.objects.get(slug="vest-telemark")) == first


def test_import_creates_everything_from_an_empty_database(empty_db):
    call_command("import_plan", str(SEED_FILE))
    assert Measure.objects.count() == 14
    assert Organisation.objects.filter(kind="municipality").count() == 6


def test_a_measure_keeps_its_identity_when_renumbered_and_moved(seed):
    first = seed.measures.get(key="innsikt-bustadstrategi")
    second = seed.measures.get(key="risikoreduserande-tiltak")

    def swap_and_move(data):
        measures = data["sub_goals"][0]["measures"]
        measures[0]["number"], measures[1]["number"] = 2, 1
        moved = measures.pop(5)
        moved["number"] = 5
        data["sub_goals"][1]["measures"].append(moved)

    import_plan(parse_plan(edited_seed(swap_and_move)))
    assert Measure.objects.get(pk=first.pk).number == 2
    assert Measure.objects.get(pk=second.pk).number == 1
    moved = Measure.objects.get(key="interkommunal-bustadutviklar")
    assert moved.code == "2.5"
    assert moved.sections.count() == 1


def test_removing_a_measure_from_the_file_removes_it(seed):
    import_plan(parse_plan(edited_seed(lambda d: d["sub_goals"][0]["measures"].pop())))
    assert not Measure.objects.filter(key="interkommunal-bustadutviklar").exists()
    assert Measure.objects.count() == 13


def problems_of(text: str) -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text)
    return [str(problem) for problem in caught.value.problems]


def test_a_missing_key_is_named_with_its_path_and_line(db):
    def drop_title(data):
        del data["sub_goals"][1]["measures"][2]["title"]

    problems = problems_of(edited_seed(drop_title))
    assert len(problems) == 1
    assert problems[0].startswith("sub_goals[1].measures[2].title (linje ")
    assert "manglar" in problems[0]


def test_an_unknown_organisation_is_refused(db):
    problems = problems_of(
        edited_seed(lambda d: d["sub_goals"][0]["measures"][0]["leads"].append("ukjend-org"))
    )
    assert problems == [p for p in problems if "ukjend organisasjon 'ukjend-org'" in p]
    assert "sub_goals[0].measures[0].leads[3]" in problems[0]


def test_a_negative_amount_is_refused(db):
    def negative(data):
        data["budget"]["amounts"]["delmal-2"][2026]["kdd-1350-post-66"] = -5

    problems = problems_of(edited_seed(negative))
    assert len(problems) == 1
    assert "budget.amounts.delmal-2.2026.kdd-1350-post-66" in problems[0]
    assert "negativt" in problems[0]


def test_a_fractional_amount_is_refused(db):
    def fraction(data):
        data["budget"]["amounts"]["delmal-2"][2026]["kdd-1350-post-66"] = 1000.5

    assert "heile kroner" in problems_of(edited_seed(fraction))[0]


def test_years_outside_the_period_are_refused(db):
    def outside(data):
        data["sub_goals"][0]["measures"][0]["timeframe"]["end"] = 2031
        data["budget"]["amounts"]["prosjektleiing"][2029] = {"kdd-1350-post-66": 10}

    problems = problems_of(edited_seed(outside))
    assert any(
        p.startswith("sub_goals[0].measures[0].timeframe.end") and "2031" in p for p in problems
    )
    assert any(
        p.startswith("budget.amounts.prosjektleiing.2029") and "utanfor avtaleperioden" in p
        for p in problems
    )


def test_end_before_start_and_duplicate_numbers_are_refused(db):
    def broken(data):
        measures = data["sub_goals"][2]["measures"]
        measures[0]["timeframe"] = {"start": 2027, "end": 2026}
        measures[1]["number"] = measures[2]["number"]

    problems = problems_of(edited_seed(broken))
    assert any("sluttåret kan ikkje vere før startåret" in p for p in problems)
    assert any("tiltaksnummeret i delmålet 3 er brukt før" in p for p in problems)


def _set(path: list, value):
    def change(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    "change, problem",
    [
        (
            _set(["sub_goals", 2, "measures", 0, "timeframe"], {"start": 2027, "end": 2026}),
            "sub_goals[2].measures[0].timeframe.end (linje {}): "
            "sluttåret kan ikkje vere før startåret",
        ),
        (
            _set(["sub_goals", 0, "measures", 0, "timeframe", "start"], 2024),
            "sub_goals[0].measures[0].timeframe.start (linje {}): "
            "året 2024 er utanfor avtaleperioden 2025–2028",
        ),
        (
            _set(["agreement", "first_year"], 2030),
            "agreement.first_year (linje {}): første år kan ikkje vere etter siste år",
        ),
        (
            _set(["revisions", 0, "approvals", 0, "decision"], "approved"),
            "revisions[0].approvals[0].decided_on (linje {}): skriv datoen vedtaket vart gjort",
        ),
        (
            _set(["revisions", 0, "approvals", 0, "decided_on"], datetime.date(2025, 6, 11)),
            "revisions[0].approvals[0].decision (linje {}): "
            "vel vedtaket (godkjent eller ikkje godkjent)",
        ),
    ],
)
def test_the_models_rules_are_asked_and_said_with_path_and_line(db, change, problem):
    """The reader checks the file's shape; the domain rules are the models' own clean()."""
    problems = problems_of(edited_seed(change))
    assert len(problems) == 1, problems
    line = problems[0].split("(linje ")[1].split(")")[0]
    assert line.isdigit()
    assert problems[0] == problem.format(line)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("format: bygdevekst-plan/1\norganisations: [\n", "ugyldig YAML"),
        ("- berre\n- ei liste\n", "oppslagstabell"),
        ("format: noko-anna\n", "format"),
    ],
)
def test_bad_yaml_gives_a_clear_error(db, text, expected):
    problems = problems_of(text)
    assert expected in problems[0]


def test_bad_yaml_names_the_line(db):
    problems = problems_of("format: bygdevekst-plan/1\nagreement:\n  slug: x\n  name: [uavslutta\n")
    assert problems[0].startswith(("linje 4: ugyldig YAML", "linje 5: ugyldig YAML"))


def test_a_broken_file_saves_nothing_in_an_empty_database(empty_db, tmp_path):
    broken = tmp_path / "plan.yaml"
    broken.write_text(
        edited_seed(lambda d: d["sub_goals"][0]["measures"][0]["leads"].append("nope")),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="ingenting er lagra"):
        call_command("import_plan", str(broken))
    assert all(model.objects.count() == 0 for model in PLAN_MODELS)


def test_a_broken_file_leaves_an_existing_plan_untouched(seed, tmp_path):
    before = dump_database()

    def rename_and_break(data):
        data["sub_goals"][0]["title"] = "Endra tittel"
        data["budget"]["amounts"]["delmal-1"][2025]["kdd-1350-post-66"] = -1

    broken = tmp_path / "plan.yaml"
    broken.write_text(edited_seed(rename_and_break), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_plan", str(broken))
    assert dump_database() == before


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Kan ikkje lese"):
        call_command("import_plan", str(tmp_path / "finst-ikkje.yaml"))


def test_export_command_writes_the_file_and_refuses_unknown_agreements(seed, tmp_path):
    target = tmp_path / "ut.yaml"
    call_command("export_plan", "vest-telemark", output=target)
    assert target.read_text(encoding="utf-8") == seed_text()
    with pytest.raises(CommandError, match="Fann inga avtale 'finst-ikkje'"):
        call_command("export_plan", "finst-ikkje")
