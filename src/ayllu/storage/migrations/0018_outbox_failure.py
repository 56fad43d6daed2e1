# A failed message keeps the class of its failure (a stable code the member's page translates) beside the
# technical text, which is for the node's operators only.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ayllu_storage", "0017_outbox_taken_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="failure",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
    ]
