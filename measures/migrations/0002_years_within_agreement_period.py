"""Database triggers: a measure's years must lie within its agreement's period.

A CHECK constraint cannot look at another table, so the period rule (measure years within
agreement.first_year..last_year) is enforced with triggers, written for both databases we run on.
"""

from django.db import migrations

CONDITION = """
    NEW.start_year IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM measures_agreement a WHERE a.id = NEW.agreement_id
        AND NEW.start_year BETWEEN a.first_year AND a.last_year
        AND NEW.end_year BETWEEN a.first_year AND a.last_year)
"""
SHRINK_CONDITION = """
    EXISTS (SELECT 1 FROM measures_measure m WHERE m.agreement_id = NEW.id
        AND (m.start_year < NEW.first_year OR m.end_year > NEW.last_year))
"""
MESSAGE = "measure year outside the agreement period"

SQLITE = [
    f"""CREATE TRIGGER measure_years_in_period_insert BEFORE INSERT ON measures_measure
        WHEN {CONDITION} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER measure_years_in_period_update BEFORE UPDATE ON measures_measure
        WHEN {CONDITION} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER agreement_period_keeps_measures BEFORE UPDATE ON measures_agreement
        WHEN {SHRINK_CONDITION} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER measure_years_in_period_insert",
    "DROP TRIGGER measure_years_in_period_update",
    "DROP TRIGGER agreement_period_keeps_measures",
]
POSTGRESQL = [
    f"""CREATE FUNCTION measure_years_in_period() RETURNS trigger AS $$
        BEGIN
            IF {CONDITION} THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER measure_years_in_period BEFORE INSERT OR UPDATE ON measures_measure
        FOR EACH ROW EXECUTE FUNCTION measure_years_in_period()""",
    f"""CREATE FUNCTION agreement_period_keeps_measures() RETURNS trigger AS $$
        BEGIN
            IF {SHRINK_CONDITION} THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER agreement_period_keeps_measures BEFORE UPDATE ON measures_agreement
        FOR EACH ROW EXECUTE FUNCTION agreement_period_keeps_measures()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER measure_years_in_period ON measures_measure",
    "DROP FUNCTION measure_years_in_period()",
    "DROP TRIGGER agreement_period_keeps_measures ON measures_agreement",
    "DROP FUNCTION agreement_period_keeps_measures()",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
