"""What applying a plan file would change: the plan in the database against the file, both as
`parse_plan` reads them, counted and named part by part."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from measures.models import Agreement, Organisation
from reporting.plan_file import export_plan, parse_plan
from reporting.plan_file.exporter import exported_data


@dataclass
class PartChanges:
    """One part of the plan (sub-goals, measures …): the names added, changed and removed."""

    label: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class PlanPreview:
    """The agreement the file is for (None: a new one) and what applying it changes."""

    slug: str
    name: str
    agreement: Agreement | None
    agreement_changed: list[str]
    parts: list[PartChanges]

    @property
    def removes(self) -> list[PartChanges]:
        """The parts the file removes something from: a replacement is destructive."""
        return [part for part in self.parts if part.removed]

    @property
    def changes_anything(self) -> bool:
        return (
            self.agreement is None
            or bool(self.agreement_changed)
            or any(part.any for part in self.parts)
        )


def fingerprint(agreement: Agreement | None) -> str:
    """What the agreement holds now, as a hash of what its plan file holds ("" for none): the
    preview was of a change from this, and is refused if the plan has changed since. The data
    is hashed as JSON, which is written many times faster than the file's YAML."""
    if agreement is None:
        return ""
    data = json.dumps(exported_data(agreement), ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def _compare(label, old: list[dict], new: list[dict], key, name) -> PartChanges:
    before = {key(row): row for row in old}
    after = {key(row): row for row in new}
    return PartChanges(
        label,
        added=[name(row) for k, row in after.items() if k not in before],
        changed=[name(row) for k, row in after.items() if k in before and before[k] != row],
        removed=[name(row) for k, row in before.items() if k not in after],
    )


def _measures(plan: dict) -> list[dict]:
    return [
        m | {"code": f"{g['number']}.{m['number']}"}
        for g in plan["sub_goals"]
        for m in g["measures"]
    ]


def _organisations(plan: dict) -> PartChanges:
    """Organisations are shared by every agreement: added to the register or changed there."""
    keys = [o["key"] for o in plan["organisations"]]
    known = {o.key: o for o in Organisation.objects.filter(key__in=keys)}
    part = PartChanges(_("Organisasjonar i registeret"))
    for row in plan["organisations"]:
        org = known.get(row["key"])
        if org is None:
            part.added.append(row["name"])
        elif (org.name, org.short_name, org.kind) != (row["name"], row["short_name"], row["kind"]):
            part.changed.append(row["name"])
    return part


def preview_plan(plan: dict) -> PlanPreview:
    """Compare a parsed plan file with the agreement of its slug as it is now."""
    slug = plan["agreement"]["slug"]
    agreement = Agreement.objects.filter(slug=slug).first()
    empty = {
        "sub_goals": [],
        "budget": {"lines": [], "sources": [], "amounts": {}},
        "revisions": [],
        "money": {"accounts": []},
    }
    old = parse_plan(export_plan(agreement)) if agreement else empty
    old_goals = old["sub_goals"]
    changed_fields = []
    if agreement is not None:
        before = {k: v for k, v in old["agreement"].items()}
        changed_fields = [k for k, v in plan["agreement"].items() if before.get(k) != v]
    without_measures = [{k: v for k, v in g.items() if k != "measures"} for g in old_goals]
    amounts = _amounts(old["budget"]["amounts"], plan["budget"]["amounts"])
    parts = [
        _organisations(plan),
        _compare(
            _("Delmål"),
            without_measures,
            [{k: v for k, v in g.items() if k != "measures"} for g in plan["sub_goals"]],
            lambda g: g["number"],
            lambda g: f"{g['number']}. {g['title']}",
        ),
        _compare(
            _("Tiltak"),
            _measures(old),
            _measures(plan),
            lambda m: m["key"],
            lambda m: f"{m['code']} {m['title']}",
        ),
        _compare(
            _("Budsjettliner"),
            old["budget"]["lines"],
            plan["budget"]["lines"],
            lambda line: line["key"],
            lambda line: line["title"],
        ),
        _compare(
            _("Finansieringskjelder"),
            old["budget"]["sources"],
            plan["budget"]["sources"],
            lambda s: s["key"],
            lambda s: (
                s["name"]
                + (gettext(" (statleg medfinansiering)") if s["state_cofinancing"] else "")
            ),
        ),
        amounts,
        _compare(
            _("Handlingsplanar (rulleringar)"),
            old["revisions"],
            plan["revisions"],
            lambda r: r["year"],
            lambda r: gettext("Handlingsplan %(year)s") % {"year": r["year"]},
        ),
        _compare(
            _("Rekneskapar"),
            old["money"]["accounts"],
            plan["money"]["accounts"],
            lambda a: a["year"],
            lambda a: gettext("Rekneskap %(year)s") % {"year": a["year"]},
        ),
    ]
    return PlanPreview(slug, plan["agreement"]["name"], agreement, changed_fields, parts)


def _amounts(old: dict, new: dict) -> PartChanges:
    """The budget's cells, named line · year · source."""
    part = PartChanges(_("Beløp i budsjettet"))
    name = " · ".join
    for cell, kroner in new.items():
        if cell not in old:
            part.added.append(name(map(str, cell)))
        elif old[cell] != kroner:
            part.changed.append(name(map(str, cell)))
    part.removed = [name(map(str, cell)) for cell in old if cell not in new]
    return part
