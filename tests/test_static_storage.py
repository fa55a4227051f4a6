"""Static files in production: hashed names from the manifest, each URL worked out once."""

from __future__ import annotations

import json

import pytest

from bygdevekst.storage import StaticFilesStorage

NAME = "css/bygdevekst.css"


def storage_with_manifest(tmp_path, hashed: str) -> StaticFilesStorage:
    manifest = {"version": "1.1", "paths": {NAME: hashed}, "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_urls_come_from_the_manifest_and_are_remembered(tmp_path):
    storage = storage_with_manifest(tmp_path, "css/bygdevekst.1a2b3c.css")
    assert storage.url(NAME) == "/static/css/bygdevekst.1a2b3c.css"
    storage.hashed_files.clear()  # no longer consulted
    assert storage.url(NAME) == "/static/css/bygdevekst.1a2b3c.css"


def test_collecting_again_in_the_same_process_forgets_the_old_urls(tmp_path):
    storage = storage_with_manifest(tmp_path, "css/bygdevekst.1a2b3c.css")
    storage.url(NAME)
    list(storage.post_process({}, dry_run=True))
    storage.hashed_files[NAME] = "css/bygdevekst.4d5e6f.css"  # as the new collection found it
    assert storage.url(NAME) == "/static/css/bygdevekst.4d5e6f.css"


def test_a_file_missing_from_the_manifest_is_an_error_every_time(tmp_path):
    storage = storage_with_manifest(tmp_path, "css/bygdevekst.1a2b3c.css")
    for _ in range(2):
        with pytest.raises(ValueError):
            storage.url("css/finst-ikkje.css")
