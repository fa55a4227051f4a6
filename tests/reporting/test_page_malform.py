"""The revision's pages speak the reader's målform: Bokmål for a user who chose it, Nynorsk by
default, with states named as states in both."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from access.accounts import AccountSettings
from reporting.models import Revision
from tests.support import as_user, submitted_2026, url

# Words that only Nynorsk writes: none may be left on a Bokmål page.
NYNORSK_ONLY = [
    "handsaming",
    "ikkje",
    "frå",
    "berre",
    "grunngjeving",
    "partane",
    "vedtaka",
    "Godkjend",
    "Avtalane",
    "Tidlegare",
    "Kontrollar",
    "kvar",
    "desse",
]
BOKMAL_ONLY = ["behandling", "ikke", "fra", "bare", "begrunnelse", "partene", "Godkjent"]


def _words(page: str) -> str:
    """The page's text, without its tags, scripts and the plan's own data in attributes."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return re.sub(r"<[^>]*>", " ", page)


def _found(text: str, words: list[str]) -> list[str]:
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE)]


@pytest.fixture
def bokmal(people):
    for user in people.values():
        AccountSettings.objects.create(user=user, language="nb")
    return people


def test_the_revision_page_in_bokmal(client, seed, bokmal):
    revision = submitted_2026(client, bokmal, seed)
    page = as_user(client, bokmal["prosjektleiar"]).get(revision.get_absolute_url()).text
    text = _words(page)
    assert "Til politisk behandling" in text
    assert "Status for partene" in text and "Møter og vedtak for hver part" in page
    assert "Endringer siden handlingsplan 2025" in text
    assert "Sendt til godkjenning" in text  # the event in the history, a state
    assert "Last ned handlingsplanen (PDF), utkast" in text
    # The plan's own texts stay as written; the page's words are Bokmål.
    chrome = text.split("Endringer siden handlingsplan 2025")[0]
    assert _found(chrome, NYNORSK_ONLY) == []


def test_the_process_page_and_front_page_in_bokmal(client, seed, bokmal):
    kdd = as_user(client, bokmal["kdd"])
    process = _words(kdd.get(reverse("reporting:process", args=[seed.slug])).text)
    assert "Politisk behandling av handlingsplan 2025" in process
    assert "8. Handlingsplanen er godkjent av" in process
    assert "Godkjent av KDD" in process
    editor = as_user(client, bokmal["prosjektleiar"])
    front = _words(editor.get(reverse("reporting:home")).text)
    assert "Avtalene dine" in front and "Neste steg" in front
    assert "Start handlingsplan 2026" in front and "Godkjent av KDD" in front
    assert _found(front.split("Avtalene dine")[0], NYNORSK_ONLY) == []


def test_refusals_and_messages_in_bokmal(client, seed, bokmal):
    editor = as_user(client, bokmal["prosjektleiar"])
    response = editor.post(url("revision-start"), {"year": 1999}, follow=True)
    assert "Velg et år i avtaleperioden som ikke har handlingsplan ennå." in response.text
    assert editor.get(url("revision", 1999)).status_code == 404
    response = editor.post(url("revision-start"), {"year": 2026, "confirmed": "ja"}, follow=True)
    assert "Handlingsplan 2026 er startet som utkast." in response.text
    notes = _words(editor.get(url("revision-notes", 2026)).text)
    assert "Begrunnelser, vurderinger og årsstatus" in notes and "Lagre tekstene" in notes
    assert _found(notes.split("Begrunnelser")[1], ["ikkje", "Lagre tekstane"]) == []


def test_a_decision_form_in_bokmal_refuses_a_future_date(client, seed, bokmal):
    submitted_2026(client, bokmal, seed)
    vinje = as_user(client, bokmal["vinje"])
    page = vinje.get(url("decision", 2026, "vinje-kommune")).text
    assert "Vedtak om handlingsplan 2026 i Vinje kommune" in page
    assert "Registrer vedtaket" in page and "planlagt møte" in page.lower()
    data = {
        f"{body}-{field}": ""
        for body in ("formannskap", "kommunestyre")
        for field in ("seen", "planned_on", "decided_on", "case_reference", "comment")
    }
    data |= {"formannskap-decided_on": "2999-01-01", "formannskap-decision": "approved"}
    data |= {"kommunestyre-decision": "pending"}
    response = vinje.post(url("decision", 2026, "vinje-kommune"), data)
    assert "Vedtaksdatoen kan ikke være fram i tid." in response.text
    assert not Revision.objects.get(year=2026).approvals.filter(decision="approved").exists()


def test_the_same_pages_in_nynorsk_by_default(client, seed, people):
    revision = submitted_2026(client, people, seed)
    text = _words(as_user(client, people["prosjektleiar"]).get(revision.get_absolute_url()).text)
    assert "Til politisk handsaming" in text and "Status for partane" in text
    assert "Sendt til godkjenning" in text
    chrome = text.split("Endringar sidan handlingsplan 2025")[0]
    assert _found(chrome, BOKMAL_ONLY) == []
    process = _words(client.get(reverse("reporting:process", args=[seed.slug])).text)
    assert "8. Handlingsplanen er godkjend av" in process
    assert "Godkjend av KDD" in process and "Godkjent" not in process
