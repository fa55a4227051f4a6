"""Who may see what. Every view looks agreements up through here."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from .models import Agreement


def can_view_agreement(user, agreement: Agreement) -> bool:
    """Anyone with a role in the agreement may read it; operators may read everything."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or agreement.roles.filter(user=user).exists()


def get_agreement_for_user(request: HttpRequest, slug: str) -> Agreement:
    """The agreement, if the user may read it; someone else's agreement is a 404."""
    agreement = Agreement.objects.filter(slug=slug).visible_to(request.user).first()
    if agreement is None:
        raise Http404("Fann inga slik avtale.")
    return agreement
