"""Section 7 of the next year's action plan: last year's accounts, once KDD has accepted them,
beside the new year's budget; as they stood when the plan was submitted."""

from __future__ import annotations

import datetime
import re

import pytest

from money import workflow
from money.models import Spending
from reporting.outputs.context import Report
from tests.money.accounts import AS_APPROVED, KDD, TODAY, cell, submit_accounts
from tests.support import approve, as_user, ministry_user_of, pdf_text, revision_2026, url

# 2025 as approved, except project management: 1 275 000 kr of 1 500 000 (15 % under).
SPENT_2025 = {**AS_APPROVED, ("prosjektleiing", KDD): 1_275_000}


@pytest.fixture(autouse=True)
def _in_february_2026(time_machine):
    time_machine.move_to(TODAY, tick=False)


def accept_2025(seed, owner, kdd) -> None:
    submit_2025(seed, owner)
    workflow.accept(accounts=seed.accounts.get(year=2025), user=kdd)


def submit_2025(seed, owner) -> None:
    submit_accounts(seed, owner, SPENT_2025)


def report_text(pdf: bytes) -> str:
    return pdf_text(pdf).replace("\u2212", "-")


def test_the_2026_draft_shows_2025s_accepted_accounts_beside_its_budget(client, seed, owner):
    kdd = ministry_user_of(seed)
    revision_2026(seed)  # sub-goal 2 gets 1 800 000 kr from KDD in 2026, 200 000 less
    submit_2025(seed, owner)
    assert Report.draft(seed, 2026).actuals is None  # sent to KDD, not yet accepted
    workflow.accept(accounts=seed.accounts.get(year=2025), user=kdd)

    report = report_text(as_user(client, owner).get(url("report-pdf", 2026)).content)

    # After section 7's table and chart, before section 8.
    section_7 = report[report.index("Rekneskap 2025 og budsjett 2026") : report.rindex("8. ")]
    assert "Rekneskapen for 2025 vart godkjend av KDD 16.02.2026." in section_7
    assert (
        "Av den statlege medfinansieringa for 2025 vart 2 175 000 kr brukt, mot 2 400 000 kr "
        "i godkjend plan." in section_7
    )
    # Project management: 1 500 000 approved, 1 275 000 spent, 1 500 000 budgeted for 2026.
    assert re.search(
        r"Prosjektleiing 1 500 000 kr 1 275 000 kr -225 000 kr -15,0 ?% 1 500 000 kr", section_7
    ), section_7
    assert re.search(r"300 000 kr 300 000 kr 0 kr 0,0 ?% 1 800 000 kr", section_7), section_7
    assert re.search(
        r"SUM 2 700 000 kr 2 475 000 kr -225 000 kr -8,3 ?% 10 300 000 kr", section_7
    ), section_7


def test_the_submitted_plan_keeps_the_accounts_as_they_stood_when_it_was_submitted(
    seed, owner, time_machine
):
    kdd = ministry_user_of(seed)
    accept_2025(seed, owner, kdd)
    revision = revision_2026(seed)
    time_machine.move_to(TODAY + datetime.timedelta(days=1), tick=False)
    approve(revision, kdd)
    time_machine.move_to(TODAY + datetime.timedelta(days=2), tick=False)
    workflow.correct_accounts(
        accounts=seed.accounts.get(year=2025),
        user=kdd,
        reason="Ein faktura for mars var ført to gonger.",
        changes=[cell(seed, "prosjektleiing", KDD, 1_200_000, old=1_275_000)],
    )

    approved = Report.from_revision(revision).actuals
    management = next(row for row in approved.rows if row.title == "Prosjektleiing")
    assert management.last_year.actual == 1_275_000  # as submitted, before the correction
    assert approved.state.actual == 2_175_000
    corrected = Report.draft(seed, 2027).actuals
    assert corrected is None  # 2026's accounts are not accepted: nothing to show for 2027


def test_accounts_accepted_after_the_submission_are_not_in_the_submitted_plan(
    seed, owner, time_machine
):
    kdd = ministry_user_of(seed)
    revision = revision_2026(seed)
    approve(revision, kdd)
    time_machine.move_to(TODAY + datetime.timedelta(hours=1), tick=False)
    accept_2025(seed, owner, kdd)

    assert Report.from_revision(revision).actuals is None


def test_accounts_restored_from_a_plan_file_after_the_submission_still_show(
    seed, owner, time_machine
):
    """A restore writes the cells (and their history) on the day of the restore, after the
    plan's submission; the accepted figures are still the ones shown."""
    kdd = ministry_user_of(seed)
    accept_2025(seed, owner, kdd)
    revision = revision_2026(seed)
    time_machine.move_to(TODAY + datetime.timedelta(days=1), tick=False)
    approve(revision, kdd)
    Spending.history.update(history_date=TODAY + datetime.timedelta(days=30))

    management = next(
        row for row in Report.from_revision(revision).actuals.rows if row.title == "Prosjektleiing"
    )
    assert management.last_year.actual == 1_275_000
