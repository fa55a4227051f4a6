"""Hostile plan files (scripts/make_hostile_plan_files.py): each refused with a clear message
and its line, in bounded time and memory, leaving the database as it was."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import time
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from tests.support import ROOT, dump_database

MAX_SECONDS = 5
MAX_MEMORY = 200 * 1024 * 1024


def _generator():
    path = ROOT / "scripts" / "make_hostile_plan_files.py"
    spec = importlib.util.spec_from_file_location("make_hostile_plan_files", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


HOSTILE = {hostile.name: hostile for hostile in _generator().hostile_plan_files()}

# What the operator reads, by file; {line} is the line the generator changed.
EXPECTED = {
    "misspelt-key.yaml": "sub_goals[0].measures[0].partnerz (linje {line}): "
    "ukjend nøkkel 'partnerz' – meinte du 'partners'?",
    "duplicate-key.yaml": "agreement.pilot_name (linje {line}): "
    "nøkkelen 'pilot_name' står to gonger (først på linje {previous})",
    "nul-escaped.yaml": "sub_goals[0].measures[0].title (linje {line}): "
    "teksten inneheld NUL-teiknet (\\0), som ikkje er tillate",
    "nul-raw.yaml": "linje {line}: teiknet #x0000 er ikkje tillate i ei planfil",
    "long-title.yaml": "sub_goals[0].measures[0].title (linje {line}): "
    "verdien kan ikkje ha fleire enn 200 teikn (den har 100000)",
    "impossible-date.yaml": "agreement.signed_on (linje {line}): "
    "'2025-02-30' er ikkje eit gyldig dato",
    "huge-amount.yaml": "budget.amounts.delmal-1.2025.kdd-1350-post-66 (linje {line}): "
    "beløpet er urimeleg stort; grensa er 1\xa0000\xa0000\xa0000\xa0000 kr",
    "endless-number.yaml": "budget.amounts.delmal-1.2025.kdd-1350-post-66 (linje {line}): "
    "'9999999999999999999999999999999999999999…' er ikkje eit gyldig tal",
    "infinite-amount.yaml": "budget.amounts.delmal-1.2025.kdd-1350-post-66 (linje {line}): "
    "beløpet skal vere heile kroner, ikkje inf",
    "endless-period.yaml": "agreement.last_year (linje {line}): "
    "verdien må vere mindre enn eller lik 2100",
    "wrong-type.yaml": "sub_goals[0].weight (linje {line}): skal vere eit heiltal, ikkje 'seksti'",
    "long-unknown-key.yaml": "agreement.kkkk",
    "python-tag.yaml": "linje {line}: merkelappar som "
    "'tag:yaml.org,2002:python/object/apply:os.system' er ikkje tillatne i ei planfil",
    "merge-key.yaml": "agreement.<< (linje {line}): "
    "fletting med «<<» er ikkje tillaten i ei planfil",
    "snapshot-with-unknown-key.yaml": "revisions[0].snapshot.tull (linje {line}): "
    "ukjend nøkkel 'tull'; lovlege nøklar her: format, organisations, agreement, sub_goals, "
    "budget",
    "not-utf8.yaml": "not-utf8.yaml: linje {line}: fila er ikkje UTF-8-tekst",
    "billion-laughs.yaml": "linje {line}: "
    "ankrar og alias (&namn, *namn) er ikkje tillatne i ei planfil",
    "deep-nesting.yaml": "linje {line}: fila er nesta djupare enn 20 nivå",
    "too-many-values.yaml": "linje {line}: fila har meir enn 100\xa0000 verdiar",
    "too-large.yaml": "too-large.yaml: fila er større enn 5 MB; "
    "ei planfil kan ikkje vere så stor. Ingenting er lagra.",
    "not-a-mapping.yaml": "linje {line}: fila skal vere ein oppslagstabell (nøkkel: verdi)",
    "empty.yaml": "linje {line}: fila skal vere ein oppslagstabell (nøkkel: verdi)",
}


def test_every_hostile_file_has_its_expected_message():
    assert sorted(HOSTILE) == sorted(EXPECTED)


def database_hash() -> str:
    return hashlib.sha256(repr(dump_database()).encode()).hexdigest()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_hostile_plan_file_is_refused_quickly_and_changes_nothing(seed, tmp_path, name):
    hostile = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(hostile.content)
    before = database_hash()

    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(CommandError) as refused:
            call_command("import_plan", str(path))
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    message = str(refused.value)
    expected = EXPECTED[name].format(line=hostile.line, previous=(hostile.line or 0) - 1)
    assert expected in message, message
    assert "Traceback" not in message and len(message) < 2000
    assert database_hash() == before
    assert seconds < MAX_SECONDS, f"{name}: {seconds:.1f} s"
    assert peak < MAX_MEMORY, f"{name}: {peak / 1e6:.0f} MB"
