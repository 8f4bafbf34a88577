"""The recovery plan: the fewest independent-market hours to buy, by discipline, patch and month,
so that everything owed is cleared and everything due is delivered from a target month on.

This is the question behind a report like "appropriate OT provision will have been delivered by
the end of the Spring term": with the in-house capacity we expect, how many hours must we buy,
when, where, and at what cost; and, the other way round, with this budget, how soon can we be
at 100%?

Model, per line (discipline x patch), month by month:

    backlog[m] = backlog[m-1] + due[m] - in_house[m] - bought[m]      backlog[-1] = owed at start
    0 <= in_house[m] <= capacity[m]          (in-house hours cannot be banked for later)
    backlog[m] >= 0                          (provision cannot be delivered before it is due)
    backlog[m] = 0 for every month from the target on (reach 100% and stay there)
    sum of bought[m] over a discipline's patches <= the market's hours that month (if capped)

A linear programme (HiGHS). First it minimises the cost; then, at that cost, it buys as early as
possible, so children wait no longer than the money requires. Without market caps the answer has
a closed form (use in-house hours fully; buy at the target month what is still owed, and after
it each month's shortfall) which the tests use to check the LP; with caps (the independent
market is short of OTs too) only the LP answers. `validate_recovery` re-simulates any plan.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace
from typing import Any

import highspy
import numpy as np

from fulfil.planning.solver._codec import encode, from_dict

TOLERANCE = 1e-6
# A target further off is not a recovery plan (and years of months make the model slow to solve).
TARGET_WITHIN = dt.timedelta(days=3 * 365)


@dataclass(frozen=True)
class RecoveryLine:
    """One discipline in one patch: hours owed at the start, then per month the in-house
    clinical hours available and the hours falling due."""

    discipline: str
    cluster: str
    owed_hours: float
    capacity_hours: tuple[float, ...]
    due_hours: tuple[float, ...]


@dataclass(frozen=True)
class RecoveryInput:
    months: tuple[str, ...]  # e.g. ("2027-01", "2027-02", ...)
    lines: tuple[RecoveryLine, ...]
    rates: dict[str, float]  # pounds per bought hour, by discipline
    target_month: str
    market_hours_cap: dict[str, tuple[float, ...]] = field(default_factory=dict)  # by discipline, per month

    @property
    def owed_hours(self) -> float:
        """Therapist hours owed at the start, over every patch."""
        return sum(line.owed_hours for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        return encode(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecoveryInput:
        return from_dict(cls, data)


@dataclass(frozen=True)
class Purchase:
    discipline: str
    cluster: str
    month: str
    hours: float


@dataclass(frozen=True)
class RecoveryPlan:
    target_month: str
    feasible: bool
    purchases: tuple[Purchase, ...]
    total_hours: float
    total_cost: float
    hours_by_discipline: dict[str, float]
    cost_by_discipline: dict[str, float]
    backlog_hours: dict[str, tuple[float, ...]]  # "discipline/cluster" -> backlog at each month end
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return encode(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecoveryPlan:
        return from_dict(cls, data)


def check_recovery_input(data: RecoveryInput) -> list[str]:
    problems = []
    if data.target_month not in data.months:
        problems.append(f"target month {data.target_month} is not one of the months")
    for line in data.lines:
        label = f"{line.discipline}/{line.cluster}"
        if len(line.capacity_hours) != len(data.months) or len(line.due_hours) != len(data.months):
            problems.append(f"{label}: one capacity and one due figure per month are needed")
        if line.owed_hours < 0 or min((*line.capacity_hours, *line.due_hours), default=0) < 0:
            problems.append(f"{label}: hours cannot be negative")
        if line.discipline not in data.rates:
            problems.append(f"{label}: no market rate for {line.discipline}")
    for discipline, caps in data.market_hours_cap.items():
        if len(caps) != len(data.months):
            problems.append(f"market cap for {discipline}: one figure per month is needed")
    return problems


def plan_recovery(data: RecoveryInput) -> RecoveryPlan:
    """The cheapest purchases that reach 100% by the target month (see the module docstring)."""
    started = time.perf_counter()
    problems = check_recovery_input(data)
    if problems:
        raise ValueError("; ".join(problems))
    months, lines = len(data.months), data.lines
    target = data.months.index(data.target_month)
    # Columns per line: bought[m], in_house[m], backlog[m] for each month.
    per_line = 3 * months

    def column(line: int, kind: int, month: int) -> int:
        return line * per_line + kind * months + month

    bought, in_house, backlog = 0, 1, 2
    columns = len(lines) * per_line
    lower, upper = np.zeros(columns), np.full(columns, highspy.kHighsInf)
    rows: list[tuple[dict[int, float], float, float]] = []
    for i, line in enumerate(lines):
        for m in range(months):
            upper[column(i, in_house, m)] = line.capacity_hours[m]
            if m >= target:
                upper[column(i, backlog, m)] = 0.0
            # backlog[m] - backlog[m-1] + in_house[m] + bought[m] = due[m]  (+ owed in month 0)
            row = {column(i, backlog, m): 1.0, column(i, in_house, m): 1.0, column(i, bought, m): 1.0}
            right = line.due_hours[m] + (line.owed_hours if m == 0 else 0.0)
            if m > 0:
                row[column(i, backlog, m - 1)] = -1.0
            rows.append((row, right, right))
    for discipline, caps in data.market_hours_cap.items():
        for m in range(months):
            row = {column(i, bought, m): 1.0 for i, line in enumerate(lines) if line.discipline == discipline}
            if row:
                rows.append((row, -highspy.kHighsInf, caps[m]))

    highs = _highs(columns, lower, upper, rows)
    cost = {column(i, bought, m): data.rates[line.discipline] for i, line in enumerate(lines) for m in range(months)}
    status, best, _values = _minimise(highs, columns, cost)
    if status != highspy.HighsModelStatus.kOptimal:
        return RecoveryPlan(data.target_month, False, (), 0.0, 0.0, {}, {}, {}, round(time.perf_counter() - started, 4))
    # Second stage: at (no more than) that cost, buy as early as possible.
    highs.addRow(-highspy.kHighsInf, best * (1 + 1e-9) + TOLERANCE, len(cost),
                 np.array(list(cost), dtype=np.int32), np.array(list(cost.values())))
    _status, _early, values = _minimise(highs, columns, {column(i, bought, m): float(m + 1) for i in range(len(lines)) for m in range(months)})

    purchases: list[Purchase] = []
    hours_by: dict[str, float] = {}
    cost_by: dict[str, float] = {}
    backlogs: dict[str, tuple[float, ...]] = {}
    for i, line in enumerate(lines):
        for m in range(months):
            hours = round(max(0.0, values[column(i, bought, m)]), 4)
            if hours > TOLERANCE:
                purchases.append(Purchase(line.discipline, line.cluster, data.months[m], hours))
                hours_by[line.discipline] = hours_by.get(line.discipline, 0.0) + hours
                cost_by[line.discipline] = cost_by.get(line.discipline, 0.0) + hours * data.rates[line.discipline]
        backlogs[f"{line.discipline}/{line.cluster}"] = tuple(round(max(0.0, values[column(i, backlog, m)]), 4) for m in range(months))
    return RecoveryPlan(
        target_month=data.target_month, feasible=True, purchases=tuple(purchases),
        total_hours=float(round(sum(hours_by.values()), 4)), total_cost=float(round(sum(cost_by.values()), 2)),
        hours_by_discipline={k: round(v, 4) for k, v in hours_by.items()},
        cost_by_discipline={k: round(v, 2) for k, v in cost_by.items()},
        backlog_hours=backlogs, seconds=round(time.perf_counter() - started, 4),
    )


def earliest_month_for_budget(data: RecoveryInput, budget: float) -> str | None:
    """The earliest month by which 100% is reachable for at most `budget` pounds, or None.

    The cheapest cost never rises as the target moves later (a plan for an earlier target also
    meets a later one), so the first affordable month is the answer."""

    for month in data.months:
        plan = plan_recovery(replace(data, target_month=month))
        if plan.feasible and plan.total_cost <= budget + TOLERANCE:
            return month
    return None


def validate_recovery(data: RecoveryInput, plan: RecoveryPlan) -> list[str]:
    """Re-simulate a plan month by month (in-house hours first, then bought) and list what is
    wrong: negative or over-cap purchases, hours bought with nothing to deliver, a backlog left
    from the target month, or totals that do not add up."""
    problems: list[str] = []
    if not plan.feasible:
        return problems
    index = {month: m for m, month in enumerate(data.months)}
    bought: dict[tuple[str, str, int], float] = {}
    for purchase in plan.purchases:
        if purchase.month not in index:
            problems.append(f"purchase in unknown month {purchase.month}")
            continue
        if purchase.hours < -TOLERANCE:
            problems.append(f"negative purchase for {purchase.discipline}/{purchase.cluster} in {purchase.month}")
        key = (purchase.discipline, purchase.cluster, index[purchase.month])
        bought[key] = bought.get(key, 0.0) + purchase.hours
    target = index[plan.target_month]
    slack = 1e-3
    for line in data.lines:
        backlog = line.owed_hours
        for m, month in enumerate(data.months):
            available = backlog + line.due_hours[m]
            in_house = min(line.capacity_hours[m], available)
            extra = bought.get((line.discipline, line.cluster, m), 0.0)
            if extra > available - in_house + slack:
                problems.append(f"{line.discipline}/{line.cluster} buys {extra:.1f} h in {month} with only "
                                f"{max(0.0, available - in_house):.1f} h left to deliver")
            backlog = max(0.0, available - in_house - extra)
            if m >= target and backlog > slack:
                problems.append(f"{line.discipline}/{line.cluster} still owes {backlog:.1f} h at the end of {month}")
    for discipline, caps in data.market_hours_cap.items():
        for m, month in enumerate(data.months):
            total = sum(h for (d, _c, mm), h in bought.items() if d == discipline and mm == m)
            if total > caps[m] + slack:
                problems.append(f"{discipline}: {total:.1f} h bought in {month}, above the market's {caps[m]:.1f} h")
    hours = sum(bought.values())
    cost = sum(h * data.rates[d] for (d, _c, _m), h in bought.items())
    if abs(hours - plan.total_hours) > slack * max(1.0, hours) or abs(cost - plan.total_cost) > 0.01 * max(1.0, len(plan.purchases)):
        problems.append("total hours or cost do not match the purchases")
    return problems


def _highs(columns: int, lower: np.ndarray, upper: np.ndarray, rows: list[tuple[dict[int, float], float, float]]) -> highspy.Highs:
    starts = [0]
    indices: list[int] = []
    values: list[float] = []
    for row, _low, _high in rows:
        indices.extend(row)
        values.extend(row.values())
        starts.append(len(indices))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = columns, len(rows)
    lp.col_cost_ = np.zeros(columns)
    lp.col_lower_, lp.col_upper_ = lower, upper
    lp.row_lower_ = np.array([low for _row, low, _high in rows], dtype=np.float64)
    lp.row_upper_ = np.array([high for _row, _low, high in rows], dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values, dtype=np.float64)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    # HiGHS keeps one task scheduler per process, sized by the first run; every Fulfil LP uses one
    # thread so a bound LP after a recovery LP (or the other way round) does not fail with "Not Set".
    highs.setOptionValue("threads", 1)
    highs.passModel(lp)
    return highs


def _minimise(highs: highspy.Highs, columns: int, cost: dict[int, float]) -> tuple[highspy.HighsModelStatus, float, list[float]]:
    vector = np.zeros(columns)
    for index, value in cost.items():
        vector[index] = value
    highs.changeColsCost(columns, np.arange(columns, dtype=np.int32), vector)
    highs.changeObjectiveSense(highspy.ObjSense.kMinimize)
    highs.run()
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        return status, 0.0, []
    return status, float(highs.getInfo().objective_function_value), list(highs.getSolution().col_value)
