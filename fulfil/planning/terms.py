"""Terms named the way managers say them: "2027-spring" is the spring term that starts in
January 2027 (academic year 2026/27). Dates come from the area's calendar (`TermDates`, or the
London default where a council has not entered its own)."""

from __future__ import annotations

import datetime as dt
import re

from fulfil.core.calendar import AcademicCalendar, Term

SEASONS = ("autumn", "spring", "summer")


def term_named(name: str, calendar: AcademicCalendar) -> Term:
    """The term called `name`; ValueError with a message saying what to type otherwise."""
    match = re.fullmatch(r"\s*(\d{4})-(autumn|spring|summer)\s*", name.lower())
    if not match:
        raise ValueError(f"'{name}' is not a term: write the calendar year and season, for example 2027-spring or 2026-autumn")
    year, season = int(match[1]), match[2]
    academic_year = year if season == "autumn" else year - 1
    for term in calendar.terms_of_year(academic_year):
        if term.name == season:
            return term
    raise ValueError(f"No {season} term in the calendar for {year}")


def term_name(term: Term) -> str:
    return f"{term.starts_on.year}-{term.name}"


def term_weeks(term: Term, calendar: AcademicCalendar) -> list[tuple[dt.date, tuple[int, ...]]]:
    """Each teaching week's Monday and the weekdays schools are open in it (holidays, bank
    holidays and closure days taken out); weeks with no teaching day are left out."""
    weeks = []
    monday = term.starts_on - dt.timedelta(days=term.starts_on.weekday())
    while monday <= term.ends_on:
        open_days = tuple(d for d in range(5) if term.starts_on <= monday + dt.timedelta(days=d) <= term.ends_on
                          and calendar.is_teaching_day(monday + dt.timedelta(days=d)))
        if open_days:
            weeks.append((monday, open_days))
        monday += dt.timedelta(weeks=1)
    return weeks


def current_and_next_terms(calendar: AcademicCalendar, today: dt.date, count: int = 3) -> list[Term]:
    """The term today is in (or the next one in a holiday) and the ones after it."""
    terms: list[Term] = []
    year = today.year - 1
    while len(terms) < count and year < today.year + 3:
        terms += [t for t in calendar.terms_of_year(year) if t.ends_on >= today]
        year += 1
    return terms[:count]
