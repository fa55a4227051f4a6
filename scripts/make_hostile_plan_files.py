"""scripts/make_hostile_plan_files.py DIR: write hostile plan files, each for import_plan to refuse.

Each file is the seed (fixtures/vest-telemark-2025.yaml) with one hostile change, or a few lines
of its own: misspelt and duplicate keys, NUL characters, over-long texts, impossible dates and
amounts, deep nesting, a billion laughs, a file too large, too many values, bytes that are not
UTF-8, YAML tags. tests/hostile/test_plan_files.py builds them with `hostile_plan_files()` and
checks that each is refused with its message and line, in bounded time and memory, leaving
the database as it was. Plain Python, no Django:

    python scripts/make_hostile_plan_files.py /tmp/hostile
    for f in /tmp/hostile/*.yaml; do .venv/bin/python manage.py import_plan "$f"; done
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "vest-telemark-2025.yaml"


@dataclass(frozen=True)
class HostileFile:
    """One hostile plan file: its name, the attack, its bytes, and the line it must be named at."""

    name: str
    what: str
    content: bytes
    line: int | None = None


def hostile_plan_files(seed: str | None = None) -> list[HostileFile]:
    """Every hostile plan file, made from the seed's text."""
    seed = seed if seed is not None else SEED.read_text(encoding="utf-8")
    return [*_edits_of(seed), *_files_of_their_own(seed)]


def _edits_of(seed: str) -> list[HostileFile]:
    """The seed with one line changed (or added after it), and the number of the line changed."""
    first_title = "    title: Samarbeid om innsiktsarbeid og kartlegging for bustadstrategi"
    edits = [
        ("misspelt-key", "a misspelt key (partners)", "    partners:", ["    partnerz:"]),
        (
            "duplicate-key",
            "a key twice in one mapping (YAML keeps the last)",
            "  pilot_name: Vest-Telemarkpiloten",
            ["  pilot_name: Vest-Telemarkpiloten", "  pilot_name: Ein annan pilot"],
        ),
        (
            "nul-escaped",
            "a NUL character written as \\0",
            first_title,
            ['    title: "Samarbeid\\0"'],
        ),
        ("nul-raw", "a NUL byte in the text", first_title, ["    title: Samarbeid\0om"]),
        (
            "long-title",
            "a title of 100 000 characters",
            first_title,
            ["    title: " + "x" * 100_000],
        ),
        ("impossible-date", "30 February", "  signed_on: 2025-06-02", ["  signed_on: 2025-02-30"]),
        (
            "huge-amount",
            "an amount of 10^30 kroner",
            "        kdd-1350-post-66: 500000",
            ["        kdd-1350-post-66: 1" + "0" * 30],
        ),
        (
            "endless-number",
            "a number of 5 000 digits (more than Python converts)",
            "        kdd-1350-post-66: 500000",
            ["        kdd-1350-post-66: " + "9" * 5000],
        ),
        (
            "infinite-amount",
            "an amount of .inf",
            "        kdd-1350-post-66: 500000",
            ["        kdd-1350-post-66: .inf"],
        ),
        (
            "endless-period",
            "a period ending in the year 10^30 (every year of it would be listed)",
            "  last_year: 2028",
            ["  last_year: 1" + "0" * 30],
        ),
        ("wrong-type", "a weight in words", "  weight: 60", ["  weight: seksti"]),
        (
            "long-unknown-key",
            "an unknown key of 1 000 characters (YAML allows no longer a plain key)",
            "  pilot_name: Vest-Telemarkpiloten",
            ["  pilot_name: Vest-Telemarkpiloten", "  " + "k" * 1000 + ": 1"],
        ),
        (
            "python-tag",
            "a tag that asks PyYAML to run a command",
            "  pilot_name: Vest-Telemarkpiloten",
            ['  pilot_name: !!python/object/apply:os.system ["echo sårbar"]'],
        ),
        (
            "merge-key",
            "a merge key, the way to hide one key behind another",
            "  pilot_name: Vest-Telemarkpiloten",
            ["  <<: {pilot_name: Ein annan pilot}"],
        ),
        (
            "snapshot-with-unknown-key",
            "a revision's snapshot with a key no plan has",
            "  status: approved",
            ["  status: approved", "  snapshot:", "    format: bygdevekst-plan/1", "    tull: 1"],
        ),
    ]
    files = []
    for name, what, old, new in edits:
        text, line = _replace_line(seed, old, new)
        if name in {"duplicate-key", "long-unknown-key"}:
            line += 1
        elif name == "snapshot-with-unknown-key":
            line += 3
        files.append(HostileFile(f"{name}.yaml", what, text.encode("utf-8"), line))
    latin, line = _replace_line(seed, first_title, ["    title: Bustadstrategi for @"])
    files.append(
        HostileFile(
            "not-utf8.yaml",
            "a title in Latin-1, not UTF-8",
            latin.encode("utf-8").replace(b"for @", "for Tøkke".encode("latin-1")),
            line,
        )
    )
    return files


def _files_of_their_own(seed: str) -> list[HostileFile]:
    laughs = ["format: bygdevekst-plan/1", 'lol0: &lol0 ["lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        laughs.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 10) + "]")
    return [
        HostileFile(
            "billion-laughs.yaml",
            "aliases that expand to 5 * 10^9 strings",
            ("\n".join(laughs) + "\n").encode("utf-8"),
            2,
        ),
        HostileFile(
            "deep-nesting.yaml",
            "5 000 levels of lists",
            ("format: bygdevekst-plan/1\nsub_goals: " + "[" * 5000 + "]" * 5000 + "\n").encode(),
            2,
        ),
        HostileFile(
            "too-many-values.yaml",
            "a million values in 2 MB",
            ("format: bygdevekst-plan/1\nsub_goals: [" + "0," * 1_000_000 + "0]\n").encode(),
            2,
        ),
        HostileFile(
            "too-large.yaml",
            "the seed with 6 MB of comment after it",
            (seed + "# " + "x" * 6_000_000 + "\n").encode("utf-8"),
        ),
        HostileFile("not-a-mapping.yaml", "a list, not a plan", b"- ei\n- liste\n", 1),
        HostileFile("empty.yaml", "nothing at all", b"", 1),
    ]


def _replace_line(text: str, old: str, new: list[str]) -> tuple[str, int]:
    """The text with the first line `old` replaced by `new`, and that line's number (1-based)."""
    lines = text.split("\n")
    index = lines.index(old)
    return "\n".join([*lines[:index], *new, *lines[index + 1 :]]), index + 1


def main(directory: str) -> None:
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    for hostile in hostile_plan_files():
        (target / hostile.name).write_bytes(hostile.content)
        print(f"{hostile.name}: {hostile.what}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
