"""Nobody waits without knowing: a rejection and a send-back reach every front page with their
reasons, a rejection needs a reason, and a yearly status is never dropped while «lagra» is said.

Driven through the real views, as each role would post and read them.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.forms import NotesForm
from reporting.models import Approval, MeasureProgress, Revision
from reporting.revision import workflow
from reporting.revision.waiting import Who, waiting_for
from reporting.revision.workflow import recorded_mark
from tests.support import (
    CONFIRMED,
    MUNICIPALITIES,
    PROGRESS_2026,
    SEED_SLUG,
    as_user,
    decide,
    editor_of,
    measure_form_data,
    revision_2026,
    submitted_2026,
    url,
)

REASON = "Kommunestyret vil ha budsjettet for 2027 avklart før det godkjenner planen."
SENT_BACK = "Avklar budsjettet for 2027 med Kviteseid og send planen på nytt."


def text_of(page: str) -> str:
    """A page's main content as text, spaces collapsed."""
    main = page.split('<main id="innhald"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main))).replace("\xa0", " ")


def front(client, user) -> str:
    return text_of(as_user(client, user).get("/").text)


def today() -> str:
    return timezone.localdate().strftime("%d.%m.%Y")


def kviteseid_rejects(client, people, comment: str):
    """Kviteseid's formannskap approves; its kommunestyre does not, with `comment`."""
    return reject(client, people["kviteseid"], "kviteseid-kommune", "kommunestyre", comment)


def reject(client, user, org_key: str, rejecting: str, comment: str):
    """The decision form posted as decide() posts it, `rejecting` not approving the plan."""
    shown = {
        a.body: recorded_mark(a)
        for a in Approval.objects.filter(
            round__revision__year=2026, organisation__key=org_key, round__send_back__isnull=True
        )
    }
    data = {}
    for body, mark in shown.items():
        rejected = body == rejecting
        data.update(
            {
                f"{body}-seen": mark,
                f"{body}-decided_on": timezone.localdate().isoformat(),
                f"{body}-decision": "rejected" if rejected else "approved",
                f"{body}-case_reference": "26/12",
                f"{body}-comment": comment if rejected else "",
            }
        )
    return as_user(client, user).post(url("decision", 2026, org_key), data)


def kommunestyre(org_key: str) -> Approval:
    return Approval.objects.get(
        round__revision__year=2026, organisation__key=org_key, body="kommunestyre", round__number=1
    )


# --- a rejection needs a reason, and reaches everyone ----------------------------------------


def test_a_rejection_without_a_reason_is_refused_beside_the_comment(client, people, seed):
    submitted_2026(client, people, seed)
    response = kviteseid_rejects(client, people, "")
    assert response.status_code == 200  # the form again, not a redirect to «registrert»
    page = text_of(response.text)
    assert "Skriv kvifor handlingsplanen ikkje er godkjend: merknaden er grunngjevinga." in page
    assert 'id="id_kommunestyre-comment_error"' in response.text
    # Explained beside the field before anyone gets it wrong.
    assert "Må fyllast ut når vedtaket er «Ikkje godkjend»" in page
    assert kommunestyre("kviteseid-kommune").decision == "pending"


def test_the_workflow_refuses_a_rejection_without_a_reason_too(client, people, seed):
    submitted_2026(client, people, seed)
    approval = kommunestyre("kviteseid-kommune")
    values = {"decided_on": timezone.localdate(), "decision": "rejected", "comment": "  "}
    with pytest.raises(workflow.WorkflowError, match="Skriv kvifor handlingsplanen ikkje er"):
        workflow.record_decision(approval=approval, user=people["kviteseid"], values=values)
    assert kommunestyre("kviteseid-kommune").decision == "pending"


def test_a_rejection_with_its_reason_reaches_every_front_page(client, people, seed):
    submitted_2026(client, people, seed)
    for name in MUNICIPALITIES:
        if name != "kviteseid":
            decide(client, people[name], f"{name}-kommune", ["formannskap", "kommunestyre"])
    decide(client, people["fylkeskommunen"], "telemark-fylkeskommune", ["fylkesting"])
    response = kviteseid_rejects(client, people, REASON)
    assert response.status_code == 302
    assert kommunestyre("kviteseid-kommune").comment == REASON

    said = (
        f"Kviteseid kommunestyre vedtok {today()} å ikkje godkjenne handlingsplanen. "
        f"Merknad: «{REASON}»"
    )
    now = "No: KDD kan sende handlingsplanen tilbake til prosjektleiaren"
    leader = front(client, people["prosjektleiar"])
    assert said in leader and now in leader
    assert "KDD kan sende han tilbake til deg, eller parten kan registrere eit nytt vedtak" in (
        leader
    )
    assert "Send handlingsplan 2026 til godkjenning" not in leader

    kdd = front(client, people["kdd"])
    assert "1 handlingsplan ventar på KDD." in kdd
    assert "Ventar på KDD: ein part har ikkje godkjent" in kdd and said in kdd
    assert "Ventar på vedtak frå partane" not in kdd

    own = front(client, people["kviteseid"])
    assert f"Kommunestyre: Ikkje godkjend {today()} – merknad: «{REASON}»" in own
    assert said in own and "Kviteseid kan registrere eit nytt vedtak" in own
    other = front(client, people["vinje"])
    assert said in other  # why the plan the others approved does not go on

    process = text_of(as_user(client, people["prosjektleiar"]).get(url("process")).text)
    assert said in process


def test_a_formannskap_rejection_leaves_the_plan_with_the_parties(client, people, seed):
    revision = submitted_2026(client, people, seed)
    reject(client, people["tokke"], "tokke-kommune", "formannskap", REASON)

    assert waiting_for(revision).who == Who.PARTIES
    leader = front(client, people["prosjektleiar"])
    assert "Tokke formannskap vedtok" in leader and "Det endelege vedtaket gjer kommunestyret" in (
        leader
    )
    assert "Set ein frist for vedtaka om handlingsplan 2026" in leader
    assert "Ingen handlingsplan ventar på KDD no." in front(client, people["kdd"])


def test_what_a_revision_waits_for_through_the_cycle(client, people, seed):
    revision = revision_2026(seed)
    assert waiting_for(revision).who == Who.LEADER
    _submit(revision)
    assert waiting_for(revision).who == Who.PARTIES
    for name in MUNICIPALITIES:
        decide(client, people[name], f"{name}-kommune", ["formannskap", "kommunestyre"])
    decide(client, people["fylkeskommunen"], "telemark-fylkeskommune", ["fylkesting"])
    assert waiting_for(revision).who == Who.KDD_APPROVE
    kviteseid_rejects(client, people, REASON)
    state = waiting_for(revision)
    assert state.who == Who.KDD_SEND_BACK and state.for_kdd
    assert [a.decider for a in state.rejections] == ["Kviteseid kommunestyre"]


def _submit(revision: Revision) -> None:
    """Submit, the editor accepting the failing budget checks."""
    try:
        workflow.submit(revision=revision, user=editor_of(revision.agreement))
    except workflow.ChecksFailed as failing:
        accepted = [check.label for check in failing.checks]
        workflow.submit(revision=revision, user=editor_of(revision.agreement), accepted=accepted)


# --- a send-back: KDD's comment at the top ---------------------------------------------------


def test_kdd_s_send_back_and_comment_are_at_the_top_for_the_project_leader(client, people, seed):
    submitted_2026(client, people, seed)
    kviteseid_rejects(client, people, REASON)
    as_user(client, people["kdd"]).post(
        url("revision-send-back", 2026), {**CONFIRMED, "comment": SENT_BACK}
    )
    assert Revision.objects.get(year=2026).is_draft

    said = f"KDD sende handlingsplan 2026 tilbake {today()}. Merknad frå KDD: «{SENT_BACK}»"
    leader = front(client, people["prosjektleiar"])
    assert said in leader
    assert leader.index(said) < leader.index("Neste steg")
    assert "Rett det KDD ba om, og send handlingsplanen til godkjenning på nytt." in leader

    page = text_of(client.get(url("revision", 2026)).text)
    assert said in page
    assert page.index(said) < page.index("Gjer utkastet klart") < page.index("Status for partane")
    assert "Neste steg: rett det KDD ba om" in page
    approver = text_of(as_user(client, people["kviteseid"]).get(url("revision", 2026)).text)
    assert "Neste steg: prosjektleiaren rettar handlingsplanen" in approver
    own = front(client, people["kviteseid"])
    assert said in own
    # Its own decision of the round sent back, with its reason, among what it decided before.
    assert f"Kommunestyre – ikkje godkjend {today()} (sak 26/12) – merknad: «{REASON}»" in own


# --- the texts page never drops what was written ---------------------------------------------


def notes_data(revision: Revision, **changes) -> dict:
    """The texts form as the browser posts it, as shown now, with some fields changed."""
    plan = workflow.plan_of(revision)
    form = NotesForm(
        revision=revision,
        changes=workflow.change_list(revision, plan),
        active=workflow.active_measures(plan),
    )
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data.update(changes)
    return data


def test_a_yearly_status_written_without_a_state_is_refused_not_dropped(client, people, seed):
    revision = revision_2026(seed)
    as_user(client, people["prosjektleiar"])
    written = "Oppstartsmøte med alle seks kommunane er halde."
    data = notes_data(
        revision,
        **{
            "state-gott-nokk": "",  # its state cleared, its text kept
            "state-kompetansesirkel": "",
            "progress-kompetansesirkel": written,
        },
    )
    response = client.post(url("revision-notes", 2026), data)
    assert response.status_code == 200
    page = text_of(response.text)
    assert "Tekstane er ikkje lagra." in page and "Tekstane er lagra" not in page
    assert "Vel ein status for tiltaket. Framdrifta du skreiv er ikkje lagra utan status." in page
    assert 'id="id_state-kompetansesirkel_error"' in response.text
    assert written in page  # what was written is still in the form
    kept = MeasureProgress.objects.get(revision=revision, measure_key="gott-nokk")
    assert (kept.state, kept.text) == ("delayed", PROGRESS_2026)
    assert not MeasureProgress.objects.filter(measure_key="kompetansesirkel").exists()

    data["state-gott-nokk"] = "delayed"
    data["state-kompetansesirkel"] = "in_progress"
    response = client.post(url("revision-notes", 2026), data, follow=True)
    assert "Tekstane er lagra." in text_of(response.text)
    saved = MeasureProgress.objects.get(revision=revision, measure_key="kompetansesirkel")
    assert (saved.state, saved.text) == ("in_progress", written)


def test_save_notes_refuses_a_status_text_without_a_state(seed):
    revision = revision_2026(seed)
    with pytest.raises(workflow.WorkflowError, match="Vel ein status for tiltaket"):
        workflow.save_notes(revision=revision, notes={}, progress={"gott-nokk": ("", "Tekst.")})
    assert MeasureProgress.objects.get(revision=revision, measure_key="gott-nokk").text == (
        PROGRESS_2026
    )


# --- other forms: what a combination drops is said before saving ----------------------------


def test_the_measure_form_says_ticking_next_revision_removes_the_years(client, people, seed):
    measure = seed.measures.get(key="kompetansesirkel")
    edit = reverse("measures:measure-edit", args=[SEED_SLUG, measure.key])
    page = text_of(as_user(client, people["prosjektleiar"]).get(edit).text)
    assert "Kryssar du av, blir «frå år» og «til år» fjerna." in page
    data = measure_form_data(measure, start_year=2025, end_year=2027, at_next_revision="on")
    assert client.post(edit, data).status_code == 302
    measure.refresh_from_db()
    assert (measure.start_year, measure.end_year, measure.at_next_revision) == (None, None, True)
