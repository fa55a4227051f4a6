"""Reading pages: who may see them, what they show, and how many queries they cost."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from measures.models import Involvement, Measure, Organisation, Section
from tests.factories import MeasureFactory, make_agreement, make_user
from tests.support import ASSESSMENT_2026, approve, revision_2026

SLUG = "vest-telemark"
CACHE_TABLE = settings.CACHES["default"]["LOCATION"]
PAGES = [
    reverse("measures:agreement-detail", args=[SLUG]),
    reverse("measures:measure-detail", args=[SLUG, "gott-nokk"]),
    reverse("measures:organisation-list", args=[SLUG]),
    reverse("measures:organisation-detail", args=[SLUG, "husbanken"]),
    reverse("budget:detail", args=[SLUG]),
    reverse("reporting:process", args=[SLUG]),
    reverse("reporting:revision", args=[SLUG, 2025]),
]


@pytest.mark.parametrize("url", ["/", *PAGES])
def test_anonymous_users_are_sent_to_the_login_page(client, seed, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_the_login_page_is_in_nynorsk(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="nn"' in response.text
    assert "Brukarnamn" in response.text and "Passord" in response.text


def test_a_wrong_password_is_refused_in_nynorsk(client, owner):
    response = client.post(reverse("login"), {"username": "prosjektleiar", "password": "feil"})
    assert response.status_code == 200
    assert "Oppgje korrekt brukarnamn og passord." in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", PAGES)
def test_a_user_of_another_agreement_gets_404(client, outsider, url):
    client.force_login(outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", PAGES)
def test_a_partner_may_read_every_page(client, collaborator, url):
    client.force_login(collaborator)
    assert client.get(url).status_code == 200


def test_the_front_page_lists_only_the_users_agreements(client, outsider, owner):
    client.force_login(outsider)
    assert "Vest-Telemark" not in client.get("/").text
    client.force_login(owner)
    response = client.get("/")
    assert reverse("measures:agreement-detail", args=[SLUG]) in response.text


def test_a_user_without_any_role_is_told_so(client, seed):
    client.force_login(make_user("ny"))
    assert "Du har ikkje tilgang til nokon bygdevekstavtale" in client.get("/").text


def test_the_overview_shows_parties_period_goals_and_measure_tables(owner_client):
    text = owner_client.get(PAGES[0]).text
    for fact in [
        "Vest-Telemarkpiloten",
        "2025–2028",
        "02.06.2025",
        "Tokke kommune",
        "Kommunal- og distriktsdepartementet",
        "Fleire eigna bustader i Vest-Telemark",
        "60 %",
        "Tabell 3",
        "Fagopplæring på arbeidsplassen",
    ]:
        assert fact in text
    # Table 1 as the document has it: leads, partners with "m.fl.", the open timeframe.
    assert "Pilotkommunane, Prosjektleiar og Vest-Telemarkrådet" in text
    assert "Statsforvaltaren i Vestfold og Telemark, Telemark fylkeskommune m.fl." in text
    assert "Mogleg å følge opp ved neste rullering" in text


def test_measures_prioritised_later_are_grey_and_say_so(owner_client):
    # The measure tables, after the timeline that names the same measures.
    text = owner_client.get(PAGES[0]).text.split('class="ds-table measure-table"', 1)[1]
    later_row = text.split("Risikoreduserande tiltak ved bustadbygging")[0].rsplit("<tr", 1)[1]
    assert 'class="measure--later"' in later_row
    now_row = text.split("Samarbeid om innsiktsarbeid og kartlegging for bustadstrategi</a>")[
        0
    ].rsplit("<tr", 1)[1]
    assert "measure--later" not in now_row
    assert "(prioritert seinare i perioden)" in text


def test_the_measure_page_shows_every_section_and_its_organisations(owner_client):
    text = owner_client.get(PAGES[1]).text
    # One numbering: the heading, the breadcrumb and the title all say 1.3, as the tables do.
    assert "Tiltak 1.3: Pilot: «Gøtt nøkk»" in text
    assert (
        'aria-current="page" href="/avtale/vest-telemark/tiltak/gott-nokk/">Tiltak 1.3</a>' in text
    )
    assert "Utvikling av ny type modulhus tilpassa marknaden i distrikta." in text
    for heading in [
        "Utfordring",
        "Skildring av tiltaket",
        "Utviklingsområde for piloten",
        "Moglege målgrupper",
        "Første steg",
        "Kven bidreg – og korleis?",
    ]:
        assert f">{heading}</h2>" in text
    assert "<li>Eldre som ønskjer ei enklare bustadløysing.</li>" in text
    assert reverse("measures:organisation-detail", args=[SLUG, "husbanken"]) in text
    assert "private utbyggjarar, lokale tradisjonshandverkarar m.fl." in text


def test_an_unknown_measure_is_404(owner_client):
    assert (
        owner_client.get(reverse("measures:measure-detail", args=[SLUG, "finst-ikkje"])).status_code
        == 404
    )


def test_markdown_with_scripts_is_rendered_harmless(owner_client, seed):
    measure = seed.measures.get(key="gott-nokk")
    section = Section.objects.create(measure=measure, position=99, heading="Farleg", body="x")
    # Typed by the editor, so that the change log quotes it (an import is only summed up).
    owner_client.post(
        reverse("measures:section-edit", args=[SLUG, "gott-nokk", section.pk]),
        {
            "kind": section.kind,
            "heading": "Farleg",
            "version": section.version,
            "body": (
                '<script>alert("x")</script> **feit** <img src=x onerror=alert(1)> '
                "[lenke](javascript:alert(1))"
            ),
        },
    )
    text = owner_client.get(PAGES[1]).text
    # The change log quotes the typed text, escaped; no tag or link from it may be live.
    assert "<script>alert" not in text and "<img" not in text and 'href="javascript:' not in text
    assert "&lt;script&gt;" in text
    assert "<strong>feit</strong>" in text


def test_the_organisation_page_lists_where_it_leads_and_takes_part(owner_client):
    text = owner_client.get(
        reverse("measures:organisation-detail", args=[SLUG, "telemark-fylkeskommune"])
    ).text
    lead_part, partner_part = text.split("Samarbeidspart i</h2>")
    assert "Synleggjering av karrieremoglegheiter i helse- og oppvekstsektoren" in lead_part
    assert "Samarbeid om innsiktsarbeid og kartlegging for bustadstrategi" in partner_part
    assert "Avtalepart i" in text


def page_text(response) -> str:
    """What a person reads: the page without its tags, its spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.text)
    return re.sub(r"\s+([,.)])", r"\1", re.sub(r"\s+", " ", html.unescape(text)))


def organisation_page(client, key: str) -> tuple[str, str, str]:
    """The organisation's page: its facts, where it leads, where it is a partner."""
    text = page_text(client.get(reverse("measures:organisation-detail", args=[SLUG, key])))
    facts, rest = text.split("Hovudansvarleg for", 1)
    leads, partners = rest.split("Samarbeidspart i", 1)
    return facts, leads, partners


def test_a_municipality_leads_the_measures_of_pilotkommunane_via_it(owner_client):
    facts, leads, partners = organisation_page(owner_client, "seljord-kommune")
    assert "Medlem av Pilotkommunane" in facts
    assert "Ingen tiltak" not in leads
    assert (
        "Tiltak 1.1 Samarbeid om innsiktsarbeid og kartlegging for bustadstrategi "
        "via Pilotkommunane (delmål 1, 2025–2028)"
    ) in leads
    assert leads.count("via Pilotkommunane") == 10
    assert "Ingen tiltak." in partners


def test_a_measure_a_municipality_leads_itself_is_not_said_to_be_via_the_body(owner_client, seed):
    measure = seed.measures.get(key="gott-nokk")
    seljord = Organisation.objects.get(key="seljord-kommune")
    Involvement.objects.create(measure=measure, organisation=seljord, role="lead", position=3)
    _facts, leads, _partners = organisation_page(owner_client, "seljord-kommune")
    assert f"Tiltak {measure.code} Pilot: «Gøtt nøkk» (delmål" in leads
    assert leads.count("via Pilotkommunane") == 9


def test_the_collective_body_names_its_members_and_leads_itself(owner_client):
    facts, leads, _partners = organisation_page(owner_client, "pilotkommunane")
    assert (
        "Medlemer Fyresdal kommune, Kviteseid kommune, Nissedal kommune, Seljord kommune, "
        "Tokke kommune, Vinje kommune"
    ) in facts
    assert "Tiltak 1.1 Samarbeid om innsiktsarbeid" in leads and "via" not in leads


def test_a_municipality_of_another_agreement_takes_no_part_via_this_ones_body(client, seed):
    """Membership belongs to one agreement: in another pilot «Pilotkommunane» has no members,
    and Seljord, a member here, takes no part there."""
    other = make_agreement("nordfjord", "Bygdevekstavtale for Nordfjord", goals=1)
    measure = MeasureFactory(sub_goal=other.sub_goals.get(), number=1, title="Fjordtiltak")
    pilot = Organisation.objects.get(key="pilotkommunane")
    Involvement.objects.create(measure=measure, organisation=pilot, role="lead")
    client.force_login(make_user("nordfjord-leiar", other, "editor"))
    body = page_text(
        client.get(reverse("measures:organisation-detail", args=["nordfjord", pilot.key]))
    )
    assert "Tiltak 1.1 Fjordtiltak" in body and "Medlemer" not in body
    url = reverse("measures:organisation-detail", args=["nordfjord", "seljord-kommune"])
    assert client.get(url).status_code == 404


def test_the_organisation_list_counts_measures_via_a_body(owner_client):
    text = page_text(owner_client.get(PAGES[2]))
    seljord = text.split("Seljord kommune", 1)[1].split("Kommune", 2)[1]
    assert seljord.strip().startswith("10 tiltak 10 via Pilotkommunane 0 tiltak")
    assert "Pilotkommunane Bygdevekstpiloten 10 tiltak 0 tiltak" in text
    assert "«Via» tel tiltak som ein organisasjon er med i gjennom eit samla organ" in text


def test_an_organisation_outside_the_agreement_is_404(owner_client):
    Organisation.objects.create(key="framand", name="Framand AS", kind="private")
    url = reverse("measures:organisation-detail", args=[SLUG, "framand"])
    assert owner_client.get(url).status_code == 404


def test_the_organisation_list_counts_roles(owner_client):
    text = owner_client.get(PAGES[2]).text
    assert "Husbanken" in text and "Integrerings- og mangfaldsdirektoratet" in text


def add_measures(agreement, count: int) -> None:
    """Make the plan bigger: more measures in every sub-goal, each with organisations and a text,
    and each with a change in its history. The rows are written in bulk (the test counts the
    page's queries, not the writer's), the changes one by one."""
    goals = list(agreement.sub_goals.all())
    orgs = list(Organisation.objects.all()[:4])
    measures = bulk_create_with_history(
        [
            MeasureFactory.build(
                agreement=agreement, sub_goal=goals[index % len(goals)], number=20 + index
            )
            for index in range(count)
        ],
        Measure,
    )
    involvements = [
        Involvement(
            measure=measure,
            organisation=org,
            position=position,
            role="lead" if position < 2 else "partner",
        )
        for measure in measures
        for position, org in enumerate(orgs)
    ]
    bulk_create_with_history(involvements, Involvement)
    sections = [Section(measure=m, kind="challenge", body="Tekst.") for m in measures]
    bulk_create_with_history(sections, Section)
    for measure in measures:  # and some history: saved one by one, as the history wants
        measure.title += " (endra)"
        measure.save()


def split_queries(captured: CaptureQueriesContext) -> tuple[list[str], list[str]]:
    """The page's own queries, and the cache's: the cache is a database table (settings.CACHES),
    read once per cached part, and on a miss written (a count for culling, a look-up and the
    insert, in a savepoint in a test's transaction)."""
    page, cached = [], []
    for query in captured.captured_queries:
        sql = query["sql"]
        (cached if CACHE_TABLE in sql or "SAVEPOINT" in sql else page).append(sql)
    return page, cached


@pytest.mark.parametrize("persona", ["owner", "collaborator"])
@pytest.mark.parametrize("url", PAGES)
def test_no_main_page_needs_more_than_15_queries_however_big_the_plan(
    client, seed, url, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    client.get(url)  # the first request after logging in also renews the session
    cache.clear()  # what the page needs when a reader does not find it in the cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    page, cached = split_queries(small)
    assert len(page) <= 15, page
    # The overview caches three parts (the timeline, readers' whole overview, the marks): each
    # missed part is a read and a write of 5 statements, and get_or_set reads once more.
    assert len(cached) <= 19, cached
    add_measures(seed, 30)
    cache.clear()
    # Not one query more for three times the measures: a query per row would show here.
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).status_code == 200
    big_page, big_cached = split_queries(big)
    assert len(big_page) <= len(page) and len(big_cached) == len(cached), big_page


def rename_unseen(row, name: str) -> None:
    """Rename a row without a history entry: the change no cached page knows to look for."""
    row.name = name
    row.skip_history_when_saving = True
    try:
        row.save()
    finally:
        del row.skip_history_when_saving


def test_readers_get_the_overview_from_the_cache_until_the_plan_changes(client, collaborator, seed):
    client.force_login(collaborator)
    url = reverse("measures:agreement-detail", args=[SLUG])
    assert "Husbanken" in client.get(url).text
    organisation = Organisation.objects.get(key="husbanken")
    rename_unseen(organisation, "Husbanken (usett)")
    cached = client.get(url).text
    assert "Husbanken" in cached and "Husbanken (usett)" not in cached
    measure = seed.measures.get(key="gott-nokk")
    measure.title = "Gøtt nøkk – ny tittel"
    measure.save()
    fresh = client.get(url).text
    assert "Gøtt nøkk – ny tittel" in fresh and "Husbanken (usett)" in fresh
    organisation.name = "Husbanken (Noreg)"
    organisation.save()
    assert "Husbanken (Noreg)" in client.get(url).text


def retitle_unseen(measure, title: str) -> None:
    """Set a measure's title without a history entry (the entry is handled by the test)."""
    measure.title = title
    measure.skip_history_when_saving = True
    try:
        measure.save()
    finally:
        del measure.skip_history_when_saving


def test_an_edit_that_commits_after_a_later_one_still_reaches_the_cached_overview(
    client, collaborator, seed
):
    """Two editors at once on two servers: X's edit takes a history id first, Y's commits first.
    A reader's page cached in between must not outlive X's commit."""
    client.force_login(collaborator)
    url = reverse("measures:agreement-detail", args=[SLUG])
    x, y = seed.measures.get(key="gott-nokk"), seed.measures.exclude(key="gott-nokk").first()
    old_title = x.title
    x.title = "Gøtt nøkk – seint lagra"
    x.save()
    y.title += " (endra)"
    y.save()
    # Before X's transaction commits: neither its row nor its history row are to be seen.
    late = x.history.latest()
    type(late).objects.filter(pk=late.pk).delete()
    retitle_unseen(x, old_title)
    assert old_title in client.get(url).text  # cached now, stamped with Y's newer id
    late.save(force_insert=True)  # X commits, with the older id
    retitle_unseen(x, "Gøtt nøkk – seint lagra")
    assert "Gøtt nøkk – seint lagra" in client.get(url).text


def test_editing_a_measure_text_marks_it_changed_for_a_reader_at_once(client, collaborator, seed):
    """The readers' cached overview moves with the measures' texts: they decide «Endra»."""
    client.force_login(collaborator)
    url = reverse("measures:agreement-detail", args=[SLUG])
    assert marks_on(overview_row(client.get(url).text, "gott-nokk")) == []
    section = seed.measures.get(key="gott-nokk").sections.first()
    section.body += " Endra."
    section.save()
    assert marks_on(overview_row(client.get(url).text, "gott-nokk")) == ["Endra"]


def test_editors_never_get_a_cached_overview(client, owner, collaborator):
    url = reverse("measures:agreement-detail", args=[SLUG])
    client.force_login(collaborator)
    client.get(url)
    rename_unseen(Organisation.objects.get(key="husbanken"), "Husbanken (usett)")
    assert "Husbanken (usett)" not in client.get(url).text
    client.force_login(owner)
    page = client.get(url).text
    assert "Endre delmål 1" in page and "Flytt tiltak 1.2 opp" in page
    assert "Husbanken (usett)" in page


# --- marks against the latest approved plan ----------------------------------------------------


def overview_row(page: str, key: str) -> str:
    """The overview table's row of the measure with this key (the timeline links to it too)."""
    link = f'href="/avtale/{SLUG}/tiltak/{key}/"'
    rows = [row for row in re.findall(r"<tr\b.*?</tr>", page, flags=re.S) if link in row]
    assert len(rows) == 1, f"{len(rows)} table rows link to {key}"
    return rows[0]


def marks_on(html: str) -> list[str]:
    return re.findall(r'<span class="ds-tag mark"[^>]*>([^<]+)</span>', html)


def test_the_overview_marks_new_changed_and_closed_measures_beside_them(client, collaborator, seed):
    revision_2026(seed)
    client.force_login(collaborator)
    page = client.get(reverse("measures:agreement-detail", args=[SLUG])).text
    assert marks_on(overview_row(page, "kompetansesirkel")) == ["Endra"]
    assert marks_on(overview_row(page, "lokal-matproduksjon")) == ["Ny"]
    assert marks_on(overview_row(page, "vandrande-seminar")) == ["Avslutta 01.03.2026"]
    assert marks_on(overview_row(page, "innsikt-bustadstrategi")) == []


def test_a_measure_page_carries_its_marks_and_a_closed_one_its_date_and_assessment(
    client, collaborator, seed
):
    revision_2026(seed)
    client.force_login(collaborator)

    def page(key: str) -> str:
        return client.get(reverse("measures:measure-detail", args=[SLUG, key])).text

    assert marks_on(page("kompetansesirkel")) == ["Endra"]
    assert marks_on(page("lokal-matproduksjon")) == ["Ny"]
    assert marks_on(page("gott-nokk")) == []
    closed = page("vandrande-seminar")
    assert marks_on(closed) == ["Avslutta 01.03.2026"]
    assert "<dt>Avslutta</dt><dd>01.03.2026</dd>" in closed
    assessment = closed.split("<dt>Vurdering av kva tiltaket har bidrege til</dt>")[1]
    assert assessment.startswith(f"<dd>{ASSESSMENT_2026} ")
    assert "(handlingsplan 2026, utkast)" in assessment.split("</dd>")[0]


def test_one_measures_marks_are_those_of_the_whole_plan(seed):
    from reporting.revision.marks import PlanMarks

    revision_2026(seed)
    marks = PlanMarks(seed)
    measures = seed.measures.select_related("sub_goal").with_organisations().with_sections()
    for measure in measures:
        assert marks.of_measure(measure) == marks.of(measure.key), measure.key


def test_once_the_update_is_approved_its_changes_are_no_longer_marked(client, collaborator, seed):
    """Readers' cached overview included: the marks follow the latest approved plan."""
    revision = revision_2026(seed)
    client.force_login(collaborator)
    url = reverse("measures:agreement-detail", args=[SLUG])
    assert marks_on(overview_row(client.get(url).text, "kompetansesirkel")) == ["Endra"]
    approve(revision)
    page = client.get(url).text
    assert marks_on(overview_row(page, "kompetansesirkel")) == []
    assert marks_on(overview_row(page, "vandrande-seminar")) == ["Avslutta 01.03.2026"]
