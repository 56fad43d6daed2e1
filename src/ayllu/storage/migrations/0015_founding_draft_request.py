# A founding draft keeps the hash of the form request that opened it: the same form sent again answers
# that draft, uncounted (issue 12).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ayllu_storage", "0013_push_subscriptions"),
    ]

    operations = [
        migrations.AddField(
            model_name="foundingdraft",
            name="request",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddIndex(
            model_name="foundingdraft",
            index=models.Index(fields=["request"], name="founding_draft_request_idx"),
        ),
    ]
