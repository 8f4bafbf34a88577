"""The recovery plan as CSV and as an Excel workbook a commissioner can open."""

from __future__ import annotations

import io

from openpyxl import Workbook

from fulfil.core.exports import csv_text, safe_row, sheet


def recovery_rows(plan) -> list[list]:
    return [[p.discipline.upper(), p.cluster, p.month, round(p.hours, 1)] for p in sorted(plan.purchases, key=lambda p: (p.month, p.cluster))]


def recovery_csv(plan, *, area_name: str, rate: float) -> str:
    rows: list[list] = [["Therapy", "Setting cluster", "Month", "Hours to buy"], *recovery_rows(plan), []]
    rows.append([f"{area_name}: back on track by {plan.target_month}", "", "Total hours", round(plan.total_hours, 1)])
    rows.append(["", "", f"Total cost at £{rate:,.2f} an hour", round(plan.total_cost, 2)])
    return csv_text(rows)


def recovery_workbook(plan, data, *, area_name: str, rate: float) -> bytes:
    wb = Workbook()
    summary = wb.active
    sheet(summary, "Summary", ["Therapy", "Back on track by", "Hours to buy", "Cost (GBP)", "Reachable"],
           [[d.upper(), plan.target_month, round(h, 1), round(plan.cost_by_discipline.get(d, 0.0), 2), "Yes" if plan.feasible else "No"]
            for d, h in plan.hours_by_discipline.items()] or [["", plan.target_month, 0, 0, "Yes" if plan.feasible else "No"]],
           [14, 18, 14, 14, 12])
    summary.append([])
    summary.append(safe_row([f"{area_name}: the fewest independent hours that clear what is owed and deliver what falls due,"
                             f" at £{rate:,.2f} an hour."]))
    sheet(wb.create_sheet(), "Hours to buy", ["Therapy", "Setting cluster", "Month", "Hours to buy"], recovery_rows(plan), [14, 18, 12, 14])
    backlog = wb.create_sheet()
    sheet(backlog, "Backlog by month", ["Line", *data.months],
           [[key, *[round(v, 1) for v in values]] for key, values in sorted(plan.backlog_hours.items())], [22] + [10] * len(data.months))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
