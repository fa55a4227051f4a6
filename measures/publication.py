"""Whether an agreement's approved plans are on the public pages (public/): an operator's say."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Publication(models.Model):
    """Public once approved, unless an operator holds the agreement back; when that last
    changed dates the public index (its Last-Modified), which changes without an approval."""

    published = models.BooleanField(
        _("vis på dei offentlege sidene"),
        default=True,
        db_default=True,
        help_text=_(
            "Godkjende handlingsplanar er opne for alle under /offentleg/. Fjern krossen for å "
            "halde avtala tilbake."
        ),
    )
    published_changed_at = models.DateTimeField(
        _("offentleg visning endra"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        """Save; a change of `published` is dated."""
        fields = kwargs.get("update_fields")
        loaded = getattr(self, "_published_as_loaded", None)
        changed = loaded is not None and loaded != self.published
        if changed and (not fields or "published" in fields):
            self.published_changed_at = timezone.now()
            if fields:
                kwargs["update_fields"] = [*fields, "published_changed_at"]
        super().save(*args, **kwargs)
        self._published_as_loaded = self.published

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        """The row as loaded, remembering `published` so that save() sees it change."""
        row = super().from_db(db, field_names, values, **kwargs)
        row._published_as_loaded = row.__dict__.get("published")
        return row
