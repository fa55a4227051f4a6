"""A measure's start and end year lie within its agreement's period (database triggers)."""

from django.db import migrations

from measures.period_triggers import PeriodRule, install, uninstall

MEASURE_YEARS = PeriodRule(
    name="measure_years_in_period",
    table="measures_measure",
    violated="""NEW.start_year IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM measures_agreement a WHERE a.id = NEW.agreement_id
        AND NEW.start_year BETWEEN a.first_year AND a.last_year
        AND NEW.end_year BETWEEN a.first_year AND a.last_year)""",
    orphaned="""EXISTS (SELECT 1 FROM measures_measure m WHERE m.agreement_id = NEW.id
        AND (m.start_year < NEW.first_year OR m.end_year > NEW.last_year))""",
)


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(install(MEASURE_YEARS), uninstall(MEASURE_YEARS))]
