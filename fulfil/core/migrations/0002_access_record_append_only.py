"""On PostgreSQL, the database itself refuses to change or delete an access record, whatever
the application does (a trigger, so it binds the table's owner too)."""

from django.db import migrations

FORWARDS = """
CREATE OR REPLACE FUNCTION fulfil_access_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_accessrecord is append-only: rows cannot be updated or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_accessrecord_append_only
    BEFORE UPDATE OR DELETE ON core_accessrecord
    FOR EACH ROW EXECUTE FUNCTION fulfil_access_record_append_only();
"""
BACKWARDS = """
DROP TRIGGER IF EXISTS core_accessrecord_append_only ON core_accessrecord;
DROP FUNCTION IF EXISTS fulfil_access_record_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
