"""Reads shared by every domain: the calendar of a local area."""

from __future__ import annotations

from fulfil.core.calendar import AcademicCalendar, Term
from fulfil.core.models import ClosureDay, LocalArea, TermDates


def calendar_for_area(local_area: LocalArea) -> AcademicCalendar:
    """The area's published term dates and closures; years it has not entered use the default
    London pattern (see `fulfil.core.calendar.default_terms`)."""
    terms = [
        Term(
            academic_year=row.academic_year,
            name=row.term,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            half_term_starts_on=row.half_term_starts_on,
            half_term_ends_on=row.half_term_ends_on,
        )
        for row in TermDates.objects.filter(local_area=local_area)
    ]
    closures = set(ClosureDay.objects.filter(local_area=local_area).values_list("date", flat=True))
    return AcademicCalendar(terms=terms, closures=closures)
