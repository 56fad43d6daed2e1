# On PostgreSQL, every change of the node's records version (storage/counters.py) is sent on the channel
# `ayllu_records_version` when its transaction commits, whichever process wrote it: each serving process
# listens for it instead of reading the version on every request (storage/version_watch.py, decision
# 0034). Nothing on SQLite, where the version is read on each request.

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = """
CREATE FUNCTION ayllu_records_version_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ayllu_records_version', NEW.count::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER ayllu_records_version_notify
    AFTER INSERT OR UPDATE OF count ON ayllu_rate_counter
    FOR EACH ROW WHEN (NEW.bucket = 'ayllu:records-version' AND NEW.slot = 0)
    EXECUTE FUNCTION ayllu_records_version_notify();
"""
DROP = """
DROP TRIGGER IF EXISTS ayllu_records_version_notify ON ayllu_rate_counter;
DROP FUNCTION IF EXISTS ayllu_records_version_notify();
"""


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("ayllu_storage", "0018_outbox_failure"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
