"""A small plan of its own for each race test (the seed takes a second to import, and every
transactional test empties the database when it ends)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from access.models import Role
from budget.models import Amount, BudgetLine, FundingSource
from measures.models import Organisation, Party, Section
from tests.client import Client
from tests.factories import MeasureFactory, make_agreement, make_user

from .race import logged_in


@pytest.fixture
def plan(transactional_db):
    """An agreement with one sub-goal of three measures (the first with a text section), a
    budget of one line by two sources, and two editors logged in on their own clients."""
    agreement = make_agreement("kapplop", "Kappløpsavtala", goals=1)
    goal = agreement.sub_goals.get()
    measures = [
        MeasureFactory(sub_goal=goal, agreement=agreement, key=f"tiltak-{n}", number=n)
        for n in (1, 2, 3)
    ]
    section = Section.objects.create(measure=measures[0], kind="other", heading="Status", body="-")
    line = BudgetLine.objects.create(
        agreement=agreement, key="delmal-1", number=1, title="Delmål 1", sub_goal=goal
    )
    state = FundingSource.objects.create(
        agreement=agreement, key="kdd", name="KDD", position=0, is_state_cofinancing=True
    )
    own = FundingSource.objects.create(
        agreement=agreement, key="kommune", name="Kommune", position=1
    )
    Amount.objects.create(line=line, source=state, year=2025, kroner=100_000)
    return SimpleNamespace(
        agreement=agreement,
        measures=measures,
        section=section,
        line=line,
        state=state,
        own=own,
        editors=[logged_in(make_user(f"redaktør-{n}", agreement, Role.Kind.EDITOR)) for n in "ab"],
    )


@pytest.fixture
def ministry_client(transactional_db) -> Client:
    # The seed (imported for the session) may still be there: it has KDD.
    kdd, _ = Organisation.objects.get_or_create(
        key="kdd", defaults={"name": "KDD", "kind": Organisation.Kind.MINISTRY}
    )
    agreement = make_agreement("departementet", "Avtale KDD-brukaren høyrer til")
    Party.objects.create(agreement=agreement, organisation=kdd)
    return logged_in(make_user("kdd", agreement, Role.Kind.MINISTRY, kdd))
