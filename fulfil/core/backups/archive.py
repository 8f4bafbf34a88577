"""Making, checking and restoring a backup: pg_dump and pg_restore, openssl, the manifest and
its HMAC (see the package's docstring)."""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import hmac
import json
import os
import secrets
import shutil
import stat
import subprocess  # nosec B404 - fixed argument lists, no shell
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from fulfil.core.backups.checks import (
    access_log_protections,
    one_row,
    protection_problems,
    refusal_problems,
    table_figures,
    table_problems,
)
from fulfil.core.backups.retention import STAMP, manifest_path

KDF_ITERATIONS = 600_000  # PBKDF2-SHA-256, OWASP's 2023 figure; about half a second per backup
MANIFEST_FORMAT = "fulfil-backup 1"
MIN_PASSPHRASE = 20


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
            return psycopg.connect(make_conninfo(**{key: value for key, value in params.items() if value}), autocommit=autocommit)
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
        piped, first_errors = cast(IO[bytes], one.stdout), cast(IO[bytes], one.stderr)
        with subprocess.Popen(second, stdin=piped, stdout=stdout, stderr=subprocess.PIPE, env=env) as two:  # noqa: S603  # nosec B603
            piped.close()  # so `first` sees a broken pipe if `second` stops
            _, second_err = two.communicate()
        first_err = first_errors.read()
        one.wait()
    for argv, process, err in ((first, one, first_err), (second, two, second_err)):
        if process.returncode != 0:
            message = err.decode(errors="replace").strip()[-2000:]
            raise BackupError(f"{Path(argv[0]).name} failed (exit {process.returncode}): {message}")


# Backup ---------------------------------------------------------------------------------------

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
            snapshot, server_version, encoding, db_owner = one_row(cursor)
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


# Restore --------------------------------------------------------------------------------------

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
        problems += table_problems(tables, manifest["tables"])
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
                relations = one_row(other.execute("""SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%%'"""))[0]
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
