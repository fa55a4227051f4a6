"""The budget pages and the budget grid in the reader's målform: Bokmål for a user who chose
it, Nynorsk otherwise (the plan's own texts, such as line titles, stay as written)."""

from __future__ import annotations

from django.urls import reverse

from access.accounts import AccountSettings
from budget.models import Amount, BudgetLine, FundingSource
from tests.support import dump_database

DETAIL = reverse("budget:detail", args=["vest-telemark"]) + "?ar=2025"
EDIT = reverse("budget:edit", args=["vest-telemark"]) + "?ar=2025"

# What the budget page says in Nynorsk, and must not say to a reader of Bokmål.
NYNORSK_ONLY = [
    "Kontrollar",
    "Alle beløp i heile kroner",
    "Last opp frå Excel",
    "Vektinga av delmåla",
    "av midlane til delmåla",
    "Radene og kolonnane",
    "i finansieringa for",
    "Stemmer ikkje",
    ", kan rullast sidevegs",
]


def in_bokmal(user) -> None:
    AccountSettings.objects.update_or_create(user=user, defaults={"language": "nb"})


def grid_data(**typed) -> dict:
    """The 2025 grid as shown, with some cells typed: typed["delmal-1__anna"] = "1"."""
    data = {}
    for line in BudgetLine.objects.all():
        for source in FundingSource.objects.all():
            amount = Amount.objects.filter(line=line, source=source, year=2025).first()
            value = "" if amount is None else str(amount.kroner)
            data[f"o-{line.pk}-{source.pk}"] = value
            data[f"c-{line.pk}-{source.pk}"] = typed.get(f"{line.key}__{source.key}", value)
    return data


def test_the_budget_page_speaks_bokmal_to_a_reader_of_bokmal(owner_client, owner):
    in_bokmal(owner)
    page = owner_client.get(DETAIL).text
    assert '<html lang="nb"' in page
    for words in [
        '<h2 class="ds-heading" data-size="md" id="kontrollar">Kontroller</h2>',
        "Alle beløp i hele kroner. Totaler og summer er regnet ut fra beløpene.",
        "Last opp fra Excel",
        "Endre budsjettet for 2025",
        "Vektingen av delmålene er til sammen 100 %",
        "Delmål 1 har 60 % av midlene til delmålene",
        "Radene og kolonnene i «Samlet budsjett og finansiering for 2025» gir samme sum",
        "KDD 13.50 post 66 i finansieringen for 2025 er lik 2025-kolonnen i budsjettet for hele",
        "Stemmer:",
        "6. Fordeling av budsjett for hele avtaleperioden (statlig medfinansiering)",
        "Endringslogg for budsjettet",
        "Prosjektleiing",  # a line's title: the plan's own text, as written
    ]:
        assert words in page, words
    for words in NYNORSK_ONLY:
        assert words not in page, words


def test_the_budget_page_speaks_nynorsk_by_default(owner_client):
    page = owner_client.get(DETAIL).text
    assert '<html lang="nn"' in page
    for words in [
        "Kontrollar",
        "Alle beløp i heile kroner. Totalar og summar er rekna ut frå beløpa.",
        "Last opp frå Excel",
        "Vektinga av delmåla er til saman 100 %",
        "Delmål 1 har 60 % av midlane til delmåla",
        "Radene og kolonnane i «Samla budsjett og finansiering for 2025» gir same sum",
    ]:
        assert words in page, words
    assert "Kontroller<" not in page and "Vektingen" not in page and "hele kroner" not in page


def test_the_grid_refuses_bad_amounts_in_bokmal_and_saves_nothing(owner_client, owner, seed):
    in_bokmal(owner)
    before = dump_database()
    page = owner_client.post(EDIT, grid_data(**{"delmal-1__anna": "1000,50"})).text
    assert "Skriv hele kroner, uten øre." in page
    assert "Noen celler har feil. Se merknaden ved cellen. Ingenting er lagret." in page
    assert "Lagre budsjettet" in page and "Velg år" in page
    assert "Skriv heile kroner" not in page and "Nokre celler har feil" not in page
    page = owner_client.post(EDIT, grid_data(**{"delmal-1__anna": "-5"})).text
    assert "Beløpet kan ikke være negativt." in page and "ikkje vere" not in page
    assert dump_database() == before


def test_the_grid_says_how_many_cells_it_saved_in_the_right_number(owner_client, owner, seed):
    response = owner_client.post(EDIT, grid_data(**{"delmal-1__anna": "5000"}), follow=True)
    assert "Budsjettet for 2025 er lagra (1 celle endra)." in response.text
    typed = {"delmal-1__anna": "6000", "delmal-2__anna": "7000"}
    response = owner_client.post(EDIT, grid_data(**typed), follow=True)
    assert "Budsjettet for 2025 er lagra (2 celler endra)." in response.text
    in_bokmal(owner)
    response = owner_client.post(EDIT, grid_data(**{"delmal-1__anna": "8000"}), follow=True)
    assert "Budsjettet for 2025 er lagret (1 celle endret)." in response.text
    assert Amount.objects.get(line__key="delmal-1", source__key="anna", year=2025).kroner == 8000


def test_a_conflict_is_explained_in_bokmal(owner_client, owner, seed):
    in_bokmal(owner)
    data = grid_data(**{"delmal-1__anna": "5000"})
    line = BudgetLine.objects.get(key="delmal-1")
    source = FundingSource.objects.get(key="anna")
    Amount.objects.update_or_create(line=line, source=source, year=2025, defaults={"kroner": 9000})
    page = owner_client.post(EDIT, data).text
    assert "Noen andre har endret budsjettet mens du skrev" in page
    assert "Ingenting er lagret. Tallene dine står igjen i tabellen" in page
    assert ": lagret <strong>" in page and ", du skrev <strong>" in page
    assert "Nokon andre" not in page and "du skreiv" not in page
