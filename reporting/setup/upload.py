"""The plan file uploaded in the browser: the upload form, and the previewed file carried to
the apply step signed, so that exactly the previewed file is applied."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bygdevekst.forms import StyledForm
from reporting.plan_file.loader import MAX_CHARACTERS

SALT = "bygdevekst.plan-upload"
# A preview may be applied within this many seconds.
PREVIEW_MAX_AGE = 60 * 60


class PlanUploadForm(StyledForm, forms.Form):
    """A plan file (YAML), read as UTF-8 text within the plan file's size limit."""

    plan = forms.FileField(
        label=_("Planfil (.yaml)"),
        help_text=_("Ei heil avtale i formatet til planfila (docs/plan-format.md)."),
    )

    def clean_plan(self) -> str:
        upload = self.cleaned_data["plan"]
        if upload.size > MAX_CHARACTERS:
            raise forms.ValidationError(
                gettext("Fila er for stor (%(size)s MB). Ei planfil kan vere opp til %(max)s MB.")
                % {
                    "size": f"{upload.size / 1e6:.1f}".replace(".", ","),
                    "max": MAX_CHARACTERS // 1_000_000,
                }
            )
        data = upload.read()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise forms.ValidationError(
                gettext("Linje %(line)s: fila er ikkje UTF-8-tekst.") % {"line": line}
            ) from error


def sign_preview(text: str, *, user, base: str) -> str | None:
    """The file, the user and the plan it was compared with, signed; None if the token would
    be too large to post back (the command `import_plan` reads such files)."""
    token = signing.dumps({"text": text, "user": user.pk, "base": base}, salt=SALT, compress=True)
    return token if len(token) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 10_000 else None


class PlanApplyForm(forms.Form):
    """The previewed file, signed, and the confirmation that removals are meant."""

    token = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("Eg har lese kva som blir fjerna, og vil byte ut planen"), required=False
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_token(self) -> dict:
        try:
            data = signing.loads(self.cleaned_data["token"], salt=SALT, max_age=PREVIEW_MAX_AGE)
        except signing.SignatureExpired as error:
            raise forms.ValidationError(
                gettext("Forhandsvisinga er for gammal. Last opp fila på nytt.")
            ) from error
        except signing.BadSignature as error:
            raise forms.ValidationError(
                gettext("Fila er endra sidan forhandsvisinga. Last opp fila på nytt.")
            ) from error
        if data.get("user") != self.user.pk:
            raise forms.ValidationError(
                gettext("Forhandsvisinga er ikkje di. Last opp fila på nytt.")
            )
        return data
