"""Who may do what. Every view, every template button and the admin ask here.

Roles are held per agreement (access.roles.Role):
- editor (the project leader): reads and edits the living plan of that agreement;
- approver: reads, and acts for one municipality in that agreement's approvals;
- partner: reads;
- ministry: reads every agreement (KDD runs several pilots).
Operators (superusers) use the admin and may do everything.

Who may give which role (grantable_kinds): operators any role; the project leader of an
agreement its project leaders, approvers and readers; KDD the ministry role and project leaders
(KDD sets pilots up and invites their project leaders, who invite the parties). Approvers and
readers give none. No one changes or withdraws their own role.
Setting up a new agreement needs the Django permission `measures.add_agreement`: operators have
it, and so does the group "KDD" (given it by a migration; see docs/operations.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from .models import Role

if TYPE_CHECKING:
    from measures.models import Agreement


def _roles(user) -> list[Role]:
    """The user's roles, loaded once per request and kept on the user object."""
    if user is None or not user.is_authenticated:
        return []
    if not hasattr(user, "_bygdevekst_roles"):
        # Unordered: no rule depends on the order, and Role's default ordering joins two tables.
        roles = Role.objects.filter(user_id=user.pk).select_related("agreement").order_by()
        user._bygdevekst_roles = list(roles)
    return user._bygdevekst_roles


def roles_of(user) -> list[Role]:
    """The user's roles in every agreement (each with its agreement loaded)."""
    return _roles(user)


def is_operator(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


def reads_everything(user) -> bool:
    """Operators and the ministry read every agreement."""
    return is_operator(user) or any(r.kind == Role.Kind.MINISTRY for r in _roles(user))


def can_view(user, agreement: Agreement) -> bool:
    return reads_everything(user) or any(r.agreement_id == agreement.pk for r in _roles(user))


def can_edit(user, agreement: Agreement) -> bool:
    """Only the agreement's editor (and operators) change the living plan."""
    return is_operator(user) or any(
        r.agreement_id == agreement.pk and r.kind == Role.Kind.EDITOR for r in _roles(user)
    )


def why_not_editor(user, agreement: Agreement) -> str | None:
    """Why the user may not change the agreement's living plan or run its yearly revision, or
    None if they may: the pages refuse with it (403), and the workflow's services too."""
    if can_edit(user, agreement):
        return None
    return gettext(
        "Du kan lese %(agreement)s, men berre prosjektleiaren for avtala kan endre ho; "
        "rolla di gir ikkje det."
    ) % {"agreement": agreement}


def edits_any(user) -> bool:
    """The user is the editor of some agreement (or an operator)."""
    return is_operator(user) or any(r.kind == Role.Kind.EDITOR for r in _roles(user))


def holds_editor_role(user, agreement: Agreement) -> bool:
    """The user is a project leader (editor) of this agreement by role."""
    return any(r.agreement_id == agreement.pk and r.kind == Role.Kind.EDITOR for r in _roles(user))


def approves_for(user, agreement: Agreement) -> set[int]:
    """Ids of the organisations the user may record decisions for in this agreement: none for
    someone who edits its plan, since one person never both edits a plan and decides on it."""
    if holds_editor_role(user, agreement):
        return set()
    return {
        r.organisation_id
        for r in _roles(user)
        if r.agreement_id == agreement.pk and r.kind == Role.Kind.APPROVER
    }


def decides_for_ministry(user, agreement: Agreement) -> bool:
    """KDD approves or returns the agreement's yearly revision, unless the user edits it."""
    return acts_for_ministry(user) and not holds_editor_role(user, agreement)


def why_not_decider(user, agreement: Agreement, organisation=None) -> str | None:
    """Why the user may not record this decision: a party's (for `organisation`), or KDD's
    (None); None if they may. The pages explain with it, and the workflow refuses with it."""
    if holds_editor_role(user, agreement):
        return gettext(
            "Du er prosjektleiar for %(agreement)s og redigerer planen, så du kan ikkje òg "
            "registrere vedtak om han. Det gjer %(who)s."
        ) % {
            "agreement": agreement,
            "who": gettext("godkjennaren for %(organisation)s") % {"organisation": organisation}
            if organisation is not None
            else gettext("KDD (departementet)"),
        }
    if organisation is None:
        if acts_for_ministry(user):
            return None
        return gettext(
            "Berre KDD (departementet) kan godkjenne eller sende tilbake handlingsplanen."
        )
    approvers = approves_for(user, agreement)
    if organisation.pk in approvers:
        return None
    own = sorted(
        {
            role.organisation
            for role in _roles(user)
            if role.agreement_id == agreement.pk and role.organisation_id in approvers
        },
        key=str,
    )
    if not own:
        return gettext(
            "Du har ikkje rolla som godkjennar i %(agreement)s, så du kan ikkje registrere "
            "vedtak for %(organisation)s."
        ) % {"agreement": agreement, "organisation": organisation}
    return gettext("Du registrerer vedtak for %(own)s, ikkje for %(organisation)s.") % {
        "own": ", ".join(str(org) for org in own),
        "organisation": organisation,
    }


def may_create_agreements(user) -> bool:
    """Operators and KDD (the permission measures.add_agreement) set up new agreements."""
    return bool(
        user.is_authenticated and user.is_active and user.has_perm("measures.add_agreement")
    )


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
    decides_for_ministry: bool
    approves_for: frozenset[int]


def permissions_for(user, agreement: Agreement) -> Permissions:
    return Permissions(
        view=can_view(user, agreement),
        edit=can_edit(user, agreement),
        operate=is_operator(user),
        ministry=acts_for_ministry(user),
        decides_for_ministry=decides_for_ministry(user, agreement),
        approves_for=frozenset(approves_for(user, agreement)),
    )


def grantable_kinds(user, agreement: Agreement) -> list[str]:
    """The roles the user may invite people to, change roles to and withdraw, in this agreement."""
    if is_operator(user):
        return list(Role.Kind.values)
    kinds = set()
    if can_edit(user, agreement):
        kinds |= {Role.Kind.EDITOR, Role.Kind.APPROVER, Role.Kind.PARTNER}
    if acts_for_ministry(user):
        kinds |= {Role.Kind.EDITOR, Role.Kind.MINISTRY}
    return [kind for kind in Role.Kind.values if kind in kinds]


def may_manage_role(user, role: Role) -> bool:
    """Whether the user may change or withdraw this role: one they could give, not their own."""
    return role.user_id != user.pk and role.kind in grantable_kinds(user, role.agreement)
