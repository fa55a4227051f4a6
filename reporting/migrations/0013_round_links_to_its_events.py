"""A round points at the events that opened and closed it (0014 links them, 0015 drops the
columns that repeated them).

The old "one open round" constraint reads `closed_at`, so it goes first; its successor, on
`send_back`, comes once every closed round has its send-back (0015). `opened_at` and
`Approval.revision` become nullable here, so that going back can fill them again before they
are required.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reporting", "0012_drop_unused_approved_by_parties_status")]

    operations = [
        migrations.RemoveConstraint(model_name="approvalround", name="one_open_round_per_revision"),
        migrations.AddField(
            model_name="approvalround",
            name="submission",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="+",
                to="reporting.revisionevent",
                verbose_name="sendt til godkjenning",
            ),
        ),
        migrations.AddField(
            model_name="approvalround",
            name="send_back",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="+",
                to="reporting.revisionevent",
                verbose_name="sendt tilbake",
            ),
        ),
        migrations.AlterField(
            model_name="approvalround",
            name="opened_at",
            field=models.DateTimeField(null=True, verbose_name="sendt til godkjenning"),
        ),
        migrations.AlterField(
            model_name="approval",
            name="revision",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="approvals",
                to="reporting.revision",
            ),
        ),
    ]
