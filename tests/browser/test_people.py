"""The project leader invites a municipality's approver in a real browser; she takes the
invitation through the link in the e-mail and reads the plan as an approver."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.support import serious_violations, sign_in

pytestmark = pytest.mark.browser


def test_inviting_and_accepting(transactional_db, live_server, page, browser, owner, screenshot):
    base = live_server.url
    sign_in(page, base, "prosjektleiar", "/avtale/vest-telemark/")
    page.get_by_role("link", name="Folk og roller").click()
    page.get_by_role("heading", name="Folk og roller").wait_for()
    page.get_by_label("E-postadresse").fill("kari@example.no")
    page.get_by_label("Rolle", exact=True).select_option("approver")
    page.locator("#id_organisation").select_option(label="Vinje kommune")
    page.get_by_role("button", name="Send invitasjon").click()
    page.get_by_text("Invitasjonen er sendt til kari@example.no.").wait_for()
    invitations = page.get_by_role("table", name="Invitasjonar som ikkje er tekne imot")
    assert "Godkjennar for Vinje kommune" in invitations.inner_text()
    assert "prosjektleiar inviterte kari@example.no som godkjennar for Vinje kommune." in (
        page.locator("main").inner_text()
    )
    assert serious_violations(page) == []
    screenshot(page, "folk-og-roller")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "folk-og-roller-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    [message] = mail.outbox
    link = re.search(r"/invitasjon/\S+/", message.body).group(0)
    page.get_by_role("button", name="Logg ut").click()
    page.goto(base + link)
    page.get_by_label("Namnet ditt").fill("Kari Nordmann")
    assert page.get_by_label("Brukarnamn").input_value() == "kari@example.no"
    page.get_by_label("Passord", exact=True).fill("Bygdevekst-2026-sterkt")
    page.get_by_label("Passordet ein gong til").fill("Bygdevekst-2026-sterkt")
    assert serious_violations(page) == []
    screenshot(page, "ta-imot-invitasjon")
    page.get_by_role("button", name="Lag konto og ta imot").click()
    page.wait_for_url(base + "/avtale/vest-telemark/")
    page.get_by_text("Velkomen! Du er no godkjennar for Vinje kommune").wait_for()
    assert page.get_by_role("link", name="Folk og roller").count() == 0
    assert "Kari Nordmann" in page.locator(".site-header").inner_text()

    page.goto(base + link)
    assert "lenkja kan ikkje brukast på nytt" in page.locator("main").inner_text()
