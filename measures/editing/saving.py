"""Saving an edit against the version the editor saw: on a stale version, the conflict to show."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ..changelog import measure_changelog, page_of
from ..models import Measure
from ..versioning import RowDeleted, StaleVersion, save_if_current


def _conflict(form, stale: StaleVersion) -> dict:
    """Keep what this person typed; show what the other person saved; allow saving over it."""
    if isinstance(stale, RowDeleted):
        return _deleted(stale.obj)
    current = stale.current
    latest = current.history.select_related("history_user").first()
    user = latest.history_user if latest else None
    who = (user.get_full_name() or user.username) if user else _("nokon andre")
    theirs = []
    for name, bound in form.fields.items():
        if name == "version" or not hasattr(current, name):
            continue
        value = getattr(current, name)
        if not _same(form.cleaned_data.get(name), value):
            theirs.append((bound.label, value))
    form.data = form.data.copy()
    form.data["version"] = current.version
    return {"who": who, "when": latest.history_date if latest else None, "theirs": theirs}


def _deleted(obj) -> dict:
    """Someone deleted what this person was editing: keep what they typed, say who did it."""
    latest = type(obj).history.filter(id=obj.pk).select_related("history_user").first()
    user = latest.history_user if latest else None
    who = (user.get_full_name() or user.username) if user else _("Nokon andre")
    return {"who": who, "when": latest.history_date if latest else None, "deleted": True}


def _same(typed, saved) -> bool:
    """Whether what was typed, as the form cleaned it, is what is saved.

    Browsers send a text area's line ends as CRLF, whatever the saved text has.
    """
    if isinstance(typed, str) and isinstance(saved, str):
        return typed.replace("\r\n", "\n") == saved.replace("\r\n", "\n")
    return typed == saved


def save_form(form) -> dict | None:
    """Save a versioned form; on a stale version, return the conflict to show instead.

    An empty conflict means the form has errors now: a unique number or kind that another
    editor took after the form was checked, said beside its field.
    """
    try:
        with transaction.atomic():
            obj = form.save(commit=False)
            if obj.pk:
                save_if_current(obj, form.cleaned_data["version"])
            else:
                obj.save()
            form.save_m2m()
    except StaleVersion as stale:
        return _conflict(form, stale)
    except IntegrityError:
        form.full_clean()
        if form.is_valid():
            raise
        return {}
    return None


def bump(measure: Measure) -> None:
    """A change to a measure's parts is a change to the measure: others' open forms go stale."""
    measure.mark_changed()


def saved_in_place(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """An htmx save's answer: the saved fragment saying «Lagra», and the measure's change log
    with the new entry, swapped in out of band so the page needs no reload."""
    response = render(request, template, {**context, "saved": True})
    measure = context["measure"]
    log = render_to_string(
        "measures/_measure_changelog.html",
        {**context, **page_of(measure_changelog(measure)), "oob": True},
        request=request,
    )
    response.content += log.encode()
    return response
