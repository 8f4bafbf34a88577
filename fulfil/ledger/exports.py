"""The shortfall report as an Excel workbook a commissioner can open and filter."""

from __future__ import annotations

from openpyxl import Workbook

from fulfil.core.exports import safe_row, sheet, workbook_bytes


def shortfall_workbook(report, rows: list[dict], *, area_name: str) -> bytes:
    wb = Workbook()
    summary = wb.active
    sheet(
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
        sheet(
            ws, "Children short",
            ["Child", "Setting", "Primary need", "Therapies", "Sessions due", "Sessions delivered", "Sessions owed", "Hours owed"],
            [[c.name, c.setting, c.primary_need, " ".join(c.disciplines), round(c.due, 1), c.delivered, c.owed_contacts,
              round(c.owed_hours, 1)] for c in report.children],
            [30, 34, 12, 14, 14, 16, 14, 12],
        )
    return workbook_bytes(wb)
