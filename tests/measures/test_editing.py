"""Editing the living plan: who may, what is refused, and what is kept."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from access.models import Role
from budget.models import Amount
from measures.models import Measure, Organisation, Section, SubGoal
from tests.factories import make_user
from tests.support import CONFIRMED, dump_database, measure_form_data

SLUG = "vest-telemark"
KEY = "gott-nokk"


def editing_requests(seed) -> list[tuple[str, str, dict]]:
    """Every editing URL of the plan, with a post that would change something."""
    measure = seed.measures.get(key=KEY)
    section = measure.sections.first()
    involvement = measure.involvements.first()
    goal = seed.sub_goals.get(number=1)
    husbanken = Organisation.objects.get(key="husbanken")
    m = [SLUG, KEY]
    return [
        ("get", reverse("measures:agreement-edit", args=[SLUG]), {}),
        (
            "post",
            reverse("measures:agreement-edit", args=[SLUG]),
            {"name": "Ny", "pilot_name": "P", "language": "nn", "version": seed.version},
        ),
        (
            "post",
            reverse("measures:sub-goal-edit", args=[SLUG, 1]),
            {"title": "Ny", "main_goal": "M", "weight": 60, "version": goal.version},
        ),
        (
            "post",
            reverse("measures:measure-create", args=[SLUG]),
            {
                "sub_goal": goal.pk,
                "number": 9,
                "title": "Nytt",
                "start_year": 2025,
                "end_year": 2026,
                "priority": "now",
                "leads": [husbanken.pk],
            },
        ),
        ("post", reverse("measures:measure-edit", args=m), measure_form_data(measure, title="Ny")),
        (
            "post",
            reverse("measures:measure-title", args=m),
            {"title": "Ny", "version": measure.version},
        ),
        (
            "post",
            reverse("measures:measure-move", args=m),
            {"retning": "opp", "version": measure.version},
        ),
        (
            "post",
            reverse("measures:measure-close", args=m),
            {"closed_on": "2026-01-01", "version": measure.version, **CONFIRMED},
        ),
        ("post", reverse("measures:measure-reopen", args=m), {"version": measure.version}),
        (
            "post",
            reverse("measures:measure-organisations", args=m),
            {"organisation": husbanken.pk, "role": "lead"},
        ),
        (
            "post",
            reverse("measures:organisation-create", args=m),
            {"name": "Nytt AS", "kind": "private", "role": "partner"},
        ),
        ("post", reverse("measures:involvement-remove", args=[*m, involvement.pk]), CONFIRMED),
        ("post", reverse("measures:section-create", args=m), {"kind": "other", "body": "Tekst"}),
        (
            "post",
            reverse("measures:section-edit", args=[*m, section.pk]),
            {"kind": section.kind, "heading": "X", "body": "Y", "version": section.version},
        ),
        (
            "post",
            reverse("measures:section-move", args=[*m, section.pk]),
            {"retning": "ned", "version": section.version},
        ),
        (
            "post",
            reverse("measures:section-delete", args=[*m, section.pk]),
            {"version": section.version, **CONFIRMED},
        ),
        ("post", reverse("measures:markdown-preview", args=[SLUG]), {"body": "**x**"}),
        ("get", reverse("budget:edit", args=[SLUG]) + "?ar=2025", {}),
        ("post", reverse("budget:edit", args=[SLUG]) + "?ar=2025", budget_grid_2025(seed)),
        ("post", reverse("budget:recompute", args=[SLUG]) + "?ar=2025", budget_grid_2025(seed)),
    ]


def budget_grid_2025(seed) -> dict:
    """The 2025 budget grid as shown, with the municipalities' share of sub-goal 1 raised."""
    data = {}
    for (line_id, source_id), kroner in Amount.objects.cells(seed, 2025).items():
        data[f"o-{line_id}-{source_id}"] = data[f"c-{line_id}-{source_id}"] = kroner
    own = Amount.objects.get(year=2025, line__key="delmal-1", source__key="kommunal-eigendel")
    data[f"c-{own.line_id}-{own.source_id}"] = own.kroner + 1000
    return data


def user_with(kind: str, seed):
    organisation = {
        Role.Kind.APPROVER: Organisation.objects.get(key="vinje-kommune"),
        Role.Kind.PARTNER: Organisation.objects.get(key="husbanken"),
        Role.Kind.MINISTRY: Organisation.objects.get(key="kdd"),
    }.get(kind)
    return make_user(f"brukar-{kind}", seed, kind, organisation)


@pytest.mark.parametrize("kind", [Role.Kind.APPROVER, Role.Kind.PARTNER, Role.Kind.MINISTRY])
def test_every_editing_url_is_forbidden_to_other_roles_and_changes_nothing(client, seed, kind):
    client.force_login(user_with(kind, seed))
    before = dump_database()
    for method, url, data in editing_requests(seed):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (kind, url)
    assert dump_database() == before


def test_every_editing_url_is_404_to_users_of_other_agreements(client, outsider, seed):
    client.force_login(outsider)
    for method, url, data in editing_requests(seed):
        assert getattr(client, method)(url, data).status_code == 404, url


def test_every_editing_url_sends_anonymous_users_to_login(client, seed):
    before = dump_database()
    for method, url, data in editing_requests(seed):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    assert dump_database() == before


def test_the_editor_may_use_every_editing_url(owner_client, seed):
    """Every post is saved and redirects; every page and fragment shows no error."""
    fragments = {
        reverse("measures:markdown-preview", args=[SLUG]): "<strong>x</strong>",
        reverse("budget:recompute", args=[SLUG]) + "?ar=2025": "Stemmer:",
    }
    for index in range(len(editing_requests(seed))):
        # Built afresh: each post carries the versions the editor's page would now hold.
        method, url, data = editing_requests(seed)[index]
        response = getattr(owner_client, method)(url, data)
        errors = re.findall(r'class="ds-validation-message"[^>]*>([^<]*)', response.text)
        assert "lagra endringar medan du skreiv" not in response.text, url
        if method == "post" and url not in fragments:
            assert response.status_code == 302, (url, response.status_code, errors)
        else:
            assert response.status_code == 200 and errors == [], (url, errors)
            assert fragments.get(url, "</form>") in response.text, url


def test_readers_see_no_editing_buttons(client, collaborator, owner):
    url = reverse("measures:measure-detail", args=[SLUG, KEY])
    client.force_login(collaborator)
    reader_page = client.get(url).text
    assert "Endre tittel" not in reader_page and "Legg til tekstseksjon" not in reader_page
    assert "Endre budsjettet" not in client.get(reverse("budget:detail", args=[SLUG])).text
    client.force_login(owner)
    assert "Endre tittel" in client.get(url).text


def test_only_listed_methods_are_allowed(owner_client):
    assert owner_client.get(reverse("measures:measure-move", args=[SLUG, KEY])).status_code == 405
    assert (
        owner_client.delete(reverse("measures:measure-edit", args=[SLUG, KEY])).status_code == 405
    )


# --- editing works ---------------------------------------------------------------------------


def test_the_editor_changes_every_field_of_a_measure_and_moves_it(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    goal = seed.sub_goals.get(number=2)
    data = measure_form_data(
        measure,
        sub_goal=goal.pk,
        number=7,
        title="Modulhus",
        tagline="Ny",
        start_year=2025,
        end_year=2027,
        priority="now",
        partners_more="m.fl.",
    )
    response = owner_client.post(reverse("measures:measure-edit", args=[SLUG, KEY]), data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.code, measure.title, measure.timeframe, measure.priority) == (
        "2.7",
        "Modulhus",
        "2025–2027",
        "now",
    )
    assert measure.key == KEY and measure.version == 2


def test_a_new_measure_gets_a_stable_key_from_its_title(owner_client, seed):
    goal = seed.sub_goals.get(number=3)
    data = {
        "sub_goal": goal.pk,
        "number": 5,
        "title": "Rekruttering av lærarar",
        "start_year": 2026,
        "end_year": 2027,
        "priority": "later",
        "leads_more": "kommunalsjefane for oppvekst",
    }
    response = owner_client.post(reverse("measures:measure-create", args=[SLUG]), data)
    measure = Measure.objects.get(title="Rekruttering av lærarar")
    assert response["Location"] == measure.get_absolute_url()
    assert measure.key == "rekruttering-av-laerarar" and measure.code == "3.5"


def another_editor_meanwhile(monkeypatch, take) -> None:
    """Between choosing the new measure's key and saving it, `take(key)` runs: another editor."""
    from measures.editing import measures as editing

    choose = editing.unique_key

    def chosen_then_taken(*args, **kwargs) -> str:
        key = choose(*args, **kwargs)
        if not Measure.objects.filter(title="Det andre tiltaket").exists():
            take(key)
        return key

    monkeypatch.setattr(editing, "unique_key", chosen_then_taken)


YEARS = {"start_year": 2026, "end_year": 2027}
NEW_MEASURE = {"number": 5, "priority": "later", "leads_more": "skulane", **YEARS}


def test_a_new_measure_whose_key_is_taken_meanwhile_gets_the_next_free_key(
    owner_client, seed, monkeypatch
):
    goal = seed.sub_goals.get(number=3)
    another_editor_meanwhile(
        monkeypatch,
        lambda key: Measure.objects.create(
            agreement=seed, sub_goal=goal, number=6, key=key, title="Det andre tiltaket", **YEARS
        ),
    )
    data = dict(NEW_MEASURE, sub_goal=goal.pk, title="Rekruttering av lærarar")
    page = owner_client.post(
        reverse("measures:measure-create", args=[SLUG]), data, follow=True
    ).text
    assert "Tiltak 3.5 er oppretta." in page
    assert Measure.objects.get(title="Rekruttering av lærarar").key == "rekruttering-av-laerarar-2"


def test_a_new_measure_whose_number_is_taken_meanwhile_is_refused_beside_the_field(
    owner_client, seed, monkeypatch
):
    goal = seed.sub_goals.get(number=3)
    another_editor_meanwhile(
        monkeypatch,
        lambda key: Measure.objects.create(
            agreement=seed, sub_goal=goal, number=5, key="anna", title="Det andre tiltaket", **YEARS
        ),
    )
    data = dict(NEW_MEASURE, sub_goal=goal.pk, title="Rekruttering av lærarar")
    response = owner_client.post(reverse("measures:measure-create", args=[SLUG]), data)
    assert "Delmål 3 har alt tiltak 5: «Det andre tiltaket»." in response.text
    assert 'value="Rekruttering av lærarar"' in response.text
    assert not Measure.objects.filter(title="Rekruttering av lærarar").exists()


def test_moving_a_measure_up_swaps_numbers_with_its_neighbour(owner_client, seed):
    third, second = seed.measures.get(key=KEY), seed.measures.get(key="risikoreduserande-tiltak")
    owner_client.post(
        reverse("measures:measure-move", args=[SLUG, KEY]),
        {"retning": "opp", "version": third.version},
    )
    third.refresh_from_db()
    second.refresh_from_db()
    assert (third.number, second.number) == (2, 3)
    assert not any(r.number > 100 for r in third.history.all())


def test_closing_and_reopening_a_measure(owner_client, seed):
    url = reverse("measures:measure-close", args=[SLUG, KEY])
    owner_client.post(
        url,
        {"closed_on": "2026-05-31", "version": seed.measures.get(key=KEY).version, **CONFIRMED},
    )
    measure = seed.measures.get(key=KEY)
    assert measure.status == "closed" and str(measure.closed_on) == "2026-05-31"
    assert "Avslutta 31.05.2026" in owner_client.get(measure.get_absolute_url()).text
    owner_client.post(
        reverse("measures:measure-reopen", args=[SLUG, KEY]), {"version": measure.version}
    )
    measure.refresh_from_db()
    assert measure.status == "active" and measure.closed_on is None


def test_closing_without_a_date_is_refused(owner_client, seed):
    version = seed.measures.get(key=KEY).version
    owner_client.post(
        reverse("measures:measure-close", args=[SLUG, KEY]),
        {"closed_on": "", "version": version, **CONFIRMED},
    )
    assert seed.measures.get(key=KEY).status == "active"


def test_partners_are_added_removed_and_created_on_the_spot(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    url = reverse("measures:measure-organisations", args=[SLUG, KEY])
    distrikt = Organisation.objects.get(key="distriktssenteret")
    owner_client.post(url, {"organisation": distrikt.pk, "role": "partner"})
    assert [o.key for o in measure.partners()] == ["husbanken", "distriktssenteret"]
    again = owner_client.post(url, {"organisation": distrikt.pk, "role": "partner"})
    assert "Distriktssenteret er alt samarbeidspart i tiltaket." in again.text
    create = reverse("measures:organisation-create", args=[SLUG, KEY])
    owner_client.post(create, {"name": "Tinn Bygg AS", "kind": "private", "role": "partner"})
    assert measure.partners()[-1].name == "Tinn Bygg AS"
    assert Organisation.objects.get(name="Tinn Bygg AS").key == "tinn-bygg-as"
    husbanken = measure.involvements.get(organisation__key="husbanken")
    owner_client.post(
        reverse("measures:involvement-remove", args=[SLUG, KEY, husbanken.pk]), CONFIRMED
    )
    assert [o.key for o in measure.partners()] == ["distriktssenteret", "tinn-bygg-as"]
    assert [
        i.position for i in measure.involvements.filter(role="partner").order_by("position")
    ] == [0, 1]


def test_the_organisation_search_answers_htmx_with_the_results_only(owner_client):
    url = reverse("measures:measure-organisations", args=[SLUG, KEY])
    response = owner_client.get(url, {"q": "studie"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert "Nissedal studiesenter" in response.text and "Husbanken" not in response.text


def test_a_duplicate_organisation_name_is_refused(owner_client, seed):
    create = reverse("measures:organisation-create", args=[SLUG, KEY])
    response = owner_client.post(
        create, {"name": "husbanken", "kind": "state_agency", "role": "lead"}
    )
    assert "Organisasjonen «husbanken» finst alt." in response.text
    assert Organisation.objects.filter(name__iexact="husbanken").count() == 1


def test_sections_are_added_edited_reordered_and_removed(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    owner_client.post(
        reverse("measures:section-create", args=[SLUG, KEY]),
        {"kind": "other", "heading": "Status", "body": "- eitt\n- to"},
    )
    added = measure.sections.get(heading="Status")
    assert added.position == measure.sections.count() - 1
    owner_client.post(
        reverse("measures:section-move", args=[SLUG, KEY, added.pk]),
        {"retning": "opp", "version": added.version},
    )
    added.refresh_from_db()
    assert added.position == measure.sections.count() - 2
    owner_client.post(
        reverse("measures:section-edit", args=[SLUG, KEY, added.pk]),
        {"kind": "other", "heading": "Status 2026", "body": "Ferdig.", "version": added.version},
    )
    added.refresh_from_db()
    assert (added.heading, added.body) == ("Status 2026", "Ferdig.")
    owner_client.post(
        reverse("measures:section-delete", args=[SLUG, KEY, added.pk]),
        {"version": added.version, **CONFIRMED},
    )
    assert not Section.objects.filter(pk=added.pk).exists()
    assert [s.position for s in measure.sections.order_by("position")] == list(
        range(measure.sections.count())
    )


def test_a_second_standard_section_of_the_same_kind_is_refused(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    count = measure.sections.count()
    response = owner_client.post(
        reverse("measures:section-create", args=[SLUG, KEY]),
        {"kind": "challenge", "body": "Ei til utfordring"},
    )
    assert "Tiltaket har alt ein seksjon «Utfordring»" in response.text
    assert measure.sections.count() == count


def test_the_markdown_preview_renders_safely_with_and_without_javascript(owner_client, seed):
    preview = owner_client.post(
        reverse("measures:markdown-preview", args=[SLUG]),
        {"body": "**feit** <script>x()</script>"},
        headers={"HX-Request": "true"},
    )
    assert "<strong>feit</strong>" in preview.text and "<script>" not in preview.text
    page = owner_client.post(
        reverse("measures:section-create", args=[SLUG, KEY]),
        {"kind": "other", "body": "- punkt", "forehandsvis": "1"},
    )
    assert "<li>punkt</li>" in page.text
    assert not seed.measures.get(key=KEY).sections.filter(body="- punkt").exists()


def test_htmx_edits_answer_with_fragments(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    url = reverse("measures:measure-title", args=[SLUG, KEY])
    form = owner_client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in form.text and 'name="title"' in form.text
    saved = owner_client.post(
        url, {"title": "Gøtt nøkk 2", "version": measure.version}, headers={"HX-Request": "true"}
    )
    assert "<html" not in saved.text and "Tiltak 1.3: Gøtt nøkk 2" in saved.text
    section = measure.sections.first()
    fragment = owner_client.post(
        reverse("measures:section-edit", args=[SLUG, KEY, section.pk]),
        {"kind": section.kind, "heading": "", "body": "Ny **tekst**", "version": section.version},
        headers={"HX-Request": "true"},
    )
    assert "<html" not in fragment.text and "Ny <strong>tekst</strong>" in fragment.text


def test_the_agreement_texts_and_a_sub_goal_are_edited(owner_client, seed):
    data = {
        "name": seed.name,
        "pilot_name": seed.pilot_name,
        "language": "nb",
        "signed_on": "2025-06-02",
        "introduction": "Ny introduksjon.",
        "version": seed.version,
    }
    assert (
        owner_client.post(reverse("measures:agreement-edit", args=[SLUG]), data).status_code == 302
    )
    seed.refresh_from_db()
    assert seed.introduction == "Ny introduksjon."
    assert seed.get_language_display() == "Bokmål"
    goal = seed.sub_goals.get(number=2)
    data = {
        "title": goal.title,
        "main_goal": "Nytt hovudmål.",
        "weight": 20,
        "remark": "",
        "version": goal.version,
    }
    owner_client.post(reverse("measures:sub-goal-edit", args=[SLUG, 2]), data)
    goal.refresh_from_db()
    assert goal.main_goal == "Nytt hovudmål."


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, field_message",
    [
        ({"title": ""}, "Feltet er påkravd."),
        ({"title": "x" * 201}, "Verdien kan ikkje ha fleire enn 200 teikn (den har 201)."),
        ({"end_year": 2031}, "Året 2031 er utanfor avtaleperioden 2025–2028."),
        ({"start_year": 2024}, "Året 2024 er utanfor avtaleperioden 2025–2028."),
        ({"start_year": 2028, "end_year": 2026}, "Sluttåret kan ikkje vere før startåret."),
        (
            {"number": 1},
            "Delmål 1 har alt tiltak 1: «Samarbeid om innsiktsarbeid og kartlegging for "
            "bustadstrategi».",
        ),
        ({"number": -2}, "Verdien må vere større enn eller lik 0."),
        ({"start_year": "", "end_year": ""}, "Skriv eit år, eller kryss av"),
    ],
)
def test_bad_measure_input_is_refused_beside_the_field(owner_client, seed, changes, field_message):
    measure = seed.measures.get(key=KEY)
    before = dump_database()
    response = owner_client.post(
        reverse("measures:measure-edit", args=[SLUG, KEY]), measure_form_data(measure, **changes)
    )
    assert response.status_code == 200
    assert field_message in response.text
    assert 'class="ds-validation-message"' in response.text
    assert dump_database() == before


def test_weights_not_summing_to_100_are_saved_with_a_warning(owner_client, seed):
    goal = seed.sub_goals.get(number=1)
    data = {"title": goal.title, "main_goal": goal.main_goal, "weight": 50, "version": goal.version}
    response = owner_client.post(
        reverse("measures:sub-goal-edit", args=[SLUG, 1]), data, follow=True
    )
    assert SubGoal.objects.get(pk=goal.pk).weight == 50
    assert "Vektinga av delmåla er no til saman 90 %, ikkje 100 %." in response.text
    assert "Vektinga av delmåla er til saman 90 %, ikkje 100 %." in response.text


def test_a_weight_over_100_is_refused(owner_client, seed):
    goal = seed.sub_goals.get(number=1)
    data = {
        "title": goal.title,
        "main_goal": goal.main_goal,
        "weight": 120,
        "version": goal.version,
    }
    response = owner_client.post(reverse("measures:sub-goal-edit", args=[SLUG, 1]), data)
    assert "Verdien må vere mindre enn eller lik 100." in response.text
    assert SubGoal.objects.get(pk=goal.pk).weight == 60


# --- conflicts -------------------------------------------------------------------------------


def test_the_second_of_two_editors_is_refused_and_keeps_what_they_typed(client, owner, seed):
    colleague = make_user("prosjektmedarbeidar", seed, Role.Kind.EDITOR)
    first, second = client, client.__class__()
    first.force_login(owner)
    second.force_login(colleague)
    measure = seed.measures.get(key=KEY)
    url = reverse("measures:measure-edit", args=[SLUG, KEY])
    first_form = measure_form_data(measure, title="Gøtt nøkk – første lagring")
    second_form = measure_form_data(
        measure, title="Gøtt nøkk – andre utkast", tagline="Andre sin tekst"
    )

    assert first.post(url, first_form).status_code == 302
    refused = second.post(url, second_form)

    assert refused.status_code == 200
    assert "prosjektleiar lagra endringar medan du skreiv" in refused.text
    assert "Gøtt nøkk – første lagring" in refused.text  # what the first person saved
    assert 'value="Gøtt nøkk – andre utkast"' in refused.text  # what the second typed
    assert 'value="Andre sin tekst"' in refused.text
    measure.refresh_from_db()
    assert measure.title == "Gøtt nøkk – første lagring" and measure.tagline != "Andre sin tekst"
    assert f'name="version" value="{measure.version}"' in refused.text
    overwrite = dict(second_form, version=measure.version)
    assert second.post(url, overwrite).status_code == 302
    measure.refresh_from_db()
    assert measure.title == "Gøtt nøkk – andre utkast"


def test_a_stale_section_save_is_refused(owner_client, seed):
    section = seed.measures.get(key=KEY).sections.first()
    url = reverse("measures:section-edit", args=[SLUG, KEY, section.pk])
    stale = {"kind": section.kind, "heading": "", "body": "Gammal", "version": section.version}
    owner_client.post(url, dict(stale, body="Fersk"))
    response = owner_client.post(url, stale)
    assert "lagra endringar medan du skreiv" in response.text
    section.refresh_from_db()
    assert section.body == "Fersk"


def conflict_labels(html: str) -> list[str]:
    """The fields the conflict box says the other person saved differently."""
    box = html.split('<dl class="conflict__theirs">')[1].split("</dl>")[0]
    return re.findall(r"<dt>(.*?)</dt>", box)


def test_the_conflict_box_lists_only_the_fields_that_differ(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    stale = measure_form_data(measure)  # sub-goal posted as an id, the checkbox unticked
    owner_client.post(
        reverse("measures:measure-title", args=[SLUG, KEY]),
        {"title": "Gøtt nøkk – ny tittel", "version": measure.version},
    )
    response = owner_client.post(reverse("measures:measure-edit", args=[SLUG, KEY]), stale)
    assert "lagra endringar medan du skreiv" in response.text
    assert conflict_labels(response.text) == ["Tittel"]


def test_the_conflict_box_ignores_the_line_ends_browsers_send(owner_client, seed):
    section = next(s for s in seed.measures.get(key=KEY).sections.all() if "\n" in s.body)
    url = reverse("measures:section-edit", args=[SLUG, KEY, section.pk])
    stale = {
        "kind": section.kind,
        "heading": section.heading,
        "body": section.body.replace("\n", "\r\n"),
        "version": section.version,
    }
    owner_client.post(url, dict(stale, heading="Utfordringa", body=section.body))
    response = owner_client.post(url, stale)
    assert conflict_labels(response.text) == ["Overskrift"]


# --- history ---------------------------------------------------------------------------------


def test_the_measure_history_shows_each_edit_with_user_and_values(owner_client, seed):
    measure = seed.measures.get(key=KEY)
    owner_client.post(
        reverse("measures:measure-title", args=[SLUG, KEY]),
        {"title": "Gøtt nøkk – modulhus", "version": measure.version},
    )
    section = measure.sections.get(kind="challenge")
    owner_client.post(
        reverse("measures:section-edit", args=[SLUG, KEY, section.pk]),
        {
            "kind": "challenge",
            "heading": "Utfordring",
            "version": section.version,
            "body": section.body.replace("kostbart", "svært kostbart"),
        },
    )
    owner_client.post(
        reverse("measures:measure-organisations", args=[SLUG, KEY]),
        {"organisation": Organisation.objects.get(key="usn").pk, "role": "partner"},
    )
    text = owner_client.get(reverse("measures:measure-history", args=[SLUG, KEY])).text
    newest = text.index("Universitetet i Søraust-Noreg som samarbeidspart")
    section_entry = text.index("seksjonen «Utfordring»")
    title_entry = text.index('Pilot: «Gøtt nøkk»</span> → <span class="new">Gøtt nøkk – modulhus')
    assert newest < section_entry < title_entry
    assert "<ins>svært</ins>" in text
    assert text.count("<strong>prosjektleiar</strong> endra") == 2
    assert (
        "<strong>prosjektleiar</strong> oppretta Universitetet i Søraust-Noreg som samarbeidspart"
        in text
    )
    assert "<strong>Importert frå planfil:</strong> 1 tiltak," in text


def test_the_budget_page_shows_its_change_log(owner_client, seed):
    amount = Amount.objects.get(line__key="delmal-1", year=2026, source__key="kdd-1350-post-66")
    amount.kroner = 4_500_000
    amount.save()
    text = owner_client.get(reverse("budget:detail", args=[SLUG])).text
    assert "Fleire eigna bustader i Vest-Telemark, 2026, KDD 13.50 post 66" in text
    assert '5\xa0000\xa0000 kr</span> → <span class="new">4\xa0500\xa0000 kr' in text


def test_deleted_sections_stay_in_the_history(owner_client, seed):
    section = seed.measures.get(key=KEY).sections.get(heading="Moglege målgrupper")
    owner_client.post(
        reverse("measures:section-delete", args=[SLUG, KEY, section.pk]),
        {"version": section.version, **CONFIRMED},
    )
    text = owner_client.get(reverse("measures:measure-history", args=[SLUG, KEY])).text
    assert "sletta seksjonen «Moglege målgrupper»" in text


ORGANISATION_ENTRY = r"oppretta ([^<]+? som (?:hovudansvarleg|samarbeidspart))"


def test_involvement_rows_keep_their_history_when_the_measure_is_renumbered(owner_client, seed):
    history = reverse("measures:measure-history", args=[SLUG, KEY])
    owner_client.post(
        reverse("measures:measure-organisations", args=[SLUG, KEY]),
        {"organisation": Organisation.objects.get(key="usn").pk, "role": "partner"},
    )
    before = owner_client.get(history).text
    organisations = re.findall(ORGANISATION_ENTRY, before)
    assert organisations == ["Universitetet i Søraust-Noreg som samarbeidspart"]
    assert ", 4 organisasjonar" in before or "4 organisasjonar," in before  # the import's four
    measure = seed.measures.get(key=KEY)
    owner_client.post(
        reverse("measures:measure-edit", args=[SLUG, KEY]), measure_form_data(measure, number=9)
    )
    after = owner_client.get(history).text
    assert "Endringslogg for tiltak 1.9 Pilot: «Gøtt nøkk»" in after
    assert re.search(r"<dt>Nummer</dt>\s*<dd><span class=\"old\">3</span> → <span", after)
    assert re.findall(ORGANISATION_ENTRY, after) == organisations
    assert ", 4 organisasjonar" in after or "4 organisasjonar," in after


def test_large_ids_are_written_without_thousand_separators(owner_client, seed):
    """Norwegian number formatting must never reach ids and form values (1 234 breaks them)."""
    big = Organisation.objects.create(pk=12345, key="stor", name="Stor organisasjon", kind="ngo")
    section = Section.objects.create(
        pk=23456, measure=seed.measures.get(key=KEY), body="x", position=9
    )
    # Not in the agreement: found by the search of the register.
    url = reverse("measures:measure-organisations", args=[SLUG, KEY])
    page = owner_client.get(url, {"q": "Stor"}).text
    assert f'value="{big.pk}"' in page
    detail = owner_client.get(reverse("measures:measure-detail", args=[SLUG, KEY])).text
    assert (
        f'id="seksjon-{section.pk}"' in detail
        and f'data-hx-target="#seksjon-{section.pk}"' in detail
    )
