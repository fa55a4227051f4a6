"""Organisations a plan file would change that other agreements use as well.

The register is shared by every agreement on the installation. A plan file may add
organisations to it and change the ones only its own agreement uses; a change to one another
agreement uses is refused in the browser and by `import_plan` (the function), and made by an
operator only: in the admin, or with the command `import_plan`, which says what it changed.
The rule of who uses an organisation is measures.organisations.shared_with.
"""

from __future__ import annotations

from dataclasses import dataclass

from measures.models import Agreement, Organisation
from measures.organisations import shared_refusal, shared_with

from .problems import Problem

FIELDS = ("name", "short_name", "kind")


@dataclass(frozen=True)
class SharedChange:
    """A change the file makes to an organisation other agreements use: which entry of the
    file's list, the organisation as it is, the fields changed, and the other agreements."""

    index: int
    organisation: Organisation
    fields: tuple[str, ...]
    others: tuple[Agreement, ...]

    def problems(self, line_of=lambda path: None) -> list[Problem]:
        """A problem at each changed field of the entry, with its line if `line_of` knows it."""
        message = shared_refusal(self.organisation, list(self.others))
        paths = [f"organisations[{self.index}].{field}" for field in self.fields]
        return [Problem(path, message, line_of(path)) for path in paths]


def shared_changes(plan: dict) -> list[SharedChange]:
    """The organisations the parsed plan changes that an agreement other than its own uses."""
    agreement = Agreement.objects.filter(slug=plan["agreement"]["slug"]).first()
    rows = plan["organisations"]
    known = Organisation.objects.in_bulk([row["key"] for row in rows], field_name="key")
    changes = []
    for index, row in enumerate(rows):
        organisation = known.get(row["key"])
        if organisation is None:
            continue  # a new organisation: this agreement is the first to use it
        fields = tuple(f for f in FIELDS if getattr(organisation, f) != row[f])
        if fields and (others := shared_with(organisation, agreement)):
            changes.append(SharedChange(index, organisation, fields, tuple(others)))
    return changes


def shared_problems(plan: dict) -> list[Problem]:
    """The problems of every shared change, without lines (the parsed plan has none)."""
    return [problem for change in shared_changes(plan) for problem in change.problems()]
