"""Demo users, one per role, for trying an agreement out."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from access.models import Role

from .models import Agreement, Organisation

KDD_GROUP = "KDD"


@dataclass(frozen=True)
class DemoUser:
    username: str
    kind: str
    organisation: Organisation | None
    full_name: str


def demo_users_for(agreement: Agreement) -> list[DemoUser]:
    """The project leader, an approver per municipality and for the county, and KDD."""
    # The project leader of a bokmål agreement is another person, named in bokmål.
    leader = (
        "prosjektleiar" if agreement.language == Agreement.Language.NYNORSK else "prosjektleder"
    )
    users = [DemoUser(leader, Role.Kind.EDITOR, None, leader.capitalize())]
    for municipality in agreement.municipalities():
        username = (municipality.short_name or municipality.name.split()[0]).lower()
        users.append(DemoUser(username, Role.Kind.APPROVER, municipality, municipality.name))
    for party in agreement.ordered_parties():
        if party.kind == Organisation.Kind.COUNTY:
            # The county approves the plan in its fylkesting, as the municipalities do.
            users.append(DemoUser("fylkeskommunen", Role.Kind.APPROVER, party, party.name))
        elif party.kind == Organisation.Kind.MINISTRY:
            users.append(DemoUser("kdd", Role.Kind.MINISTRY, party, party.name))
    return users


def demo_email(username: str) -> str:
    """An example address (example.org never delivers), e.g. vinje@example.org, so that
    `make run` shows the demo's e-mails in the console; æ, ø and å spelled in ASCII."""
    local = username.translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))
    return f"{local}@example.org"


@transaction.atomic
def create_demo_users(*, agreement: Agreement, password: str) -> list[DemoUser]:
    """Create or reset the demo users with the given password and their one role each."""
    user_model = get_user_model()
    created = demo_users_for(agreement)
    for demo in created:
        user, _ = user_model.objects.get_or_create(username=demo.username)
        user.first_name = demo.full_name
        user.email = demo_email(demo.username)
        user.set_password(password)
        user.save()
        Role.objects.get_or_create(
            user=user, agreement=agreement, kind=demo.kind, organisation=demo.organisation
        )
        if demo.kind == Role.Kind.MINISTRY:
            # KDD sets up new agreements (the group's permission, migration 0004).
            user.groups.add(Group.objects.get_or_create(name=KDD_GROUP)[0])
    return created
