"""Importing a plan file's money (part of `import_plan`): each year's accounts with their
spending, explanations, events and corrections, and the payments with theirs, exactly as the
file has them. Accepted accounts, recorded payments and their corrections are decisions: a file
may confirm them unchanged, and is refused any change to them or removal of them.

Rows read from a file have no user, as a revision's events and decisions have none
(docs/plan-format.md).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from measures.models import Agreement
from money.models import Accounts, AccountsEvent, Correction, Explanation, Payment, Spending

from .problems import PlanFileError, Problem

# The parts of accepted accounts and of a payment that are frozen, as named in the file.
ACCOUNTS_PARTS = ("status", "spending", "explanations", "events", "corrections")
PAYMENT_PARTS = ("year", "paid_on", "kroner", "reference", "corrections")


def refuse_frozen_money(agreement: Agreement, money: dict) -> None:
    """PlanFileError, before anything is written, if the file changes or leaves out accepted
    accounts or a recorded payment (their corrections with them); each at its place."""
    problems = []
    by_year = {data["year"]: (i, data) for i, data in enumerate(money["accounts"])}
    for accounts in _with_rows(agreement.accounts.filter(status=Accounts.Status.ACCEPTED)):
        index, data = by_year.get(accounts.year, (None, None))
        words = {"year": accounts.year}
        if data is None:
            message = _("rekneskapen for %(year)s er godkjend av KDD og kan ikkje fjernast")
            problems.append(Problem("money.accounts", message % words))
            continue
        held = accounts_content(accounts)
        message = _(
            "rekneskapen for %(year)s er godkjend av KDD og kan ikkje endrast med ei planfil: "
            "KDD rettar han i appen, og rettinga blir registrert"
        )
        problems += [
            Problem(f"money.accounts[{index}].{part}", message % words)
            for part in ACCOUNTS_PARTS
            if held[part] != data[part]
        ]
    by_time = {data["recorded_at"]: (i, data) for i, data in enumerate(money["payments"])}
    for payment in agreement.payments.prefetch_related(_corrections()):
        index, data = by_time.get(payment.recorded_at, (None, None))
        words = {"payment": str(payment)}
        if data is None:
            message = _(
                "utbetalinga %(payment)s er registrert og kan ikkje fjernast (fila manglar ei "
                "utbetaling med recorded_at lik registreringstida hennar)"
            )
            problems.append(Problem("money.payments", message % words))
            continue
        held = payment_content(payment)
        message = _(
            "utbetalinga %(payment)s er registrert og kan ikkje endrast med ei planfil: KDD "
            "rettar ho i appen, og rettinga blir registrert"
        )
        problems += [
            Problem(f"money.payments[{index}].{part}", message % words)
            for part in PAYMENT_PARTS
            if held[part] != data[part]
        ]
    if problems:
        raise PlanFileError(problems)


def prune_money(agreement: Agreement, money: dict) -> None:
    """Remove the open money the file leaves out: accounts, cells and explanations. First, as
    the budget lines and sources the file removes may be theirs."""
    wanted = {data["year"]: data for data in money["accounts"]}
    accounts_rows = agreement.accounts.exclude(status=Accounts.Status.ACCEPTED)
    for accounts in _with_rows(accounts_rows):
        data = wanted.get(accounts.year)
        for cell in accounts.spending.all():
            if data is None or (cell.line.key, cell.source.key) not in data["spending"]:
                cell.delete()
        for explanation in accounts.explanations.all():
            if data is None or explanation.line.key not in data["explanations"]:
                explanation.delete()
        if data is None:
            accounts.events.all().delete()
            accounts.delete()


def import_money(agreement: Agreement, money: dict) -> None:
    """The accounts and payments exactly as the file has them (refuse_frozen_money and
    prune_money first); a row already so is not saved."""
    lines = {line.key: line for line in agreement.budget_lines.all()}
    sources = {source.key: source for source in agreement.funding_sources.all()}
    existing = {accounts.year: accounts for accounts in agreement.accounts.all()}
    for data in money["accounts"]:
        accounts = existing.get(data["year"])
        if accounts is not None and accounts.is_accepted:
            continue  # confirmed unchanged by refuse_frozen_money
        accounts = accounts or Accounts.objects.create(agreement=agreement, year=data["year"])
        _write_cells(accounts, data["spending"], lines, sources)
        _write_explanations(accounts, data["explanations"], lines)
        _write_events(accounts, data["events"])
        for correction in data["corrections"]:  # only accepted accounts have any
            _create_correction(agreement, correction, accounts=accounts)
        if accounts.status != data["status"]:
            # Last: accepted, the accounts' rows take no more writes.
            accounts.status = data["status"]
            accounts.save(update_fields=["status"])
    recorded = set(agreement.payments.values_list("recorded_at", flat=True))
    for data in money["payments"]:
        if data["recorded_at"] not in recorded:  # a recorded one is confirmed unchanged
            _create_payment(agreement, data)


def _write_cells(accounts: Accounts, cells: dict, lines: dict, sources: dict) -> None:
    """Spending as the file has it; the cells it leaves out are gone already (prune_money)."""
    rows = {
        (s.line.key, s.source.key): s for s in accounts.spending.select_related("line", "source")
    }
    for (line, source), kroner in cells.items():
        row = rows.get((line, source))
        if row is None:
            Spending(
                accounts=accounts, line=lines[line], source=sources[source], kroner=kroner
            ).save()
        elif row.kroner != kroner:
            row.kroner = kroner
            row.save(update_fields=["kroner"])


def _write_explanations(accounts: Accounts, texts: dict, lines: dict) -> None:
    rows = {e.line.key: e for e in accounts.explanations.select_related("line")}
    for line, text in texts.items():
        row = rows.get(line)
        if row is None:
            Explanation.objects.create(accounts=accounts, line=lines[line], text=text)
        elif row.text != text:
            row.text = text
            row.save(update_fields=["text"])


def _write_events(accounts: Accounts, events: list[dict]) -> None:
    """The steps as the file has them: rows the file names stay as they are (their user too),
    the others go, and the file's new ones come without a user."""
    wanted = [(e["kind"], e["at"], e["comment"]) for e in events]
    for row in accounts.events.all():
        step = (row.kind, row.at, row.comment)
        if step in wanted:
            wanted.remove(step)
        else:
            row.delete()
    for kind, at, comment in wanted:
        row = AccountsEvent.objects.create(accounts=accounts, kind=kind, comment=comment)
        row.at = at  # auto_now_add set it on create; a second save keeps the file's time
        row.save(update_fields=["at"])


def _create_payment(agreement: Agreement, data: dict) -> None:
    payment = Payment(agreement=agreement, recorded_by=None)
    for name in ("year", "paid_on", "kroner", "reference"):
        setattr(payment, name, data[name])
    payment.save()
    # The time it was recorded, not a change to it: auto_now_add set it on create, and a
    # recorded payment's save is for corrections only.
    Payment.objects.filter(pk=payment.pk).update(recorded_at=data["recorded_at"])
    for correction in data["corrections"]:
        _create_correction(agreement, correction, payment=payment)


def _create_correction(
    agreement: Agreement, data: dict, *, accounts=None, payment=None
) -> Correction:
    """A correction the file records and the database lacks (its subject new, or becoming
    accepted): a record of the past, without a user."""
    target = {"payment": payment} if payment else {"accounts": accounts}
    row = Correction.objects.filter(**target, at=data["at"]).first()
    if row is None:
        row = Correction.objects.create(
            agreement=agreement,
            **target,
            reason=data["reason"],
            changes=data["changes"],
        )
        row.at = data["at"]  # as for events: the file's time, not the import's
        row.save(update_fields=["at"])
    return row


def _corrections() -> Prefetch:
    return Prefetch("corrections", queryset=Correction.objects.order_by("at", "pk"))


def _with_rows(accounts):
    """The accounts with every row they hold, read in one go."""
    return accounts.prefetch_related(
        Prefetch("spending", queryset=Spending.objects.select_related("line", "source")),
        Prefetch("explanations", queryset=Explanation.objects.select_related("line")),
        "events",
        _corrections(),
    )


def accounts_content(accounts: Accounts) -> dict:
    """The accounts as the reader reads them from a file (money_reader.py)."""
    return {
        "year": accounts.year,
        "status": accounts.status,
        "spending": {(s.line.key, s.source.key): s.kroner for s in accounts.spending.all()},
        "explanations": {e.line.key: e.text for e in accounts.explanations.all()},
        "events": [
            {"kind": e.kind, "at": e.at, "comment": e.comment} for e in accounts.events.all()
        ],
        "corrections": _corrections_content(accounts.corrections.all()),
    }


def payment_content(payment: Payment) -> dict:
    """The payment as the reader reads it from a file (money_reader.py)."""
    return {
        "year": payment.year,
        "paid_on": payment.paid_on,
        "kroner": payment.kroner,
        "reference": payment.reference,
        "recorded_at": payment.recorded_at,
        "corrections": _corrections_content(payment.corrections.all()),
    }


def _corrections_content(corrections) -> list[dict]:
    return [{"at": c.at, "reason": c.reason, "changes": c.changes} for c in corrections]
