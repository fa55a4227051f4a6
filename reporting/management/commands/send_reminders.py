"""python manage.py send_reminders: remind approvers who are late with their decision.

Meant to be run daily by a scheduler (cron, a systemd timer, a Kubernetes CronJob).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from reporting.revision.workflow import send_reminders


class Command(BaseCommand):
    help = "Send påminning til godkjennarar som ikkje har registrert vedtak innan fristen."

    def handle(self, *args, **options) -> None:
        sent = send_reminders()
        self.stdout.write(f"Sende {len(sent)} påminningar.")
