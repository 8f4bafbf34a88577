"""Backups that restore (issue 20, docs/operations.md): `fulfil backup` and `fulfil restore`.

A backup is three files in one directory, named by the UTC time it was taken:

- `fulfil-20261208T013000Z.dump.enc`: `pg_dump --format=custom`, piped straight into
  `openssl enc -aes-256-cbc -pbkdf2` (the plain dump never touches the disk);
- `... .manifest.json`: its size and SHA-256, and what the database held when it was dumped: each table's row count and checksum, and the access
  log's protections (triggers, owner, grants; ADR 0016). Counts and checksums are read in the
  very snapshot pg_dump dumps, so they must match exactly after a restore. The manifest ends
  with an HMAC-SHA-256 of the rest of it, keyed from the passphrase;
- `... .sha256`: the same SHA-256 in `sha256sum -c` form, to check an off-site copy anywhere.

openssl's `enc` does not authenticate what it decrypts, so the HMAC does (encrypt, then MAC;
the manifest it covers holds the file's SHA-256): only someone holding the passphrase can make
a file, or a manifest, that restore accepts. Nothing here prints
or stores a row's contents: table names, counts and checksums only. Passwords come from the
environment (the URL's password is handed to pg_dump as PGPASSWORD, never as an argument).
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import stat
import subprocess  # nosec B404 - fixed argument lists, no shell
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from fulfil.core.db_roles import APPEND_ONLY_TABLES

KDF_ITERATIONS = 600_000  # PBKDF2-SHA-256, OWASP's 2023 figure; about half a second per backup
MANIFEST_FORMAT = "fulfil-backup 1"
MIN_PASSPHRASE = 20
NAME = re.compile(r"fulfil-(\d{8}T\d{6}Z)\.dump\.enc")
STAMP = "%Y%m%dT%H%M%SZ"
# The access log's triggers (core migrations 0002 and 0004/0005): a restore without them is not a
# restore of Fulfil, whatever the backup says.
REQUIRED_TRIGGERS = {"core_accessrecord": ("core_accessrecord_append_only", "core_accessrecord_no_truncate")}
# Rows compared as text must read the same on both servers whatever their defaults.
SESSION = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1"


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


@dataclass(frozen=True)
class Server:
    """Where to connect and as whom; the password never goes on a command line."""

    host: str
    port: str
    user: str
    password: str
    dbname: str

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Server:
        return cls(host=settings.get("HOST") or "", port=str(settings.get("PORT") or ""), user=settings.get("USER") or "",
                   password=settings.get("PASSWORD") or "", dbname=settings.get("NAME") or "")

    def client_args(self, dbname: str) -> list[str]:
        args = ["--no-password", f"--dbname={dbname}"]
        args += [f"--host={self.host}"] if self.host else []
        args += [f"--port={self.port}"] if self.port else []
        args += [f"--username={self.user}"] if self.user else []
        return args

    def client_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, dbname: str | None = None, *, autocommit: bool = False) -> psycopg.Connection:
        params = {"dbname": dbname or self.dbname, "host": self.host, "port": self.port, "user": self.user,
                  "password": self.password}
        try:
            return psycopg.connect(autocommit=autocommit, **{key: value for key, value in params.items() if value})
        except psycopg.OperationalError as error:
            # libpq's message names the host, database and role, never the password.
            raise BackupError(f"Cannot connect to PostgreSQL: {error}") from None


def find_tool(name: str, pg_bin: str | None = None) -> str:
    """pg_dump and pg_restore: from --pg-bin or FULFIL_PG_BIN, else PATH, else Debian's newest
    /usr/lib/postgresql/*/bin (where apt puts them; only a wrapper is on PATH, if anything)."""
    folder = pg_bin or os.environ.get("FULFIL_PG_BIN")
    if folder:
        candidate = Path(folder) / name
        if not os.access(candidate, os.X_OK):
            raise BackupError(f"{name} is not in {folder} (from --pg-bin or FULFIL_PG_BIN)")
        return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    debian = sorted((path for path in glob.glob(f"/usr/lib/postgresql/*/bin/{name}") if Path(path).parts[-3].isdigit()),
                    key=lambda path: int(Path(path).parts[-3]))
    if debian:
        return debian[-1]
    raise BackupError(f"{name} was not found: install postgresql-client, or give --pg-bin / FULFIL_PG_BIN")


def read_passphrase(path: str | None) -> str:
    """The first line of a file only its owner may read (like an ssh key). The same passphrase
    decrypts every backup: keep a copy away from the server (docs/operations.md)."""
    if not path:
        raise BackupError("Give the passphrase file: --passphrase-file or FULFIL_BACKUP_PASSPHRASE_FILE")
    file = Path(path)
    try:
        mode = file.stat().st_mode
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise BackupError(f"Cannot read the passphrase file {path}: {error.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise BackupError(f"The passphrase file {path} may be read by others: chmod 600 it")
    lines = text.splitlines()
    passphrase = lines[0].strip() if lines else ""
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"The passphrase must be at least {MIN_PASSPHRASE} characters: openssl rand -base64 32 makes one")
    return passphrase


def _cipher(iterations: int) -> list[str]:
    return ["-aes-256-cbc", "-pbkdf2", "-iter", str(iterations), "-md", "sha256"]


def _mac_key(passphrase: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode(), b"fulfil-backup-mac" + salt, iterations)


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def _manifest_mac(manifest: dict[str, Any], passphrase: str) -> str:
    """The HMAC of everything in the manifest but itself: the file's SHA-256, the key's salt and
    rounds, the database owner a restore gives the database, the figures it checks against."""
    body = {key: value for key, value in manifest.items() if key != "hmac_sha256"}
    key = _mac_key(passphrase, bytes.fromhex(body["hmac_salt"]), body["kdf_iterations"])
    return hmac.new(key, json.dumps(body, sort_keys=True, separators=(",", ":")).encode(), hashlib.sha256).hexdigest()


def _pipe(first: list[str], second: list[str], *, env: dict[str, str], stdin=None, stdout=None) -> None:
    """first | second, both checked; their error messages (never data) go into the exception."""
    with subprocess.Popen(first, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as one:  # noqa: S603  # nosec B603
        with subprocess.Popen(second, stdin=one.stdout, stdout=stdout, stderr=subprocess.PIPE, env=env) as two:  # noqa: S603  # nosec B603
            one.stdout.close()  # so `first` sees a broken pipe if `second` stops
            _, second_err = two.communicate()
        first_err = one.stderr.read()
        one.wait()
    for argv, process, err in ((first, one, first_err), (second, two, second_err)):
        if process.returncode != 0:
            message = err.decode(errors="replace").strip()[-2000:]
            raise BackupError(f"{Path(argv[0]).name} failed (exit {process.returncode}): {message}")


# What the database holds -----------------------------------------------------------------------

def user_tables(cursor: psycopg.Cursor) -> list[tuple[str, str]]:
    cursor.execute("""SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%' ORDER BY 1, 2""")
    return [(schema, table) for schema, table in cursor.fetchall()]


def table_figures(cursor: psycopg.Cursor) -> dict[str, dict[str, Any]]:
    """Each table's row count and a checksum of its rows: the sum of the first 64 bits of each
    row's MD5, so it reads the table once, in any order, in constant memory."""
    cursor.execute(SESSION)
    figures = {}
    for schema, table in user_tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric), 0)::text "
                               "FROM {} AS t").format(sql.Identifier(schema, table)))
        rows, checksum = cursor.fetchone()
        figures[f"{schema}.{table}"] = {"rows": rows, "checksum": checksum}
    return figures


def access_log_protections(cursor: psycopg.Cursor) -> dict[str, Any]:
    """For each append-only table: its owner, its triggers (and whether each is enabled, and
    who owns its function), and every grant on it, table- or column-level."""
    found: dict[str, Any] = {}
    for table in APPEND_ONLY_TABLES:
        cursor.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass(%s)", [f"public.{table}"])
        row = cursor.fetchone()
        if row is None:
            found[table] = None
            continue
        cursor.execute("""SELECT t.tgname, t.tgenabled IN ('O', 'A'), p.proname, pg_get_userbyid(p.proowner)
            FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE t.tgrelid = to_regclass(%s) AND NOT t.tgisinternal ORDER BY 1""", [f"public.{table}"])
        triggers = [{"name": name, "enabled": enabled, "function": function, "function_owner": owner}
                    for name, enabled, function, owner in cursor.fetchall()]
        cursor.execute("""SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                a.privilege_type, coalesce(col.attname, '')
            FROM pg_class c LEFT JOIN pg_attribute col ON col.attrelid = c.oid AND col.attacl IS NOT NULL
            CROSS JOIN LATERAL aclexplode(CASE WHEN col.attname IS NULL THEN coalesce(c.relacl, acldefault('r', c.relowner))
                                               ELSE col.attacl END) a
            WHERE c.oid = to_regclass(%s) ORDER BY 1, 2, 3""", [f"public.{table}"])
        grants = [f"{grantee}:{privilege}" + (f"({column})" if column else "") for grantee, privilege, column in cursor.fetchall()]
        found[table] = {"owner": row[0], "triggers": triggers, "grants": grants}
    return found


def protection_problems(found: dict[str, Any], backed_up: dict[str, Any]) -> list[str]:
    """What is wrong with the access log's protections, in plain words; [] when nothing is."""
    problems = []
    for table in APPEND_ONLY_TABLES:
        now = found.get(table)
        if now is None:
            problems.append(f"{table} is missing")
            continue
        enabled = {trigger["name"] for trigger in now["triggers"] if trigger["enabled"]}
        for name in REQUIRED_TRIGGERS.get(table, ()):
            if name not in enabled:
                problems.append(f"{table}: trigger {name} is missing or disabled")
        for grant in now["grants"]:
            grantee, privilege = grant.split(":", 1)
            if grantee != now["owner"] and privilege.split("(")[0] not in ("INSERT", "SELECT"):
                problems.append(f"{table}: {grantee} holds {privilege} (only INSERT and SELECT are allowed)")
        then = backed_up.get(table) or {}
        for key in ("owner", "triggers", "grants"):
            if then and now[key] != then.get(key):
                problems.append(f"{table}: {key} differ from the backup ({then.get(key)} then, {now[key]} now)")
    return problems


def refusal_problems(cursor: psycopg.Cursor) -> tuple[list[str], list[str]]:
    """Try to change, delete and truncate the access log, each in a transaction that is rolled
    back, as the session restore runs in: each must be refused by PostgreSQL. A test database
    lets TRUNCATE through when a session says so (core migration 0005): a restored database
    must not say so by default."""
    problems, tried = [], []
    cursor.execute("SELECT coalesce(current_setting('fulfil.allow_truncate_for_tests', true), '')")
    if cursor.fetchone()[0] == "on":
        problems.append("fulfil.allow_truncate_for_tests is on for this database or role: TRUNCATE of the access log is allowed")
    for table in APPEND_ONLY_TABLES:
        ident = sql.Identifier("public", table)
        attempts = {"TRUNCATE": sql.SQL("TRUNCATE {}").format(ident)}
        cursor.execute(sql.SQL("SELECT min(id) FROM {}").format(ident))
        first = cursor.fetchone()[0]
        if first is None:
            tried.append(f"(UPDATE and DELETE not tried: {table} is empty)")
        else:
            attempts["UPDATE"] = sql.SQL("UPDATE {} SET id = id WHERE id = {}").format(ident, sql.Literal(first))
            attempts["DELETE"] = sql.SQL("DELETE FROM {} WHERE id = {}").format(ident, sql.Literal(first))
        for verb, statement in attempts.items():
            try:
                with cursor.connection.transaction(force_rollback=True):
                    cursor.execute(statement)
            except (psycopg.errors.RaiseException, psycopg.errors.InsufficientPrivilege):
                tried.append(f"{verb} {table}")
            except psycopg.Error as error:
                problems.append(f"{verb} on {table} could not be tried: {error.sqlstate}")
            else:
                problems.append(f"{verb} on {table} was allowed")
    return problems, tried


# Backup ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict[str, Any]


def backup_database(*, source: Server, directory: Path, passphrase: str, now: dt.datetime, pg_bin: str | None = None) -> Backup:
    pg_dump, openssl = find_tool("pg_dump", pg_bin), _openssl()
    now = now.astimezone(dt.UTC).replace(microsecond=0)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"fulfil-{now.astimezone(dt.UTC).strftime(STAMP)}.dump.enc"
    final, partial = directory / name, directory / f".{name}.partial"
    if final.exists():
        raise BackupError(f"{final} already exists")
    env = source.client_env() | {"FULFIL_BACKUP_KEY": passphrase}
    iterations = KDF_ITERATIONS
    try:
        with source.connect() as connection, connection.cursor() as cursor:
            # The counts and checksums are read in the snapshot pg_dump dumps: exactly its rows.
            connection.isolation_level, connection.read_only = psycopg.IsolationLevel.REPEATABLE_READ, True
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version'), pg_encoding_to_char(encoding), "
                           "pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")
            snapshot, server_version, encoding, db_owner = cursor.fetchone()
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                _pipe([pg_dump, "--format=custom", f"--snapshot={snapshot}", *source.client_args(source.dbname)],
                      [openssl, "enc", "-e", *_cipher(iterations), "-salt", "-pass", "env:FULFIL_BACKUP_KEY"], env=env, stdout=out)
            tables, protections = table_figures(cursor), access_log_protections(cursor)
            connection.rollback()
        sha256 = _sha256(partial)
        manifest = {
            "format": MANIFEST_FORMAT, "file": name, "bytes": partial.stat().st_size, "sha256": sha256,
            "hmac_salt": secrets.token_bytes(16).hex(), "encryption": f"openssl enc {' '.join(_cipher(iterations))}", "kdf_iterations": iterations,
            "taken_at": now.astimezone(dt.UTC).isoformat(), "database": source.dbname, "server_version": server_version,
            "pg_dump": _version(pg_dump), "encoding": encoding, "database_owner": db_owner,
            "tables": tables, "protections": protections,
        }
        manifest["hmac_sha256"] = _manifest_mac(manifest, passphrase)
        _write_private(directory / f"{name[:-len('.dump.enc')]}.manifest.json", json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        _write_private(directory / f"{name}.sha256", f"{sha256}  {name}\n")
        partial.rename(final)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(path=final, manifest=manifest)


def _openssl() -> str:
    found = shutil.which("openssl")
    if not found:
        raise BackupError("openssl was not found: apt-get install openssl")
    return found


def _version(tool: str) -> str:
    return subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603  # nosec B603 - the tool found by find_tool, no shell


def _write_private(path: Path, text: str) -> None:
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as file:
        file.write(text)


# Retention -------------------------------------------------------------------------------------

def backups_to_keep(taken: Iterable[dt.datetime], *, daily: int, weekly: int, monthly: int) -> set[dt.datetime]:
    """The newest backup of each of the last `daily` days that have one, of the last `weekly`
    ISO weeks and of the last `monthly` months (UTC), and always the newest of all."""
    newest_first = sorted(set(taken), reverse=True)
    keep = set(newest_first[:1])
    periods: list[tuple[int, Callable[[dt.datetime], object]]] = [
        (daily, lambda t: t.date()), (weekly, lambda t: t.isocalendar()[:2]), (monthly, lambda t: (t.year, t.month))]
    for count, period in periods:
        seen: set[object] = set()
        for moment in newest_first:
            if len(seen) >= count:
                break
            if period(moment) not in seen:
                seen.add(period(moment))
                keep.add(moment)
    return keep


def backup_files(directory: Path) -> dict[dt.datetime, Path]:
    found = {}
    for path in directory.iterdir():
        match = NAME.fullmatch(path.name)
        if match:
            found[dt.datetime.strptime(match[1], STAMP).replace(tzinfo=dt.UTC)] = path
    return found


def prune(directory: Path, *, daily: int, weekly: int, monthly: int) -> list[str]:
    """Remove the backups (each with its manifest and checksum) that retention does not keep.
    Only files Fulfil named are touched."""
    found = backup_files(directory)
    keep = backups_to_keep(found, daily=daily, weekly=weekly, monthly=monthly)
    removed = []
    for taken, path in sorted(found.items()):
        if taken in keep:
            continue
        for companion in (path, Path(f"{path}.sha256"), manifest_path(path)):
            companion.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


# Restore ---------------------------------------------------------------------------------------

def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name.removesuffix(".dump.enc") + ".manifest.json")


def verify_backup(dump: Path, passphrase: str) -> dict[str, Any]:
    """The manifest, once the file is the one it describes (SHA-256: not damaged in a copy) and
    was made by someone holding the passphrase (HMAC: not altered, not another key)."""
    if not dump.is_file():
        raise BackupError(f"{dump} is not a file")
    try:
        manifest = json.loads(manifest_path(dump).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"Cannot read the manifest {manifest_path(dump).name} beside the backup: {error}") from None
    if manifest.get("format") != MANIFEST_FORMAT or manifest.get("file") != dump.name:
        raise BackupError(f"{manifest_path(dump).name} is not the manifest of {dump.name}")
    if not isinstance(manifest.get("kdf_iterations"), int) or not 1_000 <= manifest["kdf_iterations"] <= 10_000_000:
        raise BackupError(f"{manifest_path(dump).name} gives no sensible key derivation count: it was changed")
    if not hmac.compare_digest(_sha256(dump), str(manifest.get("sha256"))):
        raise BackupError(f"{dump.name} does not match the SHA-256 in its manifest: the file is damaged or was changed. "
                          "Do not restore it; use another copy or an older backup.")
    try:
        mac = _manifest_mac(manifest, passphrase)
    except (KeyError, TypeError, ValueError):
        raise BackupError(f"{manifest_path(dump).name} is damaged: restore from another copy") from None
    if not hmac.compare_digest(mac, str(manifest.get("hmac_sha256"))):
        raise BackupError(f"{dump.name} fails its authentication check: it was made with another passphrase, "
                          "or it and its manifest were changed. Do not restore it.")
    return manifest


@dataclass
class RestoreReport:
    target: str
    checked: list[str]
    problems: list[str]


def restore_database(*, dump: Path, server: Server, target: str, passphrase: str, replace: bool = False,
                     pg_bin: str | None = None) -> RestoreReport:
    manifest = verify_backup(dump, passphrase)
    pg_restore, openssl = find_tool("pg_restore", pg_bin), _openssl()
    checked = [f"{dump.name}: SHA-256 and authentication code match its manifest (taken {manifest['taken_at']})"]
    _prepare_target(server, target=target, manifest=manifest, replace=replace)
    _pipe([openssl, "enc", "-d", *_cipher(manifest["kdf_iterations"]), "-pass", "env:FULFIL_BACKUP_KEY", "-in", str(dump)],
          [pg_restore, "--single-transaction", "--exit-on-error", *server.client_args(target)],
          env=server.client_env() | {"FULFIL_BACKUP_KEY": passphrase})
    checked.append(f"pg_restore into {target} finished without error")
    problems = []
    with server.connect(target) as connection, connection.cursor() as cursor:
        tables = table_figures(cursor)
        problems += _table_problems(tables, manifest["tables"])
        rows = sum(figures["rows"] for figures in tables.values())
        checked.append(f"{len(tables)} tables, {rows} rows: every table's row count and checksum match the backup"
                       if not problems else f"{len(tables)} tables, {rows} rows compared with the backup")
        found = access_log_protections(cursor)
        protection = protection_problems(found, manifest["protections"])
        problems += protection
        for table, details in found.items():
            if details and not protection:
                triggers = ", ".join(trigger["name"] for trigger in details["triggers"] if trigger["enabled"])
                checked.append(f"{table}: owner {details['owner']}, triggers {triggers} enabled, "
                               f"grants as in the backup, nobody but the owner may change it")
        connection.rollback()
        refused, tried = refusal_problems(cursor)
        problems += refused
        if tried:
            checked.append(f"refused by PostgreSQL (tried, rolled back): {', '.join(tried)}")
        connection.rollback()
    return RestoreReport(target=target, checked=checked, problems=problems)


def _prepare_target(server: Server, *, target: str, manifest: dict[str, Any], replace: bool) -> None:
    """Refuse before touching anything when the roles the backup names are missing or the target
    holds data; then (re)create the target empty. An empty database that exists is kept (one
    prepared with `fulfil db-roles` on a new server, say)."""
    with server.connect("postgres", autocommit=True) as admin, admin.cursor() as cursor:
        _create_target(server, cursor, target=target, manifest=manifest, replace=replace)


def _create_target(server: Server, cursor: psycopg.Cursor, *, target: str, manifest: dict[str, Any], replace: bool) -> None:
    if target in ("postgres", "template0", "template1"):
        raise BackupError(f"{target} is one of PostgreSQL's own databases: restore into another name")
    roles = {manifest["database_owner"]}
    for details in manifest["protections"].values():
        if details:
            roles.add(details["owner"])
            roles.update(grant.split(":", 1)[0] for grant in details["grants"])
            roles.update(trigger["function_owner"] for trigger in details["triggers"])
    roles.discard("PUBLIC")
    cursor.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", [sorted(roles)])
    missing = roles - {name for (name,) in cursor.fetchall()}
    if missing:
        raise BackupError(f"The roles {', '.join(sorted(missing))} do not exist on this server: create them first "
                          f"(fulfil db-roles with DATABASE_URL naming an empty database {target}), then restore")
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target])
    if cursor.fetchone():
        if not replace:
            with server.connect(target) as other:
                relations = other.execute("""SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%%'""").fetchone()[0]
            if relations:
                raise BackupError(f"The database {target} is not empty ({relations} tables and other relations): "
                                  "restore into a new database name, or give --replace to drop it first")
            return
        try:
            cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(target)))
        except psycopg.errors.ObjectInUse:
            raise BackupError(f"{target} is in use: stop fulfil-serve and fulfil-worker (and any other session) first") from None
    cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING {}").format(
        sql.Identifier(target), sql.Literal(manifest["encoding"])))
    cursor.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(target), sql.Identifier(manifest["database_owner"])))


def _table_problems(restored: dict[str, dict[str, Any]], backed_up: dict[str, dict[str, Any]]) -> list[str]:
    problems = [f"table {name} is missing" for name in sorted(set(backed_up) - set(restored))]
    problems += [f"table {name} is not in the backup" for name in sorted(set(restored) - set(backed_up))]
    for name in sorted(set(restored) & set(backed_up)):
        now, then = restored[name], backed_up[name]
        if now["rows"] != then["rows"]:
            problems.append(f"table {name}: {now['rows']} rows, {then['rows']} in the backup")
        elif now["checksum"] != then["checksum"]:
            problems.append(f"table {name}: its rows differ from the backup (checksum)")
    return problems
