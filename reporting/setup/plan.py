"""A new agreement from the setup form: written as a plan file and imported by `import_plan`,
so an agreement set up in the browser is exactly what the same file would import."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from access.models import Role
from measures.models import Agreement, Organisation
from reporting.plan_data.schema import FORMAT
from reporting.plan_file import PlanFileError, Problem, import_plan, parse_plan
from reporting.plan_file.exporter import plan_text
from reporting.revision.models import Revision, RevisionEvent

from .forms import slug_of


def _unique_keys(names: Iterable[str], taken: set[str]) -> list[str]:
    """A key for each name, made of it, none in `taken` nor used twice (suffixes -2, -3 …)."""
    keys = []
    for name in names:
        base = slug_of(name)
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base[: 80 - len(str(n)) - 1]}-{n}"
        taken.add(key)
        keys.append(key)
    return keys


def setup_plan(
    agreement: dict,
    *,
    parties: list[Organisation],
    new_organisations: list[dict],
    sub_goals: list[dict],
    lines: list[dict],
    sources: list[dict],
) -> dict:
    """The plan file (as data) of a new agreement: its parties, sub-goals each with its budget
    line, the other budget lines, the sources, and a draft of its first yearly revision."""
    taken = set(Organisation.objects.values_list("key", flat=True))
    new_keys = _unique_keys([o["name"] for o in new_organisations], taken)
    organisations = [
        {"key": o.key, "name": o.name, "short_name": o.short_name, "kind": o.kind} for o in parties
    ] + [
        {"key": key, "name": o["name"], "short_name": o["short_name"], "kind": o["kind"]}
        for key, o in zip(new_keys, new_organisations, strict=True)
    ]
    goal_rows = [
        {"number": n, "title": g["title"], "main_goal": g["main_goal"], "weight": g["weight"]}
        for n, g in enumerate(sub_goals, start=1)
    ]
    line_titles = [g["title"] for g in sub_goals] + [line["title"] for line in lines]
    line_keys = _unique_keys(line_titles, set())
    budget_lines = [
        {"key": key, "number": n, "title": title, "sub_goal": n if n <= len(sub_goals) else None}
        for n, (key, title) in enumerate(zip(line_keys, line_titles, strict=True), start=1)
    ]
    source_keys = _unique_keys([s["name"] for s in sources], set())
    return {
        "format": FORMAT,
        "organisations": organisations,
        "agreement": {
            "slug": agreement["slug"],
            "name": agreement["name"],
            "pilot_name": agreement["pilot_name"],
            "language": agreement["language"],
            "first_year": agreement["first_year"],
            "last_year": agreement["last_year"],
            "parties": [o["key"] for o in organisations],
        },
        "sub_goals": goal_rows,
        "budget": {
            "lines": budget_lines,
            "sources": [
                {"key": key, "name": s["name"], "state_cofinancing": s["state_cofinancing"]}
                for key, s in zip(source_keys, sources, strict=True)
            ],
        },
        "revisions": [
            {
                "year": agreement["revision_year"],
                "status": Revision.Status.DRAFT.value,
                "events": [{"kind": RevisionEvent.Kind.STARTED.value, "at": timezone.now()}],
            }
        ],
    }


@transaction.atomic
def create_agreement(*, plan: dict, user, become_editor: bool) -> Agreement:
    """Import the new agreement's plan file; the creator gets the editor role if asked.

    Refused (PlanFileError) if its key is taken: an import would replace that agreement.
    """
    slug = plan["agreement"]["slug"]
    if Agreement.objects.select_for_update().filter(slug=slug).exists():
        raise PlanFileError(
            [Problem("agreement.slug", gettext("det finst alt ei avtale med nøkkelen %s") % slug)]
        )
    agreement = import_plan(parse_plan(plan_text(plan)))
    # The file names no users: the revision was started by the agreement's creator.
    for event in RevisionEvent.objects.filter(revision__agreement=agreement):
        event.user = user
        event.save(update_fields=["user"])
    if become_editor:
        Role.objects.create(user=user, agreement=agreement, kind=Role.Kind.EDITOR)
    return agreement
