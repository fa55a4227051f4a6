"""The budget grid: one year's amounts, every line by every source, in whole kroner."""

from __future__ import annotations

import re

from django import forms
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from measures.forms import StyledForm

from .models import MAX_KRONER, Amount, BudgetLine, FundingSource

_SPACES = re.compile(r"[\s\u00a0\u202f]")


class KronerField(forms.CharField):
    """Whole kroner, typed as a person would: "500 000", "500000", or empty for none."""

    def to_python(self, value) -> int | None:
        text = _SPACES.sub("", super().to_python(value) or "")
        if not text:
            return None
        if re.fullmatch(r"-?\d+[.,]\d*", text):
            raise forms.ValidationError(_("Skriv heile kroner, utan øre."))
        if not re.fullmatch(r"-?\d+", text):
            raise forms.ValidationError(_("Skriv eit beløp i heile kroner, til dømes 500 000."))
        kroner = int(text)
        if kroner < 0:
            raise forms.ValidationError(_("Beløpet kan ikkje vere negativt."))
        if kroner > MAX_KRONER:
            raise forms.ValidationError(_("Beløpet er urimeleg stort."))
        return kroner


def cell_name(line: BudgetLine, source: FundingSource) -> str:
    return f"c-{line.pk}-{source.pk}"


def original_name(line: BudgetLine, source: FundingSource) -> str:
    return f"o-{line.pk}-{source.pk}"


class BudgetGridForm(StyledForm, forms.Form):
    """Each cell remembers the value it was shown with, so a cell someone else changed since
    is reported as a conflict instead of being overwritten."""

    def __init__(self, *args, year: int, lines, sources, current: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year, self.lines, self.sources, self.current = year, lines, sources, current
        for line in lines:
            for source in sources:
                value = current.get((line.pk, source.pk))
                shown = number_format(value, force_grouping=True) if value is not None else ""
                self.fields[cell_name(line, source)] = KronerField(
                    label=f"{line.title}, {source.name}, {year}",
                    required=False,
                    initial=shown,
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "ds-input num"}),
                )
                self.fields[original_name(line, source)] = forms.IntegerField(
                    required=False, widget=forms.HiddenInput, initial=value
                )

    def rows(self) -> list[tuple[BudgetLine, list]]:
        """The grid's bound fields, line by line, for the template."""
        return [(line, [self[cell_name(line, s)] for s in self.sources]) for line in self.lines]

    def hidden_originals(self) -> list:
        return [self[original_name(line, s)] for line in self.lines for s in self.sources]

    def typed(self) -> dict[tuple[int, int], int | None]:
        """The valid cells as typed (line id, source id) → kroner or None, invalid ones left out."""
        data = getattr(self, "cleaned_data", {})
        return {
            (line.pk, source.pk): data[cell_name(line, source)]
            for line in self.lines
            for source in self.sources
            if cell_name(line, source) in data
        }

    def conflicts(self) -> list[tuple[BudgetLine, FundingSource, int | None, int | None]]:
        """Cells this person changed that another person has changed too, to something else,
        since the grid was shown: (line, source, saved, typed)."""
        found = []
        for line, source, original, typed in self._cells():
            saved = self.current.get((line.pk, source.pk))
            if typed != original and original != saved and typed != saved:
                found.append((line, source, saved, typed))
        return found

    def accept_saved_versions(self) -> None:
        """After a conflict, show what is saved now: the cells this person left alone take the
        saved value, and the cells they changed keep what they typed, to be saved over the
        saved value deliberately with the next save."""
        self.data = self.data.copy()
        for line, source, original, typed in self._cells():
            saved = self.current.get((line.pk, source.pk))
            shown = "" if saved is None else str(saved)
            self.data[original_name(line, source)] = shown
            if typed == original:
                self.data[cell_name(line, source)] = shown
        self.full_clean()

    @transaction.atomic
    def save(self) -> int:
        """Write the cells this person changed; return how many. GridConflict, and nothing
        written, if someone else saved a different value in one of them since it was shown.

        Checked against the amounts as saved now, under the budget's lock, in the transaction
        that writes: two people saving at once go one after the other.
        """
        agreement_id = self.lines[0].agreement_id if self.lines else None
        self.current = {
            (line_id, source_id): kroner
            for (line_id, year, source_id), kroner in Amount.objects.locked_cells(
                agreement_id
            ).items()
            if year == self.year
        }
        conflicts = self.conflicts()
        if conflicts:
            raise GridConflict(conflicts)
        existing = {
            (a.line_id, a.source_id): a
            for a in Amount.objects.filter(
                line__in=self.lines, year=self.year, source__in=self.sources
            )
        }
        changed = 0
        for line, source, original, kroner in self._cells():
            if kroner == original:
                continue  # left alone: whatever is saved now stays
            row = existing.get((line.pk, source.pk))
            if row is None and kroner:
                Amount.objects.create(line=line, source=source, year=self.year, kroner=kroner)
            elif row is not None and not kroner:
                row.delete()
            elif row is not None and row.kroner != kroner:
                row.kroner = kroner
                row.save(update_fields=["kroner"])
            else:
                continue
            changed += 1
        return changed

    def _cells(self):
        """Each valid cell as (line, source, the value shown, the value typed)."""
        for line in self.lines:
            for source in self.sources:
                if cell_name(line, source) in self.cleaned_data:
                    original = self.cleaned_data.get(original_name(line, source))
                    yield line, source, original, self.cleaned_data[cell_name(line, source)]


class GridConflict(Exception):
    """Cells changed by someone else since the grid was shown: (line, source, saved, typed)."""

    def __init__(self, conflicts: list[tuple]) -> None:
        self.conflicts = conflicts
        super().__init__(f"{len(conflicts)} budget cells changed meanwhile")
