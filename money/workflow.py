"""The money's steps: enter and explain the year's spending, submit, KDD's return or
acceptance, payments, and the corrections of what is accepted or recorded.

Each step is one function that asks money.rules itself (a view asks the same function, and
so does any other path), checks its preconditions, writes atomically and says in Nynorsk why it
refuses: MoneyError, and nothing written.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.models import MAX_KRONER
from budget.money import as_kroner
from measures.models import Agreement

from .cells import SpendingChange, lock, write_spending
from .comparison import Comparison
from .models import Accounts, AccountsEvent, Correction, Explanation, FrozenMoneyError, Payment
from .rules import why_not_kdd, why_not_keeper


class MoneyError(Exception):
    """A step cannot be taken now, by this person; the message says why."""


def _refuse(reason: str | None) -> None:
    if reason:
        raise MoneyError(reason)


def why_not_open(agreement: Agreement, year: int, today: datetime.date | None = None) -> str | None:
    """Why the year's accounts cannot be entered yet (or at all); None if they can."""
    if year not in agreement.years:
        return _("%(year)s er ikkje i avtaleperioden %(period)s.") % {
            "year": year,
            "period": agreement.period,
        }
    if (today or timezone.localdate()).year < year:
        return _("Rekneskapen for %(year)s kan førast frå 1. januar %(year)s.") % {"year": year}
    return None


def why_not_writable(agreement: Agreement, year: int) -> str | None:
    """Why the project leader's cells and explanations of the year cannot be saved now (the
    year, or accounts with KDD or accepted); None if they can. _open_accounts refuses the same,
    under the lock."""
    accounts = Accounts.objects.filter(agreement=agreement, year=year).first()
    return why_not_open(agreement, year) or why_closed(accounts)


def accounts_of(agreement: Agreement, year: int) -> Accounts:
    """The year's accounts, begun (as a draft) if they were not."""
    try:
        with transaction.atomic():
            return Accounts.objects.get_or_create(agreement=agreement, year=year)[0]
    except IntegrityError:  # begun at the same moment by another request
        return Accounts.objects.get(agreement=agreement, year=year)


def _open_accounts(agreement: Agreement, year: int, user) -> Accounts:
    _refuse(why_not_keeper(user, agreement) or why_not_open(agreement, year))
    accounts = accounts_of(agreement, year)
    lock(accounts)
    _refuse(why_closed(accounts))
    return accounts


def why_closed(accounts: Accounts | None) -> str | None:
    """Why the accounts take no changes from the project leader now (they are with KDD or
    accepted); None if they do, or are not begun."""
    if accounts is None or accounts.is_open:
        return None
    return _("Rekneskapen for %(year)s kan ikkje endrast no: %(status)s.") % {
        "year": accounts.year,
        "status": accounts.get_status_display(),
    }


@transaction.atomic
def save_spending(*, agreement: Agreement, year: int, user, changes: list[SpendingChange]) -> int:
    """Write the project leader's cells; return how many changed (SpendingConflict if
    someone else saved one of them meanwhile)."""
    accounts = _open_accounts(agreement, year, user)
    return len(write_spending(accounts, changes))


@transaction.atomic
def save_explanations(*, agreement: Agreement, year: int, user, texts: dict[int, str]) -> int:
    """Write the explanations, line id → text (an empty text removes one); return how many
    changed."""
    accounts = _open_accounts(agreement, year, user)
    lines = {line.pk for line in agreement.budget_lines.all()}
    existing = {e.line_id: e for e in Explanation.objects.filter(accounts=accounts)}
    changed = 0
    for line_id, text in texts.items():
        if line_id not in lines:
            raise MoneyError(_("Budsjettlina finst ikkje i denne avtala."))
        text, row = text.strip(), existing.get(line_id)
        if row is not None and not text:
            row.delete()
        elif row is None and text:
            Explanation.objects.create(accounts=accounts, line_id=line_id, text=text)
        elif row is not None and row.text != text:
            row.text = text
            row.save(update_fields=["text"])
        else:
            continue
        changed += 1
    return changed


@transaction.atomic
def submit(*, agreement: Agreement, year: int, user) -> Accounts:
    """Send the year's accounts to KDD: refused while a line above the threshold lacks its
    explanation."""
    accounts = _open_accounts(agreement, year, user)
    missing = Comparison.of(agreement, year).missing_explanations
    if missing:
        raise MoneyError(
            _("Forklar avviket før du sender rekneskapen: %(lines)s.")
            % {"lines": ", ".join(row.line.title for row in missing)}
        )
    return _step(accounts, Accounts.Status.SUBMITTED, AccountsEvent.Kind.SUBMITTED, user)


@transaction.atomic
def return_accounts(*, accounts: Accounts, user, comment: str) -> Accounts:
    """KDD sends the submitted accounts back to the project leader, saying why."""
    _refuse(why_not_kdd(user, accounts.agreement))
    lock(accounts)
    _refuse_unless_submitted(accounts)
    if not comment.strip():
        raise MoneyError(_("Skriv kva prosjektleiaren må rette: merknaden er grunngjevinga."))
    return _step(accounts, Accounts.Status.RETURNED, AccountsEvent.Kind.RETURNED, user, comment)


@transaction.atomic
def accept(*, accounts: Accounts, user) -> Accounts:
    """KDD accepts the submitted accounts: from now on they are frozen."""
    _refuse(why_not_kdd(user, accounts.agreement))
    lock(accounts)
    _refuse_unless_submitted(accounts)
    return _step(accounts, Accounts.Status.ACCEPTED, AccountsEvent.Kind.ACCEPTED, user)


def _refuse_unless_submitted(accounts: Accounts) -> None:
    if accounts.status != Accounts.Status.SUBMITTED:
        raise MoneyError(
            _("Berre ein rekneskap som er sendt til KDD kan godkjennast eller sendast tilbake.")
        )


def _step(accounts: Accounts, status: str, kind: str, user, comment: str = "") -> Accounts:
    accounts.status = status
    accounts.save(update_fields=["status"])
    AccountsEvent.objects.create(accounts=accounts, kind=kind, user=user, comment=comment)
    return accounts


@transaction.atomic
def record_payment(
    *, agreement: Agreement, user, year: int, paid_on: datetime.date, kroner: int, reference: str
) -> Payment:
    """KDD records a payment of the state's co-financing for a year's plan."""
    _refuse(why_not_kdd(user, agreement))
    _refuse(_payment_problem(agreement, year, paid_on, kroner, reference))
    payment = Payment(
        agreement=agreement,
        year=year,
        paid_on=paid_on,
        kroner=kroner,
        reference=reference.strip(),
        recorded_by=user,
    )
    payment.save()
    return payment


def _payment_problem(agreement, year, paid_on, kroner, reference) -> str | None:
    if year not in agreement.years:
        return _("%(year)s er ikkje i avtaleperioden %(period)s.") % {
            "year": year,
            "period": agreement.period,
        }
    if not 0 < kroner <= MAX_KRONER:
        return _("Beløpet må vere over 0 og rimeleg stort.")
    if paid_on > timezone.localdate():
        return _("Ei utbetaling kan ikkje vere datert fram i tid.")
    if not reference.strip():
        return _("Skriv referansen til utbetalinga.")
    return None


@transaction.atomic
def correct_payment(
    *, payment: Payment, user, reason: str, paid_on: datetime.date, kroner: int, reference: str
) -> Correction:
    """KDD changes a recorded payment, and the change is recorded with who, when and why."""
    agreement = payment.agreement
    _refuse(why_not_kdd(user, agreement) or _no_reason(reason))
    payment.refresh_from_db(from_queryset=Payment.objects.select_for_update())
    _refuse(_payment_problem(agreement, payment.year, paid_on, kroner, reference))
    before = str(payment)
    if (payment.paid_on, payment.kroner, payment.reference) == (paid_on, kroner, reference.strip()):
        raise MoneyError(_("Rettinga endrar ingenting ved utbetalinga."))
    payment.paid_on, payment.kroner, payment.reference = paid_on, kroner, reference.strip()
    payment.save(correction=True)
    return Correction.objects.create(
        agreement=agreement,
        payment=payment,
        user=user,
        reason=reason.strip(),
        changes=f"{before} → {payment}",
    )


@transaction.atomic
def correct_accounts(
    *, accounts: Accounts, user, reason: str, changes: list[SpendingChange]
) -> Correction:
    """KDD changes cells of accepted accounts, and the change is recorded with who, when, why."""
    _refuse(why_not_kdd(user, accounts.agreement) or _no_reason(reason))
    lock(accounts)
    _refuse(why_not_correctable(accounts))
    try:
        written = write_spending(accounts, changes, correction=True)
    except FrozenMoneyError as error:
        raise MoneyError(str(error)) from error
    if not written:
        raise MoneyError(_("Rettinga endrar ingen tal."))
    return Correction.objects.create(
        agreement=accounts.agreement,
        accounts=accounts,
        user=user,
        reason=reason.strip(),
        changes="; ".join(
            f"{c.line.title}, {c.source.name}: {as_kroner(before)} → {as_kroner(c.new)}"
            for c, before in written
        ),
    )


def why_not_correctable(accounts: Accounts) -> str | None:
    """Why KDD cannot correct these accounts (they are not accepted); None if it can."""
    if accounts.is_accepted:
        return None
    return _(
        "Berre ein rekneskap som KDD har godkjent, blir retta. Før det endrar prosjektleiaren "
        "han (om han er sendt til KDD, etter at KDD har sendt han tilbake)."
    )


def _no_reason(reason: str) -> str | None:
    return None if reason.strip() else _("Skriv kvifor du rettar: grunngjevinga blir lagra.")
