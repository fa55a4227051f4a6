"""The plan's change history: what is tracked, and how it reads.

django-simple-history records every save and delete of the tracked models. It cannot see
`QuerySet.update()`, so tracked models use `TrackedQuerySet`, which refuses it.
"""

from __future__ import annotations

from django.db import models


class UntrackedChangeError(TypeError):
    """A bulk update would change tracked rows behind the history's back."""


class TrackedQuerySet(models.QuerySet):
    """A queryset whose rows may only be changed one by one, so that history sees each change."""

    def update(self, **kwargs):
        raise UntrackedChangeError(
            f"{self.model.__name__} keeps a change history: save each row instead of "
            "QuerySet.update(), which the history cannot see."
        )

    def bulk_update(self, objs, fields, batch_size=None):
        raise UntrackedChangeError(
            f"{self.model.__name__} keeps a change history: save each row instead of bulk_update()."
        )
