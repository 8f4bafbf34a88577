"""Helpers for files that leave the app (CSV, XLSX)."""

from __future__ import annotations

import csv
import unicodedata

# A cell starting with one of these is run as a formula by spreadsheet programs: a child's
# name, a note or an area's name could carry one (CSV injection, OWASP "CSV Injection").
# Spreadsheets skip leading blanks and line breaks, and some read the full-width forms
# (U+FF1D and friends) as the ASCII signs, so a cell is judged by its first visible character
# after Unicode NFKC folding. Prefixing an apostrophe shows the cell as text.
_FORMULA_SIGNS = frozenset("=+-@")
_CONTROL_START = ("\t", "\r", "\n")


def safe_cell(value):
    if not isinstance(value, str) or not value:
        return value
    visible = unicodedata.normalize("NFKC", value).lstrip()
    if value.startswith(_CONTROL_START) or visible[:1] in _FORMULA_SIGNS:
        return "'" + value
    return value


def safe_row(values) -> list:
    """Every cell of a row that leaves the app, escaped (use for each CSV row and sheet row)."""
    return [safe_cell(v) for v in values]


class _SafeWriter:
    def __init__(self, buffer):
        self._writer = csv.writer(buffer)

    def writerow(self, row) -> None:
        self._writer.writerow(safe_row(row))


def safe_csv_writer(buffer) -> _SafeWriter:
    """A `csv.writer` whose every cell, headers included, goes through `safe_cell`."""
    return _SafeWriter(buffer)
