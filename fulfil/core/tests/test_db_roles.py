"""`fulfil db-roles` (issue 18, ADR 0016): connected as the runtime role, the application can add
to the access log and read it, and every way of changing or removing a record is refused by
PostgreSQL itself, because the runtime role owns nothing and holds no other privilege on the table.

Roles are cluster-wide, so each test makes roles with names of its own; CREATE ROLE is
transactional, and the test's transaction is rolled back, so they do not outlive it.
"""

import os
import sys
import uuid
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core import management
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from fulfil import cli
from fulfil.accounts.models import AccessRecord
from fulfil.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUSED = r"permission denied|must be owner"

# Every way we know to change, remove, hide or stop recording an access record.
WAYS_TO_REMOVE_A_RECORD = {
    "delete": "DELETE FROM core_accessrecord",
    "update": "UPDATE core_accessrecord SET action = 'nothing-to-see'",
    "truncate": "TRUNCATE core_accessrecord",
    "truncate cascade": "TRUNCATE core_accessrecord CASCADE",
    "disable the trigger": "ALTER TABLE core_accessrecord DISABLE TRIGGER core_accessrecord_append_only",
    "disable all triggers": "ALTER TABLE core_accessrecord DISABLE TRIGGER ALL",
    "drop the trigger": "DROP TRIGGER core_accessrecord_append_only ON core_accessrecord",
    "replace the trigger function": (
        "CREATE OR REPLACE FUNCTION fulfil_access_record_append_only() RETURNS trigger AS $$ "
        "BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql"),
    "drop the trigger function": "DROP FUNCTION fulfil_access_record_append_only() CASCADE",
    "drop the table": "DROP TABLE core_accessrecord CASCADE",
    "rename the table": "ALTER TABLE core_accessrecord RENAME TO core_accessrecord_old",
    "drop a column": "ALTER TABLE core_accessrecord DROP COLUMN user_id",
    "take the table": "ALTER TABLE core_accessrecord OWNER TO CURRENT_USER",
    "stop new records with a rule": "CREATE RULE hide AS ON INSERT TO core_accessrecord DO INSTEAD NOTHING",
    "switch triggers off for the session": "SET session_replication_role = replica",
    "create a table of its own": "CREATE TABLE fulfil_runtime_owns_this (id int)",
}


def _roles():
    suffix = uuid.uuid4().hex[:10]
    return f"fulfil_owner_{suffix}", f"fulfil_app_{suffix}"


@pytest.fixture
def roles(db):
    owner, runtime = _roles()
    call_command("db-roles", owner=owner, runtime=runtime, stdout=StringIO())
    return owner, runtime


@contextmanager
def acting_as(role):
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
        # The test database lets Django's flush TRUNCATE the log (config/settings/test.py); a
        # deployment does not, so neither does the role under test.
        cursor.execute("SET fulfil.allow_truncate_for_tests = off")
        try:
            yield cursor
        finally:
            cursor.execute("RESET fulfil.allow_truncate_for_tests")
            cursor.execute("RESET ROLE")


def owned_by(role) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_shdepend WHERE deptype = 'o' AND refobjid = "
                       "(SELECT oid FROM pg_roles WHERE rolname = %s)", [role])
        return cursor.fetchone()[0]


@pytest.fixture
def record(area):
    record = AccessRecord.objects.create(user=UserFactory(local_area=area), role="council_officer", local_area=area,
                                         action="view-child", child=ChildFactory(local_area=area), path="/children/x/")
    with connection.cursor() as cursor:
        # Check the deferred foreign keys now, as a commit would: PostgreSQL will not ALTER or
        # TRUNCATE a table with checks still pending, which would hide the refusal under test.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return record


@pytest.mark.postgres
@pytest.mark.parametrize("way", WAYS_TO_REMOVE_A_RECORD)
def test_the_runtime_role_cannot_remove_an_access_record(roles, record, way):
    _, runtime = roles
    with acting_as(runtime) as cursor:
        with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
            cursor.execute(WAYS_TO_REMOVE_A_RECORD[way])
    assert AccessRecord.objects.filter(pk=record.pk, action="view-child").exists()


@pytest.mark.postgres
def test_the_runtime_role_adds_to_and_reads_the_log_and_works_on_ordinary_tables(roles, record, area):
    _, runtime = roles
    child = ChildFactory(local_area=area)
    with acting_as(runtime):
        AccessRecord.objects.create(user=record.user, role="council_officer", local_area=area,
                                    action="view-child", child=child, path="children:detail")
        assert AccessRecord.objects.filter(child__in=[record.child, child]).count() == 2
        child.first_name = "Renamed"
        child.save(update_fields=["first_name"])


@pytest.mark.postgres
def test_after_a_migration_the_runtime_role_again_holds_only_insert_and_select_on_the_log(roles, record):
    owner, runtime = roles
    with connection.cursor() as cursor:
        # What the owner's default privileges would give a table that a migration made anew.
        cursor.execute(f'GRANT UPDATE, DELETE, TRUNCATE ON core_accessrecord TO "{runtime}"')
        cursor.execute(f'GRANT UPDATE (action) ON core_accessrecord TO "{runtime}"')
    call_command("migrate", verbosity=0)
    with acting_as(runtime) as cursor:
        for sql in ("DELETE FROM core_accessrecord", "UPDATE core_accessrecord SET action = 'x'",
                    "TRUNCATE core_accessrecord"):
            with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
                cursor.execute(sql)
        cursor.execute("SELECT count(*) FROM core_accessrecord")
        assert cursor.fetchone()[0] == 1


@pytest.mark.postgres
def test_the_runtime_role_owns_nothing_and_the_owner_owns_the_log(roles):
    owner, runtime = roles
    assert owned_by(runtime) == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'core_accessrecord'")
        assert cursor.fetchone()[0] == owner
        cursor.execute("SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE proname = 'fulfil_access_record_append_only'")
        assert cursor.fetchone()[0] == owner


@pytest.mark.postgres
def test_the_runtime_role_cannot_become_the_owner_or_a_superuser(roles):
    owner, runtime = roles
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER'), rolsuper, rolcreaterole, rolcreatedb, rolbypassrls "
                       "FROM pg_roles WHERE rolname = %s", [runtime, owner, runtime])
        assert cursor.fetchone() == (False, False, False, False, False)


@pytest.mark.postgres
def test_even_the_owner_cannot_delete_or_truncate_without_dropping_the_trigger(roles, record):
    owner, _ = roles
    with acting_as(owner) as cursor:
        for sql in ("DELETE FROM core_accessrecord", "TRUNCATE core_accessrecord CASCADE"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(sql)
    assert AccessRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.postgres
def test_a_deployment_whose_application_owned_the_tables_is_put_right_and_running_it_again_is_safe(db, record):
    owner, runtime = _roles()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{runtime}" LOGIN')
        cursor.execute(f'ALTER TABLE core_accessrecord OWNER TO "{runtime}"')
        cursor.execute(f'ALTER FUNCTION fulfil_access_record_append_only() OWNER TO "{runtime}"')
    assert owned_by(runtime) == 3  # the table, its id sequence and the trigger function

    for _ in range(2):
        call_command("db-roles", owner=owner, runtime=runtime, stdout=StringIO())

    assert owned_by(runtime) == 0
    with acting_as(runtime) as cursor:
        with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
            cursor.execute("TRUNCATE core_accessrecord")


def test_it_prints_the_sql_for_a_database_administrator_on_any_database():
    out = StringIO()
    call_command("db-roles", owner="fulfil_owner", runtime="fulfil_app", sql=True, stdout=out)
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO "fulfil_app"' in out.getvalue()
    assert "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %I.%I FROM %I" in out.getvalue()


def test_a_role_name_that_is_not_a_plain_name_is_refused():
    with pytest.raises(CommandError, match="lower-case letters"):
        call_command("db-roles", owner="fulfil_owner", runtime='x"; DROP TABLE core_accessrecord; --', sql=True)


@pytest.mark.parametrize(("command", "connects_as"), [("migrate", "owner"), ("runserver", "runtime")])
def test_fulfil_migrate_connects_as_the_owner_and_nothing_else_does(monkeypatch, command, connects_as):
    urls = {"owner": "postgres://fulfil_owner@db/fulfil", "runtime": "postgres://fulfil_app@db/fulfil"}
    monkeypatch.setenv("DATABASE_URL", urls["runtime"])
    monkeypatch.setenv("FULFIL_MIGRATE_DATABASE_URL", urls["owner"])
    monkeypatch.setattr(sys, "argv", ["fulfil", command])
    ran = []
    monkeypatch.setattr(management, "execute_from_command_line", lambda argv: ran.append((argv, os.environ["DATABASE_URL"])))

    cli.main()

    assert ran == [(["fulfil", command], urls[connects_as])]
