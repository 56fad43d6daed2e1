# One piece of evidence per kind, node and position (issue 11): the database keeps it, so two followers
# storing pieces at once cannot both pass the check that looks for one first.

from typing import Any

from django.db import migrations, models


def keep_the_first(apps: Any, schema_editor: Any) -> None:
    """Delete every piece after the first of each (log, kind, node, seq), as the check would have."""
    evidence = apps.get_model("ayllu_storage", "Evidence")
    seen: set[tuple[str, str, str, int]] = set()
    extra = []
    rows = evidence.objects.order_by("created", "pk").values_list("pk", "log", "kind", "node", "seq")
    for pk, *position in rows.iterator(chunk_size=2000):
        key = tuple(position)
        if key in seen:
            extra.append(pk)
        seen.add(key)
    for start in range(0, len(extra), 500):
        evidence.objects.filter(pk__in=extra[start : start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ayllu_storage", "0015_founding_draft_request"),
    ]

    operations = [
        migrations.RunPython(keep_the_first, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="evidence",
            constraint=models.UniqueConstraint(
                fields=("log", "kind", "node", "seq"), name="evidence_once_per_position"
            ),
        ),
    ]
