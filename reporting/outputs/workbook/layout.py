"""The workbook's layout: what the writer puts where, and so where the reader looks for it.

Every sheet has its header in row 1 and one row per item below it. The budget and financing
sheets have one row per budget line: column A holds the line's number (the reader finds the
line by it), B its title, C its total (a formula), and from FIRST_VALUE_COLUMN on one column
per year (budget, headed by the year) or per funding source (financing, headed by its name),
then a SUM row with no number in column A.
"""

from __future__ import annotations

MEASURES_SHEET = "Tiltak"
BUDGET_SHEET = "Budsjett"
APPROVALS_SHEET = "Godkjenningar"
FIRST_VALUE_COLUMN = 4  # D, after number, title and total


def financing_sheet_name(year: int) -> str:
    """The sheet with every funding source of one year."""
    return f"Finansiering {year}"
