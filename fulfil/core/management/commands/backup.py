"""fulfil backup: an encrypted pg_dump of the database, its manifest and checksum, then retention
(docs/operations.md). Run nightly by deploy/fulfil-backup.timer."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from fulfil.core import clock
from fulfil.core.backups import BackupError, Server, backup_database, prune, read_passphrase


class Command(BaseCommand):
    help = ("Back up the PostgreSQL database: pg_dump --format=custom, encrypted with a passphrase file, "
            "a manifest and SHA-256 beside it; then remove backups that retention does not keep.")

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=os.environ.get("FULFIL_BACKUP_DIR"),
                            help="where backups go (or FULFIL_BACKUP_DIR); made with mode 0700 if missing")
        parser.add_argument("--passphrase-file", default=os.environ.get("FULFIL_BACKUP_PASSPHRASE_FILE"),
                            help="file whose first line is the passphrase, mode 0600 (or FULFIL_BACKUP_PASSPHRASE_FILE)")
        parser.add_argument("--keep-daily", type=int, default=7, help="keep the newest backup of each of this many days (7)")
        parser.add_argument("--keep-weekly", type=int, default=5, help="... of each of this many weeks (5)")
        parser.add_argument("--keep-monthly", type=int, default=3, help="... of each of this many months (3)")
        parser.add_argument("--pg-bin", default=None, help="folder holding pg_dump (or FULFIL_PG_BIN; default PATH)")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, **options):
        connection = connections["default"]
        if connection.vendor != "postgresql":
            raise CommandError(f"fulfil backup is for PostgreSQL; this database is {connection.vendor}. For the SQLite "
                               "demo, stop Fulfil and copy the database file (fulfil.sqlite3) while it is stopped.")
        if not options["dir"]:
            raise CommandError("Give the backup directory: --dir or FULFIL_BACKUP_DIR")
        if min(options["keep_daily"], options["keep_weekly"], options["keep_monthly"]) < 0:
            raise CommandError("Retention counts cannot be negative")
        directory = Path(options["dir"])
        try:
            passphrase = read_passphrase(options["passphrase_file"])
            made = backup_database(source=Server.from_settings(connection.settings_dict), directory=directory,
                                   passphrase=passphrase, now=clock.now(), pg_bin=options["pg_bin"])
            # Only after a good backup, so a failing one never thins out the ones that work.
            removed = prune(directory, daily=options["keep_daily"], weekly=options["keep_weekly"], monthly=options["keep_monthly"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"{error.filename or 'a file'}: {error.strerror}") from None
        tables = made.manifest["tables"]
        summary = {"file": str(made.path), "bytes": made.manifest["bytes"], "sha256": made.manifest["sha256"],
                   "tables": len(tables), "rows": sum(table["rows"] for table in tables.values()), "removed": removed}
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=1))
            return
        self.stdout.write(f"Backed up {made.manifest['database']}: {summary['tables']} tables, {summary['rows']} rows, "
                          f"to {made.path} ({made.manifest['bytes']:,} bytes, encrypted); manifest and SHA-256 beside it.")
        self.stdout.write(f"Retention removed {len(removed)} older backup(s)" + (f": {', '.join(removed)}" if removed else "."))
