# The few entries that name a federation office's holder (`federation.office_taken`), indexed by record
# alone: a federation's page finds which of its hundreds of member records are federations with an office
# holder in one statement that reads only those entries (queries/federation_offices.py), not every entry.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ayllu_storage", "0019_records_version_notify"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(
                condition=models.Q(("type", "federation.office_taken")),
                fields=["record"],
                name="entry_office_taken_idx",
            ),
        ),
    ]
