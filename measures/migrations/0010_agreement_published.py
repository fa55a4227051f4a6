"""Whether an agreement's approved plans are on the public pages, and when that last changed.

As in 0003: SQLite cannot add these columns through Django without rebuilding
measures_agreement, which breaks the triggers of the tables that read it, so there they are
added in place (a NOT NULL column with a constant default, and a nullable one); PostgreSQL takes
Django's own operation.
"""

from django.db import migrations, models

PUBLISHED = models.BooleanField(
    default=True,
    db_default=True,
    help_text=(
        "Godkjende handlingsplanar er opne for alle under /offentleg/. Fjern krossen for å "
        "halde avtala tilbake."
    ),
    verbose_name="vis på dei offentlege sidene",
)
CHANGED_AT = models.DateTimeField(
    blank=True, editable=False, null=True, verbose_name="offentleg visning endra"
)
FIELDS = {"published": PUBLISHED, "published_changed_at": CHANGED_AT}
SQLITE = {"published": "bool NOT NULL DEFAULT 1", "published_changed_at": "datetime NULL"}
TABLES = {"agreement": "measures_agreement", "historicalagreement": "measures_historicalagreement"}


def add_columns(apps, schema_editor):
    for model_name, table in TABLES.items():
        for name, field in FIELDS.items():
            if schema_editor.connection.vendor == "sqlite":
                schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {name} {SQLITE[name]}")
            else:
                # The models here are those before the columns, so the field is bound by hand.
                model = apps.get_model("measures", model_name)
                bound = field.clone()
                bound.set_attributes_from_name(name)
                bound.model = model
                schema_editor.add_field(model, bound)


def remove_columns(apps, schema_editor):
    for table in TABLES.values():
        for name in FIELDS:
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {name}")


class Migration(migrations.Migration):
    dependencies = [("measures", "0009_moved_to_access")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name=model, name=name, field=field)
                for model in TABLES
                for name, field in FIELDS.items()
            ],
            database_operations=[migrations.RunPython(add_columns, remove_columns)],
        )
    ]
