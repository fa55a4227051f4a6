"""The agreement's people page («Folk og roller»): who has which role, open invitations, and
the log of every change. Who may give which role is rules.grantable_kinds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from access import invitations
from access.models import Invitation, Role
from access.roles import change_role, role_label, withdraw_role
from access.rules import grantable_kinds, may_manage_role, permissions_for
from bygdevekst.logs import audit
from measures.people_forms import InviteForm, RoleForm

from ..guards import get_agreement_for_people_manager
from ..models import Agreement
from ..pickers import search_text, searched

EVENTS_ON_PAGE = 100


@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, slug: str) -> HttpResponse:
    """The people page, and inviting someone from its form."""
    agreement = get_agreement_for_people_manager(request, slug)
    kinds = grantable_kinds(request.user, agreement)
    kept = searched(request)  # the organisation search: the form again, unsaved
    form = InviteForm(
        None if kept else (request.POST or None),
        initial=kept.dict() if kept else None,
        agreement=agreement,
        kinds=kinds,
        query=search_text(kept),
    )
    if request.method == "POST" and not kept and form.is_valid():
        data = form.cleaned_data
        try:
            invitations.invite(
                agreement=agreement,
                email=data["email"],
                kind=data["kind"],
                organisation=data["organisation"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            audit("invited", request, agreement=slug, email=data["email"], role=data["kind"])
            messages.success(
                request,
                gettext("Invitasjonen er sendt til %(email)s.") % {"email": data["email"]},
            )
            return redirect("measures:people", slug)
    roles = (
        agreement.roles.select_related("user", "organisation")
        .prefetch_related("user__identities")  # how each person logs in
        .order_by("kind", "user__username")
    )
    context = {
        "agreement": agreement,
        "form": form,
        "roles": [(role, may_manage_role(request.user, role)) for role in roles],
        "invitations": [
            (invitation, invitation.kind in kinds)
            for invitation in agreement.invitations.open().select_related(
                "organisation", "invited_by"
            )
        ],
        "events": agreement.role_events.all()[:EVENTS_ON_PAGE],
        "may": permissions_for(request.user, agreement),
        "section": "people",
    }
    return render(request, "measures/people.html", context)


@require_POST
def invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A new link, valid for seven days from now; the old one stops working."""
    _, invitation = _invitation(request, slug, pk)
    try:
        invitations.resend(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        audit("invitation_resent", request, agreement=slug, email=invitation.email)
        messages.success(
            request,
            gettext("Invitasjonen er sendt på nytt til %(email)s.") % {"email": invitation.email},
        )
    return redirect("measures:people", slug)


@require_POST
def invitation_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _, invitation = _invitation(request, slug, pk)
    try:
        invitations.withdraw_invitation(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        audit("invitation_withdrawn", request, agreement=slug, email=invitation.email)
        messages.success(
            request,
            gettext("Invitasjonen til %(email)s er trekt tilbake.") % {"email": invitation.email},
        )
    return redirect("measures:people", slug)


@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Another role for the same person in this agreement."""
    agreement, role = _role(request, slug, pk)
    kept = searched(request)  # the organisation search: the form again, unsaved
    form = RoleForm(
        None if kept else (request.POST or None),
        agreement=agreement,
        kinds=grantable_kinds(request.user, agreement),
        initial={"kind": role.kind, "organisation": role.organisation_id}
        | (kept.dict() if kept else {}),
        query=search_text(kept),
    )
    if request.method == "POST" and not kept and form.is_valid():
        try:
            change_role(
                role=role,
                kind=form.cleaned_data["kind"],
                organisation=form.cleaned_data["organisation"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit(
                "role_changed", request, agreement=slug, person=role.user.username, role=role.kind
            )
            messages.success(request, _role_message(gettext("%(person)s er no %(role)s."), role))
            return redirect("measures:people", slug)
    context = {
        "agreement": agreement,
        "form": form,
        "title": gettext("Endre rolla til %(person)s") % {"person": _name(role)},
        "cancel_url": agreement_people_url(agreement),
        "section": "people",
    }
    return render(request, "measures/role_form.html", context)


@require_POST
def role_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The person loses the role from their next request on."""
    _, role = _role(request, slug, pk)
    withdrawn = withdraw_role(role=role, by=request.user)
    audit("role_withdrawn", request, agreement=slug, person=role.user.username, role=role.kind)
    messages.success(request, _role_message(gettext("%(person)s er ikkje lenger %(role)s."), role))
    if withdrawn:
        messages.info(
            request,
            ngettext(
                "Invitasjonen %(person)s hadde sendt til %(emails)s, er trekt tilbake.",
                "Invitasjonane %(person)s hadde sendt til %(emails)s, er trekte tilbake.",
                len(withdrawn),
            )
            % {"person": _name(role), "emails": ", ".join(i.email for i in withdrawn)},
        )
    return redirect("measures:people", slug)


def agreement_people_url(agreement: Agreement) -> str:
    return reverse("measures:people", args=[agreement.slug])


def _invitation(request: HttpRequest, slug: str, pk: int) -> tuple[Agreement, Invitation]:
    """An invitation of this agreement to a role the user may give (others' are 403)."""
    agreement = get_agreement_for_people_manager(request, slug)
    invitation = get_object_or_404(agreement.invitations.select_related("organisation"), pk=pk)
    if invitation.kind not in grantable_kinds(request.user, agreement):
        raise PermissionDenied(gettext("Du kan ikkje gje denne rolla."))
    return agreement, invitation


def _role(request: HttpRequest, slug: str, pk: int) -> tuple[Agreement, Role]:
    """A role in this agreement that the user may change: not their own, one they could give."""
    agreement = get_agreement_for_people_manager(request, slug)
    role = get_object_or_404(agreement.roles.select_related("user", "organisation"), pk=pk)
    if not may_manage_role(request.user, role):
        raise PermissionDenied(gettext("Du kan ikkje endre denne rolla."))
    return agreement, role


def _name(role: Role) -> str:
    return role.user.get_full_name() or role.user.get_username()


def _role_message(text: str, role: Role) -> str:
    return text % {
        "person": _name(role),
        "role": role_label(role.kind, str(role.organisation or "")),
    }
