"""The political process page: sections 5 and 8 of the plan."""

from __future__ import annotations

from django.urls import reverse


def test_the_process_page_shows_meetings_and_approvals(owner_client):
    text = owner_client.get(reverse("reporting:process", args=["vest-telemark"])).text
    assert ">Politisk handsaming av handlingsplan 2025</h1>" in text
    row = text.split(">Kviteseid kommune</th>")[1].split("</tr>")[0]
    assert "22. mai 2025" in row and "12. juni 2025" in row
    approved = text.split("8. Handlingsplanen er godkjent av")[1]
    assert "24.06.2025" in approved.split("Vinje kommune")[1].split("</tr>")[0]
    assert "Godkjent" in text


def test_an_unknown_year_is_404(owner_client):
    assert (
        owner_client.get(reverse("reporting:revision", args=["vest-telemark", 2027])).status_code
        == 404
    )
