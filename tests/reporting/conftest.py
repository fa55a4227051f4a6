"""Fixtures of the yearly cycle's tests."""

from __future__ import annotations

import pytest

from access.models import Role
from measures.models import Organisation
from tests.factories import make_user
from tests.support import MUNICIPALITIES


@pytest.fixture
def people(seed):
    """One user per role, with e-mail addresses, as demo_users would make them."""
    keys = {name: f"{name}-kommune" for name in MUNICIPALITIES}
    keys |= {"fylkeskommunen": "telemark-fylkeskommune", "kdd": "kdd"}
    organisations = Organisation.objects.in_bulk(keys.values(), field_name="key")

    def user(name, kind, organisation=None):
        return make_user(name, seed, kind, organisation, email=f"{name}@example.no")

    users = {"prosjektleiar": user("prosjektleiar", Role.Kind.EDITOR)}
    for name in [*MUNICIPALITIES, "fylkeskommunen"]:
        users[name] = user(name, Role.Kind.APPROVER, organisations[keys[name]])
    users["kdd"] = user("kdd", Role.Kind.MINISTRY, organisations["kdd"])
    return users
