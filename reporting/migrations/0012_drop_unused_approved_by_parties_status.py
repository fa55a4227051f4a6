"""The status «approved by the parties» goes: nothing ever set it.

Whether a submitted plan waits for KDD is read from the parties' decisions
(reporting.revision.waiting), not stored. A row that somehow holds the old value (written by
hand) becomes what it was in fact: submitted, its decisions still counting.
"""

from django.db import migrations, models


def to_submitted(apps, schema_editor):
    Revision = apps.get_model("reporting", "Revision")
    Revision.objects.filter(status="approved_by_parties").update(status="submitted")


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0011_decision_provenance"),
    ]

    operations = [
        migrations.RunPython(to_submitted, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="revision",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Utkast"),
                    ("submitted", "Til politisk handsaming"),
                    ("approved", "Godkjend av KDD"),
                ],
                default="draft",
                max_length=30,
                verbose_name="status",
            ),
        ),
    ]
