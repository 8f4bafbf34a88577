"""Demand against capacity for one term, in therapist hours, with what-if scenarios.

Pure: callers (`fulfil.planning.selectors`) pass plain rows read from the database, so the
arithmetic can be checked by hand in tests.

- Demand: statutory provision due in the term and owed from earlier terms (both from the ledger),
  indirect work as a share of direct time, report writing for advice and annual reviews, and
  travel (one visit a week to each setting with children due).
- Capacity: each therapist's contracted hours on the term's teaching days, less absences, the
  service's non-clinical share, training, and the share of clinical time committed to children
  without plans (a service's caseload is much wider than its EHC plans); independent providers' hours shown apart as
  commissioned; vacancies shown as hours that are not there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from fulfil.core.disciplines import DISCIPLINE_LABELS


@dataclass(frozen=True)
class Overheads:
    non_clinical_fraction: float = 0.25
    other_work_fraction: float = 0.30
    indirect_fraction: float = 0.15
    training_hours_per_term: float = 7.5
    report_hours_per_advice: float = 6.0
    report_hours_per_review: float = 1.5
    travel_minutes_per_visit: int = 20


@dataclass(frozen=True)
class StaffMember:
    id: int
    name: str
    discipline: str
    hours_per_week: float
    independent: bool = False
    absences: tuple[tuple[dt.date, dt.date], ...] = ()


@dataclass(frozen=True)
class VacantPost:
    id: int
    discipline: str
    hours_per_week: float
    open_from: dt.date
    filled_on: dt.date | None = None


@dataclass(frozen=True)
class DemandRow:
    """Hours one discipline needs in one setting cluster this term."""

    discipline: str
    cluster: str
    due_hours: float = 0.0
    owed_hours: float = 0.0
    indirect_hours: float = 0.0
    report_hours: float = 0.0
    travel_hours: float = 0.0
    children: int = 0

    @property
    def label(self) -> str:
        return DISCIPLINE_LABELS.get(self.discipline, self.discipline)

    @property
    def total(self) -> float:
        return self.due_hours + self.owed_hours + self.indirect_hours + self.report_hours + self.travel_hours


@dataclass(frozen=True)
class Scenario:
    """A what-if: a vacancy filled from a date, a therapist's leave, hours bought."""

    label: str = "As things stand"
    fill_vacancy: tuple[int, dt.date] | None = None
    leave: tuple[int, dt.date, dt.date] | None = None
    bought_hours: float = 0.0


@dataclass
class DisciplineCapacity:
    discipline: str
    contracted_hours: float = 0.0
    absence_hours: float = 0.0
    non_clinical_hours: float = 0.0
    training_hours: float = 0.0
    other_work_hours: float = 0.0  # clinical time committed to children without plans
    commissioned_hours: float = 0.0
    vacancy_hours: float = 0.0  # hours vacant posts would have given: capacity that is not there
    bought_hours: float = 0.0
    staff: int = 0

    @property
    def in_house_clinical(self) -> float:
        """Clinical hours left for statutory provision."""
        return max(0.0, self.contracted_hours - self.absence_hours - self.non_clinical_hours - self.training_hours - self.other_work_hours)

    @property
    def available(self) -> float:
        return self.in_house_clinical + self.commissioned_hours + self.bought_hours


@dataclass
class TermGap:
    """One discipline's demand, capacity and gap under one scenario."""

    discipline: str
    scenario: str
    demand: float
    capacity: DisciplineCapacity
    demand_rows: list[DemandRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return DISCIPLINE_LABELS.get(self.discipline, self.discipline)

    @property
    def owed_hours(self) -> float:
        """Therapist hours of the sessions owed from before the term (part of `demand`)."""
        return sum(row.owed_hours for row in self.demand_rows)

    @property
    def gap(self) -> float:
        """Hours short (positive) or spare (negative)."""
        return self.demand - self.capacity.available

    @property
    def pct_covered(self) -> float | None:
        return None if self.demand <= 0 else min(100.0, 100.0 * self.capacity.available / self.demand)


def _days_in(days: list[dt.date], start: dt.date, end: dt.date) -> int:
    return sum(1 for d in days if start <= d <= end)


def discipline_capacity(discipline: str, staff: list[StaffMember], vacancies: list[VacantPost], teaching_days: list[dt.date],
                        overheads: Overheads, scenario: Scenario = Scenario()) -> DisciplineCapacity:
    """Capacity in hours for the term's teaching days. A therapist's day is a fifth of their
    weekly hours; an absence removes the teaching days it covers."""
    result = DisciplineCapacity(discipline)
    first, last = (teaching_days[0], teaching_days[-1]) if teaching_days else (dt.date.min, dt.date.min)
    for member in staff:
        if member.discipline != discipline:
            continue
        daily = member.hours_per_week / 5
        absences = list(member.absences)
        if scenario.leave and scenario.leave[0] == member.id:
            absences.append((scenario.leave[1], scenario.leave[2]))
        away = {d for d in teaching_days for start, end in absences if start <= d <= end}
        if member.independent:
            result.commissioned_hours += daily * (len(teaching_days) - len(away))
            continue
        result.staff += 1
        hours = daily * len(teaching_days)
        result.contracted_hours += hours
        result.absence_hours += daily * len(away)
        worked = hours - daily * len(away)
        result.non_clinical_hours += worked * overheads.non_clinical_fraction
        training = min(overheads.training_hours_per_term, worked * (1 - overheads.non_clinical_fraction)) if worked else 0
        result.training_hours += training
        result.other_work_hours += (worked * (1 - overheads.non_clinical_fraction) - training) * overheads.other_work_fraction
    for post in vacancies:
        if post.discipline != discipline:
            continue
        filled = post.filled_on
        if scenario.fill_vacancy and scenario.fill_vacancy[0] == post.id:
            filled = scenario.fill_vacancy[1] if filled is None else min(filled, scenario.fill_vacancy[1])
        daily = post.hours_per_week / 5
        vacant_days = _days_in(teaching_days, max(post.open_from, first), (filled - dt.timedelta(days=1)) if filled else last)
        result.vacancy_hours += daily * vacant_days
        if filled and filled <= last:
            # Filled in the term: the new starter's clinical hours count from their first day.
            worked = daily * _days_in(teaching_days, max(filled, first), last)
            result.contracted_hours += worked
            result.non_clinical_hours += worked * overheads.non_clinical_fraction
            result.other_work_hours += worked * (1 - overheads.non_clinical_fraction) * overheads.other_work_fraction
    result.bought_hours = scenario.bought_hours
    return result


def term_gaps(demand: list[DemandRow], staff: list[StaffMember], vacancies: list[VacantPost], teaching_days: list[dt.date],
              overheads: Overheads, scenarios: list[Scenario], disciplines: tuple[str, ...]) -> list[list[TermGap]]:
    """For each scenario, one `TermGap` per discipline (scenarios side by side)."""
    table = []
    for scenario in scenarios:
        row = []
        for discipline in disciplines:
            rows = [d for d in demand if d.discipline == discipline]
            capacity = discipline_capacity(discipline, staff, vacancies, teaching_days, overheads, scenario)
            row.append(TermGap(discipline, scenario.label, sum(r.total for r in rows), capacity, rows))
        table.append(row)
    return table


def with_overheads(row: DemandRow, overheads: Overheads, *, advice: int, reviews: int, settings: int, weeks: int) -> DemandRow:
    """Add indirect work, report writing and travel to a row of direct demand."""
    direct = row.due_hours + row.owed_hours
    return replace(
        row,
        indirect_hours=direct * overheads.indirect_fraction,
        report_hours=advice * overheads.report_hours_per_advice + reviews * overheads.report_hours_per_review,
        travel_hours=settings * weeks * overheads.travel_minutes_per_visit / 60,
    )
