"""Marks ("Ny", "Endra", "Avslutta …") and closing assessments on the living plan's pages.

The measures app knows nothing of the yearly cycle; its templates load this library (as a
blog's templates load a comments app's tags), so Python imports still run one way.
"""

from __future__ import annotations

from django import template

from reporting.revision.marks import Mark, PlanMarks
from reporting.revision.marks import closing_assessment as assessment_of

register = template.Library()


@register.simple_tag
def plan_marks(agreement) -> PlanMarks:
    """The agreement's marks against its latest approved plan; queried on first use."""
    return PlanMarks(agreement)


@register.filter
def marks_of(marks: PlanMarks | None, key: str) -> list[Mark]:
    """The marks of the measure with this key (none where the page has no plan_marks)."""
    return marks.of(key) if isinstance(marks, PlanMarks) else []


@register.filter
def marks_of_measure(marks: PlanMarks, measure) -> list[Mark]:
    """The marks of one measure, compared on its own (its page)."""
    return marks.of_measure(measure)


@register.simple_tag
def closing_assessment(agreement, measure):
    """A closed measure's assessment (MeasureNote), or None."""
    if measure.status != measure.Status.CLOSED:
        return None
    return assessment_of(agreement, measure.key)
