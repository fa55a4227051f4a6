"""The money's services: each refuses the wrong person and writes nothing, and the accounts
go draft → submitted → returned → submitted → accepted, frozen once accepted."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from access.models import Role
from budget.models import BudgetLine
from measures.models import Organisation
from money import workflow
from money.cells import SpendingConflict, write_spending
from money.comparison import Comparison
from money.models import Accounts, AccountsEvent, Correction, FrozenMoneyError, Payment, Spending
from tests.factories import make_user
from tests.money.accounts import cell


@pytest.fixture
def municipality(seed):
    vinje = Organisation.objects.get(key="vinje-kommune")
    return make_user("vinje", seed, Role.Kind.APPROVER, vinje)


KDD_SOURCE = "kdd-1350-post-66"


def enter_on_budget(seed, owner, *, leadership: int = 1_500_000) -> None:
    """2025's spending as approved, project management at `leadership`."""
    changes = [
        cell(seed, "delmal-1", KDD_SOURCE, 500_000),
        cell(seed, "delmal-1", "kommunal-eigendel", 100_000),
        cell(seed, "delmal-2", KDD_SOURCE, 200_000),
        cell(seed, "delmal-2", "kommunal-eigendel", 100_000),
        cell(seed, "delmal-3", KDD_SOURCE, 200_000),
        cell(seed, "delmal-3", "kommunal-eigendel", 100_000),
        cell(seed, "prosjektleiing", KDD_SOURCE, leadership),
    ]
    workflow.save_spending(agreement=seed, year=2025, user=owner, changes=changes)


def test_the_project_leader_enters_spending_and_nobody_else_writes_any(
    seed, owner, kdd, municipality, collaborator
):
    for person in (kdd, municipality, collaborator):
        with pytest.raises(workflow.MoneyError, match="prosjektleiaren"):
            workflow.save_spending(
                agreement=seed,
                year=2025,
                user=person,
                changes=[cell(seed, "delmal-1", KDD_SOURCE, 1)],
            )
    assert not Accounts.objects.exists() and not Spending.objects.exists()
    enter_on_budget(seed, owner)
    assert Spending.objects.filter(accounts__year=2025).count() == 7


def test_a_later_year_cannot_be_entered_before_it_starts(seed, owner):
    with pytest.raises(workflow.MoneyError, match=r"1\. januar 2027"):
        workflow.save_spending(
            agreement=seed, year=2027, user=owner, changes=[cell(seed, "delmal-1", KDD_SOURCE, 1)]
        )
    assert not Accounts.objects.exists()


def test_a_cell_changed_by_someone_else_meanwhile_is_a_conflict(seed, owner):
    workflow.save_spending(
        agreement=seed, year=2025, user=owner, changes=[cell(seed, "delmal-1", KDD_SOURCE, 400)]
    )
    with pytest.raises(SpendingConflict):
        workflow.save_spending(
            agreement=seed,
            year=2025,
            user=owner,
            changes=[
                cell(seed, "delmal-2", KDD_SOURCE, 7),
                cell(seed, "delmal-1", KDD_SOURCE, 500, old=None),
            ],
        )
    assert Spending.objects.cells(Accounts.objects.get()) == {
        (cell(seed, "delmal-1", KDD_SOURCE, 0).key): 400
    }


def test_a_deviation_above_the_threshold_holds_the_submission_until_explained(seed, owner):
    enter_on_budget(seed, owner, leadership=1_275_000)  # 15 % and 225 000 kr under
    comparison = Comparison.of(seed, 2025)
    assert [row.line.key for row in comparison.missing_explanations] == ["prosjektleiing"]
    with pytest.raises(workflow.MoneyError, match=r"Forklar avviket.*Prosjektleiing"):
        workflow.submit(agreement=seed, year=2025, user=owner)
    assert Accounts.objects.get().status == Accounts.Status.DRAFT
    line = BudgetLine.objects.get(agreement=seed, key="prosjektleiing")
    workflow.save_explanations(
        agreement=seed, year=2025, user=owner, texts={line.pk: "Prosjektleiaren byrja i mars."}
    )
    workflow.submit(agreement=seed, year=2025, user=owner)
    assert Accounts.objects.get().status == Accounts.Status.SUBMITTED


def test_a_small_deviation_needs_no_explanation(seed, owner):
    enter_on_budget(seed, owner, leadership=1_420_000)  # 80 000 kr: under 100 000
    assert Comparison.of(seed, 2025).missing_explanations == []


def test_only_kdd_returns_and_accepts_and_accepted_accounts_are_frozen(
    seed, owner, kdd, municipality
):
    enter_on_budget(seed, owner)
    accounts = workflow.submit(agreement=seed, year=2025, user=owner)
    for person in (owner, municipality):
        with pytest.raises(workflow.MoneyError):
            workflow.accept(accounts=accounts, user=person)
        with pytest.raises(workflow.MoneyError):
            workflow.return_accounts(accounts=accounts, user=person, comment="Nei.")
    assert Accounts.objects.get().status == Accounts.Status.SUBMITTED
    with pytest.raises(workflow.MoneyError, match="merknaden"):
        workflow.return_accounts(accounts=accounts, user=kdd, comment=" ")
    workflow.return_accounts(accounts=accounts, user=kdd, comment="Rett delmål 2.")
    workflow.submit(agreement=seed, year=2025, user=owner)
    workflow.accept(accounts=accounts, user=kdd)
    events = AccountsEvent.objects.values_list("kind", "user__username", "comment")
    assert list(events) == [
        ("submitted", "prosjektleiar", ""),
        ("returned", "kdd-saksbehandlar", "Rett delmål 2."),
        ("submitted", "prosjektleiar", ""),
        ("accepted", "kdd-saksbehandlar", ""),
    ]
    with pytest.raises(workflow.MoneyError, match="Godkjend av KDD"):
        workflow.save_spending(
            agreement=seed, year=2025, user=owner, changes=[cell(seed, "delmal-1", KDD_SOURCE, 9)]
        )
    row = Spending.objects.first()
    row.kroner = 1
    with pytest.raises(FrozenMoneyError):
        row.save()
    with pytest.raises(FrozenMoneyError):
        Spending.objects.filter(pk=row.pk).delete()
    assert Spending.objects.get(pk=row.pk).kroner != 1


def test_kdd_corrects_accepted_accounts_and_the_correction_is_recorded(seed, owner, kdd):
    enter_on_budget(seed, owner)
    accounts = workflow.submit(agreement=seed, year=2025, user=owner)
    workflow.accept(accounts=accounts, user=kdd)
    change = cell(seed, "delmal-1", KDD_SOURCE, 480_000, old=500_000)
    with pytest.raises(workflow.MoneyError):
        workflow.correct_accounts(accounts=accounts, user=owner, reason="Feil.", changes=[change])
    with pytest.raises(workflow.MoneyError, match="Skriv kvifor"):
        workflow.correct_accounts(accounts=accounts, user=kdd, reason="", changes=[change])
    assert not Correction.objects.exists()
    workflow.correct_accounts(
        accounts=accounts, user=kdd, reason="Faktura ført to gonger.", changes=[change]
    )
    correction = Correction.objects.get()
    assert (correction.user, correction.reason) == (kdd, "Faktura ført to gonger.")
    assert "500\xa0000 kr → 480\xa0000 kr" in correction.changes
    assert Spending.objects.cells(accounts)[change.key] == 480_000


def test_only_kdd_records_payments_and_a_payment_changes_only_by_correction(
    seed, owner, kdd, municipality
):
    values = {
        "year": 2025,
        "paid_on": datetime.date(2025, 7, 1),
        "kroner": 2_400_000,
        "reference": "KDD 25/1234",
    }
    for person in (owner, municipality):
        with pytest.raises(workflow.MoneyError):
            workflow.record_payment(agreement=seed, user=person, **values)
    assert not Payment.objects.exists()
    with pytest.raises(workflow.MoneyError, match="fram i tid"):
        workflow.record_payment(
            agreement=seed, user=kdd, **{**values, "paid_on": datetime.date(2026, 3, 1)}
        )
    payment = workflow.record_payment(agreement=seed, user=kdd, **values)
    payment.kroner = 1
    with pytest.raises(FrozenMoneyError):
        payment.save()
    with pytest.raises(FrozenMoneyError):
        payment.delete()
    values.pop("year")
    with pytest.raises(workflow.MoneyError):
        workflow.correct_payment(
            payment=payment, user=owner, reason="Feil beløp.", **{**values, "kroner": 2}
        )
    workflow.correct_payment(
        payment=payment, user=kdd, reason="Feil beløp.", **{**values, "kroner": 2_300_000}
    )
    payment.refresh_from_db()
    assert payment.kroner == 2_300_000
    assert "2\xa0400\xa0000 kr" in Correction.objects.get(payment=payment).changes


def test_kdd_who_also_leads_the_project_may_not_accept_or_pay(seed, owner, kdd):
    """One person never both keeps the accounts and decides on them: KDD's own user with the
    project leader's role is refused, said so, and nothing is written."""
    enter_on_budget(seed, owner)
    accounts = workflow.submit(agreement=seed, year=2025, user=owner)
    Role.objects.create(user=kdd, agreement=seed, kind=Role.Kind.EDITOR)
    kdd = type(kdd).objects.get(pk=kdd.pk)  # its roles read afresh
    with pytest.raises(workflow.MoneyError, match="fører rekneskapen"):
        workflow.accept(accounts=accounts, user=kdd)
    with pytest.raises(workflow.MoneyError, match="fører rekneskapen"):
        workflow.record_payment(
            agreement=seed,
            user=kdd,
            year=2025,
            paid_on=datetime.date(2026, 2, 1),
            kroner=1,
            reference="x",
        )
    accounts.refresh_from_db()
    assert accounts.status == Accounts.Status.SUBMITTED
    assert not Payment.objects.exists()


def test_the_one_writer_refuses_cells_of_accounts_no_longer_open(seed, owner):
    """write_spending is the cells' one writer: submitted accounts take no cell from any path,
    and not even a correction opens them before KDD has accepted them."""
    enter_on_budget(seed, owner)
    accounts = workflow.submit(agreement=seed, year=2025, user=owner)
    change = cell(seed, "delmal-1", KDD_SOURCE, 1, old=500_000)
    for correction in (False, True):
        with pytest.raises(FrozenMoneyError):
            write_spending(accounts, [change], correction=correction)
    assert Spending.objects.get(line__key="delmal-1", source__key=KDD_SOURCE).kroner == 500_000


def test_a_correction_corrects_accounts_or_a_payment_and_says_which(seed, owner, kdd):
    enter_on_budget(seed, owner)
    accounts = workflow.submit(agreement=seed, year=2025, user=owner)
    workflow.accept(accounts=accounts, user=kdd)
    correction = workflow.correct_accounts(
        accounts=accounts,
        user=kdd,
        reason="Faktura ført to gonger.",
        changes=[cell(seed, "delmal-1", KDD_SOURCE, 480_000, 500_000)],
    )
    assert correction.subject == "Godkjend rekneskap"
    with pytest.raises(IntegrityError), transaction.atomic():
        Correction.objects.create(agreement=seed, reason="Ingenting.", changes="–")
