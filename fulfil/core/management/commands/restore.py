"""fulfil restore: check a backup, restore it into a named database, then check what came back
(every table's rows, and the access log's protections) and print what was checked
(docs/operations.md). Run it as the cluster administrator: FULFIL_RESTORE_DATABASE_URL names the
server and role (its database name is not used); without it, DATABASE_URL's server and role."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from fulfil.core.backups import BackupError, Server, read_passphrase, restore_database, verify_backup


class Command(BaseCommand):
    help = ("Restore a backup made by fulfil backup into a database (made anew; an existing one must be empty "
            "unless --replace), then check its rows and the access log's protections.")

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the .dump.enc file; its .manifest.json must be beside it")
        parser.add_argument("--target", help="the database to restore into, e.g. fulfil_restored")
        parser.add_argument("--replace", action="store_true", help="drop the target first if it holds anything")
        parser.add_argument("--verify-only", action="store_true",
                            help="only check the file against its manifest and passphrase; touch no database")
        parser.add_argument("--passphrase-file", default=os.environ.get("FULFIL_BACKUP_PASSPHRASE_FILE"),
                            help="the passphrase the backup was made with (or FULFIL_BACKUP_PASSPHRASE_FILE)")
        parser.add_argument("--pg-bin", default=None, help="folder holding pg_restore (or FULFIL_PG_BIN; default PATH)")

    def handle(self, *args, **options):
        dump = Path(options["backup"])
        try:
            passphrase = read_passphrase(options["passphrase_file"])
            if options["verify_only"]:
                manifest = verify_backup(dump, passphrase)
                self.stdout.write(f"{dump.name}: SHA-256 and authentication code match its manifest "
                                  f"(taken {manifest['taken_at']}, {len(manifest['tables'])} tables).")
                return
            if not options["target"]:
                raise CommandError("Give the database to restore into: --target NAME")
            report = restore_database(dump=dump, server=self._server(), target=options["target"], passphrase=passphrase,
                                      replace=options["replace"], pg_bin=options["pg_bin"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"{error.filename or 'a file'}: {error.strerror}") from None
        for line in report.checked:
            self.stdout.write(f"checked: {line}")
        if report.problems:
            for line in report.problems:
                self.stderr.write(f"PROBLEM: {line}")
            raise CommandError(f"{report.target} was restored but failed {len(report.problems)} check(s); it is left "
                               "for inspection. Do not point Fulfil at it.")
        self.stdout.write(f"Restored into {report.target}; every check passed.")

    def _server(self) -> Server:
        url = os.environ.get("FULFIL_RESTORE_DATABASE_URL")
        settings = dj_database_url.parse(url) if url else connections["default"].settings_dict
        if "postgresql" not in settings["ENGINE"]:
            raise CommandError("fulfil restore is for PostgreSQL. For the SQLite demo, stop Fulfil and copy the "
                               "database file back while it is stopped.")
        return Server.from_settings(settings)
