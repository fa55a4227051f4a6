"""The money's tests run on 16 February 2026, with KDD's case officer at hand."""

from __future__ import annotations

import pytest

from tests.money.accounts import TODAY
from tests.support import ministry_user_of


@pytest.fixture(autouse=True)
def _in_february_2026(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def kdd(seed):
    return ministry_user_of(seed)
