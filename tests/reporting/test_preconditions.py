"""Each step's rule lives in the service, and the page explains with the same words: a
confirmed post that skips the page's question is refused by the service, with nothing written."""

from __future__ import annotations

import pytest

from reporting.models import MeasureNote, Revision
from reporting.revision import workflow
from reporting.revision.review import budget_checks, failed
from tests.support import CONFIRMED, as_user, dump_database, revision_2026, url

MISSING = "Skriv grunngjeving eller vurdering for 1.4 Kompetansesirkel for planleggjarar"


@pytest.fixture
def without_reason(seed) -> Revision:
    """Handlingsplan 2026 whose changed measure 1.4 has no reason written."""
    revision = revision_2026(seed)
    MeasureNote.objects.filter(revision=revision, measure_key="kompetansesirkel").delete()
    return revision


def test_the_service_refuses_to_submit_without_the_reasons(without_reason, people):
    before = dump_database()
    with pytest.raises(workflow.WorkflowError, match=MISSING):
        workflow.submit(revision=without_reason, user=people["prosjektleiar"])
    assert dump_database() == before


def test_a_confirmed_submit_without_the_reasons_is_refused_and_writes_nothing(
    client, without_reason, people
):
    # Confirmed, with every failing budget check accepted: only the missing reason stops it.
    checks = failed(budget_checks(workflow.plan_of(without_reason), 2026))
    posted = {**CONFIRMED, "confirm": "on", "accepted": [check.label for check in checks]}
    before = dump_database()
    as_user(client, people["prosjektleiar"])
    page = client.post(url("revision-submit", 2026), posted, follow=True)
    assert MISSING in page.text
    assert dump_database() == before
    assert Revision.objects.get(year=2026).is_draft


def test_the_page_and_the_service_give_the_same_reason(without_reason, people):
    explained = workflow.why_not_submittable(without_reason)
    assert explained.startswith(MISSING)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.submit(revision=without_reason, user=people["prosjektleiar"])
    assert str(refused.value) == explained


def test_a_revision_no_longer_a_draft_cannot_be_submitted_again(seed, people):
    approved = seed.revisions.get(year=2025)
    with pytest.raises(workflow.WorkflowError, match="Berre eit utkast"):
        workflow.submit(revision=approved, user=people["prosjektleiar"])


EDITOR_ONLY = "men berre prosjektleiaren for avtala kan endre ho"


@pytest.mark.parametrize("who", ["kdd", "vinje"])
def test_the_service_lets_only_the_project_leader_start_and_submit(seed, people, who):
    """KDD and a municipality read the plan but run no step of the project leader's."""
    before = dump_database()
    with pytest.raises(workflow.WorkflowError, match=EDITOR_ONLY):
        workflow.start_revision(agreement=seed, year=2026, user=people[who])
    assert dump_database() == before
    draft = workflow.start_revision(agreement=seed, year=2026, user=people["prosjektleiar"])
    before = dump_database()
    with pytest.raises(workflow.WorkflowError, match=EDITOR_ONLY):
        workflow.submit(revision=draft, user=people[who], accepted=["every check"])
    assert dump_database() == before
    assert Revision.objects.get(year=2026).is_draft


def test_the_page_refuses_a_non_editor_with_the_services_words(client, seed, people):
    as_user(client, people["kdd"])
    response = client.post(url("revision-start"), {"year": 2026, "confirmed": "ja"})
    assert response.status_code == 403
    assert EDITOR_ONLY in response.text
    assert not Revision.objects.filter(year=2026).exists()
