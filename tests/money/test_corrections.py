"""KDD's corrections in the browser's pages: of accepted accounts (the grid and a reason) and of
a recorded payment; each recorded with who, when, why and what changed, shown on the accounts
and money pages; refused to everyone else, and refused with nothing written without a reason,
without a change, or over someone else's correction."""

from __future__ import annotations

import datetime
import logging
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from access.models import Role
from measures.models import Organisation
from money import workflow
from money.models import Accounts, Correction, Payment, Spending
from tests.factories import make_agreement, make_user
from tests.money.accounts import (
    AS_APPROVED,
    KDD,
    SPENT,
    audited,
    cell,
    grid_data,
    submit_accounts,
    text_of,
    url,
)
from tests.support import as_user, pdf_text

REASON = "Ein faktura for mars var ført to gonger."
MINUS = "\N{MINUS SIGN}"


@pytest.fixture
def accepted(seed, owner, kdd) -> Accounts:
    """2025's accounts as approved but for project management (1 275 000 kr), accepted."""
    spent = {**SPENT, **{k: v for k, v in AS_APPROVED.items() if k not in SPENT}}
    return workflow.accept(accounts=submit_accounts(seed, owner, spent), user=kdd)


def spent_now(accounts, line_key: str = "prosjektleiing") -> int:
    return Spending.objects.get(accounts=accounts, line__key=line_key, source__key=KDD).kroner


def corrected_grid(seed, kroner: int, *, shown: int = 1_275_000, reason: str = REASON) -> dict:
    spent = {**AS_APPROVED, ("prosjektleiing", KDD): shown}
    typed = {**spent, ("prosjektleiing", KDD): kroner}
    return {**grid_data(seed, typed, shown=spent), "reason": reason}


def test_kdd_corrects_accepted_accounts_and_the_correction_is_shown_with_its_reason(
    client, seed, kdd, accepted, caplog
):
    caplog.set_level(logging.INFO, logger="bygdevekst.audit")
    as_user(client, kdd)
    page = text_of(client.get(url("accounts", 2025)))
    assert "Rett rekneskapen for 2025" in page
    form = text_of(client.get(url("accounts-correct", 2025)))
    assert "Rett den godkjende rekneskapen for 2025" in form

    response = client.post(url("accounts-correct", 2025), corrected_grid(seed, 1_200_000))
    assert response.status_code == 302
    # In the audit log a correction is KDD's correction, not the project leader's entry.
    events = audited(caplog)
    assert events[-1] == ("accounts_correction", kdd.username)
    assert "accounts_cells" not in {event for event, _user in events}
    page = text_of(client.get(url("accounts", 2025)))
    assert "Rettinga av rekneskapen for 2025 er lagra." in page
    assert f"Prosjektleiing 1 500 000 kr 1 200 000 kr {MINUS}300 000 kr {MINUS}20,0 %" in page
    said = (
        "Godkjend rekneskap: Prosjektleiing, KDD 13.50 post 66: 1 275 000 kr → 1 200 000 kr. "
        f"Grunngjeving: «{REASON}»"
    )
    assert said in page
    assert said in text_of(client.get(url("detail")))
    assert "Godkjend av KDD" in page  # still accepted: a correction is not a new round
    correction = Correction.objects.get()
    assert (correction.user, correction.accounts) == (kdd, accepted)

    # The accounts' PDF and workbook, as KDD's case officer downloads them, say so too.
    pdf = client.get(reverse("reporting:accounts-pdf", args=["vest-telemark", 2025])).content
    text = pdf_text(pdf)
    assert "Rettingar etter godkjenninga" in text
    assert "1 275 000 kr → 1 200 000 kr" in text and REASON in text
    xlsx = client.get(reverse("reporting:accounts-xlsx", args=["vest-telemark", 2025])).content
    sheet = openpyxl.load_workbook(BytesIO(xlsx))["Rettingar"]
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert REASON in cells and "16.02.2026 11:00" in cells


@pytest.mark.parametrize("who", ["owner", "municipality", "collaborator"])
def test_nobody_but_kdd_corrects_accepted_accounts(client, seed, accepted, who, request):
    if who == "municipality":
        vinje = Organisation.objects.get(key="vinje-kommune")
        person = make_user("vinje", seed, Role.Kind.APPROVER, vinje)
    else:
        person = request.getfixturevalue(who)
    as_user(client, person)
    assert "Rett rekneskapen for 2025" not in text_of(client.get(url("accounts", 2025)))
    assert client.get(url("accounts-correct", 2025)).status_code == 403
    response = client.post(url("accounts-correct", 2025), corrected_grid(seed, 1_200_000))
    assert response.status_code == 403
    assert spent_now(accepted) == 1_275_000 and not Correction.objects.exists()


def test_a_correction_without_a_reason_or_a_change_writes_nothing(client, seed, kdd, accepted):
    as_user(client, kdd)
    page = text_of(
        client.post(url("accounts-correct", 2025), corrected_grid(seed, 1_200_000, reason=" "))
    )
    assert "Skriv kvifor du rettar: grunngjevinga blir lagra." in page
    page = text_of(client.post(url("accounts-correct", 2025), corrected_grid(seed, 1_275_000)))
    assert "Rettinga endrar ingen tal." in page
    assert spent_now(accepted) == 1_275_000 and not Correction.objects.exists()


def test_a_correction_over_someone_elses_shows_the_conflict_and_writes_nothing(
    client, seed, kdd, accepted
):
    workflow.correct_accounts(
        accounts=accepted,
        user=kdd,
        reason="Rettinga til ein kollega.",
        changes=[cell(seed, "prosjektleiing", KDD, 1_250_000, 1_275_000)],
    )
    as_user(client, kdd)
    page = text_of(client.post(url("accounts-correct", 2025), corrected_grid(seed, 1_200_000)))
    assert "Nokon andre har endra rekneskapen medan du skreiv" in page
    assert "Prosjektleiing, KDD 13.50 post 66: lagra 1 250 000 kr , du skreiv 1 200 000 kr" in page
    assert spent_now(accepted) == 1_250_000 and Correction.objects.count() == 1


def test_accounts_not_yet_accepted_are_not_corrected_but_changed_by_the_project_leader(
    client, seed, owner, kdd
):
    changes = [cell(seed, line, source, kroner) for (line, source), kroner in AS_APPROVED.items()]
    workflow.save_spending(agreement=seed, year=2025, user=owner, changes=changes)
    workflow.submit(agreement=seed, year=2025, user=owner)
    as_user(client, kdd)
    response = client.post(
        url("accounts-correct", 2025), corrected_grid(seed, 1_200_000, shown=1_500_000), follow=True
    )
    assert "Berre ein rekneskap som KDD har godkjent, blir retta." in text_of(response)
    assert not Correction.objects.exists()


def record(seed, kdd) -> Payment:
    return workflow.record_payment(
        agreement=seed,
        user=kdd,
        year=2025,
        paid_on=datetime.date(2025, 3, 1),
        kroner=2_400_000,
        reference="KDD 25/1234",
    )


def correct_url(payment: Payment) -> str:
    return reverse("money:payment-correct", args=[payment.agreement.slug, payment.pk])


def test_kdd_corrects_a_payment_and_the_money_page_shows_it(client, seed, kdd):
    payment = record(seed, kdd)
    as_user(client, kdd)
    assert correct_url(payment) in client.get(url("detail")).text
    form = client.get(correct_url(payment)).text
    assert 'value="2 400 000"' in form.replace("\xa0", " ") and 'value="KDD 25/1234"' in form

    data = {
        "paid_on": "2025-03-01",
        "kroner": "2 300 000",
        "reference": "KDD 25/1234",
        "reason": REASON,
    }
    assert client.post(correct_url(payment), data).status_code == 302
    page = text_of(client.get(url("detail")))
    assert "Rettinga av utbetalinga er lagra." in page
    assert (
        "Utbetaling: 01.03.2025 2 400 000 kr (KDD 25/1234) → 01.03.2025 2 300 000 kr "
        f"(KDD 25/1234). Grunngjeving: «{REASON}»"
    ) in page
    assert "Utbetalt 2 300 000 kr" in page
    assert Payment.objects.get().kroner == 2_300_000


def test_a_payment_is_corrected_only_by_kdd_and_only_with_a_reason(client, seed, owner, kdd):
    payment = record(seed, kdd)
    data = {"paid_on": "2025-03-01", "kroner": "1", "reference": "X", "reason": REASON}
    as_user(client, owner)
    assert correct_url(payment) not in client.get(url("detail")).text
    assert client.get(correct_url(payment)).status_code == 403
    assert client.post(correct_url(payment), data).status_code == 403

    as_user(client, kdd)
    page = text_of(client.post(correct_url(payment), {**data, "reason": ""}))
    assert "Skriv kvifor du rettar: grunngjevinga blir lagra." in page
    page = text_of(client.post(correct_url(payment), {**data, "paid_on": "2027-01-01"}))
    assert "Ei utbetaling kan ikkje vere datert fram i tid." in page
    same = {"paid_on": "2025-03-01", "kroner": "2 400 000", "reference": "KDD 25/1234"}
    page = text_of(client.post(correct_url(payment), {**same, "reason": REASON}))
    assert "Rettinga endrar ingenting ved utbetalinga." in page
    other = make_agreement("nordfjord", "Bygdevekstavtale for Nordfjord")
    forged = reverse("money:payment-correct", args=[other.slug, payment.pk])
    assert client.post(forged, data).status_code in (403, 404)
    assert Payment.objects.get().kroner == 2_400_000 and not Correction.objects.exists()
