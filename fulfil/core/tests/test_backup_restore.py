"""Backups that restore (issue 20, docs/operations.md): `fulfil backup` dumps the test database,
`fulfil restore` puts it into a fresh database, and this test compares the two itself, table by
table (row count and an ordered checksum of the rows), then tries to change the restored access
log. The test database lets a session TRUNCATE the log when it says so (config/settings/test.py);
the restored database is read over a plain connection, so what is refused there is the real
protection. The source database is given the two roles of `fulfil db-roles` (ADR 0016), so the
grants are checked too; roles are cluster-wide, so they are named for the test and dropped after.
"""

import datetime as dt
import hashlib
import json
import os
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fulfil.accounts.models import AccessRecord
from fulfil.core.backups import archive, backups_to_keep, prune
from fulfil.factories import AttendanceFactory, LocalAreaFactory, ProvisionItemFactory, UserFactory

PASSPHRASE = "correct horse battery staple for backups"


def _connect(dbname: str, **kwargs) -> psycopg.Connection:
    settings = connection.settings_dict
    params = {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"], "password": settings["PASSWORD"]}
    return psycopg.connect(dbname=dbname, **{key: str(value) for key, value in params.items() if value}, **kwargs)


def table_rows(dbname: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and the MD5 of its rows in order, computed here, not by the command."""
    with _connect(dbname) as db, db.cursor() as cursor:
        cursor.execute("SET TimeZone = 'UTC'")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [name for (name,) in cursor.fetchall()]
        found = {}
        for table in tables:
            cursor.execute(psycopg.sql.SQL("SELECT count(*), md5(string_agg(t::text, ',' ORDER BY t::text)) FROM {} AS t")
                           .format(psycopg.sql.Identifier(table)))
            found[table] = cursor.fetchone()
        return found


@pytest.fixture(autouse=True)
def quick_key_derivation(monkeypatch):
    """600,000 rounds of PBKDF2 take a second of a busy CI machine per backup and per restore;
    the count is written in the manifest, so fewer here test the same code (as test settings
    use a fast password hasher)."""
    monkeypatch.setattr(archive, "KDF_ITERATIONS", 1_000)


@pytest.fixture
def passphrase_file(tmp_path):
    path = tmp_path / "passphrase"
    path.write_text(PASSPHRASE + "\n")
    path.chmod(0o600)
    return str(path)


@pytest.fixture
def roles(transactional_db):
    """The owner and runtime roles on the (committed) test database, removed afterwards."""
    suffix = uuid.uuid4().hex[:10]
    owner, runtime = f"fulfil_owner_{suffix}", f"fulfil_app_{suffix}"
    call_command("db-roles", owner=owner, runtime=runtime, stdout=StringIO())
    yield owner, runtime
    with connection.cursor() as cursor:
        cursor.execute(f'REASSIGN OWNED BY "{owner}", "{runtime}" TO CURRENT_USER')
        # One role at a time: the owner's default privileges name the runtime role.
        cursor.execute(f'DROP OWNED BY "{runtime}"')
        cursor.execute(f'DROP OWNED BY "{owner}"')
        cursor.execute(f'DROP ROLE "{owner}"')
        cursor.execute(f'DROP ROLE "{runtime}"')


@pytest.fixture
def target(transactional_db):
    """A database name of the test's own; dropped afterwards, whatever happened."""
    name = f"fulfil_restored_{uuid.uuid4().hex[:10]}"
    yield name
    with _connect("postgres", autocommit=True) as admin:
        admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {}").format(psycopg.sql.Identifier(name)))


@pytest.fixture
def records(transactional_db):
    area = LocalAreaFactory()
    item = ProvisionItemFactory(child__local_area=area)
    AttendanceFactory(child=item.child, session__local_area=area)
    officer = UserFactory(local_area=area)
    for action in ("view-child", "list-children"):
        AccessRecord.objects.create(user=officer, role="council_officer", local_area=area, action=action,
                                    child=item.child, path="children:detail")
    return item.child


def _backup(tmp_path, passphrase_file) -> Path:
    call_command("backup", dir=str(tmp_path / "backups"), passphrase_file=passphrase_file, stdout=StringIO())
    (dump,) = (tmp_path / "backups").glob("*.dump.enc")
    return dump


def _tamper(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.postgres
def test_a_backup_restores_every_row_and_the_access_logs_protections(roles, records, target, tmp_path, passphrase_file):
    owner, runtime = roles
    dump = _backup(tmp_path, passphrase_file)
    backups = tmp_path / "backups"
    assert sorted(path.name.removeprefix(dump.name[:-9]) for path in backups.iterdir()) == [
        ".dump.enc", ".dump.enc.sha256", ".manifest.json"]
    assert dump.stat().st_mode & 0o077 == 0 and backups.stat().st_mode & 0o077 == 0
    assert records.last_name.encode() not in dump.read_bytes()  # encrypted at rest

    out = StringIO()
    call_command("restore", str(dump), target=target, passphrase_file=passphrase_file, stdout=out)

    source = table_rows(connection.settings_dict["NAME"])
    assert len(source) > 20 and source["core_accessrecord"][0] == 2 and source["children_child"][0] >= 1
    assert table_rows(target) == source
    report = out.getvalue()
    assert "every table's row count and checksum match the backup" in report
    assert "refused by PostgreSQL (tried, rolled back): TRUNCATE core_accessrecord, UPDATE core_accessrecord, DELETE" in report
    assert "every check passed" in report
    assert records.last_name not in report and records.nhs_number not in report

    with _connect(target) as restored, restored.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_accessrecord'::regclass "
                       "AND tgenabled = 'O' AND NOT tgisinternal ORDER BY 1")
        assert [name for (name,) in cursor.fetchall()] == ["core_accessrecord_append_only", "core_accessrecord_no_truncate"]
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'core_accessrecord'")
        assert cursor.fetchone()[0] == owner
        cursor.execute("SELECT has_table_privilege(%s, 'core_accessrecord', 'INSERT, SELECT'), "
                       "has_table_privilege(%s, 'core_accessrecord', 'UPDATE, DELETE, TRUNCATE'), "
                       "has_table_privilege(%s, 'children_child', 'UPDATE')", [runtime] * 3)
        assert cursor.fetchone() == (True, False, True)
        for statement in ("UPDATE core_accessrecord SET action = 'hidden'", "DELETE FROM core_accessrecord",
                          "TRUNCATE core_accessrecord"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"), restored.transaction():
                cursor.execute(statement)


@pytest.mark.postgres
def test_restore_refuses_a_database_that_is_not_empty_unless_told_to_replace_it(records, target, tmp_path, passphrase_file):
    dump = _backup(tmp_path, passphrase_file)
    with _connect("postgres", autocommit=True) as admin:
        admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(target)))
    with _connect(target) as existing:
        existing.execute("CREATE TABLE someone_elses_work (note text)")
    with pytest.raises(CommandError, match=f"The database {target} is not empty .*--replace"):
        call_command("restore", str(dump), target=target, passphrase_file=passphrase_file, stdout=StringIO())
    out = StringIO()
    call_command("restore", str(dump), target=target, passphrase_file=passphrase_file, replace=True, stdout=out)
    assert "every check passed" in out.getvalue()
    assert "someone_elses_work" not in table_rows(target) and table_rows(target)["core_accessrecord"][0] == 2


@pytest.mark.postgres
def test_restore_refuses_a_backup_it_cannot_trust_before_touching_any_database(records, target, tmp_path, passphrase_file):
    dump = _backup(tmp_path, passphrase_file)
    other = tmp_path / "other"
    other.write_text("another passphrase entirely, also long")
    other.chmod(0o600)
    with pytest.raises(CommandError, match="made with another passphrase"):
        call_command("restore", str(dump), target=target, passphrase_file=str(other), stdout=StringIO())

    _tamper(dump)  # one byte changed
    with pytest.raises(CommandError, match="does not match the SHA-256 in its manifest: the file is damaged or was changed"):
        call_command("restore", str(dump), target=target, passphrase_file=passphrase_file, stdout=StringIO())

    # ... and its checksum changed to match: only the passphrase can make the authentication code.
    manifest = dump.with_name(dump.name.replace(".dump.enc", ".manifest.json"))
    content = json.loads(manifest.read_text())
    content["sha256"] = hashlib.sha256(dump.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(content))
    with pytest.raises(CommandError, match="fails its authentication check"):
        call_command("restore", str(dump), target=target, passphrase_file=passphrase_file, stdout=StringIO())
    assert not _database_exists(target)


@pytest.mark.postgres
def test_restore_on_a_server_without_the_backups_roles_says_to_create_them_first(records, target, tmp_path, passphrase_file):
    dump = _backup(tmp_path, passphrase_file)
    # As if the backup came from a server whose owner role this one lacks (a new server).
    manifest = dump.with_name(dump.name.replace(".dump.enc", ".manifest.json"))
    content = json.loads(manifest.read_text())
    content["database_owner"] = "fulfil_owner_not_here"
    content["hmac_sha256"] = archive._manifest_mac(content, PASSPHRASE)
    manifest.write_text(json.dumps(content))
    with pytest.raises(CommandError, match="roles fulfil_owner_not_here do not exist on this server: create them first .*fulfil db-roles"):
        call_command("restore", str(dump), target=target, passphrase_file=passphrase_file, stdout=StringIO())
    assert not _database_exists(target)


def test_a_passphrase_file_others_may_read_is_refused(tmp_path, passphrase_file):
    os.chmod(passphrase_file, 0o644)
    with pytest.raises(CommandError, match="may be read by others: chmod 600"):
        call_command("restore", str(tmp_path / "x.dump.enc"), verify_only=True, passphrase_file=passphrase_file)


def test_retention_keeps_the_newest_of_each_day_week_and_month_and_always_the_newest():
    start = dt.datetime(2026, 9, 1, 1, 30, tzinfo=dt.UTC)
    nightly = [start + dt.timedelta(days=day) for day in range(98)]  # 1 Sep to 7 Dec 2026
    extra = nightly[-1] + dt.timedelta(hours=3)  # a second backup on the last day, by hand
    kept = backups_to_keep([*nightly, extra], daily=7, weekly=4, monthly=3)
    assert extra in kept and nightly[-1] not in kept  # one per day: the newest of it
    assert [moment.date() for moment in sorted(kept, reverse=True)[:7]] == [dt.date(2026, 12, 7 - n) for n in range(7)]
    # Beyond the seven days: the newest of each of the last 4 ISO weeks (7 Dec is a Monday: then
    # Sunday 6 Dec, 29 Nov, 22 Nov) and of the last 3 months (December, 30 Nov, 31 Oct).
    older = sorted(moment.date() for moment in kept if moment.date() < dt.date(2026, 12, 1))
    assert older == [dt.date(2026, 10, 31), dt.date(2026, 11, 22), dt.date(2026, 11, 29), dt.date(2026, 11, 30)]
    assert len(kept) == 11
    assert backups_to_keep(nightly, daily=0, weekly=0, monthly=0) == {nightly[-1]}


def test_pruning_removes_each_old_backup_with_its_manifest_and_leaves_other_files(tmp_path):
    for day in range(1, 6):
        stem = f"fulfil-202612{day:02d}T013000Z"
        for suffix in (".dump.enc", ".dump.enc.sha256", ".manifest.json"):
            (tmp_path / f"{stem}{suffix}").write_text("x")
    (tmp_path / "notes.txt").write_text("the operator's own file")
    removed = prune(tmp_path, daily=2, weekly=0, monthly=0)
    assert removed == [f"fulfil-202612{day:02d}T013000Z.dump.enc" for day in (1, 2, 3)]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["notes.txt"] + [f"fulfil-202612{day:02d}T013000Z{suffix}" for day in (4, 5)
                         for suffix in (".dump.enc", ".dump.enc.sha256", ".manifest.json")])


def test_backup_on_sqlite_says_to_copy_the_file_while_stopped(db, tmp_path, passphrase_file):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite demo's refusal")
    with pytest.raises(CommandError, match="copy the database file .* while it is stopped"):
        call_command("backup", dir=str(tmp_path), passphrase_file=passphrase_file)
