"""Teaching days as arrays, so the due amount over any date range is two lookups.

For each kind of period, every teaching day carries a weight: the share of one period's
provision that falls due on that day. Weekly provision is due evenly over the teaching days
of each teaching week (a week broken by a bank holiday still owes the week's sessions);
half-termly, termly and yearly provision is due evenly over the teaching weeks of its block.
Prefix sums of the weights turn "how much was due between two dates" into a subtraction.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from fulfil.core.calendar import AcademicCalendar, academic_year_label

# How many of an item's "sessions per period" fall in one teaching week, for periods that
# are not calendar blocks. A month is taken as four teaching weeks (about ten a school year).
WEEKLY_FACTOR = {"week": 1.0, "fortnight": 0.5, "month": 0.25}
BLOCK_PERIODS = ("half_term", "term", "year")


@dataclass(frozen=True)
class Block:
    """An accounting period: a half-term, term or academic year."""

    kind: str
    key: str
    label: str
    starts_on: dt.date
    ends_on: dt.date


class CalendarIndex:
    def __init__(self, calendar: AcademicCalendar, first_year: int, last_year: int) -> None:
        self.calendar = calendar
        self.days: list[int] = []  # ordinals of teaching days, ascending
        self.blocks: dict[str, list[Block]] = {kind: [] for kind in BLOCK_PERIODS}
        day_block: dict[str, list[int]] = {kind: [] for kind in BLOCK_PERIODS}

        for year in range(first_year, last_year + 1):
            terms = calendar.terms_of_year(year)
            if not terms:
                continue
            year_block = Block("year", str(year), academic_year_label(year), terms[0].starts_on, terms[-1].ends_on)
            self.blocks["year"].append(year_block)
            for term in terms:
                term_block = Block("term", f"{year}-{term.name}", term.label, term.starts_on, term.ends_on)
                self.blocks["term"].append(term_block)
                for half in term.half_terms:
                    half_block = Block("half_term", f"{year}-{term.name}-{half.number}", half.label, half.starts_on, half.ends_on)
                    self.blocks["half_term"].append(half_block)
                    for day in calendar.teaching_days(half.starts_on, half.ends_on):
                        self.days.append(day.toordinal())
                        day_block["half_term"].append(len(self.blocks["half_term"]) - 1)
                        day_block["term"].append(len(self.blocks["term"]) - 1)
                        day_block["year"].append(len(self.blocks["year"]) - 1)
        self.day_block = day_block

        # Teaching days in each Monday-Friday week, and teaching weeks in each block.
        week_of = [d - dt.date.fromordinal(d).weekday() for d in self.days]
        days_in_week: dict[int, int] = {}
        for monday in week_of:
            days_in_week[monday] = days_in_week.get(monday, 0) + 1
        weeks_in_block: dict[str, dict[int, set[int]]] = {kind: {} for kind in BLOCK_PERIODS}
        for i, monday in enumerate(week_of):
            for kind in BLOCK_PERIODS:
                weeks_in_block[kind].setdefault(day_block[kind][i], set()).add(monday)

        self.cumulative: dict[str, list[float]] = {}
        week_weights = [1.0 / days_in_week[monday] for monday in week_of]
        self.cumulative["week"] = _prefix(week_weights)
        for kind in BLOCK_PERIODS:
            counts = {b: len(weeks) for b, weeks in weeks_in_block[kind].items()}
            weights = [w / counts[day_block[kind][i]] for i, w in enumerate(week_weights)]
            self.cumulative[kind] = _prefix(weights)

    # -- lookups -------------------------------------------------------------------------

    def _span(self, start: dt.date, end: dt.date) -> tuple[int, int]:
        """Indexes [i, j) of the teaching days from start to end inclusive."""
        i = bisect.bisect_left(self.days, start.toordinal())
        j = bisect.bisect_right(self.days, end.toordinal())
        return i, j

    def due_weight(self, period: str, start: dt.date, end: dt.date) -> float:
        """Sessions falling due from start to end for one session per `period`."""
        if start > end:
            return 0.0
        i, j = self._span(start, end)
        if j <= i:
            return 0.0
        if period in WEEKLY_FACTOR:
            cum = self.cumulative["week"]
            return (cum[j] - cum[i]) * WEEKLY_FACTOR[period]
        cum = self.cumulative[period]
        return cum[j] - cum[i]

    def teaching_days_between(self, start: dt.date, end: dt.date) -> int:
        i, j = self._span(start, end)
        return max(0, j - i)

    def is_teaching_day(self, day: dt.date) -> bool:
        i = bisect.bisect_left(self.days, day.toordinal())
        return i < len(self.days) and self.days[i] == day.toordinal()

    def accounting_blocks(self, period: str, start: dt.date, end: dt.date) -> list[Block]:
        """The blocks an item's debt is settled in: its own period, or half-terms for
        weekly, fortnightly and monthly provision (a missed week can be made up within the
        half-term)."""
        kind = period if period in BLOCK_PERIODS else "half_term"
        return [b for b in self.blocks[kind] if b.ends_on >= start and b.starts_on <= end]

    def block_containing(self, kind: str, day: dt.date) -> Block | None:
        for block in self.blocks[kind]:
            if block.starts_on <= day <= block.ends_on:
                return block
        return None


def _prefix(weights: list[float]) -> list[float]:
    total = 0.0
    out = [0.0]
    for weight in weights:
        total += weight
        out.append(total)
    return out
