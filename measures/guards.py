"""The agreement a request names, if its user may read it, edit it or give roles in it
(access.rules decides who may): an unknown agreement and one the user may not read are both
404, so a slug says nothing of an agreement the user has no part in; read-only is 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext

from access.rules import can_view, grantable_kinds, reads_everything, roles_of, why_not_editor

from .models import Agreement


def visible_agreements(user):
    """The agreements the user may read."""
    if reads_everything(user):
        return Agreement.objects.all()
    return Agreement.objects.filter(pk__in={r.agreement_id for r in roles_of(user)})


def get_agreement_for_user(request: HttpRequest, slug: str) -> Agreement:
    """The agreement, if the user may read it; someone else's agreement is a 404."""
    # Usually one of the user's own agreements, already loaded with their roles.
    agreement = next(
        (r.agreement for r in roles_of(request.user) if r.agreement.slug == slug), None
    )
    if agreement is None and reads_everything(request.user):
        agreement = Agreement.objects.filter(slug=slug).first()
    if agreement is None or not can_view(request.user, agreement):
        raise Http404(gettext("Fann inga slik avtale."))
    return agreement


def get_agreement_for_people_manager(request: HttpRequest, slug: str) -> Agreement:
    """The agreement, if the user may give roles in it: unknown is 404, read-only is 403."""
    agreement = get_agreement_for_user(request, slug)
    if not grantable_kinds(request.user, agreement):
        raise PermissionDenied(gettext("Du kan lese denne avtala, men ikkje gje nokon tilgang."))
    return agreement


def get_agreement_for_editor(request: HttpRequest, slug: str) -> Agreement:
    """The agreement, if the user may edit it: unknown is 404, read-only is 403."""
    agreement = get_agreement_for_user(request, slug)
    refusal = why_not_editor(request.user, agreement)
    if refusal:
        raise PermissionDenied(refusal)
    return agreement
