"""Helpers for files that leave the app (CSV, XLSX)."""

from __future__ import annotations

import csv
import io
import unicodedata

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

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


def csv_text(rows) -> str:
    """Rows (headers included, `[]` for a blank line) as CSV text, every cell escaped.

    The one way Fulfil writes a CSV: each export builds its rows in its domain's `exports.py`
    and a view returns `download(csv_text(rows), filename)`.
    """
    buffer = io.StringIO()
    writer = safe_csv_writer(buffer)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


HEADER_FILL = PatternFill("solid", fgColor="1D70B8")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def sheet(ws, title: str, header: list[str], rows, widths: list[int]) -> None:
    """Fill a worksheet the way every Fulfil workbook looks: a blue header row that stays in
    view, filters on, fixed column widths, every cell escaped."""
    ws.title = title
    ws.append(safe_row(header))
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for row in rows:
        ws.append(safe_row(row))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def workbook_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(content: str | bytes, filename: str):
    """The HTTP response for a file a user downloads; the type is read from the file's extension."""
    from django.http import HttpResponse  # noqa: PLC0415 - the escaping above stays usable without Django

    kind = filename.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
