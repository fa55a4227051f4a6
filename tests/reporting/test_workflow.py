"""The yearly revision from start to KDD's approval, and the rules that guard it."""

from __future__ import annotations

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from budget.models import Amount
from measures.models import Measure, Organisation
from reporting.models import Approval, ImmutableRevisionError, MeasureNote, Revision
from reporting.outputs.context import Report
from reporting.outputs.pdf import report_html
from reporting.plan_file import PlanFileError, import_plan, parse_plan
from reporting.revision.workflow import recorded_mark
from tests.support import (
    CONFIRMED,
    MUNICIPALITIES,
    SEED_FILE,
    as_user,
    confirmed,
    decide,
    dump_database,
    measure_form_data,
    read_yaml,
    submitted_2026,
    url,
    write_yaml,
)
from tests.support import (
    SEED_SLUG as SLUG,
)


def edit_the_living_plan(client, editor, seed):
    """Add a measure, change two, close one, change a budget amount."""
    as_user(client, editor)
    goal = seed.sub_goals.get(number=2)
    client.post(
        reverse("measures:measure-create", args=[SLUG]),
        {
            "sub_goal": goal.pk,
            "number": 5,
            "title": "Lokal matproduksjon",
            "start_year": 2026,
            "end_year": 2028,
            "priority": "now",
            "leads": [Organisation.objects.get(key="vest-telemarkradet").pk],
        },
    )
    first = seed.measures.get(key="innsikt-bustadstrategi")
    client.post(
        reverse("measures:measure-edit", args=[SLUG, first.key]),
        measure_form_data(first, end_year=2027),
    )
    second = seed.measures.get(key="smb-utvikling")
    client.post(
        reverse("measures:measure-title", args=[SLUG, second.key]),
        {"title": "SMB-utvikling i alle seks kommunane", "version": second.version},
    )
    client.post(
        reverse("measures:measure-close", args=[SLUG, "vandrande-seminar"]),
        {
            "closed_on": "2026-03-01",
            "version": seed.measures.get(key="vandrande-seminar").version,
            **CONFIRMED,
        },
    )
    amount = Amount.objects.get(line__key="delmal-2", year=2026, source__key="kdd-1350-post-66")
    amount.kroner = 1_800_000
    amount.save()


def test_the_whole_year(client, seed, people, django_capture_on_commit_callbacks):
    edit_the_living_plan(client, people["prosjektleiar"], seed)

    as_user(client, people["prosjektleiar"])
    assert client.post(url("revision-start"), {"year": 2026, "confirmed": "ja"}).status_code == 302
    page = client.get(url("revision", 2026)).text
    assert "Tiltak 2.5 Lokal matproduksjon" in page.split("Nye tiltak")[1].split("</ul>")[0]
    changed = page.split("Endra tiltak")[1].split("Avslutta tiltak")[0]
    assert (
        "Tiltak 1.1 Samarbeid om innsiktsarbeid" in changed
        and "<del>2025–2028</del> → <ins>2025–2027</ins>" in changed
    )
    assert "Tiltak 2.1 SMB-utvikling i alle seks kommunane" in changed
    closed = page.split("Avslutta tiltak")[1].split("Endringar i budsjett")[0]
    assert "Tiltak 1.5 Vandrande bygdevekstseminar" in closed
    assert "Korleis få fleire arbeidsplassar i privat sektor, 2026, KDD 13.50 post 66" in page
    assert (
        '<td class="num">2\xa0000\xa0000 kr</td><td class="num">1\xa0800\xa0000 kr</td>'
        '<td class="num">\u2212200\xa0000 kr</td>' in page
    )

    refused = client.post(url("revision-submit", 2026), follow=True)
    assert "Skriv grunngjeving eller vurdering for 1.1 Samarbeid om innsiktsarbeid" in refused.text
    assert Revision.objects.get(year=2026).is_draft

    notes = {
        "note-innsikt-bustadstrategi": "Kartlegginga blir ferdig eit år før.",
        "note-smb-utvikling": "Alle kommunane er med.",
        "note-vandrande-seminar": "Seminaret vart slått saman med tiltak 1.4.",
        "state-gott-nokk": "delayed",
        "progress-gott-nokk": "Ventar på utlysing.",
    }
    assert client.post(url("revision-notes", 2026), notes).status_code == 302
    due = timezone.localdate() + datetime.timedelta(days=30)
    assert client.post(url("revision-due", 2026), {"due_on": due.isoformat()}).status_code == 302
    # 200 000 kr less for sub-goal 2 puts its share off its weight: confirmed, then sent.
    asked = client.post(url("revision-submit", 2026))
    assert "Delmål 2 har 20 % av midlane til delmåla" in asked.text
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("revision-submit", 2026), confirmed(asked)).status_code == 302
    revision = Revision.objects.get(year=2026)
    assert (
        revision.status == "submitted"
        and revision.snapshot["snapshot_format"] == "bygdevekst-snapshot/1"
    )
    # One e-mail per party, each linking to that party's own decision form.
    assert sorted(m.to for m in mail.outbox)[0] == ["fylkeskommunen@example.no"]
    [fyresdal] = [m for m in mail.outbox if m.to == ["fyresdal@example.no"]]
    assert "/rullering/vest-telemark/2026/vedtak/fyresdal-kommune/" in fyresdal.body

    assert (
        as_user(client, people["kdd"]).post(url("revision-approve", 2026), CONFIRMED).status_code
        == 302
    )
    assert Revision.objects.get(year=2026).status == "submitted"  # not before every party

    for name in MUNICIPALITIES:
        response = decide(client, people[name], f"{name}-kommune", ["formannskap", "kommunestyre"])
        assert response.status_code == 302, name
    assert (
        decide(
            client, people["fylkeskommunen"], "telemark-fylkeskommune", ["fylkesting"]
        ).status_code
        == 302
    )
    page = as_user(client, people["kdd"]).get(url("revision", 2026)).text
    assert "Godkjenn handlingsplan 2026" in page
    # The same failing check the project leader sent on: KDD must accept it too, in so many words.
    client.post(url("revision-approve", 2026), CONFIRMED)
    assert not Revision.objects.get(year=2026).is_approved
    asked = client.post(url("revision-approve", 2026))
    assert "vil godkjenne handlingsplanen likevel" in asked.text
    client.post(url("revision-approve", 2026), confirmed(asked))
    revision.refresh_from_db()
    assert revision.is_approved
    assert revision.approvals.filter(body="kdd", decision="approved").exists()
    process = client.get(reverse("reporting:process", args=["vest-telemark"])).text
    assert "Godkjend med ein kontroll som ikkje stemmer:" in process

    with pytest.raises(ImmutableRevisionError):
        revision.save()
    note = MeasureNote.objects.get(revision=revision, measure_key="smb-utvikling")
    note.text = "Endra i etterkant"
    with pytest.raises(ImmutableRevisionError):
        note.save()

    # The living plan stays editable, and 2027 compares with the plan approved for 2026.
    as_user(client, people["prosjektleiar"]).post(
        url("revision-start"), {"year": 2027, "confirmed": "ja"}
    )
    assert (
        "Ingen endringar i tiltaka, delmåla eller budsjettet."
        in client.get(url("revision", 2027)).text
    )
    client.post(
        reverse("measures:measure-reopen", args=[SLUG, "vandrande-seminar"]),
        {"version": seed.measures.get(key="vandrande-seminar").version},
    )
    page = client.get(url("revision", 2027)).text
    assert "Tiltak 1.5 Vandrande bygdevekstseminar" in page.split("Endra tiltak")[1]


def test_a_municipality_cannot_record_another_municipalitys_decision(client, seed, people):
    revision = submitted_2026(client, people, seed)
    before = dump_database()
    response = decide(client, people["vinje"], "tokke-kommune", ["formannskap", "kommunestyre"])
    assert response.status_code == 403
    assert dump_database() == before
    assert not revision.approvals.exclude(decision="pending").exists()
    assert (
        as_user(client, people["vinje"]).get(url("decision", 2026, "tokke-kommune")).status_code
        == 403
    )
    assert (
        decide(client, people["prosjektleiar"], "vinje-kommune", ["kommunestyre"]).status_code
        == 403
    )


def test_a_decision_needs_a_date_and_a_date_needs_a_decision(client, seed, people):
    submitted_2026(client, people, seed)
    as_user(client, people["vinje"])
    data = {
        "formannskap-decision": "approved",
        "formannskap-decided_on": "",
        "kommunestyre-decision": "pending",
        "kommunestyre-decided_on": "2026-06-01",
    }
    response = client.post(url("decision", 2026, "vinje-kommune"), data)
    assert "Skriv datoen vedtaket vart gjort." in response.text
    assert "Vel vedtaket (godkjend eller ikkje godkjend)." in response.text
    assert (
        not Approval.objects.filter(round__revision__year=2026).exclude(decision="pending").exists()
    )


def test_a_decision_is_saved_for_both_bodies_or_for_neither(client, seed, people, monkeypatch):
    """KDD approves between the formannskap row and the kommunestyre row: neither is kept."""
    from reporting.revision import workflow

    submitted_2026(client, people, seed)
    record_decision = workflow.record_decision

    def kdd_approves_after_the_first_row(*, approval, user, values, **rest):
        recorded = record_decision(approval=approval, user=user, values=values, **rest)
        revision = Revision.objects.get(pk=approval.round.revision_id)
        if not revision.is_approved:
            revision.status = Revision.Status.APPROVED
            revision.save()
        return recorded

    monkeypatch.setattr(workflow, "record_decision", kdd_approves_after_the_first_row)
    response = decide(client, people["vinje"], "vinje-kommune", ["formannskap", "kommunestyre"])
    page = client.get(response["Location"]).text
    assert "Handlingsplan 2026 er godkjend av KDD og kan ikkje endrast lenger." in page
    vinje = Approval.objects.filter(round__revision__year=2026, organisation__key="vinje-kommune")
    assert [(a.body, a.decision) for a in vinje] == [
        ("formannskap", "pending"),
        ("kommunestyre", "pending"),
    ]


def test_kdd_cannot_approve_before_every_party_and_others_cannot_approve_at_all(
    client, seed, people
):
    revision = submitted_2026(client, people, seed)
    for name in MUNICIPALITIES:
        decide(client, people[name], f"{name}-kommune", ["formannskap", "kommunestyre"])
    response = as_user(client, people["kdd"]).post(url("revision-approve", 2026), follow=True)
    assert "Alle partane må ha godkjent handlingsplanen" in response.text
    revision.refresh_from_db()
    assert revision.status == "submitted"
    assert as_user(client, people["vinje"]).post(url("revision-approve", 2026)).status_code == 403
    assert (
        as_user(client, people["prosjektleiar"]).post(url("revision-approve", 2026)).status_code
        == 403
    )


def test_kdd_sends_back_and_the_next_submission_is_a_new_snapshot(client, seed, people):
    revision = submitted_2026(client, people, seed)
    first_snapshot = revision.snapshot
    as_user(client, people["kdd"])
    assert (
        "Skriv kvifor"
        in client.post(url("revision-send-back", 2026), {"comment": ""}, follow=True).text
    )
    client.post(
        url("revision-send-back", 2026),
        {"comment": "Budsjettet for 2027 må forklarast.", **CONFIRMED},
    )
    revision.refresh_from_db()
    assert revision.is_draft and revision.snapshot is None
    event = revision.events.get(kind="sent_back")
    assert (
        event.comment == "Budsjettet for 2027 må forklarast." and event.snapshot == first_snapshot
    )
    as_user(client, people["prosjektleiar"]).post(url("revision-submit", 2026), CONFIRMED)
    revision.refresh_from_db()
    assert revision.status == "submitted" and revision.events.filter(kind="submitted").count() == 2


def test_only_the_editor_starts_and_submits(client, seed, people):
    as_user(client, people["vinje"])
    assert client.post(url("revision-start"), {"year": 2026, "confirmed": "ja"}).status_code == 403
    assert not Revision.objects.filter(year=2026).exists()
    as_user(client, people["prosjektleiar"]).post(
        url("revision-start"), {"year": 2026, "confirmed": "ja"}
    )
    assert as_user(client, people["kdd"]).post(url("revision-submit", 2026)).status_code == 403
    assert Revision.objects.get(year=2026).is_draft


def test_a_year_outside_the_period_or_taken_cannot_be_started(client, seed, people):
    as_user(client, people["prosjektleiar"])
    client.post(url("revision-start"), {"year": 2031, "confirmed": "ja"})
    client.post(url("revision-start"), {"year": 2025, "confirmed": "ja"})
    assert list(Revision.objects.values_list("year", flat=True)) == [2025]


# --- an approved revision cannot be changed by any path -----------------------------------


def test_the_seed_revision_is_approved_with_a_snapshot_of_the_plan(seed):
    revision = Revision.objects.get(year=2025)
    assert revision.is_approved
    titles = [m["title"] for g in revision.snapshot["plan"]["sub_goals"] for m in g["measures"]]
    assert len(titles) == 14 and "Pilot: «Gøtt nøkk»" in titles


def test_no_model_save_or_delete_changes_an_approved_revision(seed):
    revision = Revision.objects.get(year=2025)
    approval = revision.approvals.first()
    approval.case_reference = "endra"
    for attempt in (revision.save, revision.delete, approval.save, approval.delete):
        with pytest.raises(ImmutableRevisionError, match="Handlingsplan 2025 er godkjend"):
            attempt()
    with pytest.raises(ImmutableRevisionError):
        Approval.objects.filter(round__revision=revision).delete()
    with pytest.raises(TypeError):
        Approval.objects.filter(round__revision=revision).update(case_reference="x")
    with pytest.raises(ImmutableRevisionError):
        MeasureNote.objects.create(revision=revision, measure_key="x", kind="reason", text="y")
    assert Approval.objects.filter(round__revision=revision, case_reference="endra").count() == 0
    # Rows created together are guarded as one saved alone: a draft's go in, an approved one's not.
    draft = Revision.objects.create(agreement=seed, year=2026)
    note = MeasureNote(revision=draft, measure_key="x", kind="reason", text="y")
    late = MeasureNote(revision=revision, measure_key="x", kind="reason", text="y")
    with pytest.raises(ImmutableRevisionError):
        MeasureNote.objects.bulk_create([note, late])
    approvals = Approval.objects.count()
    added = Approval(round=approval.round, organisation=approval.organisation, body="kdd")
    with pytest.raises(ImmutableRevisionError):
        Approval.objects.bulk_create([added])
    assert not MeasureNote.objects.filter(measure_key="x").exists()
    assert Approval.objects.count() == approvals
    MeasureNote.objects.bulk_create([note])
    assert MeasureNote.objects.get(measure_key="x").revision == draft
    # Nor may the revision itself be written over as a "conflict" of a bulk insert.
    overwrite = Revision(pk=revision.pk, agreement=seed, year=2025, status=Revision.Status.DRAFT)
    with pytest.raises(ImmutableRevisionError):
        Revision.objects.bulk_create(
            [overwrite], update_conflicts=True, unique_fields=["id"], update_fields=["status"]
        )
    assert Revision.objects.get(pk=revision.pk).is_approved


def test_the_admin_cannot_change_an_approved_revision(client, seed):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("drift", password="x-drift-12345"))
    revision = Revision.objects.get(year=2025)
    approval = revision.approvals.first()
    change = reverse("admin:reporting_approval_change", args=[approval.pk])
    response = client.post(change, {"decision": "rejected"})
    assert response.status_code == 403
    assert (
        client.post(
            reverse("admin:reporting_revision_delete", args=[revision.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    approval.refresh_from_db()
    assert approval.decision != "rejected"


def test_a_plan_file_that_would_change_an_approved_revision_is_refused(seed):
    data = read_yaml(SEED_FILE.read_text(encoding="utf-8"))
    data["revisions"][0]["approvals"][1]["decided_on"] = datetime.date(2025, 6, 20)
    before = dump_database()
    with pytest.raises(
        PlanFileError, match="handlingsplan 2025 er godkjend av KDD og kan ikkje endrast"
    ):
        import_plan(parse_plan(write_yaml(data)))
    assert dump_database() == before
    del data["revisions"]
    data["revisions"] = []
    with pytest.raises(PlanFileError):
        import_plan(parse_plan(write_yaml(data)))


def test_importing_the_living_plan_leaves_the_approved_snapshot_alone(seed):
    snapshot = Revision.objects.get(year=2025).snapshot
    data = read_yaml(SEED_FILE.read_text(encoding="utf-8"))
    data["sub_goals"][0]["measures"][0]["title"] = "Ny tittel i den levande planen"
    import_plan(parse_plan(write_yaml(data)))
    assert (
        Measure.objects.get(key="innsikt-bustadstrategi").title == "Ny tittel i den levande planen"
    )
    assert Revision.objects.get(year=2025).snapshot == snapshot


# --- reminders -----------------------------------------------------------------------------


def test_late_parties_are_shown_and_reminded(
    client, seed, people, time_machine, django_capture_on_commit_callbacks
):
    revision = submitted_2026(client, people, seed)
    revision.due_on = datetime.date(2026, 6, 30)
    revision.save()
    decide(client, people["vinje"], "vinje-kommune", ["formannskap", "kommunestyre"])
    mail.outbox.clear()
    time_machine.move_to("2026-06-29 12:00+02:00")
    call_command("send_reminders")
    assert mail.outbox == []
    time_machine.move_to("2026-07-02 12:00+02:00")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    reminded = sorted(address for message in mail.outbox for address in message.to)
    assert reminded == sorted(
        f"{n}@example.no" for n in [*MUNICIPALITIES, "fylkeskommunen"] if n != "vinje"
    )
    page = as_user(client, people["prosjektleiar"]).get(url("revision", 2026)).text
    assert "Fristen er ute, og desse har ikkje registrert vedtak: Fyresdal kommune" in page
    assert "Vinje kommune" not in page.split("Fristen er ute")[1].split("</p>")[0]


def test_a_party_without_an_approver_is_named_with_the_way_to_invite_one(client, seed, people):
    people["fyresdal"].roles.all().delete()
    submitted_2026(client, people, seed)
    invite = f'href="{reverse("measures:people", args=[SLUG])}#inviter"'
    page = as_user(client, people["prosjektleiar"]).get(url("revision", 2026)).text
    missing = page.split("ingen godkjennar i Bygdevekst")[1].split("</ul>")[0]
    assert "Fyresdal kommune" in missing and "Vinje kommune" not in missing
    assert invite in missing and "gi nokon rolla som godkjennar" in missing
    people_page = client.get(reverse("measures:people", args=[SLUG])).text
    assert 'id="inviter"' in people_page and "Godkjennar for ein kommune" in people_page


def test_kdd_cannot_approve_for_an_agreement_without_the_ministry_as_party(client, seed, people):
    from reporting.revision import workflow

    revision = submitted_2026(client, people, seed)
    seed.party_set.get(organisation__key="kdd").delete()
    with pytest.raises(workflow.WorkflowError, match="departementet som part"):
        workflow.kdd_approve(revision=revision, user=people["kdd"])
    revision.refresh_from_db()
    assert revision.status == "submitted"


# --- e-mail goes after the commit, and a failing mail server loses nothing ---------------------


class RefusingMailServer(locmem.EmailBackend):
    """Delivers to mail.outbox, but refuses every message that has fyresdal@example.no in it."""

    def send_messages(self, messages):
        if any("fyresdal@example.no" in message.recipients() for message in messages):
            raise smtplib.SMTPRecipientsRefused({"fyresdal@example.no": (550, b"No such user")})
        return super().send_messages(messages)


def test_no_approver_is_told_of_a_submission_that_was_rolled_back(
    seed, people, django_capture_on_commit_callbacks
):
    from reporting.revision import workflow

    revision = workflow.start_revision(agreement=seed, year=2026, user=people["prosjektleiar"])
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.submit(revision=revision, user=people["prosjektleiar"])
        raise RuntimeError("something after the submission failed")
    assert mail.outbox == []
    assert Revision.objects.get(year=2026).is_draft


def test_a_failing_mail_server_keeps_the_submission_and_says_who_was_not_reached(
    client, seed, people, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingMailServer"}}
    as_user(client, people["prosjektleiar"]).post(
        url("revision-start"), {"year": 2026, "confirmed": "ja"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("revision-submit", 2026), CONFIRMED)
    assert Revision.objects.get(year=2026).status == "submitted"
    # One e-mail per party: the other parties' are delivered all the same.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{n}@example.no" for n in [*MUNICIPALITIES, "fylkeskommunen"] if n != "fyresdal"
    )
    page = client.get(response["Location"]).text
    assert "Handlingsplan 2026 er sendt til godkjenning." in page
    notice = page.split('<div class="ds-alert" data-color="danger" role="alert">')[1]
    notice = notice.split("</div>")[0]
    assert "Handlingsplan 2026 for Bygdevekstavtale for Vest-Telemark er klar til" in notice
    assert "kunne ikkje sendast til fyresdal@example.no." in notice
    assert "vinje@example.no" not in notice


def test_a_reminder_that_cannot_be_sent_does_not_stop_the_others(
    client, seed, people, settings, time_machine, django_capture_on_commit_callbacks
):
    revision = submitted_2026(client, people, seed)
    revision.due_on = datetime.date(2026, 6, 30)
    revision.save()
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingMailServer"}}
    time_machine.move_to("2026-07-02 12:00+02:00")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=StringIO())
    reminded = sorted(address for message in mail.outbox for address in message.to)
    assert reminded == sorted(
        f"{n}@example.no" for n in [*MUNICIPALITIES, "fylkeskommunen"] if n != "fyresdal"
    )
    page = as_user(client, people["prosjektleiar"]).get(url("revision", 2026)).text
    assert (
        "E-posten «Påminning: vedtak om handlingsplan 2026 manglar» kunne ikkje sendast til "
        "fyresdal@example.no." in page
    )


def test_a_municipality_whose_kommunestyre_has_not_decided_has_not_approved(client, seed, people):
    """Formannskap approved, kommunestyre pending: not approved on the process page, not in
    section 8 of the report, and KDD may not approve; once the kommunestyre approves, all do."""
    revision = submitted_2026(client, people, seed)
    for name in MUNICIPALITIES:
        if name != "vinje":
            decide(client, people[name], f"{name}-kommune", ["formannskap", "kommunestyre"])
    decide(client, people["fylkeskommunen"], "telemark-fylkeskommune", ["fylkesting"])
    data = {
        "formannskap-decided_on": timezone.localdate().isoformat(),
        "formannskap-decision": "approved",
        "kommunestyre-planned_on": "2030-06-20",  # a meeting planned ahead: allowed
        "kommunestyre-decision": "pending",
    }
    as_user(client, people["vinje"]).post(url("decision", 2026, "vinje-kommune"), data)
    vinje = Approval.objects.get(
        round__revision=revision, organisation__key="vinje-kommune", body="formannskap"
    )
    assert vinje.is_approved and not vinje.is_final

    page = as_user(client, people["kdd"]).get(reverse("reporting:process", args=[SLUG])).text
    approved = page.split("8. Handlingsplanen er godkjend av")[-1]
    assert "Tokke kommune" in approved and "Vinje kommune" not in approved
    html = report_html(Report.from_revision(revision))
    section_8 = html.split("8. Handlingsplanen er godkjent av")[-1]
    assert "Tokke kommune" in section_8 and "Vinje kommune" not in section_8
    assert not revision.approved_by_every_party()
    response = client.post(url("revision-approve", 2026), follow=True)
    assert "Alle partane må ha godkjent handlingsplanen" in response.text
    revision.refresh_from_db()
    assert revision.status == "submitted"

    decide(client, people["vinje"], "vinje-kommune", ["formannskap", "kommunestyre"])
    assert revision.approved_by_every_party()
    as_user(client, people["kdd"]).post(url("revision-approve", 2026), CONFIRMED)
    revision.refresh_from_db()
    assert revision.status == "approved"


@pytest.mark.parametrize(
    "kind, bodies",
    [
        (Organisation.Kind.MUNICIPALITY, ["formannskap", "kommunestyre"]),
        (Organisation.Kind.COUNTY, ["fylkesting"]),
        (Organisation.Kind.STATE_AGENCY, ["kdd"]),
        (Organisation.Kind.MINISTRY, ["kdd"]),
        (Organisation.Kind.PRIVATE, []),
    ],
)
def test_the_last_body_to_treat_the_plan_is_the_final_one(kind, bodies):
    assert Approval.Body.treating(kind) == bodies
    assert Approval.Body.final_for(kind) == (bodies[-1] if bodies else None)


def test_a_body_left_as_it_was_is_not_recorded_by_the_approver(client, seed, people):
    """Vinje records its kommunestyre; its untouched formannskap keeps no one's name, so a
    colleague who records it later is not refused as if someone had changed it."""
    revision = submitted_2026(client, people, seed)
    formannskap = revision.current_approvals().get(
        organisation__key="vinje-kommune", body="formannskap"
    )
    data = {
        "formannskap-seen": recorded_mark(formannskap),
        "formannskap-planned_on": "",
        "formannskap-decided_on": "",
        "formannskap-decision": "pending",
        "formannskap-case_reference": "",
        "formannskap-comment": "",
        "kommunestyre-seen": "",
        "kommunestyre-planned_on": timezone.localdate().isoformat(),
        "kommunestyre-decided_on": timezone.localdate().isoformat(),
        "kommunestyre-decision": "approved",
        "kommunestyre-case_reference": "26/12",
        "kommunestyre-comment": "",
    }
    as_user(client, people["vinje"]).post(url("decision", 2026, "vinje-kommune"), data)
    formannskap.refresh_from_db()
    kommunestyre = revision.current_approvals().get(
        organisation__key="vinje-kommune", body="kommunestyre"
    )
    assert (formannskap.recorded_by, formannskap.decision) == (None, "pending")
    assert (kommunestyre.recorded_by, kommunestyre.decision) == (people["vinje"], "approved")


def test_only_a_plan_under_treatment_can_be_sent_back(client, seed, people):
    """KDD's send-back of the approved 2025 plan or of a 2026 draft is refused and said."""
    as_user(client, people["prosjektleiar"]).post(
        url("revision-start"), {"year": 2026, "confirmed": "ja"}
    )
    kdd = as_user(client, people["kdd"])
    before = dump_database()
    for year in (2025, 2026):
        page = kdd.post(
            url("revision-send-back", year), {"comment": "Rett det.", **CONFIRMED}, follow=True
        )
        assert "Berre ein handlingsplan som er til handsaming kan sendast tilbake." in page.text
    assert dump_database() == before
    assert not Revision.objects.get(year=2025).events.filter(kind="sent_back").exists()
    assert Revision.objects.get(year=2026).is_draft
