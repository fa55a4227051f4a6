"""The revision's irreversible steps ask first; decisions and deadlines are dated truthfully;
refusals say their reason."""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone

from reporting.models import Approval, Revision
from tests.support import (
    CONFIRMED,
    MUNICIPALITIES,
    as_user,
    decide,
    dump_database,
    submitted_2026,
    url,
)


def today() -> datetime.date:
    return timezone.localdate()


def approved_by_every_party(client, people, seed) -> Revision:
    revision = submitted_2026(client, people, seed)
    for name in MUNICIPALITIES:
        decide(client, people[name], f"{name}-kommune", ["formannskap", "kommunestyre"])
    decide(client, people["fylkeskommunen"], "telemark-fylkeskommune", ["fylkesting"])
    revision.refresh_from_db()
    assert revision.approved_by_every_party()
    return revision


def test_submitting_without_confirming_changes_nothing_and_says_what_will_happen(
    client, seed, people
):
    as_user(client, people["prosjektleiar"])
    client.post(url("revision-start"), {"year": 2026, "confirmed": "ja"})
    before = dump_database()
    asked = client.post(url("revision-submit", 2026))
    assert asked.status_code == 200
    assert dump_database() == before
    assert Revision.objects.get(year=2026).status == "draft"
    assert "Send handlingsplan 2026 til godkjenning?" in asked.text
    assert "blir frosen slik planen og budsjettet er no" in asked.text
    assert "Desse får e-post:" in asked.text and "vinje (Vinje kommune)" in asked.text
    assert 'name="confirmed" value="ja"' in asked.text
    sent = client.post(url("revision-submit", 2026), CONFIRMED)
    assert sent.status_code == 302
    assert Revision.objects.get(year=2026).status == "submitted"


def test_the_submit_confirmation_names_approvers_without_an_address(client, seed, people):
    people["tokke"].email = ""
    people["tokke"].save()
    as_user(client, people["prosjektleiar"])
    client.post(url("revision-start"), {"year": 2026, "confirmed": "ja"})
    asked = client.post(url("revision-submit", 2026))
    assert "Desse har inga e-postadresse og får ikkje e-post: tokke (Tokke kommune)." in asked.text
    client.post(url("revision-submit", 2026), CONFIRMED)
    page = client.get(url("revision", 2026)).text
    assert "E-post om handlingsplanen gjekk til:" in page
    assert "Desse godkjennarane har inga e-postadresse og fekk ikkje e-post" in page
    assert "tokke (Tokke kommune)" in page
    assert "/avtale/vest-telemark/organisasjonar/tokke-kommune/" in page


def test_the_htmx_submit_answers_with_the_confirmation_fragment(client, seed, people):
    as_user(client, people["prosjektleiar"])
    client.post(url("revision-start"), {"year": 2026, "confirmed": "ja"})
    asked = client.post(url("revision-submit", 2026), headers={"HX-Request": "true"})
    assert "<html" not in asked.text
    assert "Send handlingsplan 2026 til godkjenning?" in asked.text
    assert Revision.objects.get(year=2026).status == "draft"


def test_kdd_approves_only_after_confirming_and_reads_what_it_means(client, seed, people):
    revision = approved_by_every_party(client, people, seed)
    as_user(client, people["kdd"])
    page = client.get(url("revision", 2026)).text
    # Approving and sending back are apart: the send-back is its own box, after the changes.
    assert (
        page.index("action-box--approve")
        < page.index("Endringar")
        < page.index("action-box--danger")
    )
    before = dump_database()
    asked = client.post(url("revision-approve", 2026))
    assert dump_database() == before
    assert Revision.objects.get(pk=revision.pk).status == "submitted"
    assert "Godkjenne handlingsplan 2026?" in asked.text
    assert (
        "Handlingsplan 2026 for Bygdevekstavtale for Vest-Telemark blir godkjend av KDD for godt"
        " og lagd til grunn for utbetalinga av statleg medfinansiering for 2026." in asked.text
    )
    assert "han kan ikkje sendast tilbake" in asked.text
    done = client.post(url("revision-approve", 2026), CONFIRMED)
    assert done.status_code == 302
    assert Revision.objects.get(pk=revision.pk).status == "approved"


def test_an_approval_before_every_party_has_decided_is_refused_with_the_reason(
    client, seed, people
):
    submitted_2026(client, people, seed)
    response = as_user(client, people["kdd"]).post(url("revision-approve", 2026), follow=True)
    assert "Alle partane må ha godkjent handlingsplanen før KDD kan godkjenne han." in (
        response.text
    )
    assert Revision.objects.get(year=2026).status == "submitted"


def test_sending_back_asks_first_and_keeps_the_comment(client, seed, people):
    revision = submitted_2026(client, people, seed)
    as_user(client, people["kdd"])
    before = dump_database()
    asked = client.post(url("revision-send-back", 2026), {"comment": "Rett budsjettet."})
    assert dump_database() == before
    assert "Sende handlingsplan 2026 tilbake?" in asked.text
    assert "Vedtaka i runde 1 gjeld ikkje lenger" in asked.text
    assert "Rett budsjettet." in asked.text  # the comment, carried into the confirmation
    empty = client.post(url("revision-send-back", 2026), {"comment": "", **CONFIRMED})
    assert "Skriv kvifor handlingsplanen blir sendt tilbake." in empty.text
    assert Revision.objects.get(pk=revision.pk).status == "submitted"
    client.post(url("revision-send-back", 2026), {"comment": "Rett budsjettet.", **CONFIRMED})
    revision.refresh_from_db()
    assert revision.is_draft and revision.rounds.get().comment == "Rett budsjettet."


def test_a_decision_posted_after_a_send_back_is_told_why_not_403(client, seed, people):
    submitted_2026(client, people, seed)
    as_user(client, people["kdd"]).post(
        url("revision-send-back", 2026), {"comment": "Rett teksten.", **CONFIRMED}
    )
    before = dump_database()
    response = decide(client, people["vinje"], "vinje-kommune", ["formannskap"])
    assert response.status_code == 302
    assert dump_database() == before
    page = client.get(response.url).text
    assert "KDD sende handlingsplan 2026 tilbake til prosjektleiaren" in page
    assert "Vedtak kan registrerast att" in page


def test_a_partly_filled_decision_is_saved_and_says_what_is_missing(client, seed, people):
    submitted_2026(client, people, seed)
    only_the_formannskap = {
        "formannskap-seen": "",
        "formannskap-decided_on": today().isoformat(),
        "formannskap-decision": "approved",
        "kommunestyre-seen": "",
        "kommunestyre-decision": "pending",
    }
    vinje = as_user(client, people["vinje"])
    response = vinje.post(url("decision", 2026, "vinje-kommune"), only_the_formannskap)
    page = vinje.get(response["Location"]).text
    assert "Vedtaket for Vinje kommune er registrert" not in page
    assert "Lagra for Vinje formannskap." in page
    assert "Framleis manglar vedtak frå Vinje kommunestyre." in page
    formannskap = Approval.objects.get(
        round__revision__year=2026, organisation__key="vinje-kommune", body="formannskap"
    )
    assert formannskap.decision == "approved" and formannskap.decided_on == today()
    response = decide(client, people["vinje"], "vinje-kommune", ["formannskap", "kommunestyre"])
    page = client.get(response["Location"]).text
    assert "Vedtaket for Vinje kommune er registrert." in page
    assert "Framleis manglar" not in page


def decision_post(client, user, org_key: str, body: str, **dates):
    shown = Approval.objects.get(
        round__revision__year=2026,
        organisation__key=org_key,
        body=body,
        round__send_back__isnull=True,
    )
    data = {
        f"{body}-seen": "",
        f"{body}-planned_on": "",
        f"{body}-decided_on": "",
        f"{body}-decision": "approved",
        f"{body}-case_reference": "26/1",
        f"{body}-comment": "",
    }
    assert shown.recorded_at is None
    data.update({f"{body}-{name}": value for name, value in dates.items()})
    other = "formannskap" if body == "kommunestyre" else "kommunestyre"
    data.update({f"{other}-seen": "", f"{other}-decision": "pending"})
    return as_user(client, user).post(url("decision", 2026, org_key), data)


def test_decision_dates_are_checked_against_today_and_the_submission(client, seed, people):
    submitted_2026(client, people, seed)
    before = dump_database()
    future = today() + datetime.timedelta(days=30)
    response = decision_post(
        client, people["vinje"], "vinje-kommune", "kommunestyre", decided_on=future.isoformat()
    )
    assert response.status_code == 200
    assert "Vedtaksdatoen kan ikkje vere fram i tid." in response.text
    early = decision_post(
        client, people["vinje"], "vinje-kommune", "kommunestyre", decided_on="2019-03-01"
    )
    assert "Vedtaksdatoen kan ikkje vere før handlingsplanen vart sendt til godkjenning" in (
        early.text
    )
    planned_after = decision_post(
        client,
        people["vinje"],
        "vinje-kommune",
        "kommunestyre",
        decided_on=today().isoformat(),
        planned_on=(today() + datetime.timedelta(days=3)).isoformat(),
    )
    assert "Det planlagde møtet kan ikkje vere etter vedtaket" in planned_after.text
    assert dump_database() == before
    good = decision_post(
        client,
        people["vinje"],
        "vinje-kommune",
        "kommunestyre",
        decided_on=today().isoformat(),
        planned_on=today().isoformat(),
    )
    assert good.status_code == 302
    saved = Approval.objects.get(
        round__revision__year=2026, organisation__key="vinje-kommune", body="kommunestyre"
    )
    assert saved.decided_on == today() and saved.planned_on == today()


def test_a_deadline_in_the_past_is_refused_beside_the_field(client, seed, people):
    revision = submitted_2026(client, people, seed)
    yesterday = today() - datetime.timedelta(days=1)
    response = client.post(url("revision-due", 2026), {"due_on": yesterday.isoformat()})
    assert response.status_code == 200
    assert "Fristen kan ikkje vere før i dag" in response.text
    assert 'id="id_due_on_error"' in response.text
    revision.refresh_from_db()
    assert revision.due_on is None
    later = today() + datetime.timedelta(days=14)
    assert client.post(url("revision-due", 2026), {"due_on": later.isoformat()}).status_code == 302
    revision.refresh_from_db()
    assert revision.due_on == later


def test_the_texts_page_says_which_texts_submission_needs(client, seed, people):
    from tests.support import revision_2026

    revision_2026(seed)
    page = as_user(client, people["prosjektleiar"]).get(url("revision-notes", 2026)).text
    reason = page.split("Grunngjeving for endringa: tiltak 1.4")[1].split("</label>")[0]
    assert "(må skrivast før handlingsplanen blir sendt)" in reason
    assert "(valfritt)" not in reason
    # The yearly status is not needed to submit, and says so.
    assert "Framdrift <span" in page and "(valfritt)" in page


def test_refusals_name_the_reason_and_log_one_line(client, seed, people, caplog):
    submitted_2026(client, people, seed)
    caplog.set_level(logging.WARNING, logger="django.request")
    other = decide(client, people["vinje"], "tokke-kommune", ["formannskap", "kommunestyre"])
    assert other.status_code == 403
    assert "Du registrerer vedtak for Vinje kommune, ikkje for Tokke kommune." in other.text
    assert "Spør prosjektleiaren" not in other.text
    editor = as_user(client, people["kdd"]).post(url("revision-submit", 2026), CONFIRMED)
    assert editor.status_code == 403
    assert "berre prosjektleiaren for avtala kan endre ho" in editor.text
    approver = as_user(client, people["vinje"]).post(url("revision-approve", 2026))
    only_kdd = "Berre KDD (departementet) kan godkjenne eller sende tilbake handlingsplanen."
    assert only_kdd in approver.text
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert len(refused) == 3
    for record in refused:
        assert record.exc_info is None and "Traceback" not in caplog.text
        assert "Forbidden" in record.getMessage() and "PermissionDenied" in record.getMessage()
