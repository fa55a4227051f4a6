"""A measure's start and end year lie within its agreement's period (database triggers).

A CHECK constraint cannot look at another table, and the period lives on the agreement, so
triggers enforce it: on the measure's row, and on the agreement when its period changes. The SQL
is written out here, frozen, so that no later change to app code can change this migration.
"""

from django.db import migrations

MESSAGE = "measure_years_in_period: year outside the agreement period"
VIOLATED = """NEW.start_year IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM measures_agreement a WHERE a.id = NEW.agreement_id
        AND NEW.start_year BETWEEN a.first_year AND a.last_year
        AND NEW.end_year BETWEEN a.first_year AND a.last_year)"""
ORPHANED = """EXISTS (SELECT 1 FROM measures_measure m WHERE m.agreement_id = NEW.id
        AND (m.start_year < NEW.first_year OR m.end_year > NEW.last_year))"""

FORWARD = {
    "sqlite": [
        f"CREATE TRIGGER measure_years_in_period_insert BEFORE INSERT ON measures_measure "
        f"WHEN {VIOLATED} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER measure_years_in_period_update BEFORE UPDATE ON measures_measure "
        f"WHEN {VIOLATED} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER measure_years_in_period_period BEFORE UPDATE ON measures_agreement "
        f"WHEN {ORPHANED} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ],
    "postgresql": [
        f"CREATE FUNCTION measure_years_in_period_check() RETURNS trigger AS $$ BEGIN "
        f"IF {VIOLATED} THEN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation'; "
        f"END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER measure_years_in_period BEFORE INSERT OR UPDATE ON measures_measure "
        "FOR EACH ROW EXECUTE FUNCTION measure_years_in_period_check()",
        f"CREATE FUNCTION measure_years_in_period_period() RETURNS trigger AS $$ BEGIN "
        f"IF {ORPHANED} THEN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation'; "
        f"END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER measure_years_in_period_period BEFORE UPDATE ON measures_agreement "
        "FOR EACH ROW EXECUTE FUNCTION measure_years_in_period_period()",
    ],
}
BACKWARD = {
    "sqlite": [
        "DROP TRIGGER measure_years_in_period_insert",
        "DROP TRIGGER measure_years_in_period_update",
        "DROP TRIGGER measure_years_in_period_period",
    ],
    "postgresql": [
        "DROP TRIGGER measure_years_in_period ON measures_measure",
        "DROP FUNCTION measure_years_in_period_check()",
        "DROP TRIGGER measure_years_in_period_period ON measures_agreement",
        "DROP FUNCTION measure_years_in_period_period()",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"No period triggers for {vendor}; use SQLite or PostgreSQL.")
        for statement in statements[vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
