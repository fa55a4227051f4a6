"""Migrations are history: they carry their own SQL and never import the app's code."""

from __future__ import annotations

import ast

import pytest

from tests.support import ROOT

PROJECT_PACKAGES = {"bygdevekst", "measures", "budget", "reporting"}
MIGRATIONS = sorted(ROOT.glob("*/migrations/0*.py"))


def _imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_there_are_migrations_to_check():
    assert {path.parent.parent.name for path in MIGRATIONS} == {"measures", "budget", "reporting"}


@pytest.mark.parametrize(
    "path", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.name}"
)
def test_a_migration_imports_no_app_code(path):
    app_imports = {m for m in _imported_modules(path) if m.split(".")[0] in PROJECT_PACKAGES}
    assert app_imports == set(), f"{path.name} imports {app_imports}: freeze what it needs"
