"""A round's times and KDD's comment are its events'; an approval's revision is its round's."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reporting", "0014_rounds_read_from_their_events")]

    operations = [
        migrations.RemoveField(model_name="approvalround", name="opened_at"),
        migrations.RemoveField(model_name="approvalround", name="closed_at"),
        migrations.RemoveField(model_name="approvalround", name="comment"),
        migrations.AddConstraint(
            model_name="approvalround",
            constraint=models.UniqueConstraint(
                condition=models.Q(("send_back__isnull", True)),
                fields=("revision",),
                name="one_open_round_per_revision",
                violation_error_message="Handlingsplanen har alt ein open godkjenningsrunde.",
            ),
        ),
        migrations.AlterModelOptions(
            name="approval",
            options={
                "ordering": ["round_id", "organisation__name", "body"],
                "verbose_name": "godkjenning",
                "verbose_name_plural": "godkjenningar",
            },
        ),
        migrations.RemoveField(model_name="approval", name="revision"),
    ]
