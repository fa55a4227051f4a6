"""The workbook's layout: what the writer puts where, and so where the reader looks for it.

Every sheet opens with a title block (agreement and year, what the sheet shows, status and
unit) of TITLE_ROWS rows; its table's header is in HEADER_ROW and one row per item follows.
The budget and financing sheets have one row per budget line: column A holds the line's
number (the reader finds the line by it), B its title, C its total (a formula), and from
FIRST_VALUE_COLUMN on one column per year (budget, headed by the year) or per funding source
(financing, headed by its name), then a SUM row with no number in column A, then footnotes.
Rows and columns count from 1, as a person reading the sheet does.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Sheet names are in the workbook's målform. The two sheets that are uploaded back are named
# alike in Nynorsk and Bokmål ("Budsjett", "Finansiering 2026"), so the reader finds them by
# these untranslated names whatever the agreement writes.
MEASURES_SHEET = _("Tiltak")
CHANGES_SHEET = _("Endringar")
BUDGET_SHEET = "Budsjett"
APPROVALS_SHEET = _("Godkjenningar")
TITLE_ROWS = 4  # title, what the sheet shows, status and unit, a blank row
HEADER_ROW = TITLE_ROWS + 1
FIRST_ROW = HEADER_ROW + 1
FIRST_VALUE_COLUMN = 4  # D, after number, title and total


def financing_sheet_name(year: int) -> str:
    """The sheet with every funding source of one year."""
    return f"Finansiering {year}"
