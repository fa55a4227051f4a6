"""The lock files agree with pyproject.toml: every exact pin there is the version installed.

requirements.txt (the Dockerfile's) and requirements-dev.txt (`make test`'s and CI's) are
compiled by `make lock`; when a pin in pyproject.toml changes without it, this fails.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*==\s*([^\s;,]+)\s*(?:;.*)?$"
)
LOCK_ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
FROM_PYPROJECT = "bygdevekst (pyproject.toml)"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for requirement in requirements:
        match = PIN.match(requirement)
        assert match, f"pyproject.toml: {requirement!r} is not pinned exactly (name==version)"
        found[normalise(match[1])] = match[2]
    return found


def pyproject_pins() -> tuple[dict[str, str], dict[str, str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return pins(project["dependencies"]), pins(project["optional-dependencies"]["dev"])


class Lock:
    """A lock file as uv or pip-tools write it: name==version, its hashes, then '# via' lines."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.versions: dict[str, str] = {}
        self.hashed: set[str] = set()
        self.direct: set[str] = set()  # required by pyproject.toml itself, by the '# via' lines
        current = None
        for line in (ROOT / filename).read_text().splitlines():
            if match := LOCK_ENTRY.match(line):
                current = normalise(match[1])
                self.versions[current] = match[2]
            elif current and "--hash=sha256:" in line:
                self.hashed.add(current)
            elif current and via(line) == FROM_PYPROJECT:
                self.direct.add(current)

    def disagreements(self, wanted: dict[str, str]) -> dict[str, tuple[str, str]]:
        """{name: (wanted version, locked version or 'missing')} where they differ."""
        return {
            name: (version, self.versions.get(name, "missing"))
            for name, version in wanted.items()
            if self.versions.get(name) != version
        }


def via(line: str) -> str:
    """'    # via django' and '    #   django' (one of a list under '# via') both give 'django'."""
    return line.strip().removeprefix("#").strip().removeprefix("via ")


@pytest.fixture(scope="module")
def runtime_lock() -> Lock:
    return Lock("requirements.txt")


@pytest.fixture(scope="module")
def dev_lock() -> Lock:
    return Lock("requirements-dev.txt")


def test_every_runtime_pin_is_the_version_in_both_lock_files(runtime_lock, dev_lock):
    runtime, _ = pyproject_pins()
    for lock in (runtime_lock, dev_lock):
        wrong = lock.disagreements(runtime)
        assert not wrong, f"{lock.filename} disagrees with pyproject.toml; run `make lock`: {wrong}"


def test_every_dev_pin_is_the_version_in_the_dev_lock_file(dev_lock):
    _, dev = pyproject_pins()
    wrong = dev_lock.disagreements(dev)
    assert not wrong, (
        f"requirements-dev.txt disagrees with pyproject.toml; run `make lock`: {wrong}"
    )


def test_the_lock_files_hold_no_other_direct_dependencies(runtime_lock, dev_lock):
    # A dependency dropped from pyproject.toml but still locked, say.
    runtime, dev = pyproject_pins()
    assert runtime_lock.direct == set(runtime), "requirements.txt: run `make lock`"
    assert dev_lock.direct == set(runtime) | set(dev), "requirements-dev.txt: run `make lock`"


def test_the_dev_lock_holds_the_runtime_lock_unchanged(runtime_lock, dev_lock):
    # What CI tests (the dev lock) is what the Docker image ships (the runtime lock), plus tools.
    differ = dev_lock.disagreements(runtime_lock.versions)
    assert not differ, f"requirements.txt vs requirements-dev.txt: {differ}"


def test_every_locked_package_has_hashes(runtime_lock, dev_lock):
    # pip checks hashes for all or none: one entry without them stops the whole install.
    for lock in (runtime_lock, dev_lock):
        assert lock.versions, f"{lock.filename} lists no packages"
        missing = sorted(lock.versions.keys() - lock.hashed)
        assert not missing, f"{lock.filename}: no hashes for {missing}"
