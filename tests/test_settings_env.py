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


def test_postgres_prepares_repeated_queries_unless_a_pooler_forbids_it(monkeypatch):
    monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS", raising=False)
    options = database_from_url("postgresql://x@db/bygdevekst")["OPTIONS"]
    assert options == {"server_side_binding": True, "prepare_threshold": 5}
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "false")
    assert database_from_url("postgresql://x@db/bygdevekst")["OPTIONS"] == {}


@pytest.mark.django_db
def test_a_query_run_again_and_again_is_prepared_on_postgres():
    from django.contrib.auth import get_user_model
    from django.db import connection

    if connection.vendor != "postgresql" or not connection.settings_dict["OPTIONS"]:
        pytest.skip("prepared statements are PostgreSQL's, and on unless turned off")
    for _ in range(10):
        get_user_model().objects.filter(username="ingen").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('WHERE "auth_user"."username" = $' in statement for statement in prepared)


def settings_with(monkeypatch, **env) -> dict:
    """The settings module run afresh with these environment variables."""
    import runpy

    from django.conf import settings

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "bygdevekst" / "settings.py"))


@pytest.mark.parametrize("value", ["", "false", "0", "no", "off"])
def test_a_false_proxy_header_setting_trusts_no_forwarded_header(monkeypatch, value):
    assert "SECURE_PROXY_SSL_HEADER" not in settings_with(
        monkeypatch, SECURE_PROXY_SSL_HEADER=value
    )


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_a_true_proxy_header_setting_trusts_x_forwarded_proto(monkeypatch, value):
    found = settings_with(monkeypatch, SECURE_PROXY_SSL_HEADER=value)
    assert found["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_a_nonsense_proxy_header_setting_stops_the_start(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        settings_with(monkeypatch, SECURE_PROXY_SSL_HEADER="https")
