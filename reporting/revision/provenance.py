"""How a decision came into the database, as the process page says it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext


def provenance_of(approval) -> str:
    """«Registrert av Kari Nordmann 12.06.2026» for a decision recorded in the app by its
    holder, «Gjenoppretta frå planfila «F» av ein operatør» for one restored by import_plan;
    nothing for a decision not yet taken."""
    if approval.decision == approval.Decision.PENDING:
        return ""
    if approval.recorded_via == approval.Via.RESTORED:
        file = approval.restored_from or gettext("ukjend")
        return gettext("Gjenoppretta frå planfila «%(file)s» av ein operatør") % {"file": file}
    user = approval.recorded_by
    words = {
        "name": (user.get_full_name() or user.get_username()) if user else "–",
        "when": date_format(timezone.localtime(approval.recorded_at), "SHORT_DATE_FORMAT")
        if approval.recorded_at
        else "",
    }
    return gettext("Registrert av %(name)s %(when)s") % words
