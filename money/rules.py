"""Who may do what with an agreement's money: the one place the money's pages, buttons and
services ask (built on access.rules, as every other rule of the application is).

- the project leader (editor) enters the year's accounts, explains deviations and submits;
- KDD (the ministry, when it does not edit the plan) accepts or returns the accounts, records
  payments and corrects what is accepted or recorded;
- everyone who reads the agreement (municipalities, the county, partners) reads its money.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from access.rules import can_edit, can_view, decides_for_ministry, holds_editor_role


def why_not_keeper(user, agreement) -> str | None:
    """Why the user may not enter, explain or submit the agreement's accounts; None if they may."""
    if can_edit(user, agreement):
        return None
    return gettext(
        "Berre prosjektleiaren for %(agreement)s kan føre og sende inn rekneskapen; rolla di "
        "gir ikkje det."
    ) % {"agreement": agreement}


def why_not_kdd(user, agreement) -> str | None:
    """Why the user may not accept or return accounts, record payments or correct them."""
    if holds_editor_role(user, agreement):
        return gettext(
            "Du er prosjektleiar for %(agreement)s og fører rekneskapen, så du kan ikkje òg "
            "godkjenne han eller registrere utbetalingar. Det gjer KDD."
        ) % {"agreement": agreement}
    if decides_for_ministry(user, agreement):
        return None
    return gettext(
        "Berre KDD (departementet) kan godkjenne rekneskapen, sende han tilbake og registrere "
        "utbetalingar."
    )


def why_not_grid(user, agreement) -> str | None:
    """Why the user may not work in the accounts grid (its running totals): only the project
    leader, entering, and KDD, correcting, may; None if they may."""
    if why_not_kdd(user, agreement) is None:
        return None
    return why_not_keeper(user, agreement)


@dataclass(frozen=True)
class MoneyPermissions:
    """What the money's templates ask: may this user press this button?"""

    read: bool
    keep: bool
    kdd: bool


def money_permissions(user, agreement) -> MoneyPermissions:
    return MoneyPermissions(
        read=can_view(user, agreement),
        keep=why_not_keeper(user, agreement) is None,
        kdd=why_not_kdd(user, agreement) is None,
    )
