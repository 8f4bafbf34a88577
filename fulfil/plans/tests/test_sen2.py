"""SEN2-style figures for small cohorts counted by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fulfil.plans.sen2 import AnnualReviewRecord, RequestOutcome, RequestRecord, percentage, sen2_figures

D = dt.date
ASSESS, NOT_ASSESS, WITHDRAWN = RequestOutcome.ASSESS, RequestOutcome.NOT_ASSESS, RequestOutcome.WITHDRAWN

# Each line: received; decision due (6 weeks); plan due (20 weeks) worked out on a calendar.
REQUESTS = [
    # 8 Jan 2024: decision due 19 Feb, plan due 27 May. Both on the day: on time.
    RequestRecord(D(2024, 1, 8), D(2024, 2, 19), ASSESS, plan_issued_on=D(2024, 5, 27), reference="A"),
    # 15 Jan 2024: decision due 26 Feb (late), plan due 3 Jun (late) under an exception (family abroad).
    RequestRecord(D(2024, 1, 15), D(2024, 3, 1), ASSESS, plan_issued_on=D(2024, 7, 15), exception_to_20_weeks=True, reference="B"),
    # 1 Feb 2024: decision due 14 Mar; refused assessment on 7 Mar.
    RequestRecord(D(2024, 2, 1), D(2024, 3, 7), NOT_ASSESS, reference="C"),
    # 2 Apr 2024: withdrawn on 20 April, before a decision.
    RequestRecord(D(2024, 4, 2), D(2024, 4, 20), WITHDRAWN, reference="D"),
    # 18 Dec 2023: counts in 2023's requests; plan due 6 May 2024, issued 10 May (late, no exception).
    RequestRecord(D(2023, 12, 18), D(2024, 1, 22), ASSESS, plan_issued_on=D(2024, 5, 10), reference="E"),
    # 16 Dec 2024: decision due 27 Jan 2025, made 20 Jan 2025 - counts in 2024. Plan due 5 May 2025, not issued.
    RequestRecord(D(2024, 12, 16), D(2025, 1, 20), ASSESS, reference="F"),
    # 1 Mar 2024: decision due 12 Apr, made 5 Apr; decided not to issue a plan on 1 July.
    RequestRecord(D(2024, 3, 1), D(2024, 4, 5), ASSESS, decision_not_to_issue_on=D(2024, 7, 1), reference="G"),
]
REVIEWS = [
    AnnualReviewRecord(D(2024, 3, 1), D(2024, 3, 29), reference="on the 4-week day"),
    AnnualReviewRecord(D(2024, 6, 10), D(2024, 7, 15), reference="due 8 July: late"),
    AnnualReviewRecord(D(2024, 12, 2), None, reference="due 30 December, still undecided"),
    AnnualReviewRecord(D(2023, 11, 20), D(2023, 12, 1), reference="another year"),
]


def test_a_hand_counted_year_of_requests_and_plans():
    figures = sen2_figures(REQUESTS, REVIEWS, 2024, as_of=D(2025, 6, 30))
    assert figures.requests == 6  # A, B, C, D, F, G (E came in 2023)
    assert (figures.decisions_made, figures.decisions_to_assess, figures.decisions_not_to_assess) == (5, 4, 1)
    assert figures.decided_within_6_weeks == 4  # all but B
    assert figures.pct_decided_within_6_weeks == Decimal("80.0")
    assert figures.pct_not_assessed == Decimal("20.0")
    # Plans issued in 2024: A (on time), B (late, exception), E (late, a 2023 request).
    assert (figures.plans_issued, figures.plans_issued_within_20_weeks) == (3, 1)
    assert figures.pct_issued_within_20_weeks == Decimal("33.3")
    assert (figures.plans_issued_excluding_exceptions, figures.plans_issued_within_20_weeks_excluding_exceptions) == (2, 1)
    assert figures.pct_issued_within_20_weeks_excluding_exceptions == Decimal("50.0")
    assert (figures.assessments, figures.decisions_not_to_issue, figures.pct_not_issued) == (4, 1, Decimal("25.0"))
    assert figures.assessments_open_past_20_weeks == 1  # F
    # Reviews with 2024 meetings: one on time, one late, one undecided past its 4 weeks.
    assert (figures.annual_reviews, figures.annual_reviews_decided_within_4_weeks, figures.annual_reviews_awaiting_decision) == (3, 1, 0)
    assert figures.annual_review_pct_decision_within_4_weeks == Decimal("33.3")


def test_a_request_received_in_december_and_decided_in_january_counts_in_the_year_received():
    december = [RequestRecord(D(2024, 12, 16), D(2025, 1, 20), NOT_ASSESS)]
    in_2024 = sen2_figures(december, [], 2024, as_of=D(2025, 6, 30))
    in_2025 = sen2_figures(december, [], 2025, as_of=D(2025, 6, 30))
    assert (in_2024.requests, in_2024.decisions_made, in_2024.pct_decided_within_6_weeks) == (1, 1, Decimal("100.0"))
    assert (in_2025.requests, in_2025.decisions_made, in_2025.pct_decided_within_6_weeks) == (0, 0, None)


def test_a_plan_counts_in_the_year_it_was_issued():
    late_2023_request = [RequestRecord(D(2023, 11, 1), D(2023, 12, 8), ASSESS, plan_issued_on=D(2024, 3, 1))]
    assert sen2_figures(late_2023_request, [], 2023, as_of=D(2024, 12, 31)).plans_issued == 0
    assert sen2_figures(late_2023_request, [], 2024, as_of=D(2024, 12, 31)).plans_issued == 1


def test_an_empty_year_gives_none_for_every_percentage():
    figures = sen2_figures([], [], 2024, as_of=D(2025, 1, 31))
    assert figures.requests == figures.plans_issued == figures.annual_reviews == 0
    for name in ("pct_decided_within_6_weeks", "pct_not_assessed", "pct_not_issued", "pct_issued_within_20_weeks",
                 "pct_issued_within_20_weeks_excluding_exceptions", "annual_review_pct_decision_within_4_weeks"):
        assert getattr(figures, name) is None, name


def test_only_withdrawn_requests_leave_the_decision_figures_empty():
    withdrawn = [RequestRecord(D(2024, 5, 1), D(2024, 5, 10), WITHDRAWN)]
    figures = sen2_figures(withdrawn, [], 2024, as_of=D(2024, 12, 31))
    assert figures.requests == 1 and figures.decisions_made == 0
    assert figures.pct_decided_within_6_weeks is None and figures.pct_not_assessed is None


def test_every_plan_under_an_exception_leaves_only_the_including_figure():
    excused = [RequestRecord(D(2024, 1, 8), D(2024, 2, 1), ASSESS, plan_issued_on=D(2024, 7, 1), exception_to_20_weeks=True)]
    figures = sen2_figures(excused, [], 2024, as_of=D(2024, 12, 31))
    assert figures.pct_issued_within_20_weeks == Decimal("0.0")
    assert figures.plans_issued_excluding_exceptions == 0 and figures.pct_issued_within_20_weeks_excluding_exceptions is None


def test_a_request_still_undecided_after_6_weeks_counts_as_not_decided_in_time():
    requests = [
        RequestRecord(D(2024, 9, 2), D(2024, 10, 1), ASSESS),  # on time
        RequestRecord(D(2024, 9, 2)),  # due 14 October, still undecided
    ]
    on_10_october = sen2_figures(requests, [], 2024, as_of=D(2024, 10, 10))
    assert on_10_october.undecided_past_6_weeks == 0 and on_10_october.pct_decided_within_6_weeks == Decimal("100.0")
    on_15_october = sen2_figures(requests, [], 2024, as_of=D(2024, 10, 15))
    assert on_15_october.undecided_past_6_weeks == 1 and on_15_october.pct_decided_within_6_weeks == Decimal("50.0")


def test_a_review_inside_its_4_weeks_waits_and_one_past_them_counts_as_late():
    review = [AnnualReviewRecord(D(2024, 12, 2))]  # decision due 30 December
    waiting = sen2_figures([], review, 2024, as_of=D(2024, 12, 20))
    assert waiting.annual_reviews_awaiting_decision == 1 and waiting.annual_review_pct_decision_within_4_weeks is None
    late = sen2_figures([], review, 2024, as_of=D(2024, 12, 31))
    assert late.annual_reviews_awaiting_decision == 0 and late.annual_review_pct_decision_within_4_weeks == Decimal("0.0")


def test_figures_for_a_past_day_ignore_what_happened_after_it():
    requests = [RequestRecord(D(2024, 1, 8), D(2024, 2, 1), ASSESS, plan_issued_on=D(2024, 5, 1))]
    before_the_plan = sen2_figures(requests, [], 2024, as_of=D(2024, 4, 30))
    assert before_the_plan.plans_issued == 0 and before_the_plan.decisions_made == 1


def test_percentages_are_to_one_place_rounded_half_up():
    assert percentage(2, 3) == Decimal("66.7")
    assert percentage(1, 16) == Decimal("6.3")  # 6.25
    assert percentage(0, 5) == Decimal("0.0")
    assert percentage(3, 0) is None


def test_contradictory_records_are_refused():
    with pytest.raises(ValueError, match="both its date and its outcome"):
        RequestRecord(D(2024, 1, 8), decision=ASSESS)
    with pytest.raises(ValueError, match="follows only a decision to assess"):
        RequestRecord(D(2024, 1, 8), D(2024, 2, 1), NOT_ASSESS, plan_issued_on=D(2024, 5, 1))
    with pytest.raises(ValueError, match="not both"):
        RequestRecord(D(2024, 1, 8), D(2024, 2, 1), ASSESS, plan_issued_on=D(2024, 5, 1), decision_not_to_issue_on=D(2024, 4, 1))
    with pytest.raises(ValueError, match="before the request"):
        RequestRecord(D(2024, 1, 8), D(2024, 1, 1), ASSESS)
    with pytest.raises(ValueError, match="before the review meeting"):
        AnnualReviewRecord(D(2024, 3, 1), D(2024, 2, 1))
