"""Bodies are kept by (hash, visibility): the same bytes under two visibilities are two bodies."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ayllu_storage", "0002_federation")]

    operations = [
        migrations.RemoveConstraint(model_name="body", name="body_unique_hash"),
        migrations.AddConstraint(
            model_name="body",
            constraint=models.UniqueConstraint(fields=("record", "hash", "vis"), name="body_unique_hash_vis"),
        ),
    ]
