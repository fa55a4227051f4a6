"""The plan file carries the money: accounts, payments and corrections go out and come back
exactly; accepted accounts, payments and corrections are frozen, whoever imports; a browser
upload carries the money's authority only unchanged; an operator restores it all."""

from __future__ import annotations

import copy
import datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from access.models import Role
from budget.models import BudgetLine
from measures.models import Agreement
from money import workflow
from money.models import Accounts, AccountsEvent, Correction, Explanation, Payment, Spending
from reporting.plan_file import PlanFileError, export_plan, import_plan, parse_plan
from reporting.plan_file.exporter import plan_text
from reporting.setup.preview import fingerprint
from reporting.setup.upload import sign_preview
from tests.factories import make_agreement, make_user
from tests.money.accounts import cell
from tests.support import (
    dump_database,
    empty_database,
    ministry_user_of,
    read_yaml,
    the_seed,
)

UTC = datetime.UTC
KDD_SOURCE = "kdd-1350-post-66"
UPLOAD = reverse("reporting:plan-upload")
APPLY = reverse("reporting:plan-apply")


@pytest.fixture(scope="module")
def _money_made(module_transaction, django_db_blocker) -> datetime.datetime:
    """2025 returned once, accepted and corrected; 2026 a draft; two payments, one corrected.
    Each step a day after the one before, in February 2026. Made once for the module (in its
    transaction, see tests.conftest); each test starts on the day of the last step."""
    start = datetime.datetime(2026, 2, 1, 10, tzinfo=UTC)
    with django_db_blocker.unblock(), time_machine.travel(start, tick=False) as clock:
        seed = the_seed()
        owner = make_user("prosjektleiar", seed, Role.Kind.EDITOR)
        kdd = ministry_user_of(seed)
        clock.shift(datetime.timedelta(days=1))
        on_budget = [
            ("delmal-1", KDD_SOURCE, 500_000),
            ("delmal-1", "kommunal-eigendel", 100_000),
            ("delmal-2", KDD_SOURCE, 200_000),
            ("delmal-2", "kommunal-eigendel", 100_000),
            ("delmal-3", KDD_SOURCE, 200_000),
            ("delmal-3", "kommunal-eigendel", 100_000),
            ("prosjektleiing", KDD_SOURCE, 1_500_000),
        ]
        changes = [cell(seed, line, source, kroner) for line, source, kroner in on_budget]
        workflow.save_spending(agreement=seed, year=2025, user=owner, changes=changes)
        line = BudgetLine.objects.get(agreement=seed, key="delmal-2")
        workflow.save_explanations(
            agreement=seed, year=2025, user=owner, texts={line.pk: "Som planlagt.\n\nIngen avvik."}
        )
        accounts = workflow.submit(agreement=seed, year=2025, user=owner)
        clock.shift(datetime.timedelta(days=1))
        workflow.return_accounts(accounts=accounts, user=kdd, comment="Rett delmål 2.")
        clock.shift(datetime.timedelta(days=1))
        workflow.submit(agreement=seed, year=2025, user=owner)
        clock.shift(datetime.timedelta(days=1))
        workflow.accept(accounts=accounts, user=kdd)
        clock.shift(datetime.timedelta(days=1))
        change = cell(seed, "delmal-1", KDD_SOURCE, 480_000, old=500_000)
        workflow.correct_accounts(
            accounts=accounts, user=kdd, reason="Faktura ført to gonger.", changes=[change]
        )
        clock.shift(datetime.timedelta(days=1))
        first = workflow.record_payment(
            agreement=seed,
            user=kdd,
            year=2025,
            paid_on=datetime.date(2025, 7, 1),
            kroner=2_400_000,
            reference="KDD 25/1234",
        )
        clock.shift(datetime.timedelta(days=1))
        workflow.record_payment(
            agreement=seed,
            user=kdd,
            year=2026,
            paid_on=datetime.date(2026, 2, 1),
            kroner=1_000_000,
            reference="KDD 26/77",
        )
        clock.shift(datetime.timedelta(days=1))
        workflow.correct_payment(
            payment=first,
            user=kdd,
            reason="Feil beløp.",
            paid_on=first.paid_on,
            kroner=2_300_000,
            reference=first.reference,
        )
        clock.shift(datetime.timedelta(days=1))
        workflow.save_spending(
            agreement=seed,
            year=2026,
            user=owner,
            changes=[cell(seed, "delmal-1", KDD_SOURCE, 7_000)],
        )
        clock.shift(datetime.timedelta(days=1))
        return timezone.now()


@pytest.fixture
def money(_money_made, seed, time_machine):
    time_machine.move_to(_money_made, tick=False)
    return seed


@pytest.fixture
def owner(_money_made, db):
    return User.objects.get(username="prosjektleiar")


def money_rows() -> dict:
    """Every row of the money's tables by natural keys, without users."""
    subject = ("accounts__year", "payment__recorded_at")
    fields = {
        Accounts: ("agreement__slug", "year", "status"),
        Spending: ("accounts__year", "line__key", "source__key", "kroner"),
        Explanation: ("accounts__year", "line__key", "text"),
        AccountsEvent: ("accounts__year", "kind", "at", "comment"),
        Payment: ("agreement__slug", "year", "paid_on", "kroner", "reference", "recorded_at"),
        Correction: ("agreement__slug", *subject, "at", "reason", "changes"),
    }
    return {
        model.__name__: list(model.objects.order_by("pk").values_list(*names))
        for model, names in fields.items()
    }


def edited(agreement: Agreement, change) -> str:
    """The agreement's exported plan file after `change(data)` edited it."""
    data = read_yaml(export_plan(agreement))
    change(data)
    return plan_text(data)


def refused(text: str) -> list[str]:
    """The problems the file is refused with, as the user reads them; nothing is written."""
    before = dump_database()
    with pytest.raises(PlanFileError) as caught:
        import_plan(parse_plan(text))
    assert dump_database() == before
    return [str(problem) for problem in caught.value.problems]


def line_of(text: str, words: str, after: str = "money:") -> int:
    """The number of the first line holding `words` below the line `after`."""
    lines = text.splitlines()
    start = lines.index(after)
    return next(n for n, line in enumerate(lines, start=1) if n > start and words in line)


# Export and round trip


def test_the_money_goes_out_and_comes_back_byte_for_byte(money):
    text = export_plan(money)
    data = read_yaml(text)["money"]
    assert [(a["year"], a["status"]) for a in data["accounts"]] == [
        (2025, "accepted"),
        (2026, "draft"),
    ]
    accepted = data["accounts"][0]
    assert accepted["spending"]["delmal-1"] == {KDD_SOURCE: 480_000, "kommunal-eigendel": 100_000}
    assert accepted["explanations"] == {"delmal-2": "Som planlagt.\n\nIngen avvik.\n"}
    assert [e["kind"] for e in accepted["events"]] == [
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]
    assert accepted["corrections"][0]["reason"] == "Faktura ført to gonger."
    assert [(p["reference"], p["kroner"]) for p in data["payments"]] == [
        ("KDD 25/1234", 2_300_000),
        ("KDD 26/77", 1_000_000),
    ]
    assert data["payments"][0]["corrections"][0]["reason"] == "Feil beløp."
    money_part = text.split("\nmoney:\n")[1]
    assert "prosjektleiar" not in money_part and "kdd-saksbehandlar" not in text  # no users
    before = dump_database()
    import_plan(parse_plan(text))
    assert dump_database() == before  # confirmed: nothing written
    assert export_plan(money) == text


def test_the_operator_restores_all_the_money_into_an_empty_database(money, tmp_path):
    text = export_plan(money)
    rows = money_rows()
    file = tmp_path / "vest-telemark.yaml"
    file.write_text(text, encoding="utf-8")
    empty_database()
    call_command("import_plan", str(file))
    assert money_rows() == rows
    assert export_plan(Agreement.objects.get(slug="vest-telemark")) == text
    # Read from a file, an event, a payment or a correction has no user.
    assert not AccountsEvent.objects.filter(user__isnull=False).exists()
    assert not Payment.objects.filter(recorded_by__isnull=False).exists()
    assert not Correction.objects.filter(user__isnull=False).exists()
    # The accepted year is frozen again.
    with pytest.raises(Exception, match="godkjend av KDD"):
        Spending.objects.filter(accounts__year=2025).first().save()


def test_an_agreement_without_money_writes_no_money_key(db):
    agreement = make_agreement("utan-pengar", "Bygdevekstavtale utan pengar", goals=1)
    assert "money" not in export_plan(agreement)  # no money, no key
    Accounts.objects.create(agreement=agreement, year=2026)
    assert "money:" in export_plan(agreement)  # … but a bare draft year is written


# The importer: frozen money, whoever imports


def test_an_accepted_years_cell_cannot_be_changed(money):
    text = edited(
        money, lambda d: d["money"]["accounts"][0]["spending"]["delmal-1"].update({KDD_SOURCE: 1})
    )
    assert refused(text) == [
        "money.accounts[0].spending: rekneskapen for 2025 er godkjend av KDD og kan ikkje "
        "endrast med ei planfil: KDD rettar han i appen, og rettinga blir registrert"
    ]
    assert Spending.objects.cells(Accounts.objects.get(year=2025)) != {}


def test_an_accepted_year_cannot_be_removed(money):
    text = edited(money, lambda d: d["money"]["accounts"].pop(0))
    assert refused(text) == [
        "money.accounts: rekneskapen for 2025 er godkjend av KDD og kan ikkje fjernast"
    ]


def test_a_payment_cannot_be_deleted(money):
    text = edited(money, lambda d: d["money"]["payments"].pop(1))
    assert refused(text) == [
        "money.payments: utbetalinga 01.02.2026 1\xa0000\xa0000 kr (KDD 26/77) er registrert og "
        "kan ikkje fjernast (fila manglar ei utbetaling med recorded_at lik registreringstida "
        "hennar)"
    ]
    assert Payment.objects.count() == 2


def test_a_payment_cannot_be_changed(money):
    text = edited(money, lambda d: d["money"]["payments"][1].update(kroner=999))
    [problem] = refused(text)
    assert problem.startswith("money.payments[1].kroner: utbetalinga 01.02.2026")
    assert problem.endswith(
        "kan ikkje endrast med ei planfil: KDD rettar ho i appen, og rettinga blir registrert"
    )


@pytest.mark.parametrize("subject", ["accounts", "payments"])
def test_a_correction_cannot_be_changed_or_removed(money, subject):
    def reworded(data):
        data["money"][subject][0]["corrections"][0]["reason"] = "Ei anna grunngjeving."

    def removed(data):
        del data["money"][subject][0]["corrections"]

    for change in (reworded, removed):
        [problem] = refused(edited(money, change))
        assert problem.startswith(f"money.{subject}[0].corrections: ")
    assert Correction.objects.filter(reason="Ei anna grunngjeving.").count() == 0
    assert Correction.objects.count() == 2


def test_a_file_may_change_a_draft_years_spending_and_remove_it(money):
    def changed(data):
        draft = data["money"]["accounts"][1]
        draft["spending"] = {"delmal-2": {"kommunal-eigendel": 3_000}}
        draft["explanations"] = {"delmal-2": "Flytta."}

    import_plan(parse_plan(edited(money, changed)))
    draft = Accounts.objects.get(year=2026)
    assert [(s.line.key, s.kroner) for s in draft.spending.all()] == [("delmal-2", 3_000)]
    assert draft.explanations.get().text == "Flytta."
    import_plan(parse_plan(edited(money, lambda d: d["money"]["accounts"].pop(1))))
    assert not Accounts.objects.filter(year=2026).exists()
    assert Accounts.objects.get(year=2025).is_accepted


# The reader: strict, with place and line


def test_an_unknown_key_is_refused_with_its_place_and_line(money):
    text = edited(money, lambda d: d["money"]["accounts"][1].update(statsu="draft"))
    line = line_of(text, "statsu:")
    assert refused(text) == [
        f"money.accounts[1].statsu (linje {line}): ukjend nøkkel 'statsu' – meinte du 'status'?"
    ]


def test_a_bad_line_or_source_key_is_refused(money):
    def bad_keys(data):
        data["money"]["accounts"][1]["spending"] = {"delmal-9": {KDD_SOURCE: 1}}
        data["money"]["accounts"][1]["explanations"] = {"delmal-1": "x", "delmal-8": "y"}
        data["money"]["accounts"][1]["spending"]["delmal-1"] = {"kjelde-x": 1}

    text = edited(money, bad_keys)
    assert refused(text) == [
        f"money.accounts[1].spending.delmal-9 (linje {line_of(text, 'delmal-9:')}): "
        "ukjend budsjettline 'delmal-9'",
        f"money.accounts[1].spending.delmal-1.kjelde-x (linje {line_of(text, 'kjelde-x:')}): "
        "ukjend finansieringskjelde 'kjelde-x'",
        f"money.accounts[1].explanations.delmal-8 (linje {line_of(text, 'delmal-8:')}): "
        "ukjend budsjettline 'delmal-8'",
    ]


def test_a_payment_in_the_future_is_refused(money):
    text = edited(
        money, lambda d: d["money"]["payments"][1].update(paid_on=datetime.date(2026, 12, 24))
    )
    line = line_of(text, "paid_on: 2026-12-24")
    assert refused(text) == [
        f"money.payments[1].paid_on (linje {line}): ei utbetaling kan ikkje vere datert fram i "
        "tid (2026-12-24)"
    ]


@pytest.mark.parametrize(
    ("change", "place", "message"),
    [
        (
            lambda d: d["money"]["accounts"][1]["spending"]["delmal-1"].update({KDD_SOURCE: -5}),
            "money.accounts[1].spending.delmal-1.kdd-1350-post-66",
            "beløpet kan ikkje vere negativt (-5)",
        ),
        (
            lambda d: d["money"]["accounts"][1]["spending"]["delmal-1"].update({KDD_SOURCE: 1.5}),
            "money.accounts[1].spending.delmal-1.kdd-1350-post-66",
            "beløpet skal vere heile kroner, ikkje 1.5",
        ),
        (
            lambda d: d["money"]["accounts"][1]["spending"]["delmal-1"].update(
                {KDD_SOURCE: 10**12 + 1}
            ),
            "money.accounts[1].spending.delmal-1.kdd-1350-post-66",
            "beløpet er urimeleg stort; grensa er 1\xa0000\xa0000\xa0000\xa0000 kr",
        ),
        (
            lambda d: d["money"]["payments"].append(
                copy.deepcopy(d["money"]["payments"][1])
                | {"kroner": 0, "recorded_at": datetime.datetime.now(UTC)}
            ),
            "money.payments[2].kroner",
            "ei utbetaling må vere over 0 kr",
        ),
        (
            lambda d: d["money"]["payments"][1].update(kroner=-1),
            "money.payments[1].kroner",
            "beløpet kan ikkje vere negativt (-1)",
        ),
        (
            lambda d: d["money"]["accounts"][1].update(year=2030),
            "money.accounts[1].year",
            "",
        ),
        (
            lambda d: d["money"]["accounts"].append({"year": 2026, "status": "draft"}),
            "money.accounts[2].year",
            "året 2026 er brukt før",
        ),
        (
            lambda d: d["money"]["payments"].append(copy.deepcopy(d["money"]["payments"][0])),
            "money.payments[2].recorded_at",
            "to utbetalingar er registrerte same tid, 2026-02-07 11:00:00: ei utbetaling er "
            "kjend på recorded_at",
        ),
        (
            lambda d: d["money"]["accounts"][1].update(status="accepted"),
            "money.accounts[1].status",
            "status accepted passar ikkje med hendingane: etter dei er rekneskapen draft",
        ),
        (
            lambda d: d["money"]["accounts"][0]["events"].pop(0),
            "money.accounts[0].events[0].kind",
            "rekneskapen kan ikkje få hendinga returned når han er draft (hendingane blir lesne "
            "i tidsrekkjefølgje)",
        ),
        (
            lambda d: d["money"]["accounts"][0]["events"][1].pop("comment"),
            "money.accounts[0].events[1].comment",
            "manglar: KDD seier alltid kvifor rekneskapen blir sendt tilbake",
        ),
        (
            lambda d: d["money"]["accounts"][1].update(
                corrections=[copy.deepcopy(d["money"]["accounts"][0]["corrections"][0])]
            ),
            "money.accounts[1].corrections",
            "berre ein rekneskap som KDD har godkjent, kan ha rettingar",
        ),
        (
            lambda d: d["money"]["payments"][0]["corrections"][0].update(
                at=datetime.datetime(2026, 1, 1, tzinfo=UTC)
            ),
            "money.payments[0].corrections[0].at",
            "ein retting kan ikkje vere før det han rettar, vart godkjend eller registrert "
            "(2026-02-07 11:00:00)",
        ),
        (
            lambda d: d["money"]["payments"][0].update(paid_on="2025-02-30"),
            "money.payments[0].paid_on",
            "",
        ),
    ],
)
def test_a_value_the_app_would_refuse_is_refused_with_its_place(money, change, place, message):
    problems = refused(edited(money, change))
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{place} (linje ")
    assert problems[0].endswith(message)


# The browser: the money's authority only unchanged


def upload(client, text: str) -> str:
    file = SimpleUploadedFile("plan.yaml", text.encode())
    return client.post(UPLOAD, {"plan": file}).content.decode()


def apply_signed(client, user, text: str, agreement: Agreement) -> str:
    """Post the file to the apply step as if a preview had offered it (a forged preview)."""
    token = sign_preview(text, user=user, base=fingerprint(agreement))
    return client.post(APPLY, {"token": token, "confirm": "on"}, follow=True).content.decode()


def retitled(data: dict) -> None:
    """A change of plan content, so that the preview offers to apply the file."""
    data["sub_goals"][0]["measures"][0]["title"] = "Ny tittel frå fila"


def add_payment(data: dict) -> None:
    retitled(data)
    data["money"]["payments"].append(
        {
            "year": 2026,
            "paid_on": datetime.date(2026, 2, 1),
            "kroner": 5_000_000,
            "reference": "Falsk",
            "recorded_at": datetime.datetime(2026, 2, 3, 9, tzinfo=UTC),
        }
    )


def accept_draft(data: dict) -> None:
    retitled(data)
    draft = data["money"]["accounts"][1]
    draft["status"] = "accepted"
    draft["events"] = [
        {"kind": "submitted", "at": datetime.datetime(2026, 2, 20, 9, tzinfo=UTC)},
        {"kind": "accepted", "at": datetime.datetime(2026, 2, 21, 9, tzinfo=UTC)},
    ]


@pytest.mark.parametrize(
    ("forge", "messages"),
    [
        (
            add_payment,
            [
                "money.payments[2]</code>: utbetalingar og rettingar av dei blir berre "
                "registrerte av KDD i appen"
            ],
        ),
        (
            accept_draft,
            [
                "money.accounts[1].status</code>: status for rekneskapen for 2026 blir berre "
                "endra av stega i arbeidsflyten",
                "money.accounts[1].events</code>: hendingane i rekneskapen for 2026 kan ikkje "
                "endrast med ei planfil",
                "money.accounts[1].spending</code>: rekneskapen for 2026 er sendt til KDD",
            ],
        ),
    ],
)
def test_a_forged_money_file_is_refused_in_the_browser_and_nothing_written(
    client, owner, money, forge, messages
):
    client.force_login(owner)
    text = edited(money, forge)
    before = dump_database()
    page = upload(client, text)
    for message in messages:
        assert message in page
    assert "Ei fil i nettlesaren kan ha dei med uendra" in page
    assert 'name="token"' not in page
    assert "er lesen inn" not in apply_signed(client, owner, text, money)
    assert dump_database() == before


def test_an_accepted_event_added_to_submitted_accounts_is_refused_in_the_browser(
    client, owner, money
):
    workflow.submit(agreement=money, year=2026, user=owner)
    client.force_login(owner)

    def accepted(data):
        retitled(data)
        submitted = data["money"]["accounts"][1]
        submitted["status"] = "accepted"
        submitted["events"].append({"kind": "accepted", "at": datetime.datetime.now(UTC)})

    text = edited(money, accepted)
    before = dump_database()
    page = upload(client, text)
    assert "money.accounts[1].status</code>: status for rekneskapen for 2026" in page
    assert "money.accounts[1].events</code>: hendingane i rekneskapen for 2026" in page
    assert "er lesen inn" not in apply_signed(client, owner, text, money)
    assert dump_database() == before
    assert Accounts.objects.get(year=2026).status == Accounts.Status.SUBMITTED


def test_a_frozen_change_is_refused_in_the_browser_with_its_line(client, owner, money):
    client.force_login(owner)

    def cut(data):
        retitled(data)
        data["money"]["accounts"][0]["spending"]["delmal-1"][KDD_SOURCE] = 1

    text = edited(money, cut)
    before = dump_database()
    page = upload(client, text)
    line = f"{line_of(text, 'spending:'):,}".replace(",", "\xa0")
    assert f"Linje {line}</strong> · <code>money.accounts[0].spending</code>" in page
    assert "rekneskapen for 2025 er godkjend av KDD og kan ikkje endrast" in page
    assert dump_database() == before


def test_the_exported_file_goes_back_in_with_the_money_unchanged(client, owner, money):
    client.force_login(owner)
    rows = money_rows()

    def draft_edited(data):
        retitled(data)
        data["money"]["accounts"][1]["spending"]["delmal-1"][KDD_SOURCE] = 9_000

    text = edited(money, draft_edited)
    page = upload(client, text)
    assert 'name="token"' in page
    assert "Rekneskap 2026" in page  # the preview names the draft year it changes
    assert "er lesen inn" in apply_signed(client, owner, text, money)
    assert money.measures.filter(title="Ny tittel frå fila").exists()
    draft = Accounts.objects.get(year=2026)
    assert list(draft.spending.values_list("kroner", flat=True)) == [9_000]
    rows["Spending"] = money_rows()["Spending"]  # the draft's cell, as the file says
    assert money_rows() == rows


def _recount(data: dict) -> None:
    retitled(data)
    data["money"]["accounts"][1]["spending"]["delmal-1"][KDD_SOURCE] = 1


def _drop_2026(data: dict) -> None:
    retitled(data)
    data["money"]["accounts"].pop(1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _recount,
            "money.accounts[1].spending</code>: rekneskapen for 2026 er sendt til KDD: tala og "
            "forklaringane kan ikkje endrast med ei planfil",
        ),
        (
            _drop_2026,
            "money.accounts</code>: rekneskapen for 2026 er sendt til KDD og kan ikkje fjernast "
            "med ei planfil",
        ),
    ],
)
def test_submitted_accounts_are_neither_recounted_nor_removed_in_the_browser(
    client, owner, money, change, message
):
    workflow.submit(agreement=money, year=2026, user=owner)
    client.force_login(owner)
    text = edited(money, change)
    before = dump_database()
    page = upload(client, text)
    assert message in page
    assert "er lesen inn" not in apply_signed(client, owner, text, money)
    assert dump_database() == before
