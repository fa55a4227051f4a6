"""Template access to the cells of a budget table, each with its footnote marker."""

from django import template

register = template.Library()


@register.filter
def cells_with_markers(table, row):
    """The row's cells in column order, each paired with its footnote marker (or "")."""
    return table.cells_with_markers(row)
