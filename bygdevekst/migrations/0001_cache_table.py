"""The table of the database cache (settings.CACHES), made wherever the app migrates: `make run`,
the Docker image's start, CI, the benchmarks. createcachetable skips a table that exists."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
