"""The plan file: import is idempotent and all-or-nothing, export round-trips exactly."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from access.models import Role
from budget.models import Amount, Footnote
from measures.models import Agreement, Measure, Organisation
from reporting.models import (
    Approval,
    ApprovalRound,
    MeasureNote,
    MeasureProgress,
    Revision,
    RevisionEvent,
)
from reporting.plan_data.living import take_snapshot
from reporting.plan_file import PlanFileError, export_plan, import_plan, parse_plan
from reporting.revision import workflow
from tests.factories import make_user
from tests.support import (
    PLAN_MODELS,
    SEED_FILE,
    approver_of,
    dump_database,
    edited_seed,
    empty_database,
    read_yaml,
    seed_text,
    write_yaml,
)


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


def test_texts_with_unicode_line_breaks_go_out_and_back_in_unchanged(seed):
    """Text pasted from a word processor or a PDF can hold Unicode's line and paragraph
    separators and the next-line character: the plan file keeps every one where it was."""
    measure = seed.measures.get(key="gott-nokk")
    measure.title = "Bustader for unge\u2028i heile regionen"
    measure.tagline = "Kort\x85og godt"
    measure.save()
    section = measure.sections.first()
    section.body = "Første avsnitt.\u2029Andre med\u2028linjeskift og \x85neste linje.\n\nTredje."
    section.save()
    import_plan(parse_plan(export_plan(seed)))
    measure.refresh_from_db()
    section.refresh_from_db()
    assert (measure.title, measure.tagline) == (
        "Bustader for unge\u2028i heile regionen",
        "Kort\x85og godt",
    )
    assert section.body == (
        "Første avsnitt.\u2029Andre med\u2028linjeskift og \x85neste linje.\n\nTredje."
    )


def test_a_collectives_members_come_from_the_file_and_go_back_into_it(seed):
    """«Pilotkommunane» are the six municipalities of this agreement: imported, exported, and
    a member left out of the file is no longer one."""
    members = seed.memberships.filter(collective__key="pilotkommunane")
    assert sorted(members.values_list("member__short_name", flat=True)) == [
        "Fyresdal",
        "Kviteseid",
        "Nissedal",
        "Seljord",
        "Tokke",
        "Vinje",
    ]

    def drop_vinje(data):
        pilot = next(o for o in data["organisations"] if o["key"] == "pilotkommunane")
        pilot["members"].remove("vinje-kommune")

    import_plan(parse_plan(edited_seed(drop_vinje)))
    assert not seed.memberships.filter(member__key="vinje-kommune").exists()
    exported = read_yaml(export_plan(seed))
    pilot = next(o for o in exported["organisations"] if o["key"] == "pilotkommunane")
    assert "vinje-kommune" not in pilot["members"] and len(pilot["members"]) == 5
    import_plan(parse_plan(seed_text()))
    assert export_plan(seed) == seed_text()


@pytest.mark.parametrize(
    ("member", "problem"),
    [
        ("ukjend-kommune", "ukjend organisasjon 'ukjend-kommune'"),
        ("pilotkommunane", "ein organisasjon kan ikkje vere medlem av seg sjølv"),
        ("fyresdal-kommune", "organisasjonen 'fyresdal-kommune' står to gonger"),
    ],
)
def test_a_member_that_is_unknown_itself_or_twice_is_refused(db, member, problem):
    def add_member(data):
        pilot = next(o for o in data["organisations"] if o["key"] == "pilotkommunane")
        pilot["members"].append(member)

    problems = problems_of(edited_seed(add_member))
    assert len(problems) == 1
    assert problems[0].startswith("organisations[")
    assert ".members" in problems[0] and problem in problems[0]


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
            "vel vedtaket (godkjend eller ikkje godkjend)",
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


# --- exact: every key known, no key twice ----------------------------------------------------


def test_a_misspelt_key_is_refused_with_its_place_line_and_the_key_meant(db):
    text = seed_text().replace("    partners:\n", "    partnerz:\n", 1)
    line = text.splitlines().index("    partnerz:") + 1
    assert problems_of(text) == [
        f"sub_goals[0].measures[0].partnerz (linje {line}): "
        "ukjend nøkkel 'partnerz' – meinte du 'partners'?"
    ]


def test_a_key_unlike_any_is_refused_with_the_keys_allowed_there(db):
    problems = problems_of(edited_seed(lambda d: d["agreement"].update(budsjett=1)))
    assert problems == [
        f"agreement.budsjett (linje {problems[0].split('linje ')[1].split(')')[0]}): "
        "ukjend nøkkel 'budsjett'; lovlege nøklar her: slug, name, pilot_name, language, "
        "signed_on, first_year, last_year, parties, introduction, framework, priorities, "
        "organisation_text, anchoring_text"
    ]


def test_the_agreements_malform_is_read_exported_and_checked(seed):
    bokmal = edited_seed(lambda d: d["agreement"].update(language="nb"))
    import_plan(parse_plan(bokmal))
    seed.refresh_from_db()
    assert seed.get_language_display() == "Bokmål"
    assert "  language: nb\n" in export_plan(seed)
    without = edited_seed(lambda d: d["agreement"].pop("language"))
    import_plan(parse_plan(without))
    seed.refresh_from_db()
    assert seed.get_language_display() == "Nynorsk"
    problems = problems_of(edited_seed(lambda d: d["agreement"].update(language="no")))
    assert [p.split(": ", 1)[1] for p in problems] == ["ukjend verdi 'no'; lovlege verdiar: nn, nb"]


def test_a_key_given_twice_is_refused_rather_than_the_last_taken(db):
    text = seed_text().replace(
        "  pilot_name: Vest-Telemarkpiloten\n",
        "  pilot_name: Vest-Telemarkpiloten\n  pilot_name: Ein annan pilot\n",
        1,
    )
    first = text.splitlines().index("  pilot_name: Vest-Telemarkpiloten") + 1
    assert problems_of(text) == [
        f"agreement.pilot_name (linje {first + 1}): "
        f"nøkkelen 'pilot_name' står to gonger (først på linje {first})"
    ]


HOUR = datetime.timedelta(hours=1)
# A round as older files carry it, with the times and comment that are now its events'.
ROUND = {
    "number": 1,
    "opened_at": datetime.datetime(2025, 6, 2, 12, 0, tzinfo=datetime.UTC),
    "closed_at": datetime.datetime(2025, 6, 9, 12, 0, tzinfo=datetime.UTC),
    "comment": "Send tilbake.",
}


@pytest.mark.parametrize(
    "change, problem",
    [
        (
            _set(["sub_goals", 0, "measures", 0, "title"], "x" * 100_000),
            "sub_goals[0].measures[0].title (linje {}): "
            "verdien kan ikkje ha fleire enn 200 teikn (den har 100000)",
        ),
        (
            _set(["sub_goals", 0, "measures", 0, "key"], "Innsikt i bustad!"),
            'sub_goals[0].measures[0].key (linje {}): oppgje ein gyldig "slug" som består av '
            "bokstavar, nummer, understrekar eller bindestrekar",
        ),
        (
            _set(["agreement", "last_year"], 10**30),
            "agreement.last_year (linje {}): verdien må vere mindre enn eller lik 2100",
        ),
        (
            _set(["budget", "amounts", "delmal-1", 2025, "kdd-1350-post-66"], 10**12 + 1),
            "budget.amounts.delmal-1.2025.kdd-1350-post-66 (linje {}): "
            "beløpet er urimeleg stort; grensa er 1\xa0000\xa0000\xa0000\xa0000 kr",
        ),
        (
            _set(["agreement", "signed_on"], datetime.datetime(2025, 6, 2, 10, 0)),
            "agreement.signed_on (linje {}): "
            "skal vere ein dato (ÅÅÅÅ-MM-DD), ikkje 2025-06-02 10:00:00",
        ),
        (
            _set(["revisions", 0, "approvals", 0, "comment"], "Før\x00etter"),
            "revisions[0].approvals[0].comment (linje {}): "
            "teksten inneheld NUL-teiknet (\\0), som ikkje er tillate",
        ),
        (
            _set(["revisions", 0, "status"], "draft"),
            "revisions[0].approvals (linje {}): eit utkast har ingen open godkjenningsrunde: "
            "vedtak frå ein runde KDD sende tilbake står under rounds",
        ),
        (
            _set(["revisions", 0, "rounds"], [{**ROUND, "closed_at": ROUND["opened_at"] - HOUR}]),
            "revisions[0].rounds[0].closed_at (linje {}): "
            "runden kan ikkje vere sendt tilbake før han vart opna",
        ),
        (
            _set(["revisions", 0, "rounds"], [{**ROUND, "number": 2}, copy.deepcopy(ROUND)]),
            "revisions[0].rounds[1].number (linje {}): "
            "rundane står eldste først: runde 1 kan ikkje kome etter runde 2",
        ),
        (
            _set(["revisions", 0, "rounds"], [{**ROUND, "kommentar": "Send tilbake."}]),
            "revisions[0].rounds[0].kommentar (linje {}): "
            "ukjend nøkkel 'kommentar' – meinte du 'comment'?",
        ),
        (
            _set(
                ["revisions", 0, "rounds"],
                [{**ROUND, "approvals": [{"organisation": "x", "body": "kdd"}]}],
            ),
            "revisions[0].rounds[0].approvals[0].organisation (linje {}): ukjend organisasjon 'x'",
        ),
    ],
)
def test_a_value_the_app_would_refuse_is_refused_with_path_and_line(db, change, problem):
    problems = problems_of(edited_seed(change))
    assert len(problems) == 1, problems
    line = problems[0].split("(linje ")[1].split(")")[0]
    assert problems[0] == problem.format(line)


# --- revisions whole --------------------------------------------------------------------------


def a_2026_revision(seed, *, status: str = "submitted") -> Revision:
    """A 2026 revision with everything a revision holds: notes, statuses, events, comments."""
    first_plan = take_snapshot(seed)
    measure = seed.measures.get(key="smb-utvikling")
    measure.title = "SMB-utvikling i alle seks kommunane"
    measure.save()
    revision = Revision.objects.create(
        agreement=seed,
        year=2026,
        status=status,
        snapshot=take_snapshot(seed),
        submitted_at=datetime.datetime(2026, 5, 4, 9, 12, 40, 118302, tzinfo=datetime.UTC),
        due_on=datetime.date(2026, 6, 30),
    )
    MeasureNote.objects.create(
        revision=revision, measure_key="smb-utvikling", kind="reason", text="Alle er med."
    )
    MeasureNote.objects.create(
        revision=revision, measure_key="gamalt-tiltak", kind="assessment", text="Det gav mykje."
    )
    MeasureProgress.objects.create(
        revision=revision, measure_key="gott-nokk", state="delayed", text="Ventar."
    )
    events = []
    for kind, day, comment, snapshot in [
        ("started", 2, "", None),
        ("submitted", 20, "", None),
        ("sent_back", 22, "Grunngjev SMB-endringa betre.", first_plan),
        ("submitted", 30, "", None),
    ]:
        event = RevisionEvent.objects.create(
            revision=revision, kind=kind, comment=comment, snapshot=snapshot
        )
        event.at = datetime.datetime(2026, 4, day, 10, 0, 0, 123456, tzinfo=datetime.UTC)
        event.save()
        events.append(event)
    vinje = Organisation.objects.get(key="vinje-kommune")
    first = ApprovalRound.objects.create(
        revision=revision, number=1, submission=events[1], send_back=events[2]
    )
    Approval.objects.create(
        round=first,
        organisation=vinje,
        body="kommunestyre",
        planned_on=datetime.date(2026, 4, 21),
        decided_on=datetime.date(2026, 4, 21),
        decision="rejected",
        comment="Vinje vil ha tiltak 2.1 omtala betre.",
    )
    if status != "draft":
        second = ApprovalRound.objects.create(revision=revision, number=2, submission=events[3])
        Approval.objects.create(
            round=second,
            organisation=vinje,
            body="kommunestyre",
            planned_on=datetime.date(2026, 6, 18),
            decided_on=datetime.date(2026, 6, 18),
            decision="approved",
            case_reference="26/41",
            comment="Samrøystes.",
        )
    return revision


def revision_rows(year: int) -> dict:
    """What the revision page and the report show of a revision, without database ids."""
    revision = Revision.objects.get(year=year)
    return {
        "revision": (
            revision.status,
            revision.due_on,
            revision.submitted_at,
            revision.approved_at,
            revision.snapshot["plan"] if revision.snapshot else None,
        ),
        "notes": [(n.measure_key, n.kind, n.text) for n in revision.notes.all()],
        "progress": [(p.measure_key, p.state, p.text) for p in revision.progress.all()],
        "rounds": [(r.number, r.opened_at, r.closed_at, r.comment) for r in revision.rounds.all()],
        "approvals": sorted(
            (a.round.number, a.organisation.key, a.body, a.decision, a.decided_on, a.comment)
            for a in revision.approvals.all()
        ),
        "events": [
            (e.kind, e.at, e.comment, e.snapshot["plan"] if e.snapshot else None)
            for e in revision.events.all()
        ],
    }


def test_a_revision_moves_whole_to_an_empty_installation(seed):
    a_2026_revision(seed)
    before = {year: revision_rows(year) for year in (2025, 2026)}
    text = export_plan(seed)
    assert "comment: Grunngjev SMB-endringa betre." in text
    assert "text: Det gav mykje." in text
    empty_database()
    import_plan(parse_plan(text))
    assert {year: revision_rows(year) for year in (2025, 2026)} == before
    assert export_plan(Agreement.objects.get(slug="vest-telemark")) == text


def test_a_snapshot_is_written_only_where_it_is_not_the_plan_the_file_carries(seed):
    a_2026_revision(seed)
    text = export_plan(seed)
    data = read_yaml(text)
    first, second = data["revisions"]
    # 2025 froze the plan before the retitling; 2026 is the living plan, and so is implied.
    assert first["snapshot"]["sub_goals"][1]["measures"][0]["title"] == (
        "SMB-utvikling (små og mellomstore bedrifter)"
    )
    assert "snapshot" not in second
    # Only the send-back keeps the plan it sent back; the submissions keep no copy.
    assert ["snapshot" in event for event in second["events"]] == [False, False, True, False]
    assert list(first["snapshot"]) == [
        "format",
        "organisations",
        "agreement",
        "sub_goals",
        "budget",
    ]


def test_a_snapshot_stored_in_another_key_order_is_written_in_file_order(seed):
    """PostgreSQL's jsonb keeps a snapshot's keys sorted its own way; the file does not."""
    revision = a_2026_revision(seed)
    text = export_plan(seed)

    def reordered(value):
        if isinstance(value, dict):
            return {key: reordered(value[key]) for key in sorted(value, reverse=True)}
        if isinstance(value, list):
            return [reordered(item) for item in value]
        return value

    revision.snapshot = reordered(revision.snapshot)
    revision.save()
    assert export_plan(seed) == text


def test_importing_a_file_with_revisions_twice_writes_nothing(seed):
    a_2026_revision(seed)
    text = export_plan(seed)
    empty_database()
    import_plan(parse_plan(text))
    before = dump_database()
    import_plan(parse_plan(text))
    assert dump_database() == before


def test_events_listed_out_of_order_are_kept_in_time_order(seed):
    a_2026_revision(seed)
    data = read_yaml(export_plan(seed))
    data["revisions"][1]["events"].reverse()
    import_plan(parse_plan(write_yaml(data)))
    kinds = [e.kind for e in Revision.objects.get(year=2026).events.all()]
    assert kinds == ["started", "submitted", "sent_back", "submitted"]


def sent_back_and_resubmitted(seed) -> Revision:
    """2026 through the workflow: submitted, rejected by Vinje, sent back by KDD, resubmitted."""
    editor = make_user("prosjektleiar", seed, Role.Kind.EDITOR)
    kdd = make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))
    revision = workflow.start_revision(agreement=seed, year=2026, user=editor)
    workflow.submit(revision=revision, user=editor)
    vinje = revision.current_approvals().get(organisation__key="vinje-kommune", body="kommunestyre")
    values = {
        "planned_on": datetime.date(2026, 6, 18),
        "decided_on": datetime.date(2026, 6, 18),
        "decision": "rejected",
        "case_reference": "26/41",
        "comment": "Vinje vil ha tiltak 2.1 omtala betre.",
    }
    workflow.record_decision(approval=vinje, user=approver_of(vinje), values=values)
    workflow.send_back(revision=revision, user=kdd, comment="Vinje har sagt nei: sjå på 2.1.")
    workflow.submit(revision=revision, user=editor)
    return revision


def test_a_sent_back_and_resubmitted_revision_moves_with_both_rounds(seed):
    """The round KDD sent back, with its rejection and KDD's comment, and the current round."""
    revision = sent_back_and_resubmitted(seed)
    assert [(r.number, r.is_open) for r in revision.rounds.all()] == [(1, False), (2, True)]
    text = export_plan(seed)
    written = read_yaml(text)["revisions"][1]
    # The earlier round right after the current round's approvals (docs/plan-format.md).
    assert list(written) == ["year", "status", "submitted_at", "approvals", "rounds", "events"]
    [first] = written["rounds"]
    assert list(first) == ["number", "approvals"] and first["number"] == 1
    # Its times and KDD's comment are the events that opened and closed it.
    steps = [(e["kind"], e.get("comment")) for e in written["events"]]
    assert steps == [
        ("started", None),
        ("submitted", None),
        ("sent_back", "Vinje har sagt nei: sjå på 2.1."),
        ("submitted", None),
    ]
    assert written["events"][-1]["at"] == written["submitted_at"]
    assert [
        (a["organisation"], a["body"], a["decision"], a.get("comment"))
        for a in first["approvals"]
        if a["decision"] != "pending"
    ] == [("vinje-kommune", "kommunestyre", "rejected", "Vinje vil ha tiltak 2.1 omtala betre.")]
    # The current round's decisions are all still to come.
    assert {a["decision"] for a in written["approvals"]} == {"pending"}
    assert len(written["approvals"]) == len(first["approvals"])

    before = {year: revision_rows(year) for year in (2025, 2026)}
    empty_database()
    import_plan(parse_plan(text))
    assert {year: revision_rows(year) for year in (2025, 2026)} == before
    restored = Revision.objects.get(year=2026)
    assert restored.current_round().number == 2
    assert restored.current_round().opened_at == restored.submitted_at
    assert export_plan(Agreement.objects.get(slug="vest-telemark")) == text
    unchanged = dump_database()
    import_plan(parse_plan(text))
    assert dump_database() == unchanged


def test_a_revision_sent_back_is_a_draft_with_its_rounds_and_no_current_one(seed):
    revision = sent_back_and_resubmitted(seed)
    kdd = Role.objects.get(agreement=seed, kind=Role.Kind.MINISTRY).user
    workflow.send_back(revision=revision, user=kdd, comment="Framleis ikkje godt nok.")
    text = export_plan(seed)
    written = read_yaml(text)["revisions"][1]
    assert "approvals" not in written
    assert [r["number"] for r in written["rounds"]] == [1, 2]
    assert [e["comment"] for e in written["events"] if e["kind"] == "sent_back"] == [
        "Vinje har sagt nei: sjå på 2.1.",
        "Framleis ikkje godt nok.",
    ]
    empty_database()
    import_plan(parse_plan(text))
    restored = Revision.objects.get(year=2026)
    assert restored.current_round() is None
    assert [(r.number, r.is_open) for r in restored.rounds.all()] == [(1, False), (2, False)]
    assert export_plan(restored.agreement) == text


def test_a_file_moves_a_revision_from_one_round_to_the_next(seed):
    """Imported over an installation whose revision is in round 1, the file's round 2 holds."""
    revision = sent_back_and_resubmitted(seed)
    text = export_plan(seed)
    round_2 = revision.current_round()
    round_2.delete()
    first = revision.rounds.get(number=1)
    first.send_back = None
    first.save()
    revision.refresh_from_db()
    assert export_plan(seed) != text
    import_plan(parse_plan(text))
    assert export_plan(seed) == text
    assert [(r.number, r.is_open) for r in revision.rounds.all()] == [(1, False), (2, True)]


def as_older_file(text: str) -> dict:
    """The file as exported before a round's times and KDD's comment were read from its events:
    each earlier round with them, a moment apart from its events (as the app wrote the two),
    and each submission with a copy of the plan its round's send-back kept."""
    data = read_yaml(text)
    for revision in data["revisions"]:
        events = revision.get("events", [])
        submissions = [e for e in events if e["kind"] == "submitted"]
        send_backs = [e for e in events if e["kind"] == "sent_back"]
        rounds = revision.get("rounds", [])
        for round_, opened, closed in zip(rounds, submissions, send_backs, strict=False):
            round_["opened_at"] = opened["at"] - datetime.timedelta(milliseconds=3)
            round_["closed_at"] = closed["at"] + datetime.timedelta(milliseconds=2)
            round_["comment"] = closed["comment"]
            if "snapshot" in closed:
                opened["snapshot"] = copy.deepcopy(closed["snapshot"])
            round_ |= {"approvals": round_.pop("approvals")}  # written last, as it was
    return data


def test_an_older_file_with_round_times_and_copied_snapshots_imports_as_the_new_one(seed):
    revision = sent_back_and_resubmitted(seed)
    kdd = Role.objects.get(agreement=seed, kind=Role.Kind.MINISTRY).user
    workflow.send_back(revision=revision, user=kdd, comment="Framleis ikkje godt nok.")
    text = export_plan(seed)
    older = as_older_file(text)
    written = older["revisions"][1]
    assert written["rounds"][1]["comment"] == "Framleis ikkje godt nok."
    assert [("snapshot" in e) for e in written["events"]] == [False, True, True, True, True]
    before = revision_rows(2026)

    empty_database()
    import_plan(parse_plan(write_yaml(older)))
    assert revision_rows(2026) == before
    restored = Revision.objects.get(year=2026)
    assert [e.snapshot is None for e in restored.events.all()] == [True, True, False, True, False]
    assert export_plan(restored.agreement) == text


@pytest.mark.parametrize(
    ("change", "key", "said"),
    [
        (lambda r: r.update(comment="Noko anna."), "comment", "sent_back 2026-"),
        (lambda r: r.update(opened_at=r["opened_at"] - HOUR * 24), "opened_at", "submitted 2026-"),
        (lambda r: r.update(closed_at=r["closed_at"] + HOUR), "closed_at", "sent_back 2026-"),
    ],
)
def test_an_older_file_whose_round_says_otherwise_than_its_events_is_refused(
    seed, change, key, said
):
    sent_back_and_resubmitted(seed)
    older = as_older_file(export_plan(seed))
    change(older["revisions"][1]["rounds"][0])
    [problem] = problems_of(write_yaml(older))
    assert problem.startswith(f"revisions[1].rounds[0].{key} (linje ")
    assert f"{key} høyrer ikkje lenger til runden: det står i hendinga {said}" in problem
    assert problem.endswith(f"som seier noko anna. Ta bort {key}, eller rett hendinga.")


def test_an_older_files_round_without_events_becomes_its_events(empty_db):
    """Nothing a round said is lost: in a file without the events, its times and KDD's
    comment become the submission and send-back that opened and closed it."""
    agreement = import_plan(parse_plan(edited_seed(_set(["revisions", 0, "rounds"], [ROUND]))))
    revision = agreement.revisions.get(year=2025)
    first = revision.rounds.get(number=1)
    assert (first.opened_at, first.closed_at, first.comment) == (
        ROUND["opened_at"],
        ROUND["closed_at"],
        "Send tilbake.",
    )
    assert [(e.kind, e.at) for e in revision.events.all()] == [
        ("submitted", ROUND["opened_at"]),
        ("sent_back", ROUND["closed_at"]),
    ]
    written = read_yaml(export_plan(agreement))["revisions"][0]
    assert written["rounds"] == [{"number": 1}]
    assert [e["comment"] for e in written["events"] if e["kind"] == "sent_back"] == [
        "Send tilbake."
    ]


def test_an_approved_revision_cannot_be_changed_through_its_snapshot_notes_or_rounds(seed):
    a_2026_revision(seed)
    revision = Revision.objects.get(year=2026)
    revision.status, revision.approved_at = "approved", timezone.now()
    revision.save()
    data = read_yaml(export_plan(seed))
    before = dump_database()

    def refused(change) -> list[str]:
        changed = copy.deepcopy(data)
        change(changed)
        with pytest.raises(PlanFileError) as caught:
            import_plan(parse_plan(write_yaml(changed)))
        return [str(p) for p in caught.value.problems]

    frozen = ["revisions[1]: handlingsplan 2026 er godkjend av KDD og kan ikkje endrast"]
    assert refused(lambda d: d["revisions"][1]["notes"][0].update(text="Endra")) == frozen
    snapshot = copy.deepcopy(data["revisions"][0]["snapshot"])
    snapshot["agreement"]["name"] = "Ei anna avtale"
    assert refused(lambda d: d["revisions"][1].update(snapshot=snapshot)) == frozen
    # Its rounds are part of it: KDD's comment, the decisions of a round, the rounds themselves.
    revision_2026 = data["revisions"][1]
    assert [r["number"] for r in revision_2026["rounds"]] == [1]

    def decided_otherwise(d):
        d["revisions"][1]["rounds"][0]["approvals"][0]["decision"] = "approved"

    def one_round_more(d):
        d["revisions"][1]["rounds"].append(
            copy.deepcopy(revision_2026["rounds"][0]) | {"number": 2}
        )

    def commented_otherwise(d):
        [sent_back] = [e for e in d["revisions"][1]["events"] if e["kind"] == "sent_back"]
        sent_back["comment"] = "Anna"

    def one_round_and_send_back_more(d):
        one_round_more(d)
        d["revisions"][1]["events"][3:3] = [
            {"kind": "sent_back", "at": timezone.now(), "comment": "Anna"},
            {"kind": "submitted", "at": timezone.now()},
        ]

    assert refused(commented_otherwise) == frozen
    assert refused(decided_otherwise) == frozen
    assert refused(lambda d: d["revisions"][1].pop("rounds")) == frozen
    assert refused(one_round_and_send_back_more) == frozen
    # A round KDD sent back has its send-back among the events, or the file is refused.
    [problem] = refused(one_round_more)
    assert problem.startswith("revisions[1].rounds[0] (linje ")
    assert problem.endswith(
        "runde 1 er sendt tilbake, men events har inga hending sent_back for han"
    )
    assert refused(lambda d: d["revisions"][1]["approvals"][0].update(comment="Anna")) == frozen
    assert dump_database() == before


def test_a_snapshot_is_checked_like_the_plan(db):
    def misspelt(data):
        snapshot = {k: v for k, v in data.items() if k != "revisions"}
        data["revisions"][0]["snapshot"] = copy.deepcopy(snapshot)
        data["revisions"][0]["snapshot"]["sub_goals"][0]["titel"] = "Bustader"

    problems = problems_of(edited_seed(misspelt))
    assert len(problems) == 1
    assert problems[0].startswith("revisions[0].snapshot.sub_goals[0].titel (linje ")
    assert problems[0].endswith("ukjend nøkkel 'titel' – meinte du 'title'?")


def test_a_seed_imported_into_an_empty_database_freezes_its_own_plan(empty_db):
    """The seed carries no snapshot: its approved 2025 revision is the plan it carries."""
    agreement = import_plan(parse_plan(seed_text()))
    revision = agreement.revisions.get(year=2025)
    assert revision.snapshot["plan"] == take_snapshot(agreement)["plan"]
    assert timezone.localtime(revision.approved_at).date() == datetime.date(2025, 6, 24)


def test_export_command_says_what_it_needs(seed, tmp_path):
    for args, options, message in [
        ([], {}, "Skriv anten nøkkelen til éi avtale eller --all."),
        (["vest-telemark"], {"all": True}, "Skriv anten nøkkelen til éi avtale eller --all."),
        ([], {"all": True}, "Med --all må du gi --output-dir MAPPE."),
    ]:
        with pytest.raises(CommandError) as refused:
            call_command("export_plan", *args, **options)
        assert str(refused.value) == message
    call_command("export_plan", "vest-telemark", output_dir=tmp_path / "ny")
    assert (tmp_path / "ny" / "vest-telemark.yaml").read_text(encoding="utf-8") == seed_text()
    assert [p.name for p in (tmp_path / "ny").iterdir()] == ["vest-telemark.yaml"]
