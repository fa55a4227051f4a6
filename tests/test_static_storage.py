"""Static files in production: WhiteNoise's compressed files, hashed names from the manifest."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

from bygdevekst import settings as production

NAME = "css/bygdevekst.css"


@pytest.fixture
def collected(tmp_path, settings):
    """The production static storage, with one stylesheet collected into a STATIC_ROOT."""
    source = tmp_path / "kjelde" / NAME
    source.parent.mkdir(parents=True)
    source.write_text("body { color: black; }")
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATICFILES_DIRS = [tmp_path / "kjelde"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": production.STORAGES["staticfiles"]}
    settings.STATIC_ROOT = tmp_path / "samla"
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_static_urls_have_hashed_names_of_collected_files(collected):
    url = staticfiles_storage.url(NAME)
    assert re.fullmatch(r"/static/css/bygdevekst\.[0-9a-f]{12}\.css", url), url
    assert (collected / url.removeprefix("/static/")).exists()


def test_a_file_missing_from_the_manifest_is_an_error(collected):
    with pytest.raises(ValueError):
        staticfiles_storage.url("css/finst-ikkje.css")
