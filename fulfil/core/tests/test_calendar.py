import datetime as dt

import pytest

from fulfil.core.calendar import (
    AcademicCalendar,
    Term,
    academic_year_of,
    bank_holidays,
    default_inset_days,
    default_terms,
)
from fulfil.core.models import ClosureDay, TermDates
from fulfil.core.selectors import calendar_for_area

D = dt.date


def test_academic_year_runs_from_september_to_august():
    assert academic_year_of(D(2025, 9, 1)) == 2025
    assert academic_year_of(D(2026, 8, 31)) == 2025
    assert academic_year_of(D(2026, 1, 15)) == 2025


def test_bank_holidays_come_from_the_maintained_package():
    # Early May bank holiday 2025 was Monday 5 May; the late-May one Monday 26 May.
    assert D(2025, 5, 5) in bank_holidays(2025)
    assert D(2025, 5, 26) in bank_holidays(2025)
    assert D(2025, 5, 6) not in bank_holidays(2025)


def test_weekends_half_terms_bank_holidays_and_inset_days_are_not_teaching_days():
    calendar = AcademicCalendar()
    autumn, spring, summer = calendar.terms_of_year(2025)
    assert calendar.is_teaching_day(D(2025, 10, 8))  # a Wednesday in term
    assert not calendar.is_teaching_day(D(2025, 10, 11))  # Saturday
    assert not calendar.is_teaching_day(autumn.half_term_starts_on)
    assert not calendar.is_teaching_day(D(2025, 12, 25))  # holidays
    assert not calendar.is_teaching_day(D(2026, 5, 4))  # early May bank holiday, in summer term
    inset = default_inset_days(2025)[0]
    assert inset.weekday() < 5 and not calendar.is_teaching_day(inset)


def test_a_default_year_has_about_190_teaching_days_and_39_to_40_weeks():
    # Maintained schools meet on 190 days (School Day and School Year Regulations 1999 reg 3).
    calendar = AcademicCalendar()
    for year in (2024, 2025, 2026, 2027):
        days = calendar.count_teaching_days(D(year, 9, 1), D(year + 1, 8, 31))
        weeks = calendar.teaching_weeks(D(year, 9, 1), D(year + 1, 8, 31))
        assert 186 <= days <= 192, (year, days)
        assert 38 <= len(weeks) <= 41
        assert all(monday.weekday() == 0 for monday in weeks)


def test_default_terms_are_in_order_with_half_terms_inside():
    for year in range(2020, 2035):
        terms = default_terms(year)
        assert [t.name for t in terms] == ["autumn", "spring", "summer"]
        for term in terms:
            assert term.starts_on < term.half_term_starts_on <= term.half_term_ends_on < term.ends_on
        assert terms[0].ends_on < terms[1].starts_on < terms[1].ends_on < terms[2].starts_on
        # Good Friday and Easter Monday are never teaching days.
        from dateutil.easter import easter

        calendar = AcademicCalendar()
        assert not calendar.is_teaching_day(easter(year + 1) - dt.timedelta(days=2))
        assert not calendar.is_teaching_day(easter(year + 1) + dt.timedelta(days=1))


def test_current_half_term_during_term_and_during_a_break():
    calendar = AcademicCalendar()
    autumn = calendar.terms_of_year(2026)[0]
    assert calendar.current_half_term(D(2026, 11, 25)).label == "Autumn 2026/27, half-term 2"
    assert calendar.current_half_term(D(2026, 9, 15)).number == 1
    # In the October break, the current half-term is the one about to start.
    in_break = calendar.current_half_term(autumn.half_term_starts_on)
    assert in_break.number == 2 and in_break.starts_on > autumn.half_term_ends_on
    # In the Christmas holiday, it is the first half of spring.
    assert calendar.current_half_term(D(2026, 12, 28)).term.name == "spring"


def test_teaching_weeks_include_weeks_broken_by_a_bank_holiday():
    calendar = AcademicCalendar()
    weeks = calendar.teaching_weeks(D(2026, 4, 27), D(2026, 5, 8))
    assert weeks == [D(2026, 4, 27), D(2026, 5, 4)]
    assert calendar.count_teaching_days(D(2026, 5, 4), D(2026, 5, 8)) == 4


@pytest.mark.django_db
def test_an_areas_published_dates_replace_the_default(area):
    TermDates.objects.create(
        local_area=area, academic_year=2026, term="autumn", starts_on=D(2026, 9, 2), ends_on=D(2026, 12, 16),
        half_term_starts_on=D(2026, 10, 19), half_term_ends_on=D(2026, 10, 30),
    )
    ClosureDay.objects.create(local_area=area, date=D(2026, 11, 20), description="INSET day")
    calendar = calendar_for_area(area)
    assert calendar.is_teaching_day(D(2026, 9, 2))
    assert not calendar.is_teaching_day(D(2026, 10, 21))  # two-week October break
    assert not calendar.is_teaching_day(D(2026, 11, 20))
    assert not calendar.is_teaching_day(D(2026, 12, 17))  # after this area's term ends
    assert not calendar.is_default_year(2026)
    assert calendar.is_default_year(2027)


def test_a_term_outside_the_calendar_is_not_teaching_time():
    calendar = AcademicCalendar(
        terms=[Term(2030, "autumn", D(2030, 9, 4), D(2030, 12, 20), D(2030, 10, 28), D(2030, 11, 1))],
        use_default_for_missing_years=False,
    )
    assert calendar.is_teaching_day(D(2030, 9, 4))
    assert not calendar.is_teaching_day(D(2031, 1, 8))
