"""Where an organisation takes part in an agreement's measures: itself, or through a collective
body it is a member of (a municipality leads "via Pilotkommunane")."""

from __future__ import annotations

from dataclasses import dataclass, field

from .measure_parts import Involvement
from .organisations import Membership, Organisation


@dataclass
class TakingPart:
    """A measure an organisation leads or joins; `via` the bodies it does so through, if not
    itself."""

    measure: object
    via: list[Organisation] = field(default_factory=list)


@dataclass
class RoleCount:
    """How many measures an organisation has in a role, and how many of them only through a
    body it is a member of."""

    total: int = 0
    via: int = 0
    bodies: list[str] = field(default_factory=list)


def collectives_of(agreement, organisation: Organisation) -> list[Organisation]:
    """The collective bodies the organisation is a member of in the agreement."""
    links = Membership.objects.filter(agreement=agreement, member=organisation)
    return [link.collective for link in links.select_related("collective")]


def members_of(agreement, organisation: Organisation) -> list[Organisation]:
    """The members of a collective body in the agreement; none for any other organisation."""
    links = Membership.objects.filter(agreement=agreement, collective=organisation)
    return [link.member for link in links.select_related("member").order_by("member__name")]


def measures_of(
    agreement, organisation: Organisation, collectives: list[Organisation]
) -> dict[str, list[TakingPart]]:
    """Per role, the measures the organisation takes part in, itself or via its collectives, in
    plan order. A measure it has a role in itself is not repeated via a body."""
    involvements = (
        Involvement.objects.filter(
            measure__agreement=agreement, organisation__in=[organisation, *collectives]
        )
        .select_related("measure__sub_goal", "measure__agreement", "organisation")
        .order_by("measure__sub_goal__number", "measure__number", "organisation__name")
    )
    found: dict[str, dict[int, TakingPart]] = {role: {} for role in Involvement.Role.values}
    direct: set[tuple[str, int]] = set()
    for involvement in involvements:
        part = found[involvement.role].setdefault(
            involvement.measure_id, TakingPart(involvement.measure)
        )
        if involvement.organisation_id == organisation.pk:
            direct.add((involvement.role, involvement.measure_id))
        else:
            part.via.append(involvement.organisation)
    for role, measure_id in direct:
        found[role][measure_id].via = []
    return {role: list(by_measure.values()) for role, by_measure in found.items()}


def counts_by_organisation(agreement) -> dict[int, dict[str, RoleCount]]:
    """For the list page: per organisation and role, its measures, itself or via its bodies."""
    direct: dict[tuple[int, str], set[int]] = {}
    rows = Involvement.objects.filter(measure__agreement=agreement)
    for organisation_id, role, measure_id in rows.values_list("organisation", "role", "measure"):
        direct.setdefault((organisation_id, role), set()).add(measure_id)
    via: dict[tuple[int, str], set[int]] = {}
    bodies: dict[tuple[int, str], list[str]] = {}
    links = Membership.objects.filter(agreement=agreement).order_by("collective__name")
    for collective_id, member_id, name in links.values_list(
        "collective", "member", "collective__name"
    ):
        for role in Involvement.Role.values:
            measures = direct.get((collective_id, role), set())
            if measures - direct.get((member_id, role), set()):
                via.setdefault((member_id, role), set()).update(measures)
                bodies.setdefault((member_id, role), []).append(name)
    counts: dict[int, dict[str, RoleCount]] = {}
    for organisation_id, role in direct.keys() | via.keys():
        own = direct.get((organisation_id, role), set())
        through = via.get((organisation_id, role), set()) - own
        if own or through:
            per_role = counts.setdefault(
                organisation_id, {r: RoleCount() for r in Involvement.Role.values}
            )
            per_role[role] = RoleCount(
                total=len(own | through),
                via=len(through),
                bodies=bodies.get((organisation_id, role), []),
            )
    return counts
