"""The user's own page (/konto/): who they are, their roles, and the målform they read in."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from .accounts import AccountSettings, interface_language


class LanguageForm(forms.ModelForm):
    """The målform of the web interface; blank follows the user's agreements."""

    class Meta:
        model = AccountSettings
        fields = ["language"]
        labels = {"language": _("Målform i nettlesaren")}
        help_texts = {
            "language": _(
                "Rapporten, arbeidsboka og e-postane til ei avtale er alltid på målforma til "
                "avtala, same kva du vel her."
            )
        }
        widgets = {"language": forms.RadioSelect}


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    """The account page, with the målform setting."""
    return _page(request, LanguageForm(instance=_settings_of(request.user)))


@require_POST
def account_language(request: HttpRequest) -> HttpResponse:
    """Save the user's målform; the next page is in it."""
    form = LanguageForm(request.POST, instance=_settings_of(request.user))
    if not form.is_valid():
        return _page(request, form, status=400)
    form.save()
    # Said in the målform the user has just chosen: request.user still carries the one before.
    fresh = get_user_model().objects.get(pk=request.user.pk)
    with translation.override(interface_language(fresh)):
        messages.success(request, gettext("Målforma er lagra."))
    return redirect("measures:account")


def _settings_of(user) -> AccountSettings:
    """The user's settings row, unsaved until they first change something."""
    return AccountSettings.objects.filter(user=user).first() or AccountSettings(user=user)


def _page(request: HttpRequest, form: LanguageForm, status: int = 200) -> HttpResponse:
    roles = request.user.roles.select_related("agreement", "organisation")
    context = {"form": form, "roles": roles}
    return render(request, "measures/account_detail.html", context, status=status)
