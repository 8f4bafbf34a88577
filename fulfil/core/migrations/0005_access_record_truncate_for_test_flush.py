"""The test suite empties every table between transactional tests with one TRUNCATE; the trigger
of 0004 refused it, so no PostgreSQL test that commits could clean up. The trigger now lets a
TRUNCATE through only in a session that has set `fulfil.allow_truncate_for_tests` to on, which
config/settings/test.py does for the test database alone. It weakens nothing: the runtime role
has no TRUNCATE privilege at all, and the owner could drop the trigger anyway (ADR 16)."""

from django.db import migrations

FORWARDS = """
CREATE OR REPLACE FUNCTION fulfil_access_record_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('fulfil.allow_truncate_for_tests', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'core_accessrecord is append-only: it cannot be truncated';
END;
$$ LANGUAGE plpgsql;
"""
BACKWARDS = """
CREATE OR REPLACE FUNCTION fulfil_access_record_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_accessrecord is append-only: it cannot be truncated';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_access_record_refuses_truncate")]
    operations = [migrations.RunPython(forwards, backwards)]
