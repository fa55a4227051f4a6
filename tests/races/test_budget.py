"""Two editors saving the budget at once: the grid and an uploaded workbook."""

from __future__ import annotations

from django.urls import reverse

from budget import cells
from budget.models import Amount

from .race import at_once, races, said, widen

pytestmark = races
ROUNDS = 8
CONFLICT = "Nokon andre har endra budsjettet medan du skreiv"
STALE_UPLOAD = "Budsjettet er endra sidan du lasta opp fila. Last opp på nytt."


def saved(plan, source) -> int | None:
    amount = Amount.objects.filter(line=plan.line, source=source, year=2025).first()
    return amount.kroner if amount else None


def grid_as_shown(plan, **typed) -> dict:
    """The 2025 grid as the editor sees it now, with cells typed: typed["kdd"] = "120000"."""
    data = {}
    for source in (plan.state, plan.own):
        shown = saved(plan, source)
        data[f"o-{plan.line.pk}-{source.pk}"] = "" if shown is None else str(shown)
        data[f"c-{plan.line.pk}-{source.pk}"] = typed.get(
            source.key, data[f"o-{plan.line.pk}-{source.pk}"]
        )
    return data


def post_grid(client, plan, data):
    url = reverse("budget:edit", args=[plan.agreement.slug]) + "?ar=2025"
    return lambda: client.post(url, data)


def test_budget_saves_at_once_are_applied_on_what_was_seen_or_refused(plan, monkeypatch):
    """One test, as each transactional test empties the database (seconds) when it ends."""
    # The one writer of cells pauses between reading the saved cells and writing them.
    widen(monkeypatch, cells, "conflicts")
    two_editors_saving_the_same_cell_one_wins_the_other_is_told(plan)
    two_editors_saving_different_cells_both_keep_their_values(plan)
    two_uploads_filling_the_same_empty_cell_one_is_applied(plan)
    an_upload_and_the_grid_on_the_same_cell_one_is_applied(plan)


def two_editors_saving_the_same_cell_one_wins_the_other_is_told(plan):
    a, b = plan.editors
    for n in range(ROUNDS):
        seen = saved(plan, plan.state)
        typed = {"first": seen + 1000 + n, "second": seen + 2000 + n}
        answers = at_once(
            post_grid(a, plan, grid_as_shown(plan, kdd=str(typed["first"]))),
            post_grid(b, plan, grid_as_shown(plan, kdd=str(typed["second"]))),
        )
        won = [
            value for value, r in zip(typed.values(), answers, strict=True) if r.status_code == 302
        ]
        told = [r for r in answers if r.status_code == 200 and CONFLICT in r.text]
        assert len(won) == 1 and len(told) == 1, n
        assert saved(plan, plan.state) == won[0]
        # Applied on top of exactly what its author saw: the value before it is the one shown.
        latest, before = Amount.objects.get(line=plan.line, source=plan.state).history.all()[:2]
        assert (before.kroner, latest.kroner) == (seen, won[0])


def two_editors_saving_different_cells_both_keep_their_values(plan):
    a, b = plan.editors
    for n in range(ROUNDS):
        state, own = saved(plan, plan.state) + 1, 5000 + n
        answers = at_once(
            post_grid(a, plan, grid_as_shown(plan, kdd=str(state))),
            post_grid(b, plan, grid_as_shown(plan, kommune=str(own))),
        )
        assert [r.status_code for r in answers] == [302, 302], n
        assert (saved(plan, plan.state), saved(plan, plan.own)) == (state, own)


def two_uploads_filling_the_same_empty_cell_one_is_applied(plan):
    a, b = plan.editors
    url = reverse("reporting:workbook-apply", args=[plan.agreement.slug]) + "?ar=2025"
    for n in range(ROUNDS):
        Amount.objects.filter(line=plan.line, source=plan.own).delete()
        change = f"{plan.line.pk}:2025:{plan.own.pk}::"
        values = [7000 + n, 8000 + n]
        answers = at_once(
            *(
                lambda c=c, data={"change": [f"{change}{v}"]}: c.post(url, data)
                for c, v in zip((a, b), values, strict=True)
            )
        )
        applied = [
            v
            for v, r in zip(values, answers, strict=True)
            if "1 beløp frå Excel-fila er lagra." in said(r)
        ]
        refused = [r for r in answers if STALE_UPLOAD in said(r)]
        assert len(applied) == 1 and len(refused) == 1, n
        assert saved(plan, plan.own) == applied[0]


def an_upload_and_the_grid_on_the_same_cell_one_is_applied(plan):
    a, b = plan.editors
    url = reverse("reporting:workbook-apply", args=[plan.agreement.slug]) + "?ar=2025"
    for n in range(ROUNDS):
        seen = saved(plan, plan.state)
        upload, typed = seen + 300 + n, seen + 400 + n
        change = f"{plan.line.pk}:2025:{plan.state.pk}:{seen}:{upload}"
        answers = at_once(
            lambda data={"change": [change]}: a.post(url, data),
            post_grid(b, plan, grid_as_shown(plan, kdd=str(typed))),
        )
        upload_applied = "1 beløp frå Excel-fila er lagra." in said(answers[0])
        grid_applied = answers[1].status_code == 302
        assert upload_applied != grid_applied, n
        assert upload_applied or STALE_UPLOAD in said(answers[0])
        assert grid_applied or CONFLICT in answers[1].text
        assert saved(plan, plan.state) == (upload if upload_applied else typed)
