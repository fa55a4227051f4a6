"""Writing a parsed plan to the database: `import_plan`, all or nothing, idempotent."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model
from simple_history.utils import bulk_create_with_history

from budget.models import Amount, Footnote, FundingSource
from measures.models import (
    Agreement,
    Involvement,
    Measure,
    Membership,
    Organisation,
    Section,
)
from measures.plan_order import park

from .checks import _PARKING_START
from .money_importer import import_money, prune_money, refuse_frozen_money
from .problems import PlanFileError
from .revision_importer import _import_revisions
from .rows import sync_row, synced
from .shared import shared_problems


def _park_renumbered(rows: list[Model], wanted: dict[int, tuple], fields: tuple[str, ...]) -> None:
    """Move rows whose unique number changes out of the way before the final numbers are set."""
    for offset, row in enumerate(rows):
        target = wanted.get(row.pk)
        if target is not None and tuple(getattr(row, f) for f in fields) != target:
            park(row, _PARKING_START + offset)


@transaction.atomic
def import_plan(plan: dict, *, operator: bool = False, source: str = "") -> Agreement:
    """Make the database hold exactly the plan (from parse_plan); all or nothing.

    Refused (PlanFileError) if the plan changes an organisation another agreement uses, unless
    an operator imports it (the command `import_plan`, which says so): shared.py.
    `source` names the file: decisions it restores say so. In the browser a file may not
    touch decisions at all (plan_file.history), so only an operator's command restores them.
    Accepted accounts, recorded payments and corrections are refused any change, whoever
    imports (money_importer.py).
    """
    if not operator and (problems := shared_problems(plan)):
        raise PlanFileError(problems)
    wanted = {
        o["key"]: {k: o[k] for k in ("name", "short_name", "kind")} for o in plan["organisations"]
    }
    orgs = synced(Organisation.objects, "key", wanted, Organisation.objects.filter(key__in=wanted))
    agreement = _import_agreement(plan["agreement"], orgs)
    # The money before the budget: nothing frozen may change, and the cells the file drops
    # go before the lines and sources it drops with them.
    refuse_frozen_money(agreement, plan["money"])
    prune_money(agreement, plan["money"])
    _import_memberships(agreement, plan["organisations"], orgs)
    fields = ("title", "main_goal", "weight", "introduction", "remark")
    goals = synced(
        agreement.sub_goals,
        "number",
        {g["number"]: {k: g[k] for k in fields} for g in plan["sub_goals"]},
    )
    _import_measures(agreement, plan["sub_goals"], goals, orgs)
    _import_budget(agreement, plan["budget"], goals)
    agreement.sub_goals.exclude(number__in=goals).delete()
    import_money(agreement, plan["money"])
    _import_revisions(agreement, plan["revisions"], orgs, source)  # last: it may freeze the plan
    return agreement


def _import_agreement(data: dict, orgs: dict[str, Organisation]) -> Agreement:
    values = {k: v for k, v in data.items() if k not in ("slug", "parties")}
    agreement = sync_row(Agreement, {"slug": data["slug"]}, values)
    party_orgs = [orgs[key] for key in data["parties"]]
    agreement.party_set.exclude(organisation__in=party_orgs).delete()
    positions = {org.pk: {"position": position} for position, org in enumerate(party_orgs)}
    synced(agreement.party_set, "organisation_id", positions)
    return agreement


def _import_memberships(agreement: Agreement, organisations: list[dict], orgs: dict) -> None:
    """The agreement's collectives hold exactly the members the file names."""
    wanted = {(o["key"], member) for o in organisations for member in o.get("members", [])}
    for link in agreement.memberships.select_related("collective", "member"):
        pair = (link.collective.key, link.member.key)
        if pair in wanted:
            wanted.discard(pair)
        else:
            link.delete()
    for collective, member in sorted(wanted):
        Membership.objects.create(
            agreement=agreement, collective=orgs[collective], member=orgs[member]
        )


def _import_measures(agreement: Agreement, goals_data: list[dict], goals: dict, orgs: dict) -> None:
    wanted = {m["key"]: (goals[g["number"]], m) for g in goals_data for m in g["measures"]}
    agreement.measures.exclude(key__in=wanted).delete()
    existing = list(agreement.measures.all())
    targets = {row.pk: (wanted[row.key][0].pk, wanted[row.key][1]["number"]) for row in existing}
    _park_renumbered(existing, targets, ("sub_goal_id", "number"))
    measures = synced(
        agreement.measures,
        "key",
        {
            key: {"sub_goal": goal, **{k: data[k] for k in _MEASURE_FIELDS}}
            for key, (goal, data) in wanted.items()
        },
        existing,
    )
    involvements = _grouped(
        Involvement.objects.filter(measure__agreement=agreement).order_by("role", "position"),
        ("organisation_id", "role", "position"),
    )
    sections = _grouped(
        Section.objects.filter(measure__agreement=agreement).order_by("position"),
        ("kind", "heading", "body"),
    )
    new_involvements, new_sections = [], []
    for key, (_goal, data) in wanted.items():
        measure = measures[key]
        new_involvements += _replaced_involvements(
            measure, involvements.get(measure.pk, []), data, orgs
        )
        new_sections += _replaced_sections(measure, sections.get(measure.pk, []), data["sections"])
    # Written together, each with the history row its save() would have written (the same
    # user, time and type): two inserts for all instead of two for each.
    bulk_create_with_history(new_involvements, Involvement)
    bulk_create_with_history(new_sections, Section)


_MEASURE_FIELDS = (
    "number",
    "title",
    "tagline",
    "leads_more",
    "partners_more",
    "start_year",
    "end_year",
    "at_next_revision",
    "priority",
    "status",
    "closed_on",
)


def _grouped(queryset, fields: tuple[str, ...]) -> dict[int, list[tuple]]:
    """The queryset's `fields` by measure, in the queryset's order: one query for all."""
    rows: dict[int, list[tuple]] = {}
    for measure_id, *values in queryset.values_list("measure_id", *fields):
        rows.setdefault(measure_id, []).append(tuple(values))
    return rows


def _replaced_involvements(
    measure: Measure, current: list[tuple], data: dict, orgs: dict
) -> list[Involvement]:
    """The measure's involvements as the file has them, to be created, its old ones deleted;
    none if they are as the file has them."""
    desired = [(orgs[key].pk, Involvement.Role.LEAD, pos) for pos, key in enumerate(data["leads"])]
    desired += [
        (orgs[key].pk, Involvement.Role.PARTNER, pos) for pos, key in enumerate(data["partners"])
    ]
    if sorted(current) == sorted(desired):
        return []
    measure.involvements.all().delete()
    return [
        Involvement(measure=measure, organisation_id=org, role=role, position=pos)
        for org, role, pos in desired
    ]


def _replaced_sections(
    measure: Measure, current: list[tuple], sections: list[dict]
) -> list[Section]:
    """The measure's sections as the file has them, to be created, its old ones deleted; none
    if they are as the file has them."""
    desired = [(s["kind"], s["heading"], s["body"]) for s in sections]
    if current == desired:
        return []
    measure.sections.all().delete()
    return [
        Section(measure=measure, kind=kind, heading=heading, body=body, position=pos)
        for pos, (kind, heading, body) in enumerate(desired)
    ]


def _import_budget(agreement: Agreement, budget: dict, goals: dict) -> None:
    line_keys = [line["key"] for line in budget["lines"]]
    agreement.budget_lines.exclude(key__in=line_keys).delete()
    existing = list(agreement.budget_lines.all())
    by_key = {line["key"]: line for line in budget["lines"]}
    _park_renumbered(
        existing, {row.pk: (by_key[row.key]["number"],) for row in existing}, ("number",)
    )
    # A sub-goal can fund only one line: free the links first, so that lines can swap sub-goals.
    for row in existing:
        goal = goals.get(by_key[row.key]["sub_goal"])
        if row.sub_goal_id and row.sub_goal_id != (goal.pk if goal else None):
            row.sub_goal = None
            row.save(update_fields=["sub_goal"])
    lines = synced(
        agreement.budget_lines,
        "key",
        {
            line["key"]: {
                "number": line["number"],
                "title": line["title"],
                "sub_goal": goals.get(line["sub_goal"]),
            }
            for line in budget["lines"]
        },
        existing,
    )
    sources = _import_sources(agreement, budget["sources"])
    _import_amounts(agreement, budget["amounts"], lines, sources)
    _replace_footnotes(agreement, budget["footnotes"], lines)


def _import_sources(agreement: Agreement, sources_data: list[dict]) -> dict[str, FundingSource]:
    keys = [s["key"] for s in sources_data]
    stale = agreement.funding_sources.exclude(key__in=keys)
    Amount.objects.filter(source__in=stale).delete()
    stale.delete()
    # Only one source may be the state co-financing: clear the flag before moving it.
    state_keys = [s["key"] for s in sources_data if s["state_cofinancing"]]
    for source in agreement.funding_sources.filter(is_state_cofinancing=True).exclude(
        key__in=state_keys
    ):
        source.is_state_cofinancing = False
        source.save(update_fields=["is_state_cofinancing"])
    return synced(
        agreement.funding_sources,
        "key",
        {
            s["key"]: {
                "name": s["name"],
                "position": pos,
                "is_state_cofinancing": s["state_cofinancing"],
            }
            for pos, s in enumerate(sources_data)
        },
    )


def _import_amounts(agreement: Agreement, amounts: dict, lines: dict, sources: dict) -> None:
    current = {
        (a.line.key, a.year, a.source.key): a
        for a in Amount.objects.filter(line__agreement=agreement).select_related("line", "source")
    }
    for cell, row in current.items():
        if cell not in amounts:
            row.delete()
        elif row.kroner != amounts[cell]:
            row.kroner = amounts[cell]
            row.save(update_fields=["kroner"])
    new_amounts = [
        Amount(line=lines[line], year=year, source=sources[source], kroner=kroner)
        for (line, year, source), kroner in amounts.items()
        if (line, year, source) not in current
    ]
    bulk_create_with_history(new_amounts, Amount)


def _replace_footnotes(agreement: Agreement, footnotes: list[dict], lines: dict) -> None:
    desired = [
        (f["table"], f["year"], f["marker"], f["line"], f["column"], f["text"]) for f in footnotes
    ]
    current = [
        (f.table, f.year, f.marker, f.line.key if f.line else None, f.column, f.text)
        for f in agreement.footnotes.select_related("line").order_by("pk")
    ]
    if current == desired:
        return
    agreement.footnotes.all().delete()
    for table, year, marker, line, column, text in desired:
        Footnote.objects.create(
            agreement=agreement,
            table=table,
            year=year,
            marker=marker,
            line=lines[line] if line else None,
            column=column,
            text=text,
        )
