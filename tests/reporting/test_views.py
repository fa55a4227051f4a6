"""The political process page: sections 5 and 8 of the plan."""

from __future__ import annotations

from django.urls import reverse

from tests.support import ASSESSMENT_2026, REASON_2026, revision_2026


def test_the_process_page_shows_meetings_and_approvals(owner_client):
    text = owner_client.get(reverse("reporting:process", args=["vest-telemark"])).text
    assert ">Politisk handsaming av handlingsplan 2025</h1>" in text
    row = text.split(">Kviteseid kommune</th>")[1].split("</tr>")[0]
    assert "22. mai 2025" in row and "12. juni 2025" in row
    approved = text.split("8. Handlingsplanen er godkjend av")[1]
    assert "24.06.2025" in approved.split("Vinje kommune")[1].split("</tr>")[0]
    assert "Godkjend" in text and "Godkjent" not in text


def test_an_unknown_year_is_404(owner_client):
    assert (
        owner_client.get(reverse("reporting:revision", args=["vest-telemark", 2027])).status_code
        == 404
    )


def test_the_revision_page_shows_text_changes_as_rendered_words_with_marks(owner_client, seed):
    revision_2026(seed)
    page = owner_client.get(reverse("reporting:revision", args=["vest-telemark", 2026])).text
    changes = page.split('id="endringar"')[1].split("</section>")[0]
    changed = changes.split("Endra tiltak")[1].split("Avslutta tiltak")[0]
    assert "<del>todelt:</del> <ins>tredelt, og kommunane leier han:</ins>" in changed
    assert "**" not in changes and "&lt;b&gt;" not in changes and "<b>" not in changes
    assert f'<dt>Grunngjeving for endringa</dt><dd class="written note">{REASON_2026}' in changed
    new = changes.split("Nye tiltak")[1].split("Endra tiltak")[0]
    assert "Tiltak 2.5 Lokal matproduksjon" in new
    assert "Eit <strong>nettverk</strong> for småskala matprodusentar" in new
    closed = changes.split("Avslutta tiltak")[1]
    assert "Avslutta 01.03.2026" in closed and ASSESSMENT_2026 in closed


def test_the_first_plan_says_so_instead_of_listing_every_measure_as_new(owner_client):
    page = owner_client.get(reverse("reporting:revision", args=["vest-telemark", 2025])).text
    changes = page.split('id="endringar"')[1].split("</section>")[0]
    assert "Det finst ingen tidlegare godkjend handlingsplan i avtaleperioden 2025–2028" in changes
    assert "Nye tiltak" not in changes and "→" not in changes
