"""Issue 22 through the real views: the project leader enters 2025's accounts (project
management 15 % under budget, explained), submits; KDD returns them with a comment; the project
leader corrects and resubmits; KDD accepts and records the payment of 2 400 000 kr; the money
page shows approved, paid, spent and carried over."""

from __future__ import annotations

import datetime
import logging
import re
from io import BytesIO

import openpyxl

from access.models import Role
from budget.models import BudgetLine, FundingSource
from measures.models import Organisation
from money.models import Accounts, Payment
from tests.factories import make_user
from tests.money.accounts import (
    AS_APPROVED,
    KDD,
    MUNICIPAL,
    SLUG,
    SPENT,
    audited,
    grid_data,
    text_of,
    url,
)
from tests.support import CONFIRMED, as_user, filled_in_workbook, ministry_user_of, pdf_text

EXPLANATION = "Prosjektleiaren byrja først i april 2025."
RETURN_COMMENT = "Kommunal eigendel for delmål 2 manglar."


def test_accounts_2025_from_entry_to_payment(client, seed, owner, caplog):
    kdd = ministry_user_of(seed)
    leadership = BudgetLine.objects.get(agreement=seed, key="prosjektleiing")
    caplog.set_level(logging.INFO, logger="bygdevekst.audit")

    # The project leader enters 2025's spending in the grid.
    as_user(client, owner)
    response = client.post(url("accounts-edit", 2025), grid_data(seed, SPENT))
    assert response.status_code == 302
    assert audited(caplog)[-1] == ("accounts_cells", owner.username)
    page = text_of(client.get(url("accounts", 2025)))
    minus = "\N{MINUS SIGN}"
    line = f"Prosjektleiing 1 500 000 kr 1 275 000 kr {minus}225 000 kr {minus}15,0 % Manglar"
    assert line in page
    assert "Under arbeid" in page
    must = "4. Prosjektleiing (avviket er over terskelen og må forklarast før rekneskapen "
    must += "blir sendt)"
    assert must in page

    # Submitting is refused until the deviation is explained.
    response = client.post(url("accounts-submit", 2025), CONFIRMED, follow=True)
    assert "Forklar avviket før du sender rekneskapen: Prosjektleiing." in text_of(response)
    assert Accounts.objects.get(year=2025).status == "draft"
    client.post(url("explanations", 2025), {f"forklaring-{leadership.pk}": EXPLANATION})
    confirmation = client.post(url("accounts-submit", 2025))
    assert "Send rekneskapen for 2025 til KDD?" in text_of(confirmation)
    assert Accounts.objects.get(year=2025).status == "draft"
    response = client.post(url("accounts-submit", 2025), CONFIRMED, follow=True)
    assert "Rekneskapen for 2025 er sendt til KDD." in text_of(response)
    assert "Rekneskap 2025 Sendt til KDD" in text_of(client.get("/"))

    # KDD sees it waiting on the front page, and returns it with a comment.
    as_user(client, kdd)
    front = text_of(client.get("/"))
    assert "Ingen handlingsplan ventar på KDD no. 1 rekneskap ventar på KDD." in front
    assert "Rekneskap 2025 ventar på KDD" in front
    client.post(url("accounts-return", 2025), {"comment": RETURN_COMMENT, **CONFIRMED})
    page = text_of(client.get(url("accounts", 2025)))
    assert "Sendt tilbake av KDD" in page and RETURN_COMMENT in page
    assert "ventar på KDD" not in text_of(client.get("/")).replace("handlingsplan ventar", "")

    # The project leader reads why on the front page, corrects it and sends it again.
    as_user(client, owner)
    front = text_of(client.get("/"))
    assert f"KDD sende rekneskapen for 2025 tilbake 16.02.2026: «{RETURN_COMMENT}»" in front
    corrected = {**SPENT, ("delmal-2", MUNICIPAL): 100_000}
    client.post(url("accounts-edit", 2025), grid_data(seed, corrected, shown=SPENT))
    client.post(url("accounts-submit", 2025), CONFIRMED)
    assert Accounts.objects.get(year=2025).status == "submitted"
    front = text_of(client.get("/"))
    assert "Rekneskap 2025 Sendt til KDD" in front and "sende rekneskapen" not in front

    # KDD accepts it and records the payment.
    as_user(client, kdd)
    response = client.post(url("accounts-accept", 2025), CONFIRMED, follow=True)
    assert "Rekneskapen for 2025 er godkjend." in text_of(response)
    response = client.post(
        url("payment-create"),
        {"year": 2025, "paid_on": "2025-07-01", "kroner": "2 400 000", "reference": "25/4711"},
        follow=True,
    )
    assert "Utbetalinga er registrert." in text_of(response)
    assert Payment.objects.get().kroner == 2_400_000

    # The money page: approved, paid, spent (the state's part) and carried over.
    page = text_of(client.get(url("detail")))
    assert (
        "2025 2 400 000 kr 2 400 000 kr 2 175 000 kr 225 000 kr "
        "2 400 000 kr 2 400 000 kr 2 175 000 kr Rekneskap 2025 Godkjend av KDD"
    ) in page
    assert "Overført til seinare år 225 000 kr" in page
    assert "Att av ramma å betale ut 19 600 000 kr" in page

    # The accounts as PDF and workbook read back the same figures and the explanation.
    pdf = client.get(f"/rekneskap/{SLUG}/2025/rekneskap.pdf")
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert "Rekneskap 2025" in text and "Godkjend av KDD" in text
    assert "Prosjektleiing 1 500 000 kr 1 275 000 kr \N{MINUS SIGN}225 000 kr" in text
    assert "SUM 2 700 000 kr 2 475 000 kr" in text
    assert EXPLANATION in text
    workbook = openpyxl.load_workbook(
        BytesIO(client.get(f"/rekneskap/{SLUG}/2025/rekneskap.xlsx").content)
    )
    sheet = workbook["Rekneskap 2025"]
    assert [cell.value for cell in sheet[5]][:5] == [
        "Nr.",
        "Delmål",
        "Rekneskap totalt",
        "Plan: KDD 13.50 post 66",
        "Rekneskap: KDD 13.50 post 66",
    ]
    leadership_row = [cell.value for cell in sheet[9]]
    assert leadership_row[:2] == [4, "Prosjektleiing"] and leadership_row[3:5] == [
        1_500_000,
        1_275_000,
    ]
    explained = [row for row in workbook["Forklaringar"].iter_rows(values_only=True) if row[0] == 4]
    assert explained == [(4, "Prosjektleiing", 1_500_000, 1_275_000, -225_000, EXPLANATION)]

    # KDD's front page: the agreement's column of the state's money.
    front = text_of(client.get("/"))
    assert (
        "Godkjend 2 400 000 kr Utbetalt 2 400 000 kr Brukt 2 175 000 kr Att 19 600 000 kr"
    ) in front


def test_the_grid_refuses_whoever_does_not_keep_the_accounts(client, seed, owner, outsider):
    vinje = make_user(
        "vinje", seed, Role.Kind.APPROVER, Organisation.objects.get(key="vinje-kommune")
    )
    for person in (vinje, ministry_user_of(seed)):
        as_user(client, person)
        assert client.get(url("accounts", 2025)).status_code == 200
        assert client.post(url("accounts-edit", 2025), grid_data(seed, SPENT)).status_code == 403
        assert client.post(url("accounts-submit", 2025), CONFIRMED).status_code == 403
    as_user(client, outsider)
    assert client.get(url("accounts", 2025)).status_code == 404
    assert client.get(url("detail")).status_code == 404
    assert not Accounts.objects.exists()


def test_kdds_steps_refuse_the_project_leader(client, seed, owner):
    as_user(client, owner)
    client.post(url("accounts-edit", 2025), grid_data(seed, {("delmal-1", KDD): 500_000}))
    assert client.post(url("accounts-accept", 2025), CONFIRMED).status_code == 403
    returned = client.post(url("accounts-return", 2025), {"comment": "x", **CONFIRMED})
    assert returned.status_code == 403
    payment = {"year": 2025, "paid_on": "2025-07-01", "kroner": "1", "reference": "x"}
    assert client.post(url("payment-create"), payment).status_code == 403
    assert not Payment.objects.exists()
    assert Accounts.objects.get().status == "draft"


def test_a_bad_cell_is_named_and_nothing_is_saved(client, seed, owner):
    as_user(client, owner)
    data = grid_data(seed, SPENT)
    line = BudgetLine.objects.get(agreement=seed, key="delmal-2")
    source = FundingSource.objects.get(agreement=seed, key=KDD)
    data[f"c-{line.pk}-{source.pk}"] = "12,50"
    page = text_of(client.post(url("accounts-edit", 2025), data))
    assert "Skriv heile kroner, utan øre." in page and "Ingenting er lagra." in page
    assert not Accounts.objects.exists()


def test_a_year_not_begun_cannot_be_entered(client, seed, owner):
    as_user(client, owner)
    response = client.post(url("accounts-edit", 2027), grid_data(seed, SPENT), follow=True)
    assert "Rekneskapen for 2027 kan førast frå 1. januar 2027." in text_of(response)
    assert not Accounts.objects.exists()


def test_accepted_accounts_refuse_a_forged_grid_post(client, seed, owner):
    as_user(client, owner)
    client.post(url("accounts-edit", 2025), grid_data(seed, AS_APPROVED))
    client.post(url("accounts-submit", 2025), CONFIRMED)
    as_user(client, ministry_user_of(seed))
    client.post(url("accounts-accept", 2025), CONFIRMED)
    as_user(client, owner)
    forged = grid_data(seed, {**AS_APPROVED, ("delmal-1", KDD): 1}, shown=AS_APPROVED)
    response = client.post(url("accounts-edit", 2025), forged, follow=True)
    assert "kan ikkje endrast no" in text_of(response)
    page = text_of(client.get(url("accounts", 2025)))
    assert "Godkjend av KDD" in page and "Før rekneskapen" not in page
    assert "Fleire eigna bustader i Vest-Telemark 600 000 kr 600 000 kr 0 kr" in page


UPLOAD = f"/rekneskap/{SLUG}/2025/last-opp/"
APPLY = f"/rekneskap/{SLUG}/2025/last-opp/bruk/"


def preview(client, cells: dict):
    template = client.get(f"/rekneskap/{SLUG}/2025/rekneskap.xlsx").content
    return client.post(
        UPLOAD, {"workbook": _file(filled_in_workbook(template, "Rekneskap 2025", cells))}
    )


def previewed_changes(response) -> list[str]:
    return re.findall(r'name="change" value="([^"]*)"', response.text)


def test_the_workbook_template_filled_in_and_uploaded_is_the_accounts(client, seed, owner):
    as_user(client, owner)
    template = client.get(f"/rekneskap/{SLUG}/2025/rekneskap.xlsx")
    sheet = openpyxl.load_workbook(BytesIO(template.content))["Rekneskap 2025"]
    assert [c.value for c in sheet[6]][3:5] == [500_000, None]  # the plan beside an empty column

    page = text_of(preview(client, {"E6": 480_000, "G9": "mykje"}))
    assert "Arket «Rekneskap 2025», rad 9, kolonne G: «mykje» er tekst, ikkje eit beløp." in page
    assert not Accounts.objects.exists()

    # Sub-goal 1's KDD figure typed in, and its planned figure beside it edited as well.
    response = preview(client, {"E6": 480_000, "D6": 650_000})
    page = text_of(response)
    assert (
        "Frå fila 1. Fleire eigna bustader i Vest-Telemark KDD 13.50 post 66 – 480 000 kr "
        "Lagre 1 endring" in page
    )
    assert "Endringar i kolonnane «Plan» blir ikkje lagra" in page
    assert (
        "Fila har eit anna tal enn godkjend plan i Arket «Rekneskap 2025», rad 6, kolonne D."
        in page
    )
    assert "Fleire eigna bustader i Vest-Telemark 600 000 kr 480 000 kr" in page  # as it will be
    assert not Accounts.objects.exists()  # a preview saves nothing

    saved = client.post(APPLY, {"change": previewed_changes(response)})
    assert saved.status_code == 302
    page = text_of(client.get(url("accounts", 2025)))
    assert "Rekneskapen for 2025 er lagra (1 celle endra)." in page
    assert "Fleire eigna bustader i Vest-Telemark 600 000 kr 480 000 kr" in page


def test_a_preview_applied_after_someone_else_saved_the_cell_saves_nothing(client, seed, owner):
    as_user(client, owner)
    response = preview(client, {"E6": 480_000})
    changes = previewed_changes(response)
    client.post(url("accounts-edit", 2025), grid_data(seed, {("delmal-1", KDD): 490_000}))

    refused = client.post(APPLY, {"change": changes}, follow=True)
    assert "Rekneskapen er endra sidan du lasta opp fila. Last opp på nytt." in text_of(refused)
    assert Accounts.objects.get().spending.get().kroner == 490_000


def test_a_forged_apply_is_refused_and_saves_nothing(client, seed, owner, collaborator):
    as_user(client, owner)
    changes = previewed_changes(preview(client, {"E6": 480_000}))
    line, _year, source, old, _new = changes[0].split(":")

    as_user(client, collaborator)
    assert client.post(APPLY, {"change": changes}).status_code == 403
    as_user(client, ministry_user_of(seed))
    assert client.post(APPLY, {"change": changes}).status_code == 403

    as_user(client, owner)
    for forged, said in (
        (f"{line}:2025:{source}:{old}:{10**13}", "er urimeleg stort"),
        (f"{line}:2026:{source}:{old}:480000", "kunne ikkje lesast"),
        (f"{line}:2025:999999:{old}:480000", "kunne ikkje lesast"),
        ("1:2:3", "kunne ikkje lesast"),
    ):
        page = text_of(client.post(APPLY, {"change": [forged]}, follow=True))
        assert said in page, forged
    assert not Accounts.objects.filter(spending__isnull=False).exists()


def test_accounts_sent_to_kdd_take_no_upload(client, seed, owner):
    as_user(client, owner)
    cells = {key: kroner for key, kroner in AS_APPROVED.items()}
    client.post(url("accounts-edit", 2025), grid_data(seed, cells))
    client.post(url("accounts-submit", 2025), CONFIRMED)
    response = preview(client, {"E6": 480_000})
    page = text_of(response)
    assert "Rekneskapen for 2025 kan ikkje endrast no: Sendt til KDD." in page
    assert previewed_changes(response) == []  # no button to save
    grid = text_of(client.get(url("accounts-edit", 2025)))
    assert "Rekneskapen for 2025 kan ikkje endrast no: Sendt til KDD." in grid
    change = f"{seed.budget_lines.get(key='delmal-1').pk}:2025:"
    change += f"{FundingSource.objects.get(agreement=seed, key=KDD).pk}:500000:480000"
    refused = text_of(client.post(APPLY, {"change": [change]}, follow=True))
    assert "Rekneskapen for 2025 kan ikkje endrast no: Sendt til KDD." in refused
    assert (
        Accounts.objects.get().spending.get(line__key="delmal-1", source__key=KDD).kroner == 500_000
    )


def test_only_the_project_leader_uploads_accounts(client, seed):
    as_user(client, ministry_user_of(seed))
    template = client.get(f"/rekneskap/{SLUG}/2025/rekneskap.xlsx").content
    response = client.post(UPLOAD, {"workbook": _file(template)})
    assert response.status_code == 403
    assert not Accounts.objects.exists()


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("rekneskap.xlsx", data)


def test_the_money_page_takes_a_fixed_number_of_queries(client, seed, owner):
    """However many payments, accounts and corrections: at most 15 queries, the same count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from money import workflow

    kdd = ministry_user_of(seed)
    as_user(client, kdd)
    client.get(url("detail"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("detail"))
    for year in (2025, 2026):
        workflow.save_spending(
            agreement=seed,
            year=year,
            user=owner,
            changes=[_change(seed, "delmal-1", KDD, 100_000 * (year - 2024))],
        )
    for n in range(5):
        workflow.record_payment(
            agreement=seed,
            user=kdd,
            year=2025 + n % 2,
            paid_on=datetime.date(2025, 7, 1 + n),
            kroner=100_000,
            reference=f"25/{n}",
        )
    with CaptureQueriesContext(connection) as many:
        page = text_of(client.get(url("detail")))
    assert "25/4" in page
    assert len(many) == len(few) <= 15


def _change(seed, line_key: str, source_key: str, kroner: int):
    from money.cells import SpendingChange

    return SpendingChange(
        BudgetLine.objects.get(agreement=seed, key=line_key),
        FundingSource.objects.get(agreement=seed, key=source_key),
        None,
        kroner,
    )


def test_a_payment_whose_recorder_has_left_still_shows(client, seed, owner):
    from money import workflow

    kdd = ministry_user_of(seed)
    workflow.record_payment(
        agreement=seed,
        user=kdd,
        year=2025,
        paid_on=datetime.date(2025, 7, 1),
        kroner=2_400_000,
        reference="25/4711",
    )
    kdd.delete()
    page = text_of(as_user(client, owner).get(url("detail")))
    assert "01.07.2025 2025 2 400 000 kr 25/4711 –" in page


def test_the_grid_totals_follow_what_is_typed_and_save_nothing(client, seed, owner, collaborator):
    typed = grid_data(seed, {("prosjektleiing", KDD): 1_275_000})
    as_user(client, owner)
    answer = client.post(url("accounts-recompute", 2025), typed).text.replace("\xa0", " ")
    assert '<output id="total-4" data-hx-swap-oob="true">1 275 000 kr</output>' in answer
    assert "\N{MINUS SIGN}225 000 kr<br>\N{MINUS SIGN}15,0 %" in answer
    assert '<output id="total-sum" data-hx-swap-oob="true">1 275 000 kr</output>' in answer
    assert not Accounts.objects.exists()
    as_user(client, collaborator)
    assert client.post(url("accounts-recompute", 2025), typed).status_code == 403
