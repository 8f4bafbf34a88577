"""The access log's model moves to accounts (issue 19, ADR 21); its table stays as it is.

State only: no table is dropped, renamed or recreated, so the rows, the append-only triggers
(0002, 0004, 0005) and the database grants (core/db_roles.py, ADR 16) are untouched.
accounts 0005 takes the model over under the same table name.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_access_record_truncate_for_test_flush"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AccessRecord")],
            database_operations=[],
        ),
    ]
