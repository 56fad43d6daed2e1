# The outbox remembers which of a member's devices took a message, so a retry goes only to the others.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ayllu_storage", "0016_evidence_once"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="taken_by",
            field=models.TextField(blank=True, default=""),
        ),
    ]
