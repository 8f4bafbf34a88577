"""The shortfall report as an Excel workbook a commissioner can open and filter."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from fulfil.core.exports import safe_row

HEADER_FILL = PatternFill("solid", fgColor="1D70B8")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def _sheet(ws, title: str, header: list[str], rows: list[list], widths: list[int]) -> None:
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


def shortfall_workbook(report, rows: list[dict], *, area_name: str) -> bytes:
    wb = Workbook()
    summary = wb.active
    _sheet(
        summary, "Summary",
        ["Therapy", "Children with statutory provision", "Fully delivered", "Short", "Received none",
         "% of due sessions delivered", "Owed hours", "Owed cost (GBP)"],
        [[r["label"], r["children"], r["fully"], r["short"], r["none"], r["pct"], r["owed_hours"], r["owed_cost"]] for r in rows],
        [30, 18, 16, 12, 14, 16, 12, 16],
    )
    summary.append([])
    summary.append(safe_row([f"{area_name}: provision due and delivered from {report.start:%d %B %Y} to {report.end:%d %B %Y}."]))
    summary.append([f"Owed hours are costed at £{report.hourly_rate} an hour (independent market rate set by the area)."])
    summary.append([f"Lines that do not say how often (not quantified) and cannot be counted: {report.unquantified_lines}."])
    if report.children:
        ws = wb.create_sheet()
        _sheet(
            ws, "Children short",
            ["Child", "Setting", "Primary need", "Therapies", "Sessions due", "Sessions delivered", "Sessions owed", "Hours owed"],
            [[c.name, c.setting, c.primary_need, " ".join(c.disciplines), round(c.due, 1), c.delivered, c.owed_contacts,
              round(c.owed_hours, 1)] for c in report.children],
            [30, 34, 12, 14, 14, 16, 14, 12],
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
