"""The user's own page (/konto/): who they are, their roles, their e-mail address (changed
through a link sent to the new one, access/email_change.py) and the målform they read in."""

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

from bygdevekst.forms import StyledForm

from . import email_change, oidc, oidc_views
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


class EmailForm(StyledForm, forms.Form):
    """The new e-mail address, which a link sent to it must confirm."""

    email = forms.EmailField(label=_("Ny e-postadresse"), max_length=254)

    def __init__(self, *args, user=None, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() == (self.user.email or "").lower():
            raise forms.ValidationError(_("Det er alt e-postadressa di."))
        return email


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    """The account page, with the e-mail address and the målform setting."""
    return _page(request, LanguageForm(instance=_settings_of(request.user)))


@require_POST
def account_email(request: HttpRequest) -> HttpResponse:
    """Send a confirmation link to the new address; the address itself is not changed yet."""
    form = EmailForm(request.POST, user=request.user)
    if not form.is_valid():
        language = LanguageForm(instance=_settings_of(request.user))
        return _page(request, language, email_form=form, status=400)
    email_change.send_confirmation(request.user, form.cleaned_data["email"])
    messages.success(
        request,
        gettext("Vi har sendt ei lenkje til %(email)s. Adressa di blir endra når du opnar ho.")
        % {"email": form.cleaned_data["email"]},
    )
    return redirect("access:account")


@require_GET
def account_email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail: the signed-in user it was made for gets the new address."""
    try:
        email = email_change.confirm(request.user, token)
    except email_change.InvalidLink:
        messages.error(
            request,
            gettext(
                "Lenkja er ugyldig, gått ut eller alt brukt, eller ho høyrer til ein annan "
                "brukar. E-postadressa di er ikkje endra."
            ),
        )
        return redirect("access:account")
    messages.success(request, gettext("E-postadressa di er no %(email)s.") % {"email": email})
    return redirect("access:account")


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
    return redirect("access:account")


def _settings_of(user) -> AccountSettings:
    """The user's settings row, unsaved until they first change something."""
    return AccountSettings.objects.filter(user=user).first() or AccountSettings(user=user)


def _page(
    request: HttpRequest, form: LanguageForm, email_form=None, status: int = 200
) -> HttpResponse:
    roles = request.user.roles.select_related("agreement", "organisation")
    email_form = email_form or EmailForm(user=request.user)
    identities = list(request.user.identities.all())
    bound = {identity.provider for identity in identities}
    context = {
        "form": form,
        "email_form": email_form,
        "roles": roles,
        "identities": identities,
        # The providers the person may still connect to this account.
        "providers": [p for p in oidc.providers() if p.name not in bound],
        "intent": oidc_views.offer(request, connect=request.user.pk),
        "has_password": request.user.has_usable_password(),
    }
    return render(request, "access/account_detail.html", context, status=status)
