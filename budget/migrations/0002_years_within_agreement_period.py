"""An amount's year lies within its agreement's period (database triggers)."""

from django.db import migrations

from measures.period_triggers import PeriodRule, install, uninstall

AMOUNT_YEAR = PeriodRule(
    name="amount_year_in_period",
    table="budget_amount",
    violated="""NOT EXISTS (SELECT 1 FROM budget_budgetline l
        JOIN measures_agreement a ON a.id = l.agreement_id
        WHERE l.id = NEW.line_id AND NEW.year BETWEEN a.first_year AND a.last_year)""",
    orphaned="""EXISTS (SELECT 1 FROM budget_amount m JOIN budget_budgetline l ON l.id = m.line_id
        WHERE l.agreement_id = NEW.id AND (m.year < NEW.first_year OR m.year > NEW.last_year))""",
)


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial"), ("measures", "0002_years_within_agreement_period")]

    operations = [migrations.RunPython(install(AMOUNT_YEAR), uninstall(AMOUNT_YEAR))]
