"""The public pages, through the real views, as a visitor who is not logged in reads them.

The seed (Handlingsplan 2025 for Vest-Telemark, approved) is public; a 2026 draft is not, until
KDD approves it. Every answer comes from the approved revision's frozen snapshot.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from access.models import Role
from measures.models import Organisation
from reporting.models import Revision
from tests.factories import make_user
from tests.support import REASON_2026, SEED_SLUG, approve, editor_of, revision_2026

NEW_TITLE = "Kompetansesirkel for planleggjarar"
OLD_TITLE = "«Kompetansesirkel»"


def page(client, year: int | None = None, **headers):
    args = [SEED_SLUG] if year is None else [SEED_SLUG, year]
    return client.get(
        reverse("public:plan" if year is None else "public:year", args=args), headers=headers
    )


def text(response) -> str:
    return response.content.decode()


def plan_json(client, year: int = 2025) -> dict:
    return json.loads(client.get(reverse("public:json", args=[SEED_SLUG, year])).content)


def kdd_user(seed):
    return make_user("kdd", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd"))


def measure_section(html: str, key: str) -> str:
    """The measure's own article on the page."""
    return re.search(
        rf'<article class="public-measure" id="tiltak-{key}".*?</article>', html, re.S
    )[0]


def test_an_anonymous_visitor_reads_the_index_and_the_vest_telemark_plan(client, seed):
    index = client.get(reverse("public:index"))
    assert index.status_code == 200
    body = text(index)
    assert "Bygdevekstavtale for Vest-Telemark" in body
    assert "Vest-Telemarkpiloten" in body
    assert "Fyresdal kommune, Kviteseid kommune, Nissedal kommune" in body
    assert "2025–2028" in body
    assert "22\xa0000\xa0000 kr" in body  # the state's co-financing over the period
    assert "Handlingsplan 2025, 24.06.2025" in body

    response = page(client)
    assert response.status_code == 200
    html = text(response)
    assert (
        "<title>Handlingsplan 2025 – Bygdevekstavtale for Vest-Telemark – Bygdevekst</title>"
        in html
    )
    for title in ("«Kompetansesirkel»", "Pilot: «Gøtt nøkk»"):
        assert title in html
    circle = measure_section(html, "kompetansesirkel")
    assert "Kompetanseheving internt i kommunane knytt til plan." in circle
    # The figures: the allocation's sum per year and in all, the financing of 2025.
    for amount in ("2\xa0400\xa0000", "10\xa0500\xa0000", "22\xa0000\xa0000"):
        assert amount in html
    # The decisions with their dates, and every approved year's files.
    assert "19.06.2025" in html and "Kommunestyre" in html
    for name in ("pdf", "xlsx", "json", "measures-csv", "budget-csv"):
        assert reverse(f"public:{name}", args=[SEED_SLUG, 2025]) in html
    assert 'lang="nn"' in html


def test_a_draft_change_appears_only_once_kdd_has_approved_it_marked_endra(client, seed):
    revision = revision_2026(seed)
    html = text(page(client))
    assert NEW_TITLE not in html and "Lokal matproduksjon" not in html
    assert OLD_TITLE in html
    assert NEW_TITLE not in json.dumps(plan_json(client), ensure_ascii=False)
    assert page(client, 2026).status_code == 404
    assert client.get(reverse("public:json", args=[SEED_SLUG, 2026])).status_code == 404
    etag_before = page(client)["ETag"]

    revision.refresh_from_db()
    approve(revision, kdd_user(seed))

    latest = page(client)
    assert latest["ETag"] != etag_before
    html = text(latest)
    circle = measure_section(html, "kompetansesirkel")
    assert NEW_TITLE in circle
    assert re.search(r'<span class="ds-tag mark" data-color="warning">Endra</span>', circle)
    assert "Handlingsplan 2026 – Bygdevekstavtale for Vest-Telemark" in html
    # What changed since 2025, with the approved reason.
    assert "Endringar sidan handlingsplan 2025" in html
    assert REASON_2026 in html
    assert "Lokal matproduksjon" in html
    # The earlier year stays readable as it was approved, and says where the newest is.
    earlier = text(page(client, 2025))
    assert OLD_TITLE in earlier and NEW_TITLE not in earlier
    assert "Den nyaste godkjende er" in earlier


def test_the_json_holds_the_same_measures_and_amounts_as_the_page(client, seed):
    html = text(page(client))
    data = plan_json(client)
    measures = [m for goal in data["sub_goals"] for m in goal["measures"]]
    assert len(measures) == seed.measures.count() == html.count('<article class="public-measure"')
    for measure in measures:
        assert f'id="tiltak-{measure["key"]}"' in html
        assert escape(measure["title"]) in html
    snapshot = seed.revisions.get(year=2025).snapshot["plan"]["budget"]["amounts"]
    frozen = sorted(
        k for years in snapshot.values() for cells in years.values() for k in cells.values()
    )
    assert sorted(a["kroner"] for a in data["amounts"]) == frozen
    state = sum(a["kroner"] for a in data["amounts"] if a["state_cofinancing"])
    assert (
        state == data["state_cofinancing"] == data["allocation"]["sum_row"]["total"] == 22_000_000
    )
    for cell in data["allocation"]["sum_row"]["cells"]:
        assert f"{cell:,}".replace(",", "\xa0") in html
    assert data["files"]["pdf"].endswith("/offentleg/vest-telemark/2025/handlingsplan.pdf")
    latest = client.get(reverse("public:latest-json", args=[SEED_SLUG]))
    assert json.loads(latest.content) == data


def test_a_conditional_get_with_the_etag_or_the_date_answers_304(client, seed):
    first = page(client)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert modified == "Tue, 24 Jun 2025 10:00:00 GMT"  # KDD's approval, 12:00 in Oslo
    again = page(client, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=300"
    since = page(client, **{"If-Modified-Since": modified})
    assert since.status_code == 304
    other = page(client, **{"If-None-Match": '"old"'})
    assert other.status_code == 200
    for name in ("json", "measures-csv", "budget-csv"):
        url = reverse(f"public:{name}", args=[SEED_SLUG, 2025])
        tag = client.get(url)["ETag"]
        assert client.get(url, headers={"If-None-Match": tag}).status_code == 304


def test_public_answers_are_cacheable_and_vary_by_the_language_they_are_in(client, seed):
    response = page(client)
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Accept-Language" in response["Vary"]
    assert response["Content-Language"] == "nn"
    assert not response.cookies
    # The agreement's målform whatever the browser asks; the index the browser's.
    bokmaal = page(client, **{"Accept-Language": "nb"})
    assert bokmaal["Content-Language"] == "nn" and 'lang="nn"' in text(bokmaal)
    nynorsk_index = client.get(reverse("public:index"))
    bokmaal_index = client.get(reverse("public:index"), headers={"Accept-Language": "nb"})
    assert 'lang="nb"' in text(bokmaal_index) and "Godkjente handlingsplaner" in text(bokmaal_index)
    assert nynorsk_index["ETag"] != bokmaal_index["ETag"]
    assert "Accept-Language" in bokmaal_index["Vary"]


def test_logged_in_pages_stay_private_and_only_public_pages_skip_the_login(client, seed, owner):
    overview = reverse("measures:agreement-detail", args=[SEED_SLUG])
    assert client.get(overview).status_code == 302  # anonymous: to the login, not public
    client.force_login(owner)
    for url in (overview, reverse("budget:detail", args=[SEED_SLUG]), reverse("reporting:home")):
        response = client.get(url)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
    # Logged in, even a public page is private: its answer may renew the session cookie.
    public = page(client)
    assert "private" in public["Cache-Control"] and "no-store" in public["Cache-Control"]
    assert "public" not in public["Cache-Control"]
    assert "prosjektleiar" not in text(public) and "Logg ut" not in text(public)


def test_an_operator_can_hold_an_agreement_back(client, seed):
    index_etag = client.get(reverse("public:index"))["ETag"]
    seed.published = False
    seed.save()
    seed.refresh_from_db()
    assert seed.published_changed_at is not None
    index = client.get(reverse("public:index"))
    assert "Vest-Telemark" not in text(index) and index["ETag"] != index_etag
    for name in ("plan",):
        assert client.get(reverse(f"public:{name}", args=[SEED_SLUG])).status_code == 404
    for name in ("year", "json", "measures-csv", "budget-csv", "pdf", "xlsx"):
        assert client.get(reverse(f"public:{name}", args=[SEED_SLUG, 2025])).status_code == 404
    assert "vest-telemark" not in text(client.get("/sitemap.xml"))
    # An approval not yet made is not public either: a new agreement defaults to public.
    seed.published = True
    seed.save()
    assert page(client).status_code == 200


def test_robots_sitemap_and_link_previews(client, seed, settings):
    settings.SITE_URL = "https://bygdevekst.example.no"
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots["Cache-Control"].startswith("public")
    assert "Allow: /offentleg/" in text(robots) and "Disallow: /\n" in text(robots)
    assert "Sitemap: https://bygdevekst.example.no/sitemap.xml" in text(robots)
    sitemap = text(client.get("/sitemap.xml"))
    for path in ("/offentleg/", "/offentleg/vest-telemark/", "/offentleg/vest-telemark/2025/"):
        assert f"<loc>https://bygdevekst.example.no{path}</loc>" in sitemap
    html = text(page(client, 2025))
    assert (
        '<link rel="canonical" href="https://bygdevekst.example.no/offentleg/vest-telemark/2025/">'
        in html
    )
    title = "Handlingsplan 2025 – Bygdevekstavtale for Vest-Telemark"
    assert f'<meta property="og:title" content="{title}">' in html
    description = re.search(r'<meta name="description" content="([^"]*)">', html)[1]
    assert "Handlingsplan 2025 for Bygdevekstavtale for Vest-Telemark" in description
    assert "tiltak under 3 delmål" in description


def test_the_csv_files_hold_the_measures_and_the_budget_per_year(client, seed):
    measures = client.get(reverse("public:measures-csv", args=[SEED_SLUG, 2025]))
    assert measures["Content-Type"] == "text/csv; charset=utf-8"
    lines = measures.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("sub_goal,code,key,title")
    assert len(lines) == 1 + seed.measures.count()
    assert any(line.startswith("1,1.4,kompetansesirkel,«Kompetansesirkel»") for line in lines)
    budget = client.get(reverse("public:budget-csv", args=[SEED_SLUG, 2025]))
    rows = budget.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "year,line_number,line,source,state_cofinancing,kroner"
    state = [row for row in rows[1:] if ",ja," in row]
    assert sum(int(row.rsplit(",", 1)[1]) for row in state) == 22_000_000
    assert {row.split(",")[0] for row in rows[1:]} == {"2025", "2026", "2027", "2028"}


@pytest.mark.parametrize("year", [2024, 2030])
def test_a_year_without_an_approved_plan_is_not_found(client, seed, year):
    assert page(client, year).status_code == 404


def test_a_revision_that_is_not_approved_is_never_public(client, seed):
    revision = revision_2026(seed)
    revision.refresh_from_db()
    assert revision.status == Revision.Status.DRAFT
    from reporting.revision import workflow

    try:
        workflow.submit(revision=revision, user=editor_of(seed))
    except workflow.ChecksFailed as failing:
        workflow.submit(
            revision=revision, user=editor_of(seed), accepted=[c.label for c in failing.checks]
        )
    assert page(client, 2026).status_code == 404
    assert NEW_TITLE not in text(page(client))


def test_each_agreement_is_shown_in_its_own_malform(client, seed):
    from reporting.plan_file import import_plan, parse_plan
    from tests.support import ROOT

    demo = ROOT / "fixtures" / "indre-namdal-demo.yaml"
    import_plan(parse_plan(demo.read_text(encoding="utf-8")), operator=True)
    index = text(client.get(reverse("public:index")))
    assert "Vest-Telemark" in index and "Indre Namdal" in index
    response = client.get(reverse("public:plan", args=["indre-namdal"]))
    html = text(response)
    assert response["Content-Language"] == "nb" and '<html lang="nb"' in html
    assert "Hovedansvarlig" in html and "Hovudansvarleg" not in html
    # The Nynorsk agreement stays Nynorsk for the same (Bokmål) reader.
    nynorsk = page(client, **{"Accept-Language": "nb"})
    assert "Hovudansvarleg" in text(nynorsk)


def test_the_public_pages_answer_only_reading(client, seed):
    for url in ("/offentleg/", reverse("public:plan", args=[SEED_SLUG]), "/robots.txt"):
        assert client.post(url).status_code == 405
