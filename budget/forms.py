"""The budget grid: one year's amounts, every line by every source, in whole kroner."""

from __future__ import annotations

import re

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bygdevekst.forms import StyledForm

from .cells import BudgetConflict, CellChange, write_cells
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

    def changes(self) -> list[CellChange]:
        """The cells this person changed, from the value shown to the value typed."""
        return [
            CellChange(line, self.year, source, original, typed)
            for line, source, original, typed in self._cells()
            if typed != original
        ]

    def save(self) -> int:
        """Write the cells this person changed (budget.cells.write_cells); return how many.
        GridConflict, and nothing written, if someone else saved a different value in one of
        them since it was shown."""
        changes = self.changes()
        if not changes:
            return 0
        try:
            return write_cells(self.lines[0].agreement_id, changes)
        except BudgetConflict as conflict:
            raise GridConflict(
                [(c.line, c.source, saved, c.new) for c, saved in conflict.conflicts]
            ) from conflict

    def accept_saved_versions(self) -> None:
        """After a conflict, show what is saved now: the cells this person left alone take the
        saved value, and the cells they changed keep what they typed, to be saved over the
        saved value deliberately with the next save."""
        self.current = self.saved_cells()
        self.data = self.data.copy()
        for line, source, original, typed in self._cells():
            saved = self.current.get((line.pk, source.pk))
            shown = "" if saved is None else str(saved)
            self.data[original_name(line, source)] = shown
            if typed == original:
                self.data[cell_name(line, source)] = shown
        self.full_clean()

    def saved_cells(self) -> dict[tuple[int, int], int]:
        """The grid's cells as saved now: (line id, source id) → kroner."""
        return Amount.objects.cells(self.lines[0].agreement, self.year)

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
