"""On PostgreSQL, TRUNCATE of the access log is refused too: the row trigger of 0002 does not fire
on TRUNCATE, which empties a table without touching its rows one by one. Like 0002 it binds the
table's owner; the runtime role has no TRUNCATE privilege besides (ADR 0016)."""

from django.db import migrations

FORWARDS = """
CREATE OR REPLACE FUNCTION fulfil_access_record_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_accessrecord is append-only: it cannot be truncated';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_accessrecord_no_truncate
    BEFORE TRUNCATE ON core_accessrecord
    FOR EACH STATEMENT EXECUTE FUNCTION fulfil_access_record_no_truncate();
"""
BACKWARDS = """
DROP TRIGGER IF EXISTS core_accessrecord_no_truncate ON core_accessrecord;
DROP FUNCTION IF EXISTS fulfil_access_record_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_localarea_parent_access_needs_consent_from_16_and_more")]
    operations = [migrations.RunPython(forwards, backwards)]
