"""demo_users: one user per role for the seed agreement."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from access.models import Role


def test_it_creates_a_user_per_role_with_the_given_password(seed, monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "vest-telemark-demo-2025")
    call_command("demo_users")
    roles = {
        r.user.username: (r.kind, r.organisation.name if r.organisation else None)
        for r in Role.objects.select_related("user", "organisation")
    }
    assert roles == {
        "prosjektleiar": ("editor", None),
        "fyresdal": ("approver", "Fyresdal kommune"),
        "kviteseid": ("approver", "Kviteseid kommune"),
        "nissedal": ("approver", "Nissedal kommune"),
        "seljord": ("approver", "Seljord kommune"),
        "tokke": ("approver", "Tokke kommune"),
        "vinje": ("approver", "Vinje kommune"),
        "fylkeskommunen": ("approver", "Telemark fylkeskommune"),
        "kdd": ("ministry", "Kommunal- og distriktsdepartementet"),
    }
    vinje = get_user_model().objects.get(username="vinje")
    assert vinje.check_password("vest-telemark-demo-2025")
    # An example address, so that `make run` prints the cycle's e-mails to the console.
    assert vinje.email == "vinje@example.org"
    call_command("demo_users")
    assert Role.objects.count() == 9


def test_without_demo_password_it_prints_a_generated_one(seed, monkeypatch, capsys):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("demo_users")
    password = capsys.readouterr().out.rsplit(": ", 1)[1].strip()
    assert get_user_model().objects.get(username="kdd").check_password(password)


def test_a_weak_password_or_unknown_agreement_is_refused(seed, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "123")
    with pytest.raises(CommandError, match="for svakt"):
        call_command("demo_users")
    with pytest.raises(CommandError, match="Fann inga avtale"):
        call_command("demo_users", agreement="finst-ikkje")
