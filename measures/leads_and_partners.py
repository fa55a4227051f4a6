"""Who leads and takes part in each measure of a plan, by name: the overview's tables.

The overview shows only the names, for every measure at once; loading each involvement and
organisation as a model (about 4,000 objects at ten times the seed) cost more than the rest of
the page (make bench), so its tables read the names in one light query instead.
"""

from __future__ import annotations

from django.utils.functional import cached_property

from .models import Agreement, Involvement, Measure
from .prose import as_prose


class PeopleByMeasure:
    """The names of each measure's leads and partners, in order, from one query on first use
    (none where a reader gets the page from the cache)."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement

    @cached_property
    def names(self) -> dict[tuple[int, str], list[str]]:
        found: dict[tuple[int, str], list[str]] = {}
        rows = (
            Involvement.objects.filter(measure__agreement=self.agreement)
            .order_by("measure_id", "role", "position")
            .values_list("measure_id", "role", "organisation__name")
        )
        for measure_id, role, name in rows:
            found.setdefault((measure_id, role), []).append(name)
        return found

    def leads(self, measure: Measure) -> str:
        """ "A, B og C" or "A, B m.fl.", as Measure.leads_display says it."""
        names = self.names.get((measure.pk, Involvement.Role.LEAD), [])
        return as_prose(names, measure.leads_more)

    def partners(self, measure: Measure) -> str:
        names = self.names.get((measure.pk, Involvement.Role.PARTNER), [])
        return as_prose(names, measure.partners_more)
