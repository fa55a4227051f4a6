"""An amount's year lies within its agreement's period (database triggers).

A CHECK constraint cannot look at another table, and the period lives on the agreement, so
triggers enforce it: on the amount's row, and on the agreement when its period changes. The SQL
is written out here, frozen, so that no later change to app code can change this migration.
"""

from django.db import migrations

MESSAGE = "amount_year_in_period: year outside the agreement period"
VIOLATED = """NOT EXISTS (SELECT 1 FROM budget_budgetline l
        JOIN measures_agreement a ON a.id = l.agreement_id
        WHERE l.id = NEW.line_id AND NEW.year BETWEEN a.first_year AND a.last_year)"""
ORPHANED = """EXISTS (SELECT 1 FROM budget_amount m JOIN budget_budgetline l ON l.id = m.line_id
        WHERE l.agreement_id = NEW.id AND (m.year < NEW.first_year OR m.year > NEW.last_year))"""

FORWARD = {
    "sqlite": [
        f"CREATE TRIGGER amount_year_in_period_insert BEFORE INSERT ON budget_amount "
        f"WHEN {VIOLATED} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER amount_year_in_period_update BEFORE UPDATE ON budget_amount "
        f"WHEN {VIOLATED} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER amount_year_in_period_period BEFORE UPDATE ON measures_agreement "
        f"WHEN {ORPHANED} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ],
    "postgresql": [
        f"CREATE FUNCTION amount_year_in_period_check() RETURNS trigger AS $$ BEGIN "
        f"IF {VIOLATED} THEN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation'; "
        f"END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER amount_year_in_period BEFORE INSERT OR UPDATE ON budget_amount "
        "FOR EACH ROW EXECUTE FUNCTION amount_year_in_period_check()",
        f"CREATE FUNCTION amount_year_in_period_period() RETURNS trigger AS $$ BEGIN "
        f"IF {ORPHANED} THEN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation'; "
        f"END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER amount_year_in_period_period BEFORE UPDATE ON measures_agreement "
        "FOR EACH ROW EXECUTE FUNCTION amount_year_in_period_period()",
    ],
}
BACKWARD = {
    "sqlite": [
        "DROP TRIGGER amount_year_in_period_insert",
        "DROP TRIGGER amount_year_in_period_update",
        "DROP TRIGGER amount_year_in_period_period",
    ],
    "postgresql": [
        "DROP TRIGGER amount_year_in_period ON budget_amount",
        "DROP FUNCTION amount_year_in_period_check()",
        "DROP TRIGGER amount_year_in_period_period ON measures_agreement",
        "DROP FUNCTION amount_year_in_period_period()",
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
    dependencies = [("budget", "0001_initial"), ("measures", "0002_years_within_agreement_period")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
