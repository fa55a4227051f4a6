"""Asking before an irreversible step (approve, send back, submit, close, delete).

The step's button posts its form as it always did. A post without the field `confirmed`
changes nothing: it answers with a confirmation that says what will happen, holding the same
form (its own fields visible where the person may still correct them, with their errors beside
them) and a button that posts it again with `confirmed`. Without JavaScript that is a page of
its own; an htmx post gets the same confirmation as a fragment, swapped in where the button was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

CONFIRMED = "confirmed"
# Posted fields that are not the step's own data.
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRMED}


def is_confirmed(request: HttpRequest) -> bool:
    """The person has seen the confirmation and pressed its button."""
    return request.method == "POST" and request.POST.get(CONFIRMED) == "ja"


@dataclass
class Confirmation:
    """What the confirmation says and where its button posts."""

    title: str
    consequences: list[str]
    action: str
    button: str
    cancel: str
    danger: bool = False
    form: object | None = None
    # Shown above the form, e.g. the budget checks that fail for a plan to be submitted.
    details_template: str = ""
    warnings: list[str] = field(default_factory=list)


def ask(request: HttpRequest, confirmation: Confirmation, context: dict) -> HttpResponse:
    """The confirmation: a page, or for htmx the fragment swapped in where the button was."""
    own = set(confirmation.form.fields) if confirmation.form is not None else set()
    carried = [
        (name, value)
        for name in request.POST
        if name not in _NOT_CARRIED and name not in own
        for value in request.POST.getlist(name)
    ]
    context = {**context, "confirmation": confirmation, "carried": carried}
    if request.htmx:
        return render(request, "confirm.html#confirmation", context)
    return render(request, "confirm.html", context)


def leave(request: HttpRequest, to) -> HttpResponse:
    """Go to a page after a refusal: for htmx the whole page, never inside the fragment."""
    response = redirect(to)
    if request.htmx:
        return HttpResponseClientRedirect(response["Location"])
    return response
