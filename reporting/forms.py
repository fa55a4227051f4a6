"""Forms of the yearly revision: starting it, the editor's texts, decisions, KDD's answer.

Also the edited workbook uploaded back into the budget, and its previewed changes.
"""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.models import MAX_KRONER
from bygdevekst.forms import StyledForm

from .models import Approval, MeasureNote, MeasureProgress, Revision
from .outputs.workbook.bounded_sheets import MAX_UPLOAD_BYTES
from .revision.changes import ChangeList
from .revision.workflow import recorded_mark, required_notes


class StartRevisionForm(StyledForm, forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("År"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]


class DueDateForm(StyledForm, forms.ModelForm):
    """The deadline for the parties' decisions: today or later."""

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        today = timezone.localdate()
        if due_on is not None and due_on < today:
            raise forms.ValidationError(
                _("Fristen kan ikkje vere før i dag (%(today)s).")
                % {"today": date_format(today, "SHORT_DATE_FORMAT")}
            )
        return due_on

    class Meta:
        model = Revision
        fields = ["due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class NotesForm(StyledForm, forms.Form):
    """A reason for each changed measure, an assessment for each closed one, and the year's
    status of every active measure."""

    def __init__(
        self, *args, revision: Revision, changes: ChangeList, active: list[dict], **kwargs
    ):
        super().__init__(*args, **kwargs)
        notes = {n.measure_key: n for n in revision.notes.all()}
        progress = {p.measure_key: p for p in revision.progress.all()}
        self.note_rows, self.progress_rows = [], []
        for key, label, kind in required_notes(changes):
            name = f"note-{key}"
            self.fields[name] = forms.CharField(
                label=_("%(kind)s: tiltak %(measure)s")
                % {"kind": MeasureNote.Kind(kind).label, "measure": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=notes[key].text if key in notes else "",
            )
            # Not required to save the draft, but to submit it: said so beside the label.
            self.fields[name].needed_for_submission = True
            self.note_rows.append((key, kind, name))
        for measure in active:
            key = measure["key"]
            existing = progress.get(key)
            self.fields[f"state-{key}"] = forms.ChoiceField(
                label=_("Status"),
                choices=[("", _("Ikkje registrert")), *MeasureProgress.State.choices],
                required=False,
                initial=existing.state if existing else "",
            )
            self.fields[f"progress-{key}"] = forms.CharField(
                label=_("Framdrift"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=existing.text if existing else "",
            )
            self.progress_rows.append((measure, self[f"state-{key}"], self[f"progress-{key}"]))
        self.style_fields()

    def clean(self) -> dict:
        """A yearly status text without a state is refused beside the state, not dropped."""
        data = super().clean()
        for measure, _state, _text in self.progress_rows:
            key = measure["key"]
            refusal = MeasureProgress.refusal(
                data.get(f"state-{key}", ""), data.get(f"progress-{key}", "")
            )
            if refusal:
                self.add_error(f"state-{key}", refusal)
        return data

    def note_fields(self) -> list:
        return [self[name] for _, _, name in self.note_rows]

    def notes(self) -> dict[str, tuple[str, str]]:
        return {key: (kind, self.cleaned_data[name].strip()) for key, kind, name in self.note_rows}

    def progress(self) -> dict[str, tuple[str, str]]:
        return {
            measure["key"]: (
                self.cleaned_data[f"state-{measure['key']}"],
                self.cleaned_data[f"progress-{measure['key']}"].strip(),
            )
            for measure, _, _ in self.progress_rows
        }


class SubmitForm(forms.Form):
    """Send to approval; when budget checks fail, the editor confirms having seen them."""

    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Eg har sett kontrollane som ikkje stemmer, og vil sende handlingsplanen likevel."
        ),
        required=False,
    )
    # The labels of the failing checks the editor was shown: only those are confirmed.
    accepted = forms.Field(widget=forms.MultipleHiddenInput, required=False)

    def accepted_failures(self) -> list[str]:
        """The failing checks confirmed: none unless the box is ticked."""
        if not self.is_valid() or not self.cleaned_data["confirm"]:
            return []
        return [str(label) for label in self.cleaned_data["accepted"] or []]


class ApproveForm(SubmitForm):
    """KDD's approval; when budget checks fail, KDD confirms having seen them, as the editor
    did at submission."""

    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Eg har sett kontrollane som ikkje stemmer, og vil godkjenne handlingsplanen likevel."
        ),
        required=False,
    )


class DecisionForm(StyledForm, forms.ModelForm):
    """One body's meeting and decision, recorded by the party's own approver."""

    # When the decision shown was recorded: another approver's record since is not overwritten.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial["seen"] = recorded_mark(self.instance)

    def values(self) -> dict:
        """The approval's fields as cleaned, without the mark of what was seen."""
        return {k: v for k, v in self.cleaned_data.items() if k != "seen"}

    class Meta:
        model = Approval
        fields = ["planned_on", "decided_on", "decision", "case_reference", "comment"]
        widgets = {
            "planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "comment": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "comment": gettext_lazy(
                "Må fyllast ut når vedtaket er «Ikkje godkjend»: kvifor, og kva som må rettast."
            ),
        }


class SendBackForm(StyledForm, forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Kvifor blir handlingsplanen sendt tilbake?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Skriv kvifor handlingsplanen blir sendt tilbake.")
        },
    )


class WorkbookUploadForm(StyledForm, forms.Form):
    """The budget and financing sheets of a downloaded workbook, edited and sent back."""

    workbook = forms.FileField(
        label="Excel-fil (.xlsx)",
        help_text="Arka «Budsjett» og «Finansiering ÅÅÅÅ» frå ei nedlasta fil, med endringane.",
    )

    def clean_workbook(self):
        """The file, if it is within the size limit: checked before anything reads it."""
        upload = self.cleaned_data["workbook"]
        if upload.size > MAX_UPLOAD_BYTES:
            size = f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")
            raise forms.ValidationError(
                f"Fila er for stor ({size} MB). "
                f"Ho kan vere opp til {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
            )
        return upload


class ApplyUploadForm(forms.Form):
    """The previewed changes, posted back to be applied: line:year:source:old:new.

    Checked as the grid checks typed amounts, since anyone can post anything here.
    """

    change = forms.CharField(widget=forms.MultipleHiddenInput, required=False)

    def __init__(self, *args, agreement, lines: dict, sources: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agreement, self.lines, self.sources = agreement, lines, sources

    def clean(self) -> dict:
        data = super().clean()
        data["changes"] = [self._change(item) for item in self.data.getlist("change")]
        return data

    def _change(self, item: str) -> tuple:
        """One change as (line, year, source, old, new), or a ValidationError saying why not."""
        parts = item.split(":")
        if len(parts) != 5 or not all(re.fullmatch(r"[0-9]{0,30}", part) for part in parts):
            raise forms.ValidationError("Endringane kunne ikkje lesast. Last opp fila på nytt.")
        line_id, year, source_id = (int(part or 0) for part in parts[:3])
        old, new = (int(part) if part else None for part in parts[3:])
        if line_id not in self.lines or source_id not in self.sources:
            raise forms.ValidationError("Endringane kunne ikkje lesast. Last opp fila på nytt.")
        if year not in self.agreement.years:
            raise forms.ValidationError(
                f"{year} er ikkje eit år i avtaleperioden {self.agreement.period}."
            )
        if new is not None and new > MAX_KRONER:
            raise forms.ValidationError(f"Beløpet {new} kr er urimeleg stort.")
        return (self.lines[line_id], year, self.sources[source_id], old, new)


def first_error(form: forms.Form) -> str:
    """The first thing wrong with a form, to say in a message."""
    return next(iter(form.errors.values()))[0]
