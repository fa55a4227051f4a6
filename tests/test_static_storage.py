"""Static files in production: hashed names from the manifest, each URL worked out once."""

from __future__ import annotations

import json
import os
import re
import time

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from whitenoise.storage import CompressedManifestStaticFilesStorage

from bygdevekst.storage import StaticFilesStorage

NAME = "css/bygdevekst.css"


def storage_with_manifest(tmp_path, hashed: str) -> StaticFilesStorage:
    manifest = {"version": "1.1", "paths": {NAME: hashed}, "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_urls_come_from_the_manifest_and_are_worked_out_once(tmp_path, monkeypatch):
    storage = storage_with_manifest(tmp_path, "css/bygdevekst.1a2b3c.css")
    worked_out = []
    manifest_url = CompressedManifestStaticFilesStorage.url

    def counted(self, name: str, force: bool = False) -> str:
        worked_out.append(name)
        return manifest_url(self, name, force)

    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "url", counted)
    assert [storage.url(NAME) for _ in range(3)] == ["/static/css/bygdevekst.1a2b3c.css"] * 3
    assert worked_out == [NAME]


def test_collecting_again_in_the_same_process_gives_the_new_urls(tmp_path, settings):
    source = tmp_path / "kjelde" / "css" / "bygdevekst.css"
    source.parent.mkdir(parents=True)
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATICFILES_DIRS = [tmp_path / "kjelde"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "bygdevekst.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path / "samla"
    source.write_text("body { color: black; }")
    call_command("collectstatic", interactive=False, verbosity=0)
    before = staticfiles_storage.url(NAME)
    source.write_text("body { color: green; }")
    later = time.time() + 10  # collectstatic copies only files newer than the collected ones
    os.utime(source, (later, later))
    call_command("collectstatic", interactive=False, verbosity=0)
    after = staticfiles_storage.url(NAME)
    assert re.fullmatch(r"/static/css/bygdevekst\.[0-9a-f]{12}\.css", after), after
    assert after != before and (settings.STATIC_ROOT / after.removeprefix("/static/")).exists()


def test_a_file_missing_from_the_manifest_is_an_error_every_time(tmp_path):
    storage = storage_with_manifest(tmp_path, "css/bygdevekst.1a2b3c.css")
    for _ in range(2):
        with pytest.raises(ValueError):
            storage.url("css/finst-ikkje.css")
