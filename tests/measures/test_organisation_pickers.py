"""Forms that pick organisations offer the agreement's own first and find the rest of the shared
register through a search: a plain GET that keeps what is typed and ticked, and that htmx sends
while typing. Vest-Telemark's forms do not list Indre Namdal's organisations until searched."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from measures.models import Agreement, Measure, Organisation
from tests.client import Client

SLUG = "vest-telemark"
CREATE = reverse("measures:measure-create", args=[SLUG])


def pk(key: str) -> str:
    return str(Organisation.objects.get(key=key).pk)


def checked(page: str, name: str, key: str) -> bool:
    tag = re.search(rf'<input[^>]*name="{name}" value="{pk(key)}"[^>]*>', page)
    assert tag, f"{key} is not offered as {name}"
    return " checked" in tag.group(0)


def offered(page: str, key: str) -> bool:
    return f'value="{pk(key)}"' in page


def test_the_new_measure_form_offers_this_agreements_organisations_not_the_others(
    owner_client, namdal
):
    page = owner_client.get(CREATE).content.decode()
    assert offered(page, "vinje-kommune") and offered(page, "kdd")
    assert not offered(page, "lierne-kommune") and not offered(page, "nord-universitet")
    search = re.search(r'<input[^>]*name="q"[^>]*>', page).group(0)
    assert 'data-hx-get="/avtale/vest-telemark/tiltak/ny/"' in search
    assert 'data-hx-include="#organisation-rows"' in search
    assert " hx-" not in search  # data-hx-* only
    field_id = re.search(r'id="([^"]+)"', search).group(1)
    assert f'<label class="ds-label" for="{field_id}">' in page
    assert 'formmethod="get"' in page
    # The search is a GET of the form: its CSRF token goes with "Lagre" alone.
    form = re.search(r'<form method="post" class="stack edit-form".*?</form>', page, re.S).group(0)
    assert 'type="hidden" name="csrfmiddlewaretoken"' not in form
    assert re.search(r'<button[^>]*name="csrfmiddlewaretoken" value="[^"]+">Lagre', form)


def test_the_search_finds_another_agreements_organisation_and_keeps_the_form(owner_client, namdal):
    query = {
        "q": "lierne",
        "title": "Felles tomtebank",
        "leads": [pk("vinje-kommune")],
        "partners": [pk("kdd")],
    }
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):  # without JavaScript, and with htmx
        page = owner_client.get(CREATE, query, **headers).content.decode()
        assert offered(page, "lierne-kommune")
        assert "1 organisasjon til i registeret med «lierne» i namnet" in html.unescape(page)
        assert not offered(page, "nord-universitet")
        assert checked(page, "leads", "vinje-kommune") and checked(page, "partners", "kdd")
        assert not checked(page, "leads", "lierne-kommune")
        assert 'value="Felles tomtebank"' in page


def test_an_organisation_found_by_search_is_kept_once_ticked_and_saved(owner_client, namdal, seed):
    page = owner_client.get(
        CREATE, {"q": "universitet", "partners": [pk("lierne-kommune")]}
    ).content.decode()
    assert checked(page, "partners", "lierne-kommune")  # ticked before: still there
    assert offered(page, "nord-universitet")
    response = owner_client.post(
        CREATE,
        {
            "sub_goal": seed.sub_goals.get(number=2).pk,
            "number": 5,
            "title": "Felles tomtebank",
            "start_year": 2026,
            "end_year": 2028,
            "priority": "now",
            "leads": [pk("vinje-kommune")],
            "partners": [pk("lierne-kommune"), pk("nord-universitet")],
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get(title="Felles tomtebank")
    assert measure.partners_display() == "Lierne kommune og Nord universitet"


def test_a_search_with_nul_is_refused(owner_client, namdal):
    assert owner_client.get(CREATE, {"q": "a\x00"}).status_code == 400


def test_the_save_buttons_token_passes_the_csrf_check(owner, seed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    page = client.get(CREATE).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)">Lagre', page).group(1)
    data = {
        "sub_goal": seed.sub_goals.get(number=2).pk,
        "number": 5,
        "title": "Med token",
        "start_year": 2026,
        "end_year": 2028,
        "priority": "now",
        "leads": [pk("vinje-kommune")],
    }
    assert client.post(CREATE, data).status_code == 403  # no token: refused
    assert client.post(CREATE, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert Measure.objects.filter(title="Med token").exists()


# The new-agreement form: no party is offered until searched for, and the ticked ones stay.

SETUP = reverse("reporting:agreement-create")


def party_box(page: str, key: str) -> str | None:
    tag = re.search(
        rf'<input type="checkbox" class="ds-checkbox" name="parties" value="{pk(key)}"[^>]*>', page
    )
    return tag.group(0) if tag else None


def test_the_new_agreement_form_lists_no_register_until_searched(admin_client, namdal):
    page = admin_client.get(SETUP).content.decode()
    assert party_box(page, "lierne-kommune") is None and party_box(page, "kdd") is None
    assert "Ingen partar frå registeret er valde enno." in page
    search = re.search(r'<input[^>]*name="q"[^>]*>', page).group(0)
    assert 'data-hx-get="/ny-avtale/"' in search and 'data-hx-include="#party-rows"' in search
    field_id = re.search(r'id="([^"]+)"', search).group(1)
    assert f'<label class="ds-label" for="{field_id}">' in page


def test_the_party_search_keeps_the_form_with_and_without_javascript(admin_client, namdal):
    before = Organisation.objects.count()
    typed = {"name": "Bygdevekstavtale for Snåsa", "q": "kommune", "parties": [pk("kdd")]}
    posted = admin_client.post(SETUP, {**typed, "search": "1"}).content.decode()  # no JS
    sent = admin_client.get(SETUP, typed, HTTP_HX_REQUEST="true").content.decode()  # htmx
    for page in (posted, sent):
        assert " checked" in party_box(page, "kdd")
        assert " checked" not in party_box(page, "lierne-kommune")
        assert party_box(page, "vinje-kommune") is not None
        assert party_box(page, "nord-universitet") is None  # not a «kommune»
        assert "ds-validation-message" not in page  # nothing judged: only searched
    assert 'value="Bygdevekstavtale for Snåsa"' in posted
    assert Organisation.objects.count() == before
    assert not Agreement.objects.filter(name="Bygdevekstavtale for Snåsa").exists()


# The people page: an approver or reader's organisation.

PEOPLE = reverse("measures:people", args=[SLUG])


def options(page: str) -> dict[str, list[str]]:
    """The organisation select's options, by group."""
    select = re.search(r'<select name="organisation".*?</select>', page, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    return {
        html.unescape(label): [html.unescape(n) for n in re.findall(r">([^<]+)</option>", body)]
        for label, body in groups
    }


def test_the_people_page_offers_this_agreements_organisations_then_the_search(owner_client, namdal):
    offered = options(owner_client.get(PEOPLE).content.decode())
    assert list(offered) == ["I avtala"]
    assert "Vinje kommune" in offered["I avtala"] and "Lierne kommune" not in offered["I avtala"]
    typed = {"email": "ny@example.org", "kind": "partner", "q": "nord"}
    for page in (
        owner_client.post(PEOPLE, {**typed, "search": "1"}).content.decode(),  # no JS
        owner_client.get(PEOPLE, typed, HTTP_HX_REQUEST="true").content.decode(),  # htmx
    ):
        assert options(page)["Andre i registeret med «nord» i namnet"] == ["Nord universitet"]
    assert 'value="ny@example.org"' in page
    response = owner_client.post(
        PEOPLE,
        {"email": "ny@example.org", "kind": "partner", "organisation": pk("nord-universitet")},
    )
    assert response.status_code == 302
    assert agreement_invitations(SLUG) == [("ny@example.org", "Nord universitet")]


def agreement_invitations(slug: str) -> list[tuple[str, str]]:
    agreement = Agreement.objects.get(slug=slug)
    return [(i.email, i.organisation.name) for i in agreement.invitations.all()]


def test_a_search_on_the_people_page_keeps_the_organisation_chosen(owner_client, namdal):
    page = owner_client.get(
        PEOPLE, {"q": "universitet", "organisation": pk("lierne-kommune")}
    ).content.decode()
    offered = options(page)
    assert "Lierne kommune" in offered["I avtala"]  # chosen before the search: kept
    assert re.search(rf'<option value="{pk("lierne-kommune")}" selected>', page)
    assert offered["Andre i registeret med «universitet» i namnet"] == ["Nord universitet"]


def test_a_measures_organisation_page_offers_its_agreements_first_and_finds_the_rest(
    owner_client, namdal
):
    url = reverse("measures:measure-organisations", args=[SLUG, "gott-nokk"])
    page = owner_client.get(url).content.decode()
    assert offered(page, "husbanken") and not offered(page, "lierne-kommune")
    assert 'data-hx-get="' + url + '"' in page and ' hx-get="' not in page
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        page = owner_client.get(url, {"q": "lierne"}, **headers).content.decode()
        assert offered(page, "lierne-kommune") and not offered(page, "husbanken")
        assert "1 organisasjon til i registeret med «lierne» i namnet" in html.unescape(page)


class _Fields(HTMLParser):
    """The ids, the labels' targets and the form fields of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.labelled: set[str] = set()
        self.fields: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label" and "for" in attrs:
            self.labelled.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden"}:
            self.fields.append(attrs.get("id") or f"<{tag} name={attrs.get('name')}> without id")


@pytest.mark.parametrize(
    ("user", "url", "query"),
    [
        ("owner", CREATE, {"q": "lierne", "leads": []}),
        ("owner", PEOPLE, {"q": "nord"}),
        ("owner", reverse("measures:measure-organisations", args=[SLUG, "gott-nokk"]), {"q": "l"}),
        ("admin", SETUP, {"q": "kommune"}),
    ],
)
def test_every_picker_page_has_unique_ids_and_a_label_for_every_field(
    owner_client, admin_client, namdal, user, url, query
):
    client = owner_client if user == "owner" else admin_client
    for params in ({}, query):
        parsed = _Fields()
        parsed.feed(client.get(url, params).content.decode())
        assert [i for i in set(parsed.ids) if parsed.ids.count(i) > 1] == []
        assert [f for f in parsed.fields if f not in parsed.labelled] == []
