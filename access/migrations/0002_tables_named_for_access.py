"""The moved tables take this app's names, and their content types (so permissions and admin
log entries that point at them) move with them."""

from django.db import migrations

MOVED = ["accountsettings", "roleevent", "invitation", "role"]


def content_types_to_access(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="measures", model__in=MOVED).update(app_label="access")


def content_types_to_measures(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="access", model__in=MOVED).update(app_label="measures")


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        *[migrations.AlterModelTable(name=model, table=None) for model in MOVED],
        migrations.RunPython(content_types_to_access, content_types_to_measures),
    ]
