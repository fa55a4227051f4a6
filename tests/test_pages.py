"""Every main page, as a browser tab, a bookmark and a screen reader name it."""

from __future__ import annotations

import re

from django.urls import reverse

from reporting.revision import workflow
from tests.client import Client

SLUG = "vest-telemark"


def main_pages(seed, owner) -> list[str]:
    """The pages people read and fill in, with a draft revision to reach its own pages."""
    workflow.start_revision(agreement=seed, year=2026, user=owner)
    measure = ["gott-nokk"]
    return [
        reverse("reporting:home"),
        reverse("measures:agreement-detail", args=[SLUG]),
        reverse("measures:agreement-edit", args=[SLUG]),
        reverse("measures:measure-detail", args=[SLUG, *measure]),
        reverse("measures:measure-edit", args=[SLUG, *measure]),
        reverse("measures:measure-history", args=[SLUG, *measure]),
        reverse("measures:measure-organisations", args=[SLUG, *measure]),
        reverse("measures:organisation-list", args=[SLUG]),
        reverse("measures:organisation-detail", args=[SLUG, "husbanken"]),
        reverse("budget:detail", args=[SLUG]),
        reverse("budget:edit", args=[SLUG]),
        reverse("reporting:workbook-upload", args=[SLUG]),
        reverse("reporting:process", args=[SLUG]),
        reverse("reporting:revision", args=[SLUG, 2025]),
        reverse("reporting:revision", args=[SLUG, 2026]),
        reverse("reporting:revision-notes", args=[SLUG, 2026]),
    ]


def page_title(html: str) -> str:
    # The document's title, not the titles of the pictures (SVG) in its body.
    head = html.split("</head>", 1)[0]
    found = re.findall(r"<title>(.*?)</title>", head, re.DOTALL)
    assert len(found) == 1, found
    return found[0]


def test_every_main_page_has_a_short_plain_title(owner_client, owner, seed):
    pages = [(url, owner_client.get(url)) for url in main_pages(seed, owner)]
    pages.append((reverse("login"), Client().get(reverse("login"))))
    for url, response in pages:
        assert response.status_code == 200, url
        title = page_title(response.text)
        assert title.endswith(" – Bygdevekst"), (url, title)
        assert len(title) < 120 and "\n" not in title, (url, title)
        assert "<" not in title and ">" not in title, (url, title)
    titles = {url: page_title(response.text) for url, response in pages}
    assert titles[reverse("budget:detail", args=[SLUG])] == (
        "Budsjett og finansiering – Bygdevekstavtale for Vest-Telemark – Bygdevekst"
    )
