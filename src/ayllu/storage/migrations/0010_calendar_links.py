import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ayllu_storage", "0009_move_endorsements"),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("member", models.CharField(max_length=128)),
                ("token", models.CharField(max_length=64, unique=True)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="calendar_links",
                        to="ayllu_storage.record",
                    ),
                ),
            ],
            options={
                "db_table": "ayllu_calendar_link",
                "constraints": [
                    models.UniqueConstraint(fields=("record", "member"), name="calendar_link_one_per_member")
                ],
            },
        ),
    ]
