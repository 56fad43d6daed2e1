import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ayllu_storage", "0006_founding_draft_expiry"),
    ]

    operations = [
        migrations.CreateModel(
            name="ServedSeal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("size", models.BigIntegerField(default=0)),
                ("head", models.CharField(default="", max_length=64)),
                ("root", models.CharField(default="", max_length=64)),
                ("mac", models.CharField(default="", max_length=64)),
                ("problem_code", models.CharField(default="", max_length=64)),
                ("problem_seq", models.BigIntegerField(null=True)),
                ("problem_detail", models.TextField(default="")),
                ("checked", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "record",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="served",
                        to="ayllu_storage.record",
                    ),
                ),
            ],
            options={
                "db_table": "ayllu_served_seal",
            },
        ),
    ]
