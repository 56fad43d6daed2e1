import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ayllu_storage", "0010_calendar_links"),
    ]

    operations = [
        migrations.CreateModel(
            name="WaitingAct",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("act_id", models.CharField(max_length=64)),
                ("type", models.CharField(max_length=64)),
                ("author", models.CharField(max_length=64)),
                ("act", models.BinaryField()),
                ("asig", models.CharField(max_length=128)),
                ("body", models.BinaryField()),
                ("words", models.BinaryField(null=True)),
                ("address", models.CharField(default="", max_length=64)),
                ("received", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="waiting",
                        to="ayllu_storage.record",
                    ),
                ),
            ],
            options={
                "db_table": "ayllu_waiting_act",
                "indexes": [
                    models.Index(fields=["received"], name="waiting_received_idx"),
                    models.Index(fields=["address"], name="waiting_address_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("act_id",), name="waiting_unique_act"),
                    models.UniqueConstraint(fields=("record", "author", "type"), name="waiting_one_per_key"),
                ],
            },
        ),
    ]
