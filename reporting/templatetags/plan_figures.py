"""The overview's timeline, which needs the last approved plan to mark what is new.

A tag, so that the overview (measures) shows it without measures importing reporting, and so
that it is gathered only where the template renders it (not when a reader's copy is cached).
"""

from __future__ import annotations

from django import template

from measures.models import Agreement
from measures.timeline import Timeline
from reporting.outputs.figures import overview_timeline

register = template.Library()


@register.simple_tag
def measure_timeline(agreement: Agreement, sub_goals) -> Timeline:
    """{% measure_timeline agreement sub_goals as timeline %}"""
    return overview_timeline(agreement, sub_goals)
