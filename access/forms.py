"""The form of accepting an invitation: a new account of one's own."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy

from bygdevekst.forms import StyledForm


class AcceptForm(StyledForm, UserCreationForm):
    """A new account for the invited address: a username and a password of one's own."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["first_name", "username"]
        labels = {"first_name": gettext_lazy("Namnet ditt"), "username": gettext_lazy("Brukarnamn")}

    def __init__(self, *args, email: str, **kwargs) -> None:
        # The address is the invitation's, never the form's, so it cannot be changed here.
        kwargs.setdefault("instance", get_user_model()(email=email))
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = gettext_lazy(
            "Du loggar inn med dette. Bokstavar, tal og @ . + - _ går an."
        )
        self.fields["password1"].label = gettext_lazy("Passord")
        self.fields["password2"].label = gettext_lazy("Passordet ein gong til")
        self.fields["password2"].help_text = gettext_lazy("Skriv det same passordet ein gong til.")
        if not self.is_bound:
            self.initial["username"] = suggested_username(email)


def suggested_username(email: str) -> str:
    """The address itself, unless someone has it as their username already (then nothing)."""
    taken = get_user_model().objects.filter(username__iexact=email).exists()
    return "" if taken else email[:150]
