"""Helpers for files that leave the app (CSV, XLSX)."""

from __future__ import annotations

# A cell starting with one of these is run as a formula by spreadsheet programs: a child's
# name or a note could carry one (CSV injection). Prefixing an apostrophe shows it as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
