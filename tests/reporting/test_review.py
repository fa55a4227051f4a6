"""Before approval: the budget's checks on the draft, at submission and in KDD's box, and the
texts nobody has reviewed since the last approved plan."""

from __future__ import annotations

from django.urls import reverse

from budget.models import Amount
from reporting.models import Revision
from tests.support import CONFIRMED, as_user, confirmed, dump_database, url
from tests.support import SEED_SLUG as SLUG

SHARES_OFF = "Stemmer ikkje:</span> Delmål 1 har 60 % av midlane til delmåla"


def set_kroner(line: str, year: int, kroner: int) -> None:
    amount = Amount.objects.get(line__key=line, year=year, source__key="kdd-1350-post-66")
    amount.kroner = kroner
    amount.save()


def weights_off() -> None:
    """The sub-goals get 60.3 %, 19.6 % and 20.1 % of the state money instead of 60/20/20."""
    set_kroner("delmal-1", 2027, 4_054_000)
    set_kroner("delmal-2", 2027, 928_000)
    set_kroner("delmal-3", 2027, 1_018_000)


def draft_2026(client, people):
    as_user(client, people["prosjektleiar"]).post(
        url("revision-start"), {"year": 2026, "confirmed": "ja"}
    )
    return Revision.objects.get(year=2026)


def test_the_draft_page_shows_the_budget_checks_with_the_weights_deviation(client, seed, people):
    draft_2026(client, people)
    assert "Stemmer ikkje" not in client.get(url("revision", 2026)).text
    weights_off()
    page = client.get(url("revision", 2026)).text
    assert "3 kontrollar av budsjettet stemmer ikkje:" in page
    assert SHARES_OFF in page
    assert (
        "10\xa0854\xa0000 kr av 18\xa0000\xa0000 kr = 60,3 %, avvik +0,3 prosentpoeng, "
        "toleranse ±0,05 prosentpoeng" in page
    )
    assert "avvik \N{MINUS SIGN}0,4 prosentpoeng" in page and "avvik +0,1 prosentpoeng" in page


def test_a_failing_check_must_be_confirmed_before_submitting(client, seed, people):
    draft_2026(client, people)
    weights_off()
    before = dump_database()

    asked = client.post(url("revision-submit", 2026))
    assert asked.status_code == 200
    assert "Send handlingsplan 2026 til godkjenning?" in asked.text and SHARES_OFF in asked.text
    assert "Eg har sett kontrollane som ikkje stemmer" in asked.text
    assert dump_database() == before

    unticked = {**confirmed(asked), "confirm": ""}
    again = client.post(url("revision-submit", 2026), unticked)
    assert "Handlingsplanen er ikkje sendt. Kryss av" in again.text
    assert dump_database() == before

    assert client.post(url("revision-submit", 2026), confirmed(asked)).status_code == 302
    revision = Revision.objects.get(year=2026)
    assert revision.status == "submitted"
    event = revision.events.get(kind="submitted")
    assert (
        "Sendt med ein kontroll som ikkje stemmer: Delmål 2 har 20 % av midlane til delmåla "
        "(3\xa0528\xa0000 kr av 18\xa0000\xa0000 kr = 19,6 %" in event.comment
    )


def test_the_draft_page_shows_the_failing_checks_and_its_confirmation_asks_to_accept_them(
    client, seed, people
):
    draft_2026(client, people)
    weights_off()
    page = client.get(url("revision", 2026))
    assert SHARES_OFF in page.text and 'name="confirm"' not in page.text
    asked = client.post(url("revision-submit", 2026))
    assert 'name="confirm"' in asked.text
    assert client.post(url("revision-submit", 2026), confirmed(asked)).status_code == 302
    assert Revision.objects.get(year=2026).status == "submitted"


def test_a_check_that_fails_after_the_confirmation_is_asked_about_again(client, seed, people):
    draft_2026(client, people)
    page = client.get(url("revision", 2026))
    assert 'name="confirm"' not in page.text
    weights_off()  # meanwhile, someone changes the budget
    asked = client.post(url("revision-submit", 2026), {"confirm": "on", **CONFIRMED})
    assert asked.status_code == 200 and SHARES_OFF in asked.text
    assert Revision.objects.get(year=2026).is_draft


def test_kdds_approval_box_shows_the_checks_of_the_plan_as_submitted(client, seed, people):
    draft_2026(client, people)
    weights_off()
    client.post(url("revision-submit", 2026), confirmed(client.post(url("revision-submit", 2026))))
    set_kroner("delmal-1", 2027, 4_000_000)  # the living budget is put right afterwards
    set_kroner("delmal-2", 2027, 1_000_000)
    set_kroner("delmal-3", 2027, 1_000_000)

    page = as_user(client, people["kdd"]).get(url("revision", 2026)).text
    box = page.split("Godkjenning frå KDD")[1]
    assert "3 kontrollar av budsjettet stemmer ikkje:" in box and SHARES_OFF in box
    assert "avvik +0,3 prosentpoeng, toleranse ±0,05 prosentpoeng" in box


def test_kdds_approval_box_says_when_every_check_passes(client, seed, people):
    draft_2026(client, people)
    client.post(url("revision-submit", 2026), CONFIRMED)
    page = as_user(client, people["kdd"]).get(url("revision", 2026)).text
    assert "Alle kontrollane av budsjettet i handlingsplanen stemmer." in page


def test_the_draft_lists_the_texts_not_edited_since_the_last_approved_plan(client, seed, people):
    draft_2026(client, people)
    page = client.get(url("revision", 2026)).text
    listed = page.split("ikkje endra sidan handlingsplan 2025 vart godkjend")[1].split("</ul>")[0]
    edit = reverse("measures:agreement-edit", args=[SLUG])
    assert f'<a class="ds-link" href="{edit}">Prioriteringar</a>' in listed
    for label in ("Introduksjon", "Rammer for handlingsplanen", "Delmål 1: hovudmål"):
        assert f">{label}</a>" in listed, label
    goal_edit = reverse("measures:sub-goal-edit", args=[SLUG, 1])
    assert f'href="{goal_edit}">Delmål 1: hovudmål' in listed

    seed.refresh_from_db()
    seed.priorities = "For 2026 prioriterer handlingsplanen bustadtiltaka."
    seed.save()
    page = client.get(url("revision", 2026)).text
    listed = page.split("ikkje endra sidan handlingsplan 2025 vart godkjend")[1].split("</ul>")[0]
    assert "Prioriteringar" not in listed and "Introduksjon" in listed


def test_a_first_plan_has_no_texts_to_review(client, seed, people):
    from reporting.revision.review import unedited_texts

    assert unedited_texts(Revision.objects.get(year=2025), None) == []
