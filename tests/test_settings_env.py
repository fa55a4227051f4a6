"""Settings read from the environment, and fail loudly on nonsense."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.utils import translation

from bygdevekst.settings import database_from_url, envbool


def test_no_database_url_means_sqlite_in_the_project_folder():
    config = database_from_url(None)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert str(config["NAME"]).endswith("db.sqlite3")


def test_a_postgres_url_is_parsed():
    config = database_from_url("postgresql://brukar:p%40ss@db.example:5433/bygdevekst")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "brukar",
        "p@ss",
        "db.example",
        "5433",
        "bygdevekst",
    )


def test_other_databases_are_refused():
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://x@y/z")


def test_envbool_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "kanskje")
    with pytest.raises(ImproperlyConfigured):
        envbool("SOME_FLAG", "false")
    monkeypatch.setenv("SOME_FLAG", "yes")
    assert envbool("SOME_FLAG", "false") is True


def test_numbers_use_norwegian_thousand_separators():
    assert Template("{{ n }}").render(Context({"n": 10800000})) == "10\xa0800\xa0000"


def test_the_missing_django_messages_are_translated_to_nynorsk():
    with translation.override("nn"):
        assert translation.gettext("Enter a valid domain name.") != "Enter a valid domain name."
        assert translation.gettext("This field is required.") == "Feltet er påkravd."
