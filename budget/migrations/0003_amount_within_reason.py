"""No amount above MAX_KRONER (10**12 kr), held by the database as well as by every input.

PostgreSQL takes the CHECK constraint. SQLite can only add one by rebuilding budget_amount,
which breaks the period triggers that read it (0002), so there the same limit is a trigger.
"""

import django.core.validators
from django.db import migrations, models

LIMIT = 1_000_000_000_000
CONSTRAINT = models.CheckConstraint(
    condition=models.Q(("kroner__lte", LIMIT)),
    name="amount_within_reason",
    violation_error_message="Beløpet er urimeleg stort.",
)
KRONER = models.BigIntegerField(
    validators=[
        django.core.validators.MinValueValidator(0),
        django.core.validators.MaxValueValidator(LIMIT),
    ],
    verbose_name="beløp (kr)",
)
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER amount_within_reason_{when} BEFORE {when.upper()} ON budget_amount "
    f"WHEN NEW.kroner > {LIMIT} BEGIN SELECT RAISE(ABORT, 'amount_within_reason'); END"
    for when in ("insert", "update")
]


def add_limit(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)
    else:
        schema_editor.add_constraint(apps.get_model("budget", "Amount"), CONSTRAINT)


def remove_limit(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for when in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER amount_within_reason_{when}")
    else:
        schema_editor.remove_constraint(apps.get_model("budget", "Amount"), CONSTRAINT)


class Migration(migrations.Migration):
    dependencies = [("budget", "0002_years_within_agreement_period")]

    operations = [
        migrations.AlterField(model_name="amount", name="kroner", field=KRONER),
        migrations.AlterField(model_name="historicalamount", name="kroner", field=KRONER),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddConstraint(model_name="amount", constraint=CONSTRAINT)],
            database_operations=[migrations.RunPython(add_limit, remove_limit)],
        ),
    ]
