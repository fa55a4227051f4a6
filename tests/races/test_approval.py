"""A municipality changing its decision while KDD approves or sends the plan back."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from access.models import Role
from measures.models import Organisation, Party
from reporting.forms import DecisionForm
from reporting.models import Approval, Revision
from reporting.outputs import pdf as pdfs
from reporting.revision import workflow
from reporting.revision.workflow import recorded_mark
from tests.factories import make_agreement, make_user
from tests.support import CONFIRMED, editor_of

from .race import at_once, logged_in, races, said, widen

pytestmark = races
ROUNDS = 8
REFUSED_AS_APPROVED = "Handlingsplan 2025 er godkjend av KDD og kan ikkje endrast lenger."
NOT_UNDER_TREATMENT = "Vedtak kan berre registrerast medan handlingsplanen er til handsaming."
SENT_BACK_BEFORE_READING = (
    f"KDD sende handlingsplan 2025 tilbake til prosjektleiaren "
    f"{timezone.localdate():%d.%m.%Y}. Vedtak kan registrerast att når prosjektleiaren har "
    "sendt han til godkjenning på nytt."
)


def test_kdd_approves_only_what_every_party_has_approved_at_that_moment(
    ministry_client, monkeypatch
):
    """Fyresdal's kommunestyre turns to "not approved" while KDD approves: the plan ends up
    approved with every party's approval, or not approved, never approved over a rejection.

    The report an approval stores once it has committed is a stand-in here: WeasyPrint would
    take half a second a round for a report nobody reads (tests/reporting/test_stored_reports.py
    and test_approved_2026.py read the real one)."""
    monkeypatch.setattr(pdfs, "render_report", lambda report: b"%PDF-1.7 stand-in")
    widen(monkeypatch, Revision, "approved_by_every_party")
    widen(monkeypatch, DecisionForm, "is_valid")
    approver = make_user("fyresdal")
    for n in range(ROUNDS):
        revision, municipality = approved_by_the_parties(n, approver)
        decision, approval = at_once(
            post(logged_in(approver), decision_url(revision, municipality), rejected(revision)),
            post(
                ministry_client,
                reverse("reporting:revision-approve", args=[slug(n), 2025]),
                CONFIRMED,
            ),
        )
        revision.refresh_from_db()
        kommunestyre = revision.current_approvals().get(body="kommunestyre")
        if revision.is_approved:
            assert kommunestyre.decision == "approved", n
            assert bytes(revision.stored_reports.get().pdf) == b"%PDF-1.7 stand-in", n
            assert said(decision) == [REFUSED_AS_APPROVED], n
            assert said(approval) == ["Handlingsplan 2025 er godkjend av KDD."], n
        else:
            assert kommunestyre.decision == "rejected", n
            assert said(decision) == [f"Vedtaket for {municipality} er registrert."], n
            assert "Alle partane må ha godkjent" in said(approval)[0], n


def test_a_decision_recorded_while_kdd_sends_the_plan_back_lands_in_the_closed_round_or_nowhere(
    ministry_client, monkeypatch
):
    widen(monkeypatch, DecisionForm, "is_valid")
    approver = make_user("fyresdal")
    for n in range(ROUNDS):
        revision, municipality = approved_by_the_parties(n, approver)
        before = revision.current_approvals().get(body="kommunestyre")
        decision, _ = at_once(
            post(logged_in(approver), decision_url(revision, municipality), rejected(revision)),
            post(
                ministry_client,
                reverse("reporting:revision-send-back", args=[slug(n), 2025]),
                {"comment": "Rett budsjettet.", **CONFIRMED},
            ),
        )
        revision.refresh_from_db()
        assert revision.is_draft and revision.current_round() is None, n
        kommunestyre = Approval.objects.get(pk=before.pk)
        if said(decision) == [f"Vedtaket for {municipality} er registrert."]:
            assert kommunestyre.decision == "rejected"
            assert kommunestyre.recorded_at <= kommunestyre.round.closed_at, n
        else:  # refused: told on the page, whether sent back before the form was read or after
            assert kommunestyre.decision == "approved", n
            assert said(decision) in ([NOT_UNDER_TREATMENT], [SENT_BACK_BEFORE_READING]), n


def slug(n: int) -> str:
    return f"avtale-{n}"


def approved_by_the_parties(n: int, approver) -> tuple[Revision, Organisation]:
    """A fresh agreement whose revision 2025 every party has approved; KDD is yet to."""
    agreement = make_agreement(slug(n), f"Avtale {n}", goals=1)
    municipality = Organisation.objects.create(
        key=f"kommune-{n}", name=f"Kommune {n}", kind=Organisation.Kind.MUNICIPALITY
    )
    Party.objects.create(agreement=agreement, organisation=municipality, position=0)
    Party.objects.create(agreement=agreement, organisation=Organisation.objects.get(key="kdd"))
    Role.objects.create(
        user=approver, agreement=agreement, kind=Role.Kind.APPROVER, organisation=municipality
    )
    revision = workflow.start_revision(agreement=agreement, year=2025, user=editor_of(agreement))
    workflow.submit(revision=revision, user=editor_of(revision.agreement))
    approver = type(approver).objects.get(pk=approver.pk)  # its roles read afresh
    for approval in revision.current_approvals():
        values = {"decision": "approved", "decided_on": datetime.date(2025, 6, 1)}
        workflow.record_decision(approval=approval, user=approver, values=values)
    assert revision.approved_by_every_party()
    return revision, municipality


def decision_url(revision: Revision, organisation: Organisation) -> str:
    args = [revision.agreement.slug, revision.year, organisation.key]
    return reverse("reporting:decision", args=args)


def rejected(revision: Revision) -> dict:
    """The decision form as the approver saw it, the kommunestyre turned to "not approved"."""
    seen = {a.body: recorded_mark(a) for a in revision.current_approvals()}
    return {
        "formannskap-seen": seen["formannskap"],
        "kommunestyre-seen": seen["kommunestyre"],
        "formannskap-decided_on": timezone.localdate().isoformat(),
        "formannskap-decision": "approved",
        "kommunestyre-decided_on": timezone.localdate().isoformat(),
        "kommunestyre-decision": "rejected",
        "kommunestyre-comment": "Budsjettet er ikkje avklart.",
    }


def post(client, address: str, data: dict | None = None):
    """A form post, made when the race starts."""
    return lambda: client.post(address, data or {})
