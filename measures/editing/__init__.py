"""Editing the living plan: plain forms that htmx enhances in place.

Every view answers a plain form post with a redirect (or the page with its errors), and an htmx
request with the fragment to swap in. Only the agreement's editor gets past
`get_agreement_for_editor`; others get 403 (or 404 if they may not even read it).

The views are split by what they edit: agreement.py (the agreement and its sub-goals),
measures.py, sections.py and organisations.py; saving.py saves against the version seen;
access.py is the people page, where roles are given (rules.grantable_kinds says who may).
"""

from measures.editing.people_page import (
    invitation_resend,
    invitation_withdraw,
    people,
    role_edit,
    role_withdraw,
)

from .agreement import agreement_edit, markdown_preview, sub_goal_edit
from .measures import (
    measure_close,
    measure_create,
    measure_edit,
    measure_history,
    measure_move,
    measure_reopen,
    measure_title_edit,
)
from .organisations import (
    involvement_remove,
    measure_organisations,
    organisation_create,
    organisation_edit,
)
from .sections import section_create, section_delete, section_edit, section_move

__all__ = [
    "agreement_edit",
    "invitation_resend",
    "invitation_withdraw",
    "involvement_remove",
    "markdown_preview",
    "measure_close",
    "measure_create",
    "measure_edit",
    "measure_history",
    "measure_move",
    "measure_organisations",
    "measure_reopen",
    "measure_title_edit",
    "organisation_create",
    "organisation_edit",
    "people",
    "role_edit",
    "role_withdraw",
    "section_create",
    "section_delete",
    "section_edit",
    "section_move",
    "sub_goal_edit",
]
