"""fulfil import-provision FILE.csv: add plans' therapy lines from a CSV file, checking each."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fulfil.core.commands import area_for_command
from fulfil.plans.imports import provision_lines_import


class Command(BaseCommand):
    help = "Import therapy lines (plan_reference, wording[, starts_on, section]) from a CSV file; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--area", default="", help="DfE LA number or ONS code (needed when there are several areas)")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, without saving")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        area = area_for_command(options["area"])
        result = provision_lines_import(local_area=area, data=path.read_bytes(), dry_run=options["dry_run"])
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            if result.errors_not_listed:
                self.stderr.write(f"and {result.errors_not_listed} more")
            raise CommandError(f"{result.error_count} problem(s) in {path.name}: nothing was imported. Fix them and run it again.")
        verdicts = ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in sorted(result.verdicts.items()))
        if result.dry_run:
            self.stdout.write(f"{path.name} is ready to import: {result.rows} rows ({verdicts}). Nothing was saved (dry run).")
        else:
            self.stdout.write(f"Imported {path.name}: {result.rows} rows, {result.created} lines added, "
                              f"{result.skipped_existing} already on the plan. Wording: {verdicts}.")
