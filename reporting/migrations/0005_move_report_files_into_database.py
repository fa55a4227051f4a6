"""Stored reports move from files in MEDIA_ROOT into the database, row by row.

The files stay where they are (a rollback of the code still finds them); remove the folder
rapportar/ once the new version has run. A row whose file is gone is deleted: its approved
revision's report is rendered again from the snapshot at the next download.
"""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)


def move_files_into_database(apps, schema_editor):
    StoredReport = apps.get_model("reporting", "StoredReport")
    # Every row at once is cheap: the new column is still empty, and files are read one by one.
    for report in list(StoredReport.objects.exclude(file="")):
        try:
            with report.file.open("rb") as file:
                report.pdf = file.read()
        except FileNotFoundError:
            logger.warning(
                "Stored report %s: file %s is missing; it will be rendered again.",
                report.pk,
                report.file.name,
            )
            report.delete()
            continue
        report.save(update_fields=["pdf"])
    # A row that never had a file has nothing to serve either.
    StoredReport.objects.filter(file="").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0004_storedreport_pdf_in_database"),
    ]

    operations = [
        migrations.RunPython(move_files_into_database, migrations.RunPython.noop),
    ]
