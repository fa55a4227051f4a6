"""python manage.py rerender_report SLUG YEAR --reason TEXT [--user USERNAME]

Render an approved report again from its frozen snapshot, e.g. after a fix to the template.
The new file is served from then on; every earlier one is kept, marked replaced.
"""

from __future__ import annotations

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bygdevekst.logs import audit
from reporting.management.lookup import agreement_for
from reporting.outputs.pdf import store_report


class Command(BaseCommand):
    help = (
        "Lag PDF-en til ein godkjend handlingsplan på nytt frå den frosne planen; "
        "dei tidlegare filene blir tekne vare på."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("year", type=int)
        parser.add_argument("--reason", required=True, help="kvifor rapporten blir laga på nytt")
        parser.add_argument("--user", help="brukarnamnet til den som gjer det (for loggen)")

    def handle(self, *args, slug: str, year: int, reason: str, user: str | None, **options):
        agreement = agreement_for(slug, year)
        revision = agreement.revisions.filter(year=year).first()
        if revision is None or not revision.is_approved:
            raise CommandError(
                f"Handlingsplan {year} er ikkje godkjend; berre den kan lagast på nytt."
            )
        if not reason.strip():
            raise CommandError("Skriv kvifor rapporten blir laga på nytt (--reason).")
        operator = None
        if user is not None:
            operator = get_user_model().objects.filter(username=user).first()
            if operator is None:
                raise CommandError(f"Fann ingen brukar {user!r}.")
        stored = store_report(revision, reason=reason.strip(), user=operator, replace=True)
        audit(
            "report_rerendered",
            agreement=slug,
            year=year,
            reason=stored.reason,
            stored_report=stored.pk,
            user=user,
            os_user=_os_user(),
        )
        earlier = revision.stored_reports.count() - 1
        self.stdout.write(
            f"Handlingsplan {year} er laga på nytt ({len(stored.pdf) // 1024} kB) og blir "
            f"lasta ned frå no av; {earlier} tidlegare fil(er) er tekne vare på."
        )


def _os_user() -> str | None:
    """The server account the command runs under, for the log; None where it has no name."""
    try:
        return getpass.getuser()
    except OSError:  # e.g. a container running under a numeric user id only
        return None
