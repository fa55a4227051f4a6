"""Small builders for tests that need a plan of their own rather than the seed."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from access.models import Role
from measures.models import Agreement, Measure, Organisation, SubGoal

from .support import PASSWORD


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    key = factory.Sequence(lambda n: f"organisasjon-{n}")
    name = factory.Sequence(lambda n: f"Organisasjon {n}")
    kind = Organisation.Kind.MUNICIPALITY


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    slug = factory.Sequence(lambda n: f"avtale-{n}")
    name = factory.Sequence(lambda n: f"Testavtale {n}")
    pilot_name = factory.LazyAttribute(lambda agreement: f"{agreement.name}piloten")
    first_year = 2025
    last_year = 2028


class SubGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubGoal

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda goal: f"Delmål {goal.number}")
    main_goal = "Eit mål."
    weight = 50


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    sub_goal = factory.SubFactory(SubGoalFactory)
    agreement = factory.SelfAttribute("sub_goal.agreement")
    key = factory.Sequence(lambda n: f"tiltak-{n}")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Tiltak {n}")
    start_year = 2025
    end_year = 2026


def make_user(
    username: str,
    agreement: Agreement | None = None,
    kind: str = Role.Kind.PARTNER,
    organisation: Organisation | None = None,
    email: str = "",
):
    """A user, with a role in the agreement when one is given."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, email=email)
    if agreement is not None:
        Role.objects.create(user=user, agreement=agreement, kind=kind, organisation=organisation)
    return user


def make_agreement(
    slug: str = "testavtale",
    name: str = "Testavtale",
    first: int = 2025,
    last: int = 2028,
    goals: int = 0,
) -> Agreement:
    """A bare agreement, optionally with sub-goals of equal weight."""
    agreement = AgreementFactory(slug=slug, name=name, first_year=first, last_year=last)
    for number in range(1, goals + 1):
        SubGoalFactory(agreement=agreement, number=number, weight=100 // goals)
    return agreement
