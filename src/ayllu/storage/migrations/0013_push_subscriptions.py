# Web Push subscriptions: contacts of this node only (decision 0017).

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ayllu_storage", "0012_notifications"),
    ]

    operations = [
        migrations.CreateModel(
            name="PushSubscription",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("member", models.CharField(max_length=128)),
                ("endpoint", models.CharField(max_length=1024)),
                ("p256dh", models.CharField(max_length=128)),
                ("auth", models.CharField(max_length=64)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="push_subscriptions",
                        to="ayllu_storage.record",
                    ),
                ),
            ],
            options={
                "db_table": "ayllu_push_subscription",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("record", "member", "endpoint"), name="push_subscription_once_per_device"
                    )
                ],
            },
        ),
    ]
