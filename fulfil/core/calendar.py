"""The academic calendar: when provision can be due and delivered.

Statutory and published sources:
- Academic year 1 September to 31 August: Education Act 1996 s.579(1) ("school year").
- Term and holiday dates for community and voluntary controlled schools are set by the local
  authority (Education Act 2002 s.32), so they are data per local area (`TermDates`), not code.
  Academies may differ; a setting-level override can be added when a council needs it.
- A maintained school meets for 380 sessions (190 days) a year, with up to 5 further days for
  staff training (INSET): Education (School Day and School Year) (England) Regulations 1999
  reg 3 and 4. `ClosureDay` holds INSET days.
- Bank holidays of England and Wales (Banking and Financial Dealings Act 1971, Schedule 1, and
  proclamations) come from the maintained `holidays` package, not hand-typed dates.

This module has no Django imports: the ledger, the planner and the demo generator use it on
plain data. `fulfil.core.selectors.calendar_for_area` builds one from a local area's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from dateutil.easter import easter

TERM_ORDER = ("autumn", "spring", "summer")


@dataclass(frozen=True)
class Term:
    academic_year: int
    name: str  # autumn / spring / summer
    starts_on: dt.date
    ends_on: dt.date
    half_term_starts_on: dt.date
    half_term_ends_on: dt.date

    @property
    def label(self) -> str:
        return f"{self.name.capitalize()} {academic_year_label(self.academic_year)}"

    @property
    def half_terms(self) -> tuple[HalfTerm, HalfTerm]:
        first = HalfTerm(self, 1, self.starts_on, self.half_term_starts_on - dt.timedelta(days=1))
        second = HalfTerm(self, 2, self.half_term_ends_on + dt.timedelta(days=1), self.ends_on)
        return first, second


@dataclass(frozen=True)
class HalfTerm:
    term: Term
    number: int  # 1 or 2
    starts_on: dt.date
    ends_on: dt.date

    @property
    def label(self) -> str:
        return f"{self.term.label}, half-term {self.number}"


def academic_year_of(day: dt.date) -> int:
    """The year in which the academic year containing `day` starts (1 Sept - 31 Aug)."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def academic_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """Bank holidays in England and Wales in a calendar year."""
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year).keys())


def _weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def default_terms(year: int) -> list[Term]:
    """A typical London borough pattern, used when a council has not entered its own dates.

    Based on the pattern London boroughs publish: autumn from 3 September to the last Friday
    before 23 December, half-term the last week of October; spring from the first Monday of
    January to the day before Good Friday or 4 April if sooner, half-term the week of the third
    Monday of February; summer after two weeks' Easter holiday to 22 July, half-term the week
    of the late-May bank holiday. Councils replace these with their
    published dates in the admin.
    """
    # Autumn: 3 September, or the Monday after if that is a weekend (INSET days come first).
    autumn_start = dt.date(year, 9, 3)
    if autumn_start.weekday() >= 5:
        autumn_start = _weekday_on_or_after(autumn_start, 0)
    # The last Friday on or before 22 December.
    autumn_end = dt.date(year, 12, 22) - dt.timedelta(days=(dt.date(year, 12, 22).weekday() - 4) % 7)
    october_half = _monday_of(dt.date(year, 10, 31)) if dt.date(year, 10, 31).weekday() < 4 else _monday_of(dt.date(year, 10, 28))
    autumn = Term(year, "autumn", autumn_start, autumn_end, october_half, october_half + dt.timedelta(days=4))

    spring_start = _weekday_on_or_after(dt.date(year + 1, 1, 2), 0)
    easter_sunday = easter(year + 1)
    easter_monday = easter_sunday + dt.timedelta(days=1)
    # Spring ends the day before Good Friday or on the Friday on or before 4 April if sooner.
    before_good_friday = easter_sunday - dt.timedelta(days=3)
    april_4 = dt.date(year + 1, 4, 4)
    friday_by_april_4 = april_4 - dt.timedelta(days=(april_4.weekday() - 4) % 7)
    spring_end = min(before_good_friday, friday_by_april_4)
    feb_half = _weekday_on_or_after(dt.date(year + 1, 2, 15), 0)  # third Monday of February
    spring = Term(year, "spring", spring_start, spring_end, feb_half, feb_half + dt.timedelta(days=4))

    # Two weeks' Easter holiday, never starting summer term before Easter Monday.
    summer_start = max(_weekday_on_or_after(spring_end, 0) + dt.timedelta(days=14), easter_monday)
    may_bank = max(d for d in bank_holidays(year + 1) if d.month == 5)
    summer_end = dt.date(year + 1, 7, 22)
    while summer_end.weekday() >= 5:
        summer_end -= dt.timedelta(days=1)
    summer = Term(year, "summer", summer_start, summer_end, may_bank, may_bank + dt.timedelta(days=4))
    return [autumn, spring, summer]


def default_inset_days(year: int) -> list[dt.date]:
    """Five INSET days (the most reg 3 allows): the two days before autumn starts, the first
    day of spring, the Monday after May half-term, and the last day of summer term."""
    autumn, spring, summer = default_terms(year)
    days = [autumn.starts_on - dt.timedelta(days=2), autumn.starts_on - dt.timedelta(days=1),
            spring.starts_on, summer.half_term_ends_on + dt.timedelta(days=3), summer.ends_on]
    return [d for d in days if d.weekday() < 5]


@dataclass
class AcademicCalendar:
    """Terms and closures for one local area. Missing years fall back to `default_terms`."""

    terms: list[Term] = field(default_factory=list)
    closures: set[dt.date] = field(default_factory=set)
    use_default_for_missing_years: bool = True

    def __post_init__(self) -> None:
        self._years: dict[int, list[Term]] = {}
        for term in self.terms:
            self._years.setdefault(term.academic_year, []).append(term)
        for year_terms in self._years.values():
            year_terms.sort(key=lambda t: t.starts_on)
        self._defaulted: set[int] = set()

    def terms_of_year(self, year: int) -> list[Term]:
        if year not in self._years and self.use_default_for_missing_years:
            self._years[year] = default_terms(year)
            self.closures.update(default_inset_days(year))
            self._defaulted.add(year)
        return self._years.get(year, [])

    def is_default_year(self, year: int) -> bool:
        self.terms_of_year(year)
        return year in self._defaulted

    def term_containing(self, day: dt.date) -> Term | None:
        """The term whose dates (including its half-term break) contain `day`."""
        for term in self.terms_of_year(academic_year_of(day)):
            if term.starts_on <= day <= term.ends_on:
                return term
        return None

    def is_teaching_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return False
        term = self.term_containing(day)
        if term is None or term.half_term_starts_on <= day <= term.half_term_ends_on:
            return False
        return day not in self.closures and day not in bank_holidays(day.year)

    def teaching_days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Teaching days from `start` to `end` inclusive."""
        day = start
        one = dt.timedelta(days=1)
        while day <= end:
            if self.is_teaching_day(day):
                yield day
            day += one

    def count_teaching_days(self, start: dt.date, end: dt.date) -> int:
        return sum(1 for _ in self.teaching_days(start, end))

    def teaching_weeks(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Mondays of the weeks from `start` to `end` that contain at least one teaching day.

        Weekly provision is due in every such week: a week broken by a bank holiday or INSET
        day is still a week in which the child is in school.
        """
        weeks: list[dt.date] = []
        for day in self.teaching_days(start, end):
            monday = _monday_of(day)
            if not weeks or weeks[-1] != monday:
                weeks.append(monday)
        return weeks

    def half_term_containing(self, day: dt.date) -> HalfTerm | None:
        """The half-term (teaching block) containing `day`; during a break, the next one."""
        year = academic_year_of(day)
        for candidate_year in (year, year + 1):
            for term in self.terms_of_year(candidate_year):
                for half in term.half_terms:
                    if day <= half.ends_on:
                        return half
        return None

    def current_half_term(self, today: dt.date) -> HalfTerm | None:
        return self.half_term_containing(today)

    def terms_between(self, start: dt.date, end: dt.date) -> list[Term]:
        found: list[Term] = []
        for year in range(academic_year_of(start), academic_year_of(end) + 1):
            found.extend(t for t in self.terms_of_year(year) if t.ends_on >= start and t.starts_on <= end)
        return found


def daterange_weeks(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    monday = _monday_of(start)
    while monday <= end:
        yield monday
        monday += dt.timedelta(days=7)
