"""The code stays easy to find one's way in: small modules, the apps' layering, tests apart.

Read with `ast`, so every import counts, at any level of a module, relative ones resolved.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (
    "bygdevekst",
    "limits",
    "access",
    "measures",
    "budget",
    "money",
    "reporting",
    "public",
    "scripts",
)
MAX_LINES = 450
# Folders whose modules may still be longer; none are left.
NOT_YET_SPLIT: tuple[str, ...] = ()
# Each app may import those before it, never those after: access ← measures ← budget ← money ←
# reporting.
# access (who may do what) knows agreements and organisations only as the targets of its models'
# relations, named by string; measures holds the plan only.
LAYERS = ("access", "measures", "budget", "money", "reporting", "public")


def python_files(folder: str) -> Iterator[Path]:
    yield from sorted((ROOT / folder).rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> Iterator[tuple[int, str]]:
    """Every module the file imports, by line: `from a import b` gives `a` and `a.b` (b may be
    a module); a relative import resolved against the file's package."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(_without_type_checking_blocks(tree)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            if node.module:
                yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}" if module else alias.name


def _without_type_checking_blocks(tree: ast.Module) -> ast.Module:
    """The tree without `if TYPE_CHECKING:` blocks: imports for annotations never run."""

    class Strip(ast.NodeTransformer):
        def visit_If(self, node: ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            return None if name == "TYPE_CHECKING" else self.generic_visit(node)

    return Strip().visit(tree)


def test_no_module_outside_migrations_is_over_450_lines():
    too_long = {}
    for folder in SOURCE:
        for path in python_files(folder):
            name = relative(path)
            if "/migrations/" in name or name.startswith(NOT_YET_SPLIT):
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                too_long[name] = lines
    assert too_long == {}, f"split these by concept (at most {MAX_LINES} lines each)"


def test_no_app_imports_an_app_built_on_it():
    wrong = []
    for index, app in enumerate(LAYERS):
        later = LAYERS[index + 1 :]
        for path in python_files(app):
            for line, module in imported(path):
                if module.split(".")[0] in later:
                    wrong.append(f"{relative(path)}:{line} imports {module}")
    assert wrong == [], f"the layering is {' ← '.join(LAYERS)}"


def test_no_test_module_imports_another_or_a_conftest():
    """Shared test code lives in modules that are neither: tests.support, tests.factories,
    tests.svg, tests/hostile/workbooks.py, tests/races/race.py."""
    wrong = []
    for path in python_files("tests"):
        for line, module in imported(path):
            parts = module.split(".")
            if parts[0] == "tests" and any(
                part == "conftest" or part.startswith("test_") for part in parts[1:]
            ):
                wrong.append(f"{relative(path)}:{line} imports {module}")
    assert wrong == []


# Inside reporting, its packages import one way, each only those before it; packages on the same
# level (a tuple) not each other. The modules at reporting's top (views, steps, front …) join
# them up and may import any.
REPORTING_LAYERS = ("plan_data", "revision", ("outputs", "plan_file"), ("setup", "accounts"))


def _reporting_level(package: str) -> int | None:
    for level, layer in enumerate(REPORTING_LAYERS):
        if package == layer or (isinstance(layer, tuple) and package in layer):
            return level
    return None


def _reporting_package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "reporting" else None


def reporting_imports() -> Iterator[tuple[str, int, str, str]]:
    """(file, line, importing package, imported package) across reporting's packages."""
    for path in python_files("reporting"):
        package = _reporting_package(module_name(path))
        if package is None or _reporting_level(package) is None:
            continue
        for line, module in imported(path):
            target = _reporting_package(module)
            if target is not None and target != package:
                yield relative(path), line, package, target


def test_every_package_of_reporting_has_its_place_in_the_layers():
    packages = {p.parent.name for p in (ROOT / "reporting").glob("*/__init__.py")}
    unplaced = {p for p in packages if _reporting_level(p) is None} - {
        "migrations",
        "management",
        "templatetags",
    }
    assert unplaced == set(), "add them to REPORTING_LAYERS"


def test_reporting_packages_import_one_way_only():
    wrong = [
        f"{file}:{line} ({package}) imports {target}"
        for file, line, package, target in reporting_imports()
        if _reporting_level(target) is not None
        and _reporting_level(target) >= _reporting_level(package)
    ]
    assert wrong == [], f"the layering is {REPORTING_LAYERS}"


def test_the_reporting_layer_check_fails_on_a_cycle():
    """A cycle needs an import up or sideways, which the check above refuses: shown here."""
    up = _reporting_level("revision") >= _reporting_level("outputs")
    sideways = _reporting_level("plan_file") >= _reporting_level("outputs")
    assert not up and sideways


def test_the_plan_app_holds_the_plan_only():
    """Roles, rules, invitations, accounts and logging in live in access, not beside the plan."""
    access_words = ("role", "rule", "invitation", "account", "backend", "login", "password")
    stray = [
        relative(path)
        for path in python_files("measures")
        if "/migrations/" not in relative(path) and any(word in path.stem for word in access_words)
    ]
    assert stray == []


def test_the_layer_check_skips_only_imports_for_annotations():
    source = "from measures.models import Agreement\nif TYPE_CHECKING:\n    import reporting\n"
    tree = _without_type_checking_blocks(ast.parse(source))
    modules = [
        node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert modules == ["measures.models"]


# The public face reads what reporting renders, never its workflow: the frozen plan's data, the
# outputs made of it, and the models (the approved revision and its snapshot).
PUBLIC_READS_FROM_REPORTING = ("reporting.plan_data", "reporting.outputs", "reporting.models")


def test_public_reads_only_reporting_plan_data_outputs_and_models():
    wrong = [
        f"{relative(path)}:{line} imports {module}"
        for path in python_files("public")
        for line, module in imported(path)
        if module.split(".")[0] == "reporting"
        and module != "reporting"
        and not module.startswith(PUBLIC_READS_FROM_REPORTING)
    ]
    assert wrong == []


def test_nothing_imports_the_public_app():
    """Only the root URLs name it, by string (include("public.urls"))."""
    wrong = [
        f"{relative(path)}:{line} imports {module}"
        for folder in SOURCE
        if folder != "public"
        for path in python_files(folder)
        for line, module in imported(path)
        if module.split(".")[0] == "public"
    ]
    assert wrong == []
