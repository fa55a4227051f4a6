"""Setting up an agreement in the browser: the new-agreement form, and a plan file uploaded,
previewed and applied all or nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access.models import Role
from budget.models import BudgetLine, FundingSource
from measures.models import Agreement, Organisation
from reporting.models import Revision

from ..factories import make_user
from ..support import dump_database, edited_seed, read_yaml, seed_text

CREATE = reverse("reporting:agreement-create")
UPLOAD = reverse("reporting:plan-upload")
APPLY = reverse("reporting:plan-apply")

GOALS = [
    ("Flere boliger", 25),
    ("Arbeidsplasser i naturnæring", 25),
    ("Kompetanse der folk bor", 20),
    ("Nye innbyggere", 20),
    ("Prosjektledelse", 10),
]
SOURCES = ["KDD 13.50 post 66", "Statsforvalteren", "Trøndelag fylkeskommune"]


def _rows(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def form_data(**changes) -> dict:
    """The new-agreement form as a browser posts it: bokmål, five sub-goals, three sources."""
    parties = Organisation.objects.filter(key__in=["vinje-kommune", "kdd"])
    data = {
        "name": "Bygdevekstavtale for Indre Testdal",
        "slug": "",
        "pilot_name": "Indre Testdal-piloten",
        "language": "nb",
        "first_year": "2024",
        "last_year": "2027",
        "revision_year": "2024",
        "parties": [str(p.pk) for p in parties],
        "become_editor": "on",
        **_rows(
            "organisations",
            [{"name": "Testdal kommune", "short_name": "Testdal", "kind": "municipality"}],
        ),
        **_rows(
            "sub_goals",
            [{"title": t, "main_goal": f"Mål for {t}.", "weight": str(w)} for t, w in GOALS],
        ),
        **_rows("lines", [{"title": "Reiser og møter"}]),
        **_rows(
            "sources",
            [
                {"name": name, **({"state_cofinancing": "on"} if i == 0 else {})}
                for i, name in enumerate(SOURCES)
            ],
        ),
    }
    data.update(changes)
    return data


@pytest.fixture
def operator(seed):
    return get_superuser()


def get_superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("operator", password="x-passord-123")


@pytest.fixture
def kdd_user(seed):
    user = make_user(
        "kdd-sakshandsamar", seed, Role.Kind.MINISTRY, Organisation.objects.get(key="kdd")
    )
    user.groups.add(Group.objects.get(name="KDD"))
    return user


def test_an_operator_sets_up_a_bokmal_agreement_with_five_sub_goals_and_three_sources(
    client, operator
):
    client.force_login(operator)
    response = client.post(CREATE, form_data())
    agreement = Agreement.objects.get(slug="bygdevekstavtale-for-indre-testdal")
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    assert agreement.language == "nb" and agreement.period == "2024–2027"
    assert [o.name for o in agreement.ordered_parties()] == [
        "Kommunal- og distriktsdepartementet",
        "Vinje kommune",
        "Testdal kommune",
    ]
    assert Organisation.objects.get(name="Testdal kommune").kind == "municipality"
    assert [(g.number, g.title, g.weight) for g in agreement.sub_goals.all()] == [
        (n, t, w) for n, (t, w) in enumerate(GOALS, start=1)
    ]
    lines = BudgetLine.objects.filter(agreement=agreement).select_related("sub_goal")
    assert [(line.title, line.sub_goal.number if line.sub_goal else None) for line in lines] == [
        *[(t, n) for n, (t, _) in enumerate(GOALS, start=1)],
        ("Reiser og møter", None),
    ]
    sources = FundingSource.objects.filter(agreement=agreement)
    assert [(s.name, s.is_state_cofinancing) for s in sources] == [
        ("KDD 13.50 post 66", True),
        ("Statsforvalteren", False),
        ("Trøndelag fylkeskommune", False),
    ]
    revision = Revision.objects.get(agreement=agreement)
    assert (revision.year, revision.status) == (2024, Revision.Status.DRAFT)
    assert revision.events.get().user == operator
    assert Role.objects.filter(user=operator, agreement=agreement, kind="editor").exists()
    page = client.get(agreement.get_absolute_url()).content.decode()
    for title, _ in GOALS:
        assert title in page
    assert "Testdal kommune" in page


def test_kdd_sets_up_an_agreement_and_can_then_edit_it(client, kdd_user):
    client.force_login(kdd_user)
    assert "Ny avtale" in client.get(reverse("reporting:home")).content.decode()
    response = client.post(CREATE, form_data(slug="testdal"))
    assert response.status_code == 302
    agreement = Agreement.objects.get(slug="testdal")
    assert client.get(reverse("measures:agreement-edit", args=["testdal"])).status_code == 200
    assert agreement.roles.filter(user=kdd_user, kind="editor").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Feltet er påkravd."),
        (
            {"first_year": "2028", "last_year": "2024"},
            "first_year",
            "Første år kan ikkje vere etter",
        ),
        ({"revision_year": "2030"}, "revision_year", "Året må vere i avtaleperioden 2024–2027"),
        ({"slug": "vest-telemark"}, "slug", "Det finst alt ei avtale med nøkkelen «vest-telemark»"),
        ({"sub_goals-0-weight": "90"}, None, "Vektinga av delmåla er til saman 165 %, ikkje 100 %"),
        ({"sub_goals-2-weight": "-3"}, "sub_goals-2-weight", "større enn eller lik 0"),
        ({"sources-1-state_cofinancing": "on"}, None, "nøyaktig éi kjelde som statleg"),
        (
            {"organisations-0-name": "Vinje kommune"},
            "organisations-0-name",
            "finst alt i registeret",
        ),
        ({"sources-2-name": "statsforvalteren"}, None, "To rader har same namn"),
    ],
)
def test_bad_input_is_said_beside_the_field_and_saves_nothing(
    client, operator, changes, field, message
):
    client.force_login(operator)
    before = dump_database()
    response = client.post(CREATE, form_data(**changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    if field:
        assert re.search(rf'id="id_{field}_error"[^>]*>[^<]*{re.escape(message)}', page), page
    assert dump_database() == before
    assert not Agreement.objects.filter(name="Bygdevekstavtale for Indre Testdal").exists()


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(client, operator):
    client.force_login(operator)
    response = client.post(CREATE, form_data(add="sub_goals"))
    page = response.content.decode()
    assert 'name="sub_goals-TOTAL_FORMS" value="6"' in page
    assert 'name="sub_goals-5-title"' in page
    assert 'value="Bygdevekstavtale for Indre Testdal"' in page
    assert "påkravd" not in page
    assert not Agreement.objects.filter(name="Bygdevekstavtale for Indre Testdal").exists()


@pytest.mark.parametrize("kind", [Role.Kind.APPROVER, Role.Kind.EDITOR])
def test_an_approver_or_editor_cannot_set_up_an_agreement(client, seed, kind):
    vinje = Organisation.objects.get(key="vinje-kommune")
    user = make_user("nokon", seed, kind, vinje if kind == Role.Kind.APPROVER else None)
    client.force_login(user)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data()).status_code == 403
    assert not Agreement.objects.filter(name="Bygdevekstavtale for Indre Testdal").exists()
    assert "Ny avtale" not in client.get(reverse("reporting:home")).content.decode()


# The plan file uploaded in the browser.


def upload(client, text: str):
    return client.post(UPLOAD, {"plan": SimpleUploadedFile("plan.yaml", text.encode())})


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def new_plan_text() -> str:
    def change(data):
        data["agreement"]["slug"] = "nordfjell"
        data["agreement"]["name"] = "Bygdevekstavtale for Nordfjell"
        data["agreement"]["language"] = "nb"
        data["revisions"] = []

    return edited_seed(change)


def test_a_new_agreement_is_previewed_then_applied_exactly(client, operator, seed):
    client.force_login(operator)
    page = upload(client, new_plan_text()).content.decode()
    assert "Ny avtale: «Bygdevekstavtale for Nordfjell» (nordfjell)" in page
    assert "Fleire eigna bustader i Vest-Telemark" in page  # a sub-goal added
    assert not Agreement.objects.filter(slug="nordfjell").exists()  # nothing saved yet
    response = client.post(APPLY, {"token": token_of(page)})
    agreement = Agreement.objects.get(slug="nordfjell")
    assert response["Location"] == agreement.get_absolute_url()
    assert agreement.language == "nb"
    assert agreement.measures.count() == seed.measures.count()
    assert agreement.sub_goals.count() == seed.sub_goals.count()


def test_every_error_of_a_file_is_shown_with_its_place_and_line(client, operator):
    client.force_login(operator)
    text = new_plan_text().replace("  first_year: 2025", "  first_year: tjuetjuefem", 1)
    text = text.replace("weight: 60", "weight: 600", 1)
    before = dump_database()
    page = upload(client, text).content.decode()
    lines = text.splitlines()
    year_line = next(i for i, line in enumerate(lines, 1) if "tjuetjuefem" in line)
    weight_line = next(i for i, line in enumerate(lines, 1) if "weight: 600" in line)
    assert "Fila har 2 feil" in page
    assert f"Linje {year_line}</strong> · <code>agreement.first_year</code>" in page
    assert f"Linje {weight_line}</strong> · <code>sub_goals[0].weight</code>" in page
    assert 'name="token"' not in page
    assert dump_database() == before


def test_replacing_a_plan_says_what_is_removed_and_needs_a_confirmation(client, seed):
    editor = make_user("leiar", seed, Role.Kind.EDITOR)
    client.force_login(editor)

    def change(data):
        data["sub_goals"][0]["measures"].pop()
        data["sub_goals"][1]["title"] = "Nytt namn på delmål 2"

    removed = read_yaml(seed_text())["sub_goals"][0]["measures"][-1]
    page = upload(client, edited_seed(change)).content.decode()
    assert "Dette blir endra i «Bygdevekstavtale for Vest-Telemark»" in page
    assert f"1.{removed['number']} {removed['title']}" in page
    assert "2. Nytt namn på delmål 2" in page
    assert "fjernar: tiltak (1)" in page
    before = dump_database()
    client.post(APPLY, {"token": token_of(page)})  # not confirmed
    assert dump_database() == before
    client.post(APPLY, {"token": token_of(page), "confirm": "on"})
    assert not seed.measures.filter(key=removed["key"]).exists()
    assert seed.sub_goals.get(number=2).title == "Nytt namn på delmål 2"


def test_the_measures_history_names_who_applied_the_file_for_what_it_changed(client, seed):
    """The rows a plan file adds to a measure and the budget are written together, not saved
    one by one: each still has its history row, naming the person who applied the file."""
    client.force_login(make_user("leiar", seed, Role.Kind.EDITOR))

    def change(data):
        measure = data["sub_goals"][1]["measures"][0]
        measure["partners"].append("usn")
        measure["sections"][0]["body"] += "\n\nEitt avsnitt til."
        data["budget"]["amounts"]["delmal-2"][2026]["fylkeskommunen"] = 150_000

    page = upload(client, edited_seed(change)).content.decode()
    client.post(APPLY, {"token": token_of(page), "confirm": "on"})
    history = reverse("measures:measure-history", args=["vest-telemark", "smb-utvikling"])
    text = client.get(history).text
    added = "<strong>leiar</strong> oppretta Universitetet i Søraust-Noreg som samarbeidspart"
    assert added in text
    assert "<strong>leiar</strong> oppretta Distriktssenteret som samarbeidspart" in text
    assert "<strong>leiar</strong> sletta seksjonen «Utfordring»" in text
    rewritten = seed.measures.get(key="smb-utvikling").sections.get(kind="challenge")
    assert rewritten.body.endswith("Eitt avsnitt til.")
    assert rewritten.history.get().history_user.username == "leiar"
    budget = client.get(reverse("budget:detail", args=["vest-telemark"])).text
    new_cell = "Korleis få fleire arbeidsplassar i privat sektor, 2026, Fylkeskommunen"
    assert f"<strong>leiar</strong> oppretta {new_cell}" in budget


def test_a_tampered_file_or_a_plan_changed_since_the_preview_is_refused(client, seed):
    editor = make_user("leiar", seed, Role.Kind.EDITOR)
    client.force_login(editor)
    page = upload(client, edited_seed(lambda d: d["agreement"].update(name="Nytt namn"))).content
    token = token_of(page.decode())
    before = dump_database()
    response = client.post(APPLY, {"token": token[:-3] + "abc"}, follow=True)
    assert "Fila er endra sidan forhandsvisinga" in response.content.decode()
    assert dump_database() == before
    goal = seed.sub_goals.get(number=1)
    goal.title = "Endra av nokon andre"
    goal.save()
    before = dump_database()
    response = client.post(APPLY, {"token": token}, follow=True)
    assert "Planen er endra sidan forhandsvisinga" in response.content.decode()
    assert dump_database() == before


NOT_YOURS = "Du kan ikkje lese inn denne planfila. Ho må gjelde ei avtale du er prosjektleiar for"


def test_who_may_upload_what(client, seed):
    vinje = Organisation.objects.get(key="vinje-kommune")
    approver = make_user("vinje", seed, Role.Kind.APPROVER, vinje)
    client.force_login(approver)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, new_plan_text()).status_code == 403
    assert client.post(APPLY, {"token": "x"}).status_code == 403
    # An editor may replace the own agreement's plan, but not set up a new one ...
    editor = make_user("leiar", seed, Role.Kind.EDITOR)
    client.force_login(editor)
    page = upload(client, new_plan_text()).content.decode()
    assert NOT_YOURS in page
    assert 'name="token"' not in page
    # ... nor another agreement's, nor apply a preview made for someone else.
    other = make_user(
        "annan",
        Agreement.objects.create(
            slug="annan", name="Annan", pilot_name="A", first_year=2025, last_year=2026
        ),
        Role.Kind.EDITOR,
    )
    client.force_login(other)
    page = upload(
        client, edited_seed(lambda d: d["agreement"].update(name="Kapra"))
    ).content.decode()
    # The same words as for an agreement that does not exist: nothing says that it does.
    assert NOT_YOURS in page
    assert "vest-telemark" not in page and "Gøtt nøkk" not in page
    client.force_login(editor)
    token = token_of(
        upload(client, edited_seed(lambda d: d["agreement"].update(name="Kapra"))).content.decode()
    )
    client.force_login(other)
    response = client.post(APPLY, {"token": token}, follow=True)
    assert "Forhandsvisinga er ikkje di" in response.content.decode()
    assert Agreement.objects.get(slug="vest-telemark").name == "Bygdevekstavtale for Vest-Telemark"


def test_a_blank_organisation_row_is_left_out(client, operator):
    client.force_login(operator)
    data = form_data(slug="utan-nye")
    data.update(_rows("organisations", [{"name": "", "short_name": "", "kind": "municipality"}]))
    assert client.post(CREATE, data).status_code == 302
    assert [o.key for o in Agreement.objects.get(slug="utan-nye").ordered_parties()] == [
        "kdd",
        "vinje-kommune",
    ]
