"""What the report commands share: finding the agreement and checking the year."""

from __future__ import annotations

from django.core.management.base import CommandError

from measures.models import Agreement


def agreement_for(slug: str, year: int) -> Agreement:
    """The agreement with this slug, if the year is in its period; else a clear CommandError."""
    agreement = Agreement.objects.filter(slug=slug).first()
    if agreement is None:
        raise CommandError(f"Fann inga avtale {slug!r}.")
    if year not in agreement.years:
        raise CommandError(f"{year} er utanfor avtaleperioden {agreement.period}.")
    return agreement
