"""Shared fixtures: the seed plan, the three personas, and small builders."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from measures.models import Agreement, Organisation, Role, SubGoal
from reporting.plan_file import import_plan, parse_plan

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "fixtures" / "vest-telemark-2025.yaml"
SOURCE_DOCUMENT = ROOT / "fixtures" / "handlingsplan-2025-kjelde.txt"


@pytest.fixture
def seed(db) -> Agreement:
    """The approved Handlingsplan 2025 for Vest-Telemark, imported from the fixture."""
    return import_plan(parse_plan(SEED_FILE.read_text(encoding="utf-8")))


def make_user(
    username: str,
    agreement: Agreement | None = None,
    kind: str = Role.Kind.PARTNER,
    organisation: Organisation | None = None,
):
    """A user, with a role in the agreement when one is given."""
    user = get_user_model().objects.create_user(username=username, password="test-passord-123")
    if agreement is not None:
        Role.objects.create(user=user, agreement=agreement, kind=kind, organisation=organisation)
    return user


@pytest.fixture
def owner(seed):
    """The project leader: editor of the seed agreement."""
    return make_user("prosjektleiar", seed, Role.Kind.EDITOR)


@pytest.fixture
def collaborator(seed):
    """A partner with read access to the seed agreement."""
    county = Organisation.objects.get(key="telemark-fylkeskommune")
    return make_user("fylkeskommunen", seed, Role.Kind.PARTNER, county)


@pytest.fixture
def outsider(seed):
    """A user with a role in another agreement only."""
    other = make_agreement("nordfjord", "Bygdevekstavtale for Nordfjord")
    return make_user("utanforståande", other, Role.Kind.EDITOR)


def make_agreement(
    slug: str = "testavtale",
    name: str = "Testavtale",
    first: int = 2025,
    last: int = 2028,
    goals: int = 0,
) -> Agreement:
    """A bare agreement, optionally with sub-goals of equal weight."""
    agreement = Agreement.objects.create(
        slug=slug, name=name, pilot_name=f"{name}piloten", first_year=first, last_year=last
    )
    for number in range(1, goals + 1):
        SubGoal.objects.create(
            agreement=agreement,
            number=number,
            title=f"Delmål {number}",
            main_goal="Eit mål.",
            weight=100 // goals,
        )
    return agreement


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back ids could otherwise meet old entries."""
    from django.core.cache import cache

    cache.clear()
