"""The change log speaks the reader's language, and a save in place answers with it."""

from __future__ import annotations

import html
import re

from django.urls import reverse

from budget.models import Amount
from tests.support import CONFIRMED

SLUG = "vest-telemark"
KEY = "gott-nokk"


def changelog_of(page: str) -> str:
    """The change log's part of a page, as HTML."""
    start = page.index('id="tiltak-endringslogg"')
    end = page.find("</section>", start)
    return page[start : end if end > 0 else len(page)]


def readable(fragment: str) -> str:
    """The fragment's text as a reader sees it: tags gone, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def measure_page(client) -> str:
    return client.get(reverse("measures:measure-detail", args=[SLUG, KEY])).text


def test_the_import_is_one_summary_line_not_every_text(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    log = readable(changelog_of(measure_page(owner_client)))
    sections = measure.sections.count()
    organisations = measure.involvements.count()
    assert sections > 1 and organisations > 1
    summary = re.search(r"Importert frå planfil: ([^.]+?) \d\d\.\d\d\.\d{4}", log).group(1)
    parts = {"1 tiltak", f"{sections} tekstseksjonar", f"{organisations} organisasjonar"}
    assert set(summary.split(", ")) == parts
    # None of the imported texts is repeated in the log.
    for section in measure.sections.all():
        assert section.body[:60] not in log
    assert "Nøkkel" not in log and "Rekkjefølgje" not in log


def test_the_budget_log_sums_up_its_import(owner_client, seed):
    count = Amount.objects.filter(line__agreement=seed).count()
    page = owner_client.get(reverse("budget:detail", args=[SLUG])).text
    assert f"Importert frå planfil:</strong> {count} beløp" in page


def test_a_moved_section_says_flytta_and_no_technical_field(owner_client, seed):
    section = seed.measures.get(key=KEY).sections.order_by("position")[1]
    owner_client.post(
        reverse("measures:section-move", args=[SLUG, KEY, section.pk]),
        {"version": section.version, "retning": "opp"},
    )
    log = readable(changelog_of(measure_page(owner_client)))
    heading = section.display_heading
    assert f"prosjektleiar flytta seksjonen «{heading}»" in log
    assert "Rekkjefølgje" not in log and "Nøkkel" not in log
    assert not re.search(r"\b\d+ → \d+\b", log)


def test_dates_read_as_day_month_year(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    response = owner_client.post(
        reverse("measures:measure-close", args=[SLUG, KEY]),
        {"version": measure.version, "closed_on": "2026-03-01", **CONFIRMED},
    )
    assert response.status_code == 302
    log = changelog_of(measure_page(owner_client))
    text = readable(log)
    assert "Avslutta – → 01.03.2026" in text
    assert re.search(r"prosjektleiar endra tiltaket \d\d\.\d\d\.\d{4} \d\d:\d\d", text)
    assert not re.search(r"\d{4}-\d\d-\d\d", log)


def test_a_text_change_is_folded_to_the_changed_words(owner_client, seed):
    section = seed.measures.get(key=KEY).sections.get(kind="challenge")
    words = section.body.split()
    assert len(words) > 40, "the test needs a long text"
    middle = len(words) // 2
    changed = " ".join([*words[:middle], "BYTT", *words[middle + 1 :]])
    owner_client.post(
        reverse("measures:section-edit", args=[SLUG, KEY, section.pk]),
        {
            "kind": "challenge",
            "heading": section.heading,
            "version": section.version,
            "body": changed,
        },
    )
    log = changelog_of(measure_page(owner_client))
    entry = log[: log.index("</li>")]  # the newest entry: this change
    assert "<ins>BYTT</ins>" in entry
    assert f"<del>{html.escape(words[middle])}</del>" in entry
    text = readable(entry)
    assert text.count("…") == 2
    # The words far from the change are folded away; those beside it stay.
    assert " ".join(words[:3]) not in text and " ".join(words[-3:]) not in text
    assert words[middle - 1] in text and words[middle + 1] in text


def test_a_title_saved_in_place_says_lagra_and_brings_the_new_log(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    response = owner_client.post(
        reverse("measures:measure-title", args=[SLUG, KEY]),
        {"title": "Gøtt nøkk – modulhus", "version": measure.version},
        headers={"HX-Request": "true"},
    )
    fragment = response.text
    assert "<html" not in fragment
    assert re.search(r'<p class="saved-status" role="status">Lagra', fragment)
    assert '<div id="tiltak-endringslogg" data-hx-swap-oob="true">' in fragment
    newest = readable(changelog_of(fragment)).split("Importert")[0]
    assert "prosjektleiar endra tiltaket" in newest
    assert "Tittel Pilot: «Gøtt nøkk» → Gøtt nøkk – modulhus" in newest


def test_a_section_saved_in_place_says_lagra_and_brings_the_new_log(owner_client, seed):
    section = seed.measures.get(key=KEY).sections.get(kind="challenge")
    response = owner_client.post(
        reverse("measures:section-edit", args=[SLUG, KEY, section.pk]),
        {
            "kind": "challenge",
            "heading": section.heading,
            "version": section.version,
            "body": section.body + " Ei ny setning.",
        },
        headers={"HX-Request": "true"},
    )
    assert 'role="status">Lagra' in response.text
    assert "<ins>Ei ny setning.</ins>" in changelog_of(response.text)


def test_a_refused_save_in_place_says_no_lagra_and_saves_nothing(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    response = owner_client.post(
        reverse("measures:measure-title", args=[SLUG, KEY]),
        {"title": "", "version": measure.version},
        headers={"HX-Request": "true"},
    )
    assert "Lagra" not in response.text and "data-hx-swap-oob" not in response.text
    measure.refresh_from_db()
    assert measure.title == "Pilot: «Gøtt nøkk»"


def test_a_save_without_javascript_says_so_at_the_top_of_the_page(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    response = owner_client.post(
        reverse("measures:measure-title", args=[SLUG, KEY]),
        {"title": "Gøtt nøkk – modulhus", "version": measure.version},
        follow=True,
    )
    assert 'role="status">Tittelen er lagra.</div>' in response.text
    assert "prosjektleiar endra tiltaket" in readable(changelog_of(response.text))


def test_a_reader_sees_the_same_log_and_no_edit_answer(client, collaborator, seed):
    client.force_login(collaborator)
    assert "Importert frå planfil: 1 tiltak" in readable(changelog_of(measure_page(client)))
    measure = seed.measures.get(key=KEY)
    response = client.post(
        reverse("measures:measure-title", args=[SLUG, KEY]),
        {"title": "Kapra", "version": measure.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
