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

from fulfil.core.backups.archive import (
    Backup,
    BackupError,
    RestoreReport,
    Server,
    backup_database,
    find_tool,
    read_passphrase,
    restore_database,
    verify_backup,
)
from fulfil.core.backups.retention import backup_files, backups_to_keep, manifest_path, prune

__all__ = ["Backup", "BackupError", "RestoreReport", "Server", "backup_database", "backup_files", "backups_to_keep",
           "find_tool", "manifest_path", "prune", "read_passphrase", "restore_database", "verify_backup"]
