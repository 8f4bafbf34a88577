"""Plans held on the SEN2 census day and annual review meetings within 12 months, counted by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fulfil.plans.sen2 import PlanRecord, ReviewMeetingRecord, census_day, sen2_caseload

D = dt.date


def test_the_census_day_is_the_third_thursday_of_january():
    # January 2025 starts on a Wednesday: Thursdays 2, 9, 16. January 2026 on a Thursday: 1, 8, 15.
    assert census_day(2025) == D(2025, 1, 16)
    assert census_day(2026) == D(2026, 1, 15)
    assert census_day(2024) == D(2024, 1, 18)


def test_plans_held_for_a_year_are_those_in_place_on_the_following_januarys_census_day():
    # The return for 2025 counts the caseload on 15 January 2026.
    plans = [
        PlanRecord(D(2020, 9, 1)),                      # held
        PlanRecord(D(2025, 12, 31)),                    # held: issued before the census day
        PlanRecord(D(2026, 1, 15)),                     # held: issued on the census day
        PlanRecord(D(2026, 1, 16)),                     # not held: the day after
        PlanRecord(D(2021, 1, 4), ceased_on=D(2026, 1, 15)),  # not held: ceased on the census day
        PlanRecord(D(2021, 1, 4), ceased_on=D(2026, 1, 16)),  # held: ceased the day after
        PlanRecord(D(2021, 1, 4), ceased_on=D(2025, 12, 31)),  # not held
    ]
    caseload = sen2_caseload(plans, [], 2025, as_of=D(2026, 6, 30))
    assert caseload.census_day == D(2026, 1, 15)
    assert caseload.plans_held == 4


def test_plans_held_wait_for_the_census_day():
    plans = [PlanRecord(D(2020, 9, 1))]
    assert sen2_caseload(plans, [], 2025, as_of=D(2026, 1, 14)).plans_held is None
    assert sen2_caseload(plans, [], 2025, as_of=D(2026, 1, 15)).plans_held == 1


def test_review_meetings_count_in_the_year_of_the_meeting_and_on_time_within_12_months():
    meetings = [
        # 12 months starting with 1 March 2024 end on 28 February 2025: on time on the last day.
        ReviewMeetingRecord(D(2024, 3, 1), D(2025, 2, 28), "on the last day"),
        ReviewMeetingRecord(D(2024, 3, 1), D(2025, 3, 1), "a day late"),
        ReviewMeetingRecord(D(2025, 1, 10), D(2025, 12, 31), "31 December: counts in 2025"),
        ReviewMeetingRecord(D(2025, 1, 10), D(2026, 1, 1), "1 January: counts in 2026"),
    ]
    in_2025 = sen2_caseload([], meetings, 2025, as_of=D(2026, 6, 30))
    assert (in_2025.annual_review_meetings, in_2025.annual_reviews_within_12_months) == (3, 2)
    assert in_2025.pct_reviews_within_12_months == Decimal("66.7")
    in_2026 = sen2_caseload([], meetings, 2026, as_of=D(2026, 6, 30))
    assert (in_2026.annual_review_meetings, in_2026.pct_reviews_within_12_months) == (1, Decimal("100.0"))
    assert sen2_caseload([], meetings, 2023, as_of=D(2026, 6, 30)).pct_reviews_within_12_months is None


def test_a_meeting_after_the_day_asked_about_is_not_counted():
    meetings = [ReviewMeetingRecord(D(2024, 3, 1), D(2025, 2, 28))]
    assert sen2_caseload([], meetings, 2025, as_of=D(2025, 2, 27)).annual_review_meetings == 0


def test_a_meeting_before_its_period_started_is_refused():
    with pytest.raises(ValueError, match="before the plan was issued or last reviewed"):
        ReviewMeetingRecord(D(2025, 3, 1), D(2025, 2, 1))
