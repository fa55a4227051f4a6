"""Every decision says how it was recorded: in the app by its holder, or restored from a plan
file by an operator. Decisions already taken without a recorder came from plan files (the seed
and restores): they are marked restored, from a file whose name was not kept."""

from django.db import migrations, models


def mark_restored(apps, schema_editor):
    Approval = apps.get_model("reporting", "Approval")
    decided = Approval.objects.exclude(decision="pending").filter(recorded_by__isnull=True)
    # Bulk, past the model's guard: an approved revision's rows are frozen for every other write.
    decided.update(recorded_via="restored")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0010_state_labels_named_as_states_and_translatable")]

    operations = [
        migrations.AddField(
            model_name="approval",
            name="recorded_via",
            field=models.CharField(
                choices=[
                    ("app", "registrert i Bygdevekst"),
                    ("restored", "gjenoppretta frå planfil av ein operatør"),
                ],
                default="app",
                max_length=10,
                verbose_name="registrert korleis",
            ),
        ),
        migrations.AddField(
            model_name="approval",
            name="restored_from",
            field=models.CharField(blank=True, max_length=255, verbose_name="planfil"),
        ),
        migrations.RunPython(mark_restored, migrations.RunPython.noop),
    ]
