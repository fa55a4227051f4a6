"""The nn and nb catalogues are complete, compiled, and up to date with the source.

Nynorsk is the source language (docs/translations.md): every msgid is Nynorsk, the nn catalogue
repeats it as msgstr, the nb catalogue translates it. Both also fill gaps in Django's own
catalogues (entries commented "from django ..."). `make messages` updates and compiles them.
"""

from __future__ import annotations

import gettext
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

from tests.support import ROOT

LOCALE = ROOT / "locale"
LANGUAGES = ["nn", "nb"]
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
# The folders scripts/make-messages does not read strings from (its --ignore list).
NOT_SOURCE = {"tests", "node_modules", "staticfiles", "scripts", "docs", "static", "fixtures"}
NOT_SOURCE |= {"media", "test-artifacts", "locale"}


def source_folders() -> list[Path]:
    """The project's folders that makemessages reads, as scripts/make-messages runs it."""
    return [
        path
        for path in sorted(ROOT.iterdir())
        if path.is_dir()
        and path.name not in NOT_SOURCE
        and not path.name.startswith(".")
        and not path.name.endswith(".egg-info")
    ]


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def from_django(self) -> bool:
        """A translation filling a gap in Django's own catalogue."""
        return any(c.startswith("#. from django") for c in self.comments)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (without obsolete ones): a parser just big enough for ours."""
    entries, current, part = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or line.startswith("#~"):
            if current is not None and not line.startswith("#~"):
                entries.append(current)
                current = None
            continue
        current = current or Entry()
        if line.startswith("#,"):
            current.flags += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            current.comments.append(line)
        elif match := re.match(
            r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (\".*\")$", line
        ):
            part = match.group(1) if not match.group(1).startswith("msgstr") else int(match[2] or 0)
            _append(current, part, json.loads(match.group(3)), new=True)
        else:
            _append(current, part, json.loads(line), new=False)
    return entries


def _append(entry: Entry, part, text: str, new: bool) -> None:
    if isinstance(part, int):
        entry.msgstr[part] = ("" if new else entry.msgstr[part]) + text
    else:
        setattr(entry, part, ("" if new else getattr(entry, part)) + text)


def messages(path: Path) -> list[Entry]:
    return [entry for entry in parse_po(path) if entry.msgid]


def test_both_languages_have_catalogues():
    for language in LANGUAGES:
        assert (LOCALE / language / "LC_MESSAGES" / "django.po").exists(), language


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_no_string_is_untranslated_or_fuzzy(path):
    entries = parse_po(path)
    assert "fuzzy" not in entries[0].flags, "the header is fuzzy"
    untranslated = [e.msgid for e in entries[1:] if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries[1:] if "fuzzy" in e.flags]
    assert untranslated == [], f"untranslated in {path}"
    assert fuzzy == [], f"fuzzy in {path}"


def test_nynorsk_says_each_project_string_as_written():
    for entry in messages(LOCALE / "nn" / "LC_MESSAGES" / "django.po"):
        if not entry.from_django:
            plural = entry.msgid_plural or entry.msgid
            expected = {0: entry.msgid, 1: plural} if entry.msgid_plural else {0: entry.msgid}
            assert entry.msgstr == expected, entry.msgid


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_each_compiled_catalogue_matches_its_source(path):
    with path.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    expected = {}
    for entry in messages(path):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            expected |= {(key, n): text for n, text in entry.msgstr.items()}
        else:
            expected[key] = entry.msgstr[0]
    compiled = {k: v for k, v in catalogue.items() if k != ""}
    assert compiled == expected, f"{path.with_suffix('.mo')} is stale: run make messages"


def test_the_catalogues_hold_every_string_of_the_source_and_no_other(tmp_path):
    """makemessages over a copy of the project: its msgids are the catalogues' msgids."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install the Debian package gettext")
    copy = tmp_path / "project"
    for folder in source_folders():
        shutil.copytree(folder, copy / folder.name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy)
    (copy / "locale").mkdir()
    command = [sys.executable, "manage.py", "makemessages", "--locale", "nn", "--domain", "django"]
    command += ["--extension", "html,txt,py,svg", "--verbosity", "0"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bygdevekst.test_settings", "DEBUG": "true"}
    subprocess.run(command, cwd=copy, env=env, check=True)
    source = {_key(e) for e in messages(copy / "locale" / "nn" / "LC_MESSAGES" / "django.po")}
    for language in LANGUAGES:
        path = LOCALE / language / "LC_MESSAGES" / "django.po"
        catalogue = {_key(e) for e in messages(path) if not e.from_django}
        assert sorted(source - catalogue) == [], f"missing from {path}: run make messages"
        assert sorted(catalogue - source) == [], f"no longer in the source, in {path}"


def _key(entry: Entry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


# What the pages show of Django's own words: form errors and the login and password forms.
DJANGO_UI_STRINGS = [
    "This field is required.",
    "Enter a valid email address.",
    "Select a valid choice. %(value)s is not one of the available choices.",
    "Enter a whole number.",
    "Enter a valid date.",
    "Please enter a correct %(username)s and password. Note that both fields may be "
    "case-sensitive.",
    "This account is inactive.",
    "Your old password was entered incorrectly. Please enter it again.",
    "The two password fields didn’t match.",  # noqa: RUF001 - Django's msgid
    "Old password",
    "New password",
    "New password confirmation",
    "username",
    "Password",
    "This password is too common.",
    "This password is entirely numeric.",
    "Enter a valid username. This value may contain only unaccented lowercase a-z and "
    "uppercase A-Z letters, numbers, and @/./+/-/_ characters.",
    "Central Kurdish (Sorani)",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_djangos_own_words_on_the_pages_are_translated(language):
    with translation.override(language):
        untranslated = [text for text in DJANGO_UI_STRINGS if translation.gettext(text) == text]
    assert untranslated == []


def test_bokmal_and_nynorsk_differ_where_they_should():
    with translation.override("nb"):
        assert translation.gettext("Hovudansvarleg") == "Hovedansvarlig"
        assert translation.gettext("This field is required.") == "Feltet er påkrevet."
    with translation.override("nn"):
        assert translation.gettext("Hovudansvarleg") == "Hovudansvarleg"
