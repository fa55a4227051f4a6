"""The agreement's målform (nn or nb).

SQLite cannot add a NOT NULL column through Django without rebuilding the table, and rebuilding
measures_agreement breaks the triggers of other tables that read it (0002 and the budget's).
There the column is added in place with a constant default, which SQLite allows; PostgreSQL
takes Django's own operation. The column has a database default too, so rows written by code
that predates it (an older migration state's models, a restored dump) still get a målform.
"""

from django.db import migrations, models

LANGUAGE = models.CharField(
    choices=[("nn", "Nynorsk"), ("nb", "Bokmål")],
    default="nn",
    db_default="nn",
    max_length=2,
    verbose_name="målform",
)
TABLES = {"agreement": "measures_agreement", "historicalagreement": "measures_historicalagreement"}


def add_columns(apps, schema_editor):
    for model_name, table in TABLES.items():
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN language varchar(2) NOT NULL DEFAULT 'nn'"
            )
        else:
            # The models here are those before the column, so the field is bound by hand.
            model = apps.get_model("measures", model_name)
            field = LANGUAGE.clone()
            field.set_attributes_from_name("language")
            field.model = model
            schema_editor.add_field(model, field)


def remove_columns(apps, schema_editor):
    for table in TABLES.values():
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN language")


class Migration(migrations.Migration):
    dependencies = [("measures", "0002_years_within_agreement_period")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="agreement", name="language", field=LANGUAGE),
                migrations.AddField(
                    model_name="historicalagreement", name="language", field=LANGUAGE
                ),
            ],
            database_operations=[migrations.RunPython(add_columns, remove_columns)],
        )
    ]
