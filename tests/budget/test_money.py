"""Money as a reader sees it, the one way every page, check, log and change list writes it."""

from __future__ import annotations

import pytest

from budget.money import as_kroner


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, "0 kr"),
        (999, "999 kr"),
        (1_000, "1\xa0000 kr"),
        (22_000_000, "22\xa0000\xa0000 kr"),
        (None, "–"),
    ],
)
def test_kroner_are_grouped_by_thousands_with_no_break_spaces(value, expected):
    assert as_kroner(value) == expected
