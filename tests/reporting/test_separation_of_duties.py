"""One person never both edits a plan and decides on it; an approver decides for their own
organisation in their own agreement only. Each rule lives in access.rules, and both the
pages and the workflow's services refuse by it."""

from __future__ import annotations

import pytest

from access import rules
from access.models import Role
from measures.models import Organisation
from reporting.models import Approval, Revision
from reporting.revision import workflow
from tests.factories import make_agreement, make_user
from tests.support import CONFIRMED, as_user, dump_database, submitted_2026, url

EDITS_SO_NO_DECISION = "redigerer planen, så du kan ikkje òg registrere vedtak om han"


def _vinje() -> Organisation:
    return Organisation.objects.get(key="vinje-kommune")


@pytest.fixture
def submitted(client, people, seed) -> Revision:
    return submitted_2026(client, people, seed)


def test_an_editor_with_the_ministry_role_cannot_approve_for_kdd(client, seed, people, submitted):
    leader = people["prosjektleiar"]
    Role.objects.create(
        user=leader,
        agreement=seed,
        kind=Role.Kind.MINISTRY,
        organisation=Organisation.objects.get(key="kdd"),
    )
    before = dump_database()
    answer = as_user(client, leader).post(url("revision-approve", 2026), CONFIRMED)
    assert answer.status_code == 403
    assert EDITS_SO_NO_DECISION in answer.text and "Det gjer KDD (departementet)." in answer.text
    sent_back = client.post(url("revision-send-back", 2026), {"comment": "Nei.", **CONFIRMED})
    assert sent_back.status_code == 403
    assert dump_database() == before
    page = client.get(url("revision", 2026)).text
    assert EDITS_SO_NO_DECISION in page
    assert "Godkjenning frå KDD" not in page
    with pytest.raises(workflow.WorkflowError, match=EDITS_SO_NO_DECISION):
        workflow.kdd_approve(revision=submitted, user=leader)
    with pytest.raises(workflow.WorkflowError, match=EDITS_SO_NO_DECISION):
        workflow.send_back(revision=submitted, user=leader, comment="Nei.")


def test_an_editor_with_an_approver_role_cannot_record_the_decision(
    client, seed, people, submitted
):
    leader = people["prosjektleiar"]
    Role.objects.create(user=leader, agreement=seed, kind=Role.Kind.APPROVER, organisation=_vinje())
    page = as_user(client, leader).get(url("decision", 2026, "vinje-kommune"))
    assert page.status_code == 403
    assert EDITS_SO_NO_DECISION in page.text and "godkjennaren for Vinje kommune" in page.text
    revision_page = client.get(url("revision", 2026)).text
    assert url("decision", 2026, "vinje-kommune") not in revision_page
    vinje = submitted.current_approvals().get(organisation=_vinje(), body="kommunestyre")
    with pytest.raises(workflow.WorkflowError, match=EDITS_SO_NO_DECISION):
        workflow.record_decision(
            approval=vinje, user=leader, values={"decision": "approved", "decided_on": None}
        )
    vinje.refresh_from_db()
    assert vinje.decision == Approval.Decision.PENDING


def test_an_approver_of_another_agreement_decides_nothing_here(client, seed, people, submitted):
    """Vinje's approver in another pilot is no approver in Vest-Telemark."""
    other = make_agreement(slug="anna-avtale", name="Anna avtale")
    elsewhere = make_user("vinje-elles", other, Role.Kind.APPROVER, _vinje())
    assert rules.approves_for(elsewhere, seed) == set()
    assert rules.approves_for(elsewhere, other) == {_vinje().pk}
    answer = as_user(client, elsewhere).get(url("decision", 2026, "vinje-kommune"))
    assert answer.status_code in (403, 404)
    vinje = submitted.current_approvals().get(organisation=_vinje(), body="kommunestyre")
    with pytest.raises(workflow.WorkflowError, match="Du har ikkje rolla som godkjennar"):
        workflow.record_decision(
            approval=vinje, user=elsewhere, values={"decision": "approved", "decided_on": None}
        )


def test_the_service_refuses_an_approver_for_another_organisation(seed, people, submitted):
    kviteseid = submitted.current_approvals().get(
        organisation__key="kviteseid-kommune", body="kommunestyre"
    )
    with pytest.raises(workflow.WorkflowError, match="ikkje for Kviteseid kommune"):
        workflow.record_decision(
            approval=kviteseid, user=people["vinje"], values={"decision": "approved"}
        )


def test_kdd_is_not_made_project_leader_of_a_new_agreement_by_default(client, seed):
    from django.contrib.auth.models import Permission

    kdd = make_user("kdd-ny", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))
    kdd.user_permissions.add(Permission.objects.get(codename="add_agreement"))
    page = as_user(client, kdd).get("/ny-avtale/").text
    checkbox = (
        page.split('name="become_editor"')[0].rsplit("<input", 1)[1]
        + page.split('name="become_editor"')[1].split(">", 1)[0]
    )
    assert "checked" not in checkbox
    assert "kan ikkje registrere vedtak om ho" in page
