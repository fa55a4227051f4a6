"""Approval rounds: each submission is a round of its own, and only the current one counts."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from access.models import Role
from measures.models import Organisation
from reporting.models import Approval, ApprovalRound, ImmutableRevisionError, Revision
from reporting.outputs.context import Report
from reporting.outputs.pdf import report_html
from reporting.revision import workflow
from tests.factories import make_user
from tests.support import (
    CONFIRMED,
    MUNICIPALITIES,
    as_user,
    decide,
    submitted_2026,
    url,
)
from tests.support import (
    SEED_SLUG as SLUG,
)


def everyone_approves(client, people) -> None:
    for name in MUNICIPALITIES:
        decide(client, people[name], f"{name}-kommune", ["formannskap", "kommunestyre"])
    decide(client, people["fylkeskommunen"], "telemark-fylkeskommune", ["fylkesting"])


def send_back_and_resubmit(client, people, comment: str = "Budsjettet for 2027 må forklarast."):
    as_user(client, people["kdd"]).post(
        url("revision-send-back", 2026), {"comment": comment, **CONFIRMED}
    )
    as_user(client, people["prosjektleiar"]).post(url("revision-submit", 2026), CONFIRMED)


def test_decisions_of_a_round_kdd_sent_back_no_longer_count(client, seed, people):
    revision = submitted_2026(client, people, seed)
    everyone_approves(client, people)
    assert revision.approved_by_every_party()
    send_back_and_resubmit(client, people)

    revision.refresh_from_db()
    assert revision.status == "submitted" and not revision.approved_by_every_party()
    page = as_user(client, people["kdd"]).get(url("revision", 2026)).text
    assert "Godkjenn handlingsplan 2026" not in page
    assert "KDD kan godkjenne når alle partane har godkjent." in page
    response = client.post(url("revision-approve", 2026), CONFIRMED, follow=True)
    assert "Alle partane må ha godkjent handlingsplanen" in response.text
    assert Revision.objects.get(year=2026).status == "submitted"

    # Section 8, on the process page and in the report, counts this round's decisions only.
    process = client.get(reverse("reporting:process", args=[SLUG])).text
    assert "Ingen partar har godkjent handlingsplanen enno." in process
    html = report_html(Report.from_revision(revision))
    assert "Ingen partar har godkjent handlingsplanen enno." in html.split("8. Handlingsplanen")[-1]

    # Once every party has decided again, KDD approves the new round.
    everyone_approves(client, people)
    as_user(client, people["kdd"]).post(url("revision-approve", 2026), CONFIRMED)
    revision.refresh_from_db()
    assert revision.is_approved
    assert [(r.number, r.is_open) for r in revision.rounds.all()] == [(1, False), (2, True)]


def test_earlier_rounds_stay_visible_as_history_on_the_revision_page(client, seed, people):
    submitted_2026(client, people, seed)
    decide(client, people["vinje"], "vinje-kommune", ["formannskap", "kommunestyre"])
    send_back_and_resubmit(client, people, "Tiltak 2.3 manglar grunngjeving.")

    page = as_user(client, people["prosjektleiar"]).get(url("revision", 2026)).text
    assert "Status for partane, runde 2" in page
    current = page.split("Status for partane, runde 2")[1].split("Tidlegare godkjenningsrundar")[0]
    vinje_now = current.split(">Vinje kommune")[1:3]
    assert len(vinje_now) == 2  # formannskap and kommunestyre, both undecided in round 2
    assert all("Godkjend" not in row.split("</tr>")[0] for row in vinje_now)
    history = page.split("Tidlegare godkjenningsrundar")[1]
    assert "Runde 1: sendt til godkjenning" in history
    assert "Merknad frå KDD: Tiltak 2.3 manglar grunngjeving." in history
    vinje = history.split(">Vinje kommune</th>")[1].split("</tr>")[0]
    today = timezone.localdate().strftime("%d.%m.%Y")  # decide() records today's decisions
    assert "Formannskap" in vinje and "Godkjend" in vinje and today in vinje


def test_a_rounds_times_and_kdds_comment_on_the_revision_page_are_its_events(
    client, seed, people, time_machine
):
    """Submitted on 20 April, sent back on 22 April, sent again on 23 April: the earlier round
    is headed by the days of its submission and send-back, with KDD's comment, all read from
    the revision's events."""
    oslo = datetime.timezone(datetime.timedelta(hours=2))
    time_machine.move_to(datetime.datetime(2026, 4, 20, 9, 0, tzinfo=oslo), tick=False)
    submitted_2026(client, people, seed)
    time_machine.move_to(datetime.datetime(2026, 4, 22, 15, 0, tzinfo=oslo), tick=False)
    as_user(client, people["kdd"]).post(
        url("revision-send-back", 2026), {"comment": "Rett budsjettet for 2027.", **CONFIRMED}
    )
    time_machine.move_to(datetime.datetime(2026, 4, 23, 8, 0, tzinfo=oslo), tick=False)
    as_user(client, people["prosjektleiar"]).post(url("revision-submit", 2026), CONFIRMED)

    page = as_user(client, people["prosjektleiar"]).get(url("revision", 2026)).text
    history = page.split("Tidlegare godkjenningsrundar")[1]
    assert "Runde 1: sendt til godkjenning 20.04.2026, sendt tilbake 22.04.2026" in history
    assert "Merknad frå KDD: Rett budsjettet for 2027." in history
    events = page.split("Tidlegare godkjenningsrundar")[0]
    assert "Status for partane, runde 2" in events
    revision = Revision.objects.get(year=2026)
    first, second = revision.rounds.all()
    assert first.send_back.comment == "Rett budsjettet for 2027."
    assert second.submission.kind == "submitted" and second.opened_at == revision.submitted_at


def test_late_parties_and_reminders_count_the_current_round_only(
    client, seed, people, time_machine, django_capture_on_commit_callbacks
):
    revision = submitted_2026(client, people, seed)
    everyone_approves(client, people)
    send_back_and_resubmit(client, people)
    revision.refresh_from_db()
    workflow.set_due_date(revision=revision, due_on=datetime.date(2026, 6, 30))
    mail.outbox.clear()
    time_machine.move_to("2026-07-02 12:00+02:00")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    reminded = sorted(address for message in mail.outbox for address in message.to)
    assert reminded == sorted(f"{n}@example.no" for n in [*MUNICIPALITIES, "fylkeskommunen"])


def test_a_rejection_and_its_comment_are_shown_to_the_project_leader_and_kdd(client, seed, people):
    submitted_2026(client, people, seed)
    data = {
        "formannskap-decided_on": str(timezone.localdate()),
        "formannskap-decision": "approved",
        "kommunestyre-decided_on": str(timezone.localdate()),
        "kommunestyre-decision": "rejected",
        "kommunestyre-comment": "Budsjettet for 2027 er ikkje avklart.",
    }
    as_user(client, people["kviteseid"]).post(url("decision", 2026, "kviteseid-kommune"), data)

    today = timezone.localdate().strftime("%d.%m.%Y")
    expected = (
        f"Kviteseid kommunestyre vedtok {today} å ikkje godkjenne handlingsplanen. Merknad: "
        "«Budsjettet for 2027 er ikkje avklart.»</p>"
    )
    for name in ("prosjektleiar", "kdd"):
        assert expected in as_user(client, people[name]).get(url("revision", 2026)).text, name
    partner = make_user("husbanken", seed, Role.Kind.PARTNER)
    page = as_user(client, partner).get(url("revision", 2026)).text
    assert "Budsjettet for 2027 er ikkje avklart." not in page


def test_a_formannskap_rejection_says_the_kommunestyre_decides(client, seed, people):
    submitted_2026(client, people, seed)
    data = {
        "formannskap-decided_on": str(timezone.localdate()),
        "formannskap-decision": "rejected",
        "formannskap-comment": "Formannskapet vil vente på budsjettet.",
        "kommunestyre-decision": "pending",
    }
    as_user(client, people["tokke"]).post(url("decision", 2026, "tokke-kommune"), data)
    page = as_user(client, people["prosjektleiar"]).get(url("revision", 2026)).text
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Tokke formannskap vedtok {today} å ikkje godkjenne handlingsplanen." in page
    assert "Det endelege vedtaket gjer kommunestyret." in page


def test_a_decision_form_opened_in_a_round_that_was_sent_back_saves_nothing(client, seed, people):
    revision = submitted_2026(client, people, seed)
    old = revision.current_approvals().get(organisation__key="vinje-kommune", body="kommunestyre")
    send_back_and_resubmit(client, people)
    with pytest.raises(workflow.WorkflowError, match="sendt tilbake og sendt på nytt"):
        workflow.record_decision(
            approval=old,
            user=people["vinje"],
            values={"decision": "approved", "decided_on": datetime.date(2026, 6, 18)},
        )
    assert not Approval.objects.filter(round__revision=revision, decision="approved").exists()


def test_the_rounds_of_an_approved_revision_are_frozen(seed):
    revision = Revision.objects.get(year=2025)
    round_ = revision.rounds.get()
    assert round_.is_open and revision.current_round() == round_
    round_.number = 3
    for attempt in (round_.save, round_.delete):
        with pytest.raises(ImmutableRevisionError):
            attempt()
    with pytest.raises(ImmutableRevisionError):
        ApprovalRound.objects.create(revision=revision, number=2)


def test_a_decision_recorded_by_someone_else_since_the_form_was_opened_is_not_overwritten(
    client, seed, people
):
    submitted_2026(client, people, seed)
    vinje = Organisation.objects.get(key="vinje-kommune")
    colleague = make_user("vinje-2", seed, Role.Kind.APPROVER, vinje)
    form = as_user(client, people["vinje"]).get(url("decision", 2026, "vinje-kommune")).text
    assert 'type="hidden" name="kommunestyre-seen"' in form
    decide(client, colleague, "vinje-kommune", ["formannskap", "kommunestyre"])  # approved
    stale = {  # what the first approver's form, opened before, posts
        "formannskap-seen": "",
        "formannskap-decision": "approved",
        "formannskap-decided_on": str(timezone.localdate()),
        "kommunestyre-seen": "",
        "kommunestyre-decision": "rejected",
        "kommunestyre-decided_on": str(timezone.localdate()),
        "kommunestyre-comment": "Budsjettet er ikkje avklart.",
    }
    response = as_user(client, people["vinje"]).post(
        url("decision", 2026, "vinje-kommune"), stale, follow=True
    )
    assert "Nokon andre har registrert vedtaket i Vinje formannskap sidan du opna skjemaet" in (
        response.text
    )
    kommunestyre = Approval.objects.get(
        round__revision__year=2026, organisation__key="vinje-kommune", body="kommunestyre"
    )
    assert kommunestyre.decision == "approved"
