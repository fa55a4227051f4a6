"""The budget grid: one year's amounts, every line by every source, in whole kroner."""

from __future__ import annotations

import re

from django import forms
from django.db import transaction
from django.utils.formats import number_format

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
            raise forms.ValidationError("Skriv heile kroner, utan øre.")
        if not re.fullmatch(r"-?\d+", text):
            raise forms.ValidationError("Skriv eit beløp i heile kroner, til dømes 500 000.")
        kroner = int(text)
        if kroner < 0:
            raise forms.ValidationError("Beløpet kan ikkje vere negativt.")
        if kroner > MAX_KRONER:
            raise forms.ValidationError("Beløpet er urimeleg stort.")
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
        """Cells another person changed since the grid was shown, where this one typed otherwise."""
        found = []
        for line in self.lines:
            for source in self.sources:
                original = self.cleaned_data.get(original_name(line, source))
                saved = self.current.get((line.pk, source.pk))
                typed = self.cleaned_data.get(cell_name(line, source))
                if original != saved and typed != saved:
                    found.append((line, source, saved, typed))
        return found

    def accept_saved_versions(self) -> None:
        """After a conflict, let the next save overwrite deliberately: originals become current."""
        self.data = self.data.copy()
        for line in self.lines:
            for source in self.sources:
                saved = self.current.get((line.pk, source.pk))
                self.data[original_name(line, source)] = "" if saved is None else saved

    @transaction.atomic
    def save(self) -> int:
        """Write every changed cell (new, changed or emptied); return how many changed."""
        existing = {
            (a.line_id, a.source_id): a
            for a in Amount.objects.select_for_update().filter(
                line__in=self.lines, year=self.year, source__in=self.sources
            )
        }
        changed = 0
        for (line_id, source_id), kroner in self.typed().items():
            row = existing.get((line_id, source_id))
            if row is None and kroner:
                Amount.objects.create(
                    line_id=line_id, source_id=source_id, year=self.year, kroner=kroner
                )
            elif row is not None and not kroner:
                row.delete()
            elif row is not None and row.kroner != kroner:
                row.kroner = kroner
                row.save(update_fields=["kroner"])
            else:
                continue
            changed += 1
        return changed
