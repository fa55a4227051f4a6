"""Who uses an organisation of the shared register: each way an agreement may use one makes it
shared with that agreement, so that another agreement may not change it."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from access.models import Invitation, Role
from measures.models import Involvement, Membership, Organisation, Party
from measures.organisations import agreements_using, shared_refusal, shared_with
from reporting.models import Approval

from ..factories import OrganisationFactory, make_agreement, make_user
from ..support import dump_database

SLUG = "vest-telemark"


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
        .filter(pk=Approval.objects.filter(round__revision__agreement=seed).order_by("pk")[0].pk)
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


# The form that changes an organisation from one agreement's pages.


def edit_url(key: str) -> str:
    return reverse("measures:organisation-edit", args=[SLUG, key])


def posted(org: Organisation, **changes) -> dict:
    return {
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "version": org.version,
        **changes,
    }


def test_renaming_a_shared_organisation_is_refused_beside_the_field(owner_client, namdal):
    kdd = Organisation.objects.get(key="kdd")
    before = dump_database()
    response = owner_client.post(
        edit_url("kdd"), posted(kdd, name="<b>Departementet</b>", kind="education")
    )
    page = response.content.decode()
    refusal = (
        f"Kommunal- og distriktsdepartementet er også med i avtala «{namdal.name}»; berre ein "
        "operatør kan endre han, i admin."
    )
    assert response.status_code == 200
    for field in ("name", "kind"):
        assert f'id="id_{field}_error">{refusal}</div>' in page
    assert 'id="id_short_name_error"' not in page  # unchanged: nothing to refuse
    assert "<b>Departementet</b>" not in page
    assert dump_database() == before
    kdd.refresh_from_db()
    assert (kdd.name, kdd.kind) == ("Kommunal- og distriktsdepartementet", "ministry")


def test_saving_a_shared_organisation_unchanged_is_no_change(owner_client, namdal):
    kdd = Organisation.objects.get(key="kdd")
    response = owner_client.post(edit_url("kdd"), posted(kdd))
    assert response.status_code == 302


def test_renaming_an_organisation_only_this_agreement_uses_is_saved(owner_client, namdal):
    vinje = Organisation.objects.get(key="vinje-kommune")
    response = owner_client.post(
        edit_url("vinje-kommune"), posted(vinje, name="Vinje kommune (Telemark)")
    )
    assert response["Location"] == reverse(
        "measures:organisation-detail", args=[SLUG, "vinje-kommune"]
    )
    vinje.refresh_from_db()
    assert vinje.name == "Vinje kommune (Telemark)"
    page = owner_client.get(response["Location"]).content.decode()
    assert '<h1 class="ds-heading" data-size="lg">Vinje kommune (Telemark)</h1>' in page


def test_another_agreements_organisation_has_no_form_here(owner_client, namdal):
    assert owner_client.get(edit_url("lierne-kommune")).status_code == 404
    lierne = Organisation.objects.get(key="lierne-kommune")
    response = owner_client.post(edit_url("lierne-kommune"), posted(lierne, kind="education"))
    assert response.status_code == 404
    lierne.refresh_from_db()
    assert lierne.kind == "municipality"


def test_the_organisation_page_links_its_form_for_the_editor_only(
    owner_client, collaborator, client
):
    page = reverse("measures:organisation-detail", args=[SLUG, "vinje-kommune"])
    assert edit_url("vinje-kommune") in owner_client.get(page).content.decode()
    client.force_login(collaborator)
    assert edit_url("vinje-kommune") not in client.get(page).content.decode()
