"""Put every existing approval into its revision's first round.

Before rounds existed, a revision's approvals were kept across a send-back and counted again.
They become round 1: open while the revision is submitted or approved; closed with KDD's last
send-back (its time and comment) while the revision is a draft again.
"""

from django.db import migrations
from django.utils import timezone


def forward(apps, schema_editor):
    Revision = apps.get_model("reporting", "Revision")
    ApprovalRound = apps.get_model("reporting", "ApprovalRound")
    Approval = apps.get_model("reporting", "Approval")
    RevisionEvent = apps.get_model("reporting", "RevisionEvent")
    for revision in Revision.objects.filter(approvals__round__isnull=True).distinct():
        approvals = Approval.objects.filter(revision=revision, round__isnull=True)
        opened = (
            revision.submitted_at
            or revision.approved_at
            or min((a.recorded_at for a in approvals if a.recorded_at), default=None)
            or timezone.now()
        )
        closed, comment = None, ""
        if revision.status == "draft":
            sent_back = (
                RevisionEvent.objects.filter(revision=revision, kind="sent_back")
                .order_by("-at", "-pk")
                .first()
            )
            closed = sent_back.at if sent_back else timezone.now()
            comment = sent_back.comment if sent_back else ""
        first = ApprovalRound.objects.create(
            revision=revision,
            number=1,
            opened_at=min(opened, closed) if closed else opened,
            closed_at=closed,
            comment=comment,
        )
        for approval in approvals:
            approval.round = first
            approval.save(update_fields=["round"])


class Migration(migrations.Migration):
    dependencies = [("reporting", "0007_approval_rounds")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
