"""Who may do what. Every view, every template button and the admin ask here.

Roles are held per agreement (measures.models.Role):
- editor (the project leader): reads and edits the living plan of that agreement;
- approver: reads, and acts for one municipality in that agreement's approvals;
- partner: reads;
- ministry: reads every agreement (KDD runs several pilots).
Operators (superusers) use the admin and may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from .models import Agreement, Role


def _roles(user) -> list[Role]:
    """The user's roles, loaded once per request and kept on the user object."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_bygdevekst_roles"):
        # Unordered: no rule depends on the order, and Role's default ordering joins two tables.
        roles = Role.objects.filter(user_id=user.pk).select_related("agreement").order_by()
        user._bygdevekst_roles = list(roles)
    return user._bygdevekst_roles


def is_operator(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


def reads_everything(user) -> bool:
    """Operators and the ministry read every agreement."""
    return is_operator(user) or any(r.kind == Role.Kind.MINISTRY for r in _roles(user))


def visible_agreements(user):
    """The agreements the user may read."""
    if reads_everything(user):
        return Agreement.objects.all()
    return Agreement.objects.filter(pk__in={r.agreement_id for r in _roles(user)})


def can_view(user, agreement: Agreement) -> bool:
    return reads_everything(user) or any(r.agreement_id == agreement.pk for r in _roles(user))


def can_edit(user, agreement: Agreement) -> bool:
    """Only the agreement's editor (and operators) change the living plan."""
    return is_operator(user) or any(
        r.agreement_id == agreement.pk and r.kind == Role.Kind.EDITOR for r in _roles(user)
    )


def approves_for(user, agreement: Agreement) -> set[int]:
    """Ids of the organisations the user may record decisions for in this agreement."""
    return {
        r.organisation_id
        for r in _roles(user)
        if r.agreement_id == agreement.pk and r.kind == Role.Kind.APPROVER
    }


def acts_for_ministry(user) -> bool:
    """KDD's users approve or return every agreement's yearly revision."""
    return any(r.kind == Role.Kind.MINISTRY for r in _roles(user))


@dataclass(frozen=True)
class Permissions:
    """What the templates ask: may this user press this button?"""

    view: bool
    edit: bool
    operate: bool
    ministry: bool
    approves_for: frozenset[int]


def permissions_for(user, agreement: Agreement) -> Permissions:
    return Permissions(
        view=can_view(user, agreement),
        edit=can_edit(user, agreement),
        operate=is_operator(user),
        ministry=acts_for_ministry(user),
        approves_for=frozenset(approves_for(user, agreement)),
    )


def get_agreement_for_user(request: HttpRequest, slug: str) -> Agreement:
    """The agreement, if the user may read it; someone else's agreement is a 404."""
    # Usually one of the user's own agreements, already loaded with their roles.
    agreement = next((r.agreement for r in _roles(request.user) if r.agreement.slug == slug), None)
    if agreement is None and reads_everything(request.user):
        agreement = Agreement.objects.filter(slug=slug).first()
    if agreement is None or not can_view(request.user, agreement):
        raise Http404("Fann inga slik avtale.")
    return agreement


def get_agreement_for_editor(request: HttpRequest, slug: str) -> Agreement:
    """The agreement, if the user may edit it: unknown is 404, read-only is 403."""
    agreement = get_agreement_for_user(request, slug)
    if not can_edit(request.user, agreement):
        raise PermissionDenied(
            _(
                "Du kan lese %(agreement)s, men berre prosjektleiaren for avtala kan endre ho; "
                "rolla di gir ikkje det."
            )
            % {"agreement": agreement}
        )
    return agreement
