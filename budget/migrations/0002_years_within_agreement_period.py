"""Database triggers: an amount's year must lie within its agreement's period.

A CHECK constraint cannot look at another table (the period is on the agreement, the amount
reaches it through its budget line), so the rule is enforced with triggers for both databases.
"""

from django.db import migrations

CONDITION = """
    NOT EXISTS (SELECT 1 FROM budget_budgetline l
        JOIN measures_agreement a ON a.id = l.agreement_id
        WHERE l.id = NEW.line_id AND NEW.year BETWEEN a.first_year AND a.last_year)
"""
SHRINK_CONDITION = """
    EXISTS (SELECT 1 FROM budget_amount m JOIN budget_budgetline l ON l.id = m.line_id
        WHERE l.agreement_id = NEW.id AND (m.year < NEW.first_year OR m.year > NEW.last_year))
"""
MESSAGE = "amount year outside the agreement period"

SQLITE = [
    f"""CREATE TRIGGER amount_year_in_period_insert BEFORE INSERT ON budget_amount
        WHEN {CONDITION} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER amount_year_in_period_update BEFORE UPDATE ON budget_amount
        WHEN {CONDITION} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER agreement_period_keeps_amounts BEFORE UPDATE ON measures_agreement
        WHEN {SHRINK_CONDITION} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER amount_year_in_period_insert",
    "DROP TRIGGER amount_year_in_period_update",
    "DROP TRIGGER agreement_period_keeps_amounts",
]
POSTGRESQL = [
    f"""CREATE FUNCTION amount_year_in_period() RETURNS trigger AS $$
        BEGIN
            IF {CONDITION} THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER amount_year_in_period BEFORE INSERT OR UPDATE ON budget_amount
        FOR EACH ROW EXECUTE FUNCTION amount_year_in_period()""",
    f"""CREATE FUNCTION agreement_period_keeps_amounts() RETURNS trigger AS $$
        BEGIN
            IF {SHRINK_CONDITION} THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER agreement_period_keeps_amounts BEFORE UPDATE ON measures_agreement
        FOR EACH ROW EXECUTE FUNCTION agreement_period_keeps_amounts()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER amount_year_in_period ON budget_amount",
    "DROP FUNCTION amount_year_in_period()",
    "DROP TRIGGER agreement_period_keeps_amounts ON measures_agreement",
    "DROP FUNCTION agreement_period_keeps_amounts()",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial"), ("measures", "0002_years_within_agreement_period")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
