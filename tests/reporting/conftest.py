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
    users = {"prosjektleiar": make_user("prosjektleiar", seed, Role.Kind.EDITOR)}
    for name in MUNICIPALITIES:
        org = Organisation.objects.get(key=f"{name}-kommune")
        users[name] = make_user(name, seed, Role.Kind.APPROVER, org)
    county = Organisation.objects.get(key="telemark-fylkeskommune")
    users["fylkeskommunen"] = make_user("fylkeskommunen", seed, Role.Kind.APPROVER, county)
    users["kdd"] = make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))
    for user in users.values():
        user.email = f"{user.username}@example.no"
        user.save()
    return users
