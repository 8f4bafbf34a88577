"""fulfil check-wording: is provision in a plan specified and quantified?

    fulfil check-wording "Weekly 30-minute SALT sessions"
    fulfil check-wording --file section_f.csv --column provision --json

Reads statements from the command line or a CSV file (with a header row) and prints, for each,
the verdict, the reasons in plain English, and the provision items it would become. With
--json it prints a JSON list instead, one object per statement, for other tools.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fulfil.plans.wording import StatementCheck, check_statement
from fulfil.plans.wording.results import VERDICT_LABELS, describe

DEFAULT_COLUMN = "text"


class Command(BaseCommand):
    help = "Check whether provision statements are specified and quantified (text, or --file F.csv)."
    # Reads text only: no database, so no system or migration checks to wait for.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("statements", nargs="*", help="Provision statements to check")
        parser.add_argument("--file", type=Path, default=None, help="CSV file with a header row, one statement per row")
        parser.add_argument("--column", default=None, help=f"CSV column holding the statements (default '{DEFAULT_COLUMN}', else the first)")
        parser.add_argument("--json", action="store_true", help="Print a JSON list: verdict, reasons and items per statement")

    def handle(self, *args, **options):
        if options["file"] is None and not options["statements"]:
            raise CommandError('Give a statement to check, e.g. fulfil check-wording "Weekly 30-minute SALT", or --file F.csv')
        if options["file"] is not None and options["statements"]:
            raise CommandError("Give statements or --file, not both.")
        if options["column"] is not None and options["file"] is None:
            raise CommandError("--column only applies with --file.")
        if options["file"] is not None:
            rows = self.rows_from_csv(options["file"], options["column"])
        else:
            rows = ((None, text) for text in options["statements"])
        verdicts: Counter[str] = Counter()
        if options["json"]:
            self.write_json(rows, verdicts)
        else:
            self.write_text(rows, verdicts)
            total = sum(verdicts.values())
            self.stdout.write(
                f"Checked {total:,} statement(s): {verdicts['quantified']:,} quantified, "
                f"{verdicts['partly_quantified']:,} partly quantified, {verdicts['not_quantified']:,} not quantified."
            )

    def rows_from_csv(self, path: Path, column: str | None) -> Iterator[tuple[int, str]]:
        """(row number, statement) for each row; the header is row 1, as in a spreadsheet."""
        try:
            # surrogateescape: a byte that is not UTF-8 is kept (as a lone surrogate) so the row it
            # is in can be named, rather than failing on whichever block the decoder read first.
            handle = open(path, newline="", encoding="utf-8-sig", errors="surrogateescape")  # closed by _rows
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from None
        reader = csv.reader(handle)
        row_number = 1
        try:
            header = next(reader, None)
            if header is None:
                raise CommandError(f"{path} is empty: it needs a header row, then one statement per row.")
            _check_utf8(header)
            names = [name.strip() for name in header]
            if column is not None:
                if column not in names:
                    raise CommandError(f"{path} has no column '{column}'. Its columns are: {', '.join(names) or '(none)'}.")
                index = names.index(column)
            else:
                index = names.index(DEFAULT_COLUMN) if DEFAULT_COLUMN in names else 0
            column_name = names[index] if names else DEFAULT_COLUMN
        except (UnicodeError, csv.Error) as error:
            handle.close()
            raise CommandError(f"Cannot read {path} row {row_number}: {_reason(error)}") from None
        except CommandError:
            handle.close()
            raise
        return self._rows(handle, reader, path, index, column_name)

    def _rows(self, handle, reader, path: Path, index: int, column_name: str) -> Iterator[tuple[int, str]]:
        row_number = 1
        with handle:
            while True:
                try:
                    row = next(reader, None)
                except (UnicodeError, csv.Error) as error:
                    raise CommandError(f"Cannot read {path} row {row_number + 1}: {_reason(error)}") from None
                if row is None:
                    return
                row_number += 1
                try:
                    _check_utf8(row)
                except UnicodeError as error:
                    raise CommandError(f"Cannot read {path} row {row_number}: {_reason(error)}") from None
                text = row[index] if index < len(row) else ""
                if not text.strip():
                    # A blank row is reported, not checked: it is a gap in the file, not a statement.
                    self.stderr.write(f"{path} row {row_number}: column '{column_name}' is blank; skipped.")
                    continue
                yield row_number, text

    def write_json(self, rows, verdicts: Counter[str]) -> None:
        # Streamed one object at a time, so a file of a million rows needs no more memory than one.
        out = self.stdout
        out.write("[", ending="")
        first = True
        for row_number, text in rows:
            check = check_statement(text)
            verdicts[check.verdict] += 1
            entry = _json_entry(check, row_number)
            out.write(("\n" if first else ",\n") + _printable(json.dumps(entry, ensure_ascii=False)), ending="")
            first = False
        out.write("\n]" if not first else "]")

    def write_text(self, rows, verdicts: Counter[str]) -> None:
        for number, (row_number, text) in enumerate(rows, start=1):
            check = check_statement(text)
            verdicts[check.verdict] += 1
            where = f"Row {row_number}" if row_number is not None else f"Statement {number}"
            self.stdout.write(_printable(f"{where}: {text}"))
            self.stdout.write(f"  Verdict: {VERDICT_LABELS[check.verdict]}")
            if check.messages:
                self.stdout.write("  Why:")
                for message in check.messages:
                    self.stdout.write(_printable(f"    - {message}"))
            if check.items:
                self.stdout.write("  Items it would become:")
                for position, item in enumerate(check.items, start=1):
                    self.stdout.write(_printable(f"    {position}. {describe(item)}"))
            self.stdout.write("")


def _json_entry(check: StatementCheck, row_number: int | None) -> dict:
    entry = check.to_dict()
    if row_number is not None:
        entry = {"row": row_number, **entry}
    return entry


def _printable(line: str) -> str:
    """A line any terminal can take: text from the command line may hold undecodable bytes
    (Python keeps them as lone surrogates), which would make writing it fail."""
    if line.isascii():
        return line
    return line.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_utf8(row: list[str]) -> None:
    for cell in row:
        if not cell.isascii():
            cell.encode("utf-8")  # raises on a byte that was not UTF-8 in the file


def _reason(error: Exception) -> str:
    if isinstance(error, UnicodeError):
        return "not UTF-8 text; save the file as CSV UTF-8 and try again"
    return str(error)

