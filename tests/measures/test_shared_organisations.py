"""Who uses an organisation of the shared register: each way an agreement may use one makes it
shared with that agreement, so that another agreement may not change it."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from measures.models import Invitation, Involvement, Membership, Organisation, Party, Role
from measures.organisations import agreements_using, shared_refusal, shared_with
from reporting.models import Approval

from ..factories import OrganisationFactory, make_agreement, make_user


def _moved(rows, field: str):
    """Point the seed's first such row at the organisation instead, saved as an edit would."""

    def move(seed, org):
        row = rows(seed).order_by("pk").first()
        setattr(row, field, org)
        row.save(update_fields=[field])

    return move


USES = {
    "party": _moved(lambda seed: Party.objects.filter(agreement=seed), "organisation"),
    "lead or partner": _moved(
        lambda seed: Involvement.objects.filter(measure__agreement=seed), "organisation"
    ),
    "collective": _moved(lambda seed: Membership.objects.filter(agreement=seed), "collective"),
    "member": _moved(lambda seed: Membership.objects.filter(agreement=seed), "member"),
    # An approved revision's rows refuse a save: moved past that guard, as a test may.
    "approval": lambda seed, org: (
        QuerySet(Approval)
        .filter(pk=Approval.objects.filter(revision__agreement=seed).order_by("pk")[0].pk)
        .update(organisation=org)
    ),
    "role": lambda seed, org: make_user("godkjennar", seed, Role.Kind.APPROVER, org),
    "invitation": lambda seed, org: Invitation.objects.create(
        agreement=seed,
        email="ny@example.org",
        kind=Role.Kind.APPROVER,
        organisation=org,
        token_hash="x" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    ),
}


@pytest.mark.parametrize("use", USES)
def test_each_use_by_another_agreement_makes_an_organisation_shared(seed, use):
    other = make_agreement("nordfjord", "Bygdevekstavtale for Nordfjord")
    org = OrganisationFactory(name="Sogn kommune")
    assert shared_with(org, other) == [] and list(agreements_using(org)) == []
    USES[use](seed, org)
    assert list(agreements_using(org)) == [seed]
    assert shared_with(org, other) == [seed]
    assert shared_with(org, seed) == []  # its own agreement alone may change it


def test_a_new_organisation_is_no_ones_and_the_refusal_names_the_others(seed):
    assert shared_with(Organisation(name="Ny"), seed) == []
    other = make_agreement("nordfjord", "Bygdevekstavtale for Nordfjord")
    kdd = Organisation.objects.get(key="kdd")
    assert shared_refusal(kdd, [seed, other]) == (
        "Kommunal- og distriktsdepartementet er også med i avtalane «Bygdevekstavtale for "
        "Vest-Telemark», «Bygdevekstavtale for Nordfjord»; berre ein operatør kan endre han, "
        "i admin."
    )
