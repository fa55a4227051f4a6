"""Keys: the slugs that identify a row for good, whatever its title becomes."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify


def unique_key(text: str, taken: models.QuerySet, fallback: str, max_length: int = 70) -> str:
    """A slug of the text (æøå spelt out) that no row of `taken` has as its key."""
    spelt = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    base = slugify(spelt)[:max_length] or fallback
    key, suffix = base, 2
    while taken.filter(key=key).exists():
        key, suffix = f"{base}-{suffix}", suffix + 1
    return key
