"""The shortfall report as files: a CSV and an Excel workbook a commissioner can open and filter.
Both take the figures already released for the user's role (`ledger.views._released`)."""

from __future__ import annotations

from openpyxl import Workbook

from fulfil.core.exports import safe_row, sheet, workbook_bytes

SUMMARY_HEADER = ["Therapy", "Children with statutory provision", "Fully delivered", "Short", "Received none",
                  "% of due sessions delivered", "Owed hours", "Owed cost (GBP)"]
CHILDREN_HEADER = ["Child", "Setting", "Primary need", "Therapies", "Sessions due", "Sessions delivered", "Sessions owed", "Hours owed"]


def _summary_row(r: dict) -> list:
    return [r["label"], r["children"], r["fully"], r["short"], r["none"], r["pct"], r["owed_hours"], r["owed_cost"]]


def shortfall_csv_rows(report, rows: list[dict]) -> list[list]:
    """The CSV: the released figures per therapy, then (for child-level roles) each child short."""
    lines = [SUMMARY_HEADER, *(_summary_row(r) for r in rows)]
    if report.children:
        lines += [[], CHILDREN_HEADER]
        lines += [[c.name, c.setting, c.primary_need, " ".join(c.disciplines), f"{c.due:.1f}", c.delivered, c.owed_contacts,
                   f"{c.owed_hours:.1f}"] for c in report.children]
    return lines


def shortfall_workbook(report, rows: list[dict], *, area_name: str) -> bytes:
    wb = Workbook()
    summary = wb.active
    sheet(
        summary, "Summary", SUMMARY_HEADER, [_summary_row(r) for r in rows],
        [30, 18, 16, 12, 14, 16, 12, 16],
    )
    summary.append([])
    summary.append(safe_row([f"{area_name}: provision due and delivered from {report.start:%d %B %Y} to {report.end:%d %B %Y}."]))
    summary.append([f"Owed hours are costed at £{report.hourly_rate} an hour (independent market rate set by the area)."])
    summary.append([f"Lines that do not say how often (not quantified) and cannot be counted: {report.unquantified_lines}."])
    if report.children:
        ws = wb.create_sheet()
        sheet(
            ws, "Children short", CHILDREN_HEADER,
            [[c.name, c.setting, c.primary_need, " ".join(c.disciplines), round(c.due, 1), c.delivered, c.owed_contacts,
              round(c.owed_hours, 1)] for c in report.children],
            [30, 34, 12, 14, 14, 16, 14, 12],
        )
    return workbook_bytes(wb)
