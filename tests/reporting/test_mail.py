"""The yearly cycle's e-mails, read as their reader reads them: which bodies decide, by when,
the link straight to the party's own decision form at SITE_URL; «Ikkje godkjend» and KDD's
send-back told to the project leader; KDD's approval told to everyone with the PDF's link."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from reporting.models import Approval, Revision
from reporting.revision.workflow import recorded_mark
from tests.support import CONFIRMED, MUNICIPALITIES, as_user, decide, url

SITE = "https://bygdevekst.example.no"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def submit_with_due_date(client, people, capture, due: datetime.date) -> Revision:
    as_user(client, people["prosjektleiar"])
    client.post(url("revision-start"), {"year": 2026, "confirmed": "ja"})
    assert client.post(url("revision-due", 2026), {"due_on": due.isoformat()}).status_code == 302
    with capture(execute=True):
        assert client.post(url("revision-submit", 2026), CONFIRMED).status_code == 302
    return Revision.objects.get(year=2026)


def test_each_party_is_told_its_bodies_the_deadline_and_its_own_decision_form(
    client, seed, people, django_capture_on_commit_callbacks
):
    due = timezone.localdate() + datetime.timedelta(days=40)
    submit_with_due_date(client, people, django_capture_on_commit_callbacks, due)
    assert len(mail.outbox) == len(MUNICIPALITIES) + 1  # one per party, no one twice
    [vinje] = mail_to("vinje@example.no")
    assert vinje.subject == (
        "Handlingsplan 2026 for Bygdevekstavtale for Vest-Telemark er klar til handsaming"
    )
    assert "Vinje kommune gjer vedtak om han i formannskap og kommunestyre." in vinje.body
    assert f"Fristen for å registrere vedtaket er {due:%d.%m.%Y}." in vinje.body
    link = f"{SITE}/rullering/vest-telemark/2026/vedtak/vinje-kommune/"
    assert link in vinje.body.split()
    assert "tokke-kommune" not in vinje.body
    [county] = mail_to("fylkeskommunen@example.no")
    assert "Telemark fylkeskommune gjer vedtak om han i fylkesting." in county.body
    assert f"{SITE}/rullering/vest-telemark/2026/vedtak/telemark-fylkeskommune/" in county.body
    # The link opens the party's own form.
    form = as_user(client, people["vinje"]).get(link.removeprefix(SITE))
    assert form.status_code == 200 and "Kommunestyre" in form.text


def test_without_a_deadline_the_mail_says_there_is_none(
    client, seed, people, django_capture_on_commit_callbacks
):
    as_user(client, people["prosjektleiar"]).post(
        url("revision-start"), {"year": 2026, "confirmed": "ja"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("revision-submit", 2026), CONFIRMED)
    [seljord] = mail_to("seljord@example.no")
    assert "Det er ikkje sett nokon frist for vedtaket enno." in seljord.body


def test_a_bokmal_agreements_mail_says_the_same_in_bokmal(
    client, seed, people, django_capture_on_commit_callbacks
):
    seed.language = "nb"
    seed.save()
    due = timezone.localdate() + datetime.timedelta(days=10)
    submit_with_due_date(client, people, django_capture_on_commit_callbacks, due)
    [tokke] = mail_to("tokke@example.no")
    assert "Tokke kommune gjør vedtak om den i formannskap og kommunestyre." in tokke.body
    assert f"Fristen for å registrere vedtaket er {due:%d.%m.%Y}." in tokke.body
    assert "Les handlingsplanen og registrer vedtaket her:" in tokke.body
    assert f"{SITE}/rullering/vest-telemark/2026/vedtak/tokke-kommune/" in tokke.body


def test_a_rejection_is_mailed_to_the_project_leader_once(
    client, seed, people, django_capture_on_commit_callbacks
):
    submit_with_due_date(client, people, django_capture_on_commit_callbacks, timezone.localdate())
    mail.outbox.clear()
    today = timezone.localdate()
    data = {
        "formannskap-seen": "",
        "formannskap-decision": "pending",
        "kommunestyre-seen": "",
        "kommunestyre-decided_on": today.isoformat(),
        "kommunestyre-decision": "rejected",
        "kommunestyre-case_reference": "26/40",
        "kommunestyre-comment": "Budsjettet for delmål 2 må reknast om.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        as_user(client, people["kviteseid"]).post(url("decision", 2026, "kviteseid-kommune"), data)
    [told] = mail.outbox
    assert told.to == ["prosjektleiar@example.no"]
    assert told.subject == "Kviteseid kommunestyre har ikkje godkjent handlingsplan 2026"
    assert (
        f"Kviteseid kommunestyre vedtok {today:%d.%m.%Y} å ikkje godkjenne handlingsplan 2026 "
        "for Bygdevekstavtale for Vest-Telemark." in told.body
    )
    assert "Saksnummer: 26/40." in told.body
    assert "Budsjettet for delmål 2 må reknast om." in told.body
    assert f"{SITE}/rullering/vest-telemark/2026/" in told.body.split()
    # The rejection's comment corrected is not a second rejection; an approval is not mailed.
    mail.outbox.clear()
    shown = Approval.objects.get(
        round__revision__year=2026, organisation__key="kviteseid-kommune", body="kommunestyre"
    )
    data.update({"kommunestyre-seen": recorded_mark(shown), "kommunestyre-comment": "Sjå saka."})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("decision", 2026, "kviteseid-kommune"), data).status_code == 302
        decide(client, people["vinje"], "vinje-kommune", ["formannskap", "kommunestyre"])
    assert Approval.objects.get(pk=shown.pk).comment == "Sjå saka."
    assert mail.outbox == []


def test_a_send_back_is_mailed_to_the_project_leader_with_kdds_reason(
    client, seed, people, django_capture_on_commit_callbacks
):
    submit_with_due_date(client, people, django_capture_on_commit_callbacks, timezone.localdate())
    mail.outbox.clear()
    reason = "Tiltak 2.5 manglar finansiering i 2027."
    with django_capture_on_commit_callbacks(execute=True):
        as_user(client, people["kdd"]).post(
            url("revision-send-back", 2026), {**CONFIRMED, "comment": reason}
        )
    assert Revision.objects.get(year=2026).is_draft
    [told] = mail.outbox
    assert told.to == ["prosjektleiar@example.no"]
    assert told.subject == "KDD har sendt handlingsplan 2026 tilbake"
    assert f"tilbake til deg {timezone.localdate():%d.%m.%Y}" in told.body
    assert reason in told.body
    assert f"{SITE}/rullering/vest-telemark/2026/" in told.body.split()


def test_kdds_approval_is_mailed_to_everyone_with_the_pdfs_link(
    client, seed, people, django_capture_on_commit_callbacks
):
    submit_with_due_date(client, people, django_capture_on_commit_callbacks, timezone.localdate())
    for name in MUNICIPALITIES:
        decide(client, people[name], f"{name}-kommune", ["formannskap", "kommunestyre"])
    decide(client, people["fylkeskommunen"], "telemark-fylkeskommune", ["fylkesting"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as after_commit:
        as_user(client, people["kdd"]).post(url("revision-approve", 2026), CONFIRMED)
    assert Revision.objects.get(year=2026).is_approved
    # The e-mails only: the approved PDF's rendering (also run after the commit) is not read here.
    for callback in after_commit:
        if callback.__name__ == "send":
            callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"{u}@example.no" for u in people)
    [leader] = mail_to("prosjektleiar@example.no")
    assert leader.subject == "Handlingsplan 2026 for Bygdevekstavtale for Vest-Telemark er godkjend"
    assert (
        "KDD godkjende handlingsplan 2026 for Bygdevekstavtale for Vest-Telemark "
        f"{timezone.localdate():%d.%m.%Y}." in leader.body
    )
    assert f"{SITE}/rullering/vest-telemark/2026/handlingsplan.pdf" in leader.body.split()


def test_a_late_partys_reminder_links_to_its_own_decision_form(
    client, seed, people, time_machine, django_capture_on_commit_callbacks
):
    due = timezone.localdate() + datetime.timedelta(days=5)
    submit_with_due_date(client, people, django_capture_on_commit_callbacks, due)
    mail.outbox.clear()
    time_machine.move_to(due + datetime.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=StringIO())
    [nissedal] = mail_to("nissedal@example.no")
    assert f"var {due:%d.%m.%Y}." in nissedal.body
    assert f"{SITE}/rullering/vest-telemark/2026/vedtak/nissedal-kommune/" in nissedal.body
