"""SEN2-style figures for one calendar year, computed from plain records of requests and reviews.

SEN2 is the DfE's annual return of EHC plan activity by calendar year; the published figures
("Education, health and care plans", each June) are what councils are judged on (seed 003: Sutton
2024, 95.8% of decisions whether to assess within 6 weeks, 76.5% of plans within 20 weeks, 82.3% of
annual review decisions within 4 weeks). The field names match `fulfil.comparisons.published.MEASURES`
so Fulfil's own figures can sit beside the published ones.

Which year a record counts in follows the DfE:
- requests and decisions whether to assess: the year the request was *received* (a request received
  in December and decided in January counts in December's year);
- assessments, plans issued and decisions not to issue: the year the plan was issued or the decision
  not to issue was made, whatever year the request came in;
- annual reviews: the year of the review meeting;
- plans held: the caseload on the SEN2 census day. The return for calendar year Y is made the
  following January and counts the plans in place on its census day (the third Thursday of
  January Y+1: 16 January 2025 for 2024), so "plans held" for 2024 is the January 2025 count, as
  the DfE's release and Sutton's committee pack (2,582 for 2024) report it (`sen2_caseload`).

Timescales come from `fulfil.plans.clocks`, so the figures and the case pages can never disagree on
a due date. Percentages are Decimal to one place (half up), as the DfE publishes them, and None where
the denominator is 0. Where Fulfil's definition may differ from the DfE's, the field says so.
No Django imports: a selector turns the council's rows into these records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from fulfil.plans.clocks import (
    RequestOutcome,
    annual_review_due_date,
    decision_to_assess_due_date,
    final_plan_due_date,
    review_decision_due_date,
)

__all__ = ["AnnualReviewRecord", "PlanRecord", "RequestOutcome", "RequestRecord", "ReviewMeetingRecord", "Sen2Caseload", "Sen2Figures",
           "census_day", "percentage", "sen2_caseload", "sen2_figures"]


@dataclass(frozen=True)
class RequestRecord:
    """One request for an EHC needs assessment and what came of it.

    `decision` is the decision whether to assess; for WITHDRAWN (withdrawn before a decision)
    `decided_on` is the day it was withdrawn. `exception_to_6_weeks` / `exception_to_20_weeks`: an
    exception under reg 5(4) / reg 13(3) applied (see `fulfil.plans.clocks.ClockException`).
    """

    received_on: dt.date
    decided_on: dt.date | None = None
    decision: RequestOutcome | None = None
    plan_issued_on: dt.date | None = None
    decision_not_to_issue_on: dt.date | None = None
    exception_to_6_weeks: bool = False
    exception_to_20_weeks: bool = False
    reference: str = ""

    def __post_init__(self) -> None:
        name = self.reference or f"request received {self.received_on:%d %B %Y}"
        if (self.decided_on is None) != (self.decision is None):
            raise ValueError(f"{name}: a decision needs both its date and its outcome")
        if self.plan_issued_on and self.decision_not_to_issue_on:
            raise ValueError(f"{name}: an assessment ends in a plan or a decision not to issue one, not both")
        if (self.plan_issued_on or self.decision_not_to_issue_on) and self.decision != RequestOutcome.ASSESS:
            raise ValueError(f"{name}: a plan, or a decision not to issue one, follows only a decision to assess")
        for later in (self.decided_on, self.plan_issued_on, self.decision_not_to_issue_on):
            if later is not None and later < self.received_on:
                raise ValueError(f"{name}: a date falls before the request was received")


@dataclass(frozen=True)
class AnnualReviewRecord:
    """One review meeting and the date the council notified its decision (keep, amend or cease)."""

    meeting_on: dt.date
    decision_on: dt.date | None = None
    reference: str = ""

    def __post_init__(self) -> None:
        if self.decision_on is not None and self.decision_on < self.meeting_on:
            raise ValueError(f"{self.reference or 'review'}: the decision falls before the review meeting")


@dataclass(frozen=True)
class Sen2Figures:
    """The year's figures. Counts are ints; percentages Decimal (one place) or None (denominator 0)."""

    year: int
    as_of: dt.date
    # Requests received in the year, whatever became of them (withdrawn ones included).
    requests: int
    # Decisions whether to assess made on the year's requests, either way; withdrawn requests are not decisions.
    decisions_made: int
    decisions_to_assess: int  # ... of which to assess
    decisions_not_to_assess: int  # ... of which not to assess
    # Of the year's requests: decided within 6 weeks (reg 5(1)), over decisions made plus requests still
    # undecided past 6 weeks on `as_of` (counted as not within 6 weeks). The DfE divides by decisions
    # made; Fulfil adds the undecided backlog so a backlog cannot flatter the figure. They differ only
    # while requests are undecided past 6 weeks: `undecided_past_6_weeks` shows how many.
    decided_within_6_weeks: int
    undecided_past_6_weeks: int
    pct_decided_within_6_weeks: Decimal | None
    # Decisions not to assess / decisions made (the DfE's "% decision not to assess"). The DfE's
    # published figure is for initial requests; Fulfil's records do not yet tell first from repeat requests.
    pct_not_assessed: Decimal | None
    # Assessments finished in the year: a plan issued or a decision not to issue, dated in the year.
    assessments: int
    decisions_not_to_issue: int
    pct_not_issued: Decimal | None  # decisions not to issue / assessments
    # New plans issued in the year after an assessment; timeliness against reg 13(2)'s 20 weeks, with
    # every plan counted ("including exceptions") and with plans under an exception left out of both
    # sides ("excluding exceptions"). Plans transferred in from another council are not in the records.
    plans_issued: int
    plans_issued_within_20_weeks: int
    pct_issued_within_20_weeks: Decimal | None
    plans_issued_excluding_exceptions: int
    plans_issued_within_20_weeks_excluding_exceptions: int
    pct_issued_within_20_weeks_excluding_exceptions: Decimal | None
    # Not a DfE figure: requests decided "assess" with no plan or refusal yet and past 20 weeks on `as_of`.
    assessments_open_past_20_weeks: int
    # Review meetings held in the year; decision notified within 4 weeks of the meeting (reg 20(10)).
    # A review still undecided past 4 weeks on `as_of` counts as not within 4 weeks; one still inside
    # its 4 weeks is left out until decided (`annual_reviews_awaiting_decision`). The DfE collected this
    # voluntarily for 2024 and requires it from 2025; its exact denominator may differ.
    annual_reviews: int
    annual_reviews_decided_within_4_weeks: int
    annual_reviews_awaiting_decision: int
    annual_review_pct_decision_within_4_weeks: Decimal | None


def percentage(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator as a percentage to one place, half up; None when nothing to divide by."""
    if denominator == 0:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _in_year(day: dt.date | None, year: int) -> bool:
    return day is not None and day.year == year


def sen2_figures(requests: Iterable[RequestRecord], reviews: Iterable[AnnualReviewRecord], year: int, *, as_of: dt.date) -> Sen2Figures:
    """The SEN2-style figures for calendar `year`, with backlogs judged as of `as_of` (usually today).

    Records dated after `as_of` are ignored, so figures for a past day can be rebuilt from today's data.
    """

    def known(day: dt.date | None) -> dt.date | None:
        return day if day is not None and day <= as_of else None

    all_requests = [r for r in requests if r.received_on <= as_of]
    received = [r for r in all_requests if r.received_on.year == year]
    decided = [r for r in received if known(r.decided_on) and r.decision in (RequestOutcome.ASSESS, RequestOutcome.NOT_ASSESS)]
    to_assess = sum(1 for r in decided if r.decision == RequestOutcome.ASSESS)
    within_6 = sum(1 for r in decided if r.decided_on and r.decided_on <= decision_to_assess_due_date(r.received_on))
    undecided_late = sum(1 for r in received if not known(r.decided_on) and as_of > decision_to_assess_due_date(r.received_on))

    issued = [r for r in all_requests if _in_year(known(r.plan_issued_on), year)]
    not_issued = sum(1 for r in all_requests if _in_year(known(r.decision_not_to_issue_on), year))

    def on_time(r: RequestRecord) -> bool:
        return r.plan_issued_on is not None and r.plan_issued_on <= final_plan_due_date(r.received_on)

    issued_without_exception = [r for r in issued if not r.exception_to_20_weeks]
    open_late = sum(
        1 for r in all_requests
        if r.decision == RequestOutcome.ASSESS and known(r.decided_on) and not known(r.plan_issued_on)
        and not known(r.decision_not_to_issue_on) and as_of > final_plan_due_date(r.received_on)
    )

    held = [r for r in reviews if _in_year(r.meeting_on, year) and r.meeting_on <= as_of]
    review_decided = [r for r in held if known(r.decision_on)]
    review_late_undecided = [r for r in held if not known(r.decision_on) and as_of > review_decision_due_date(r.meeting_on)]
    review_within_4 = sum(1 for r in review_decided if r.decision_on and r.decision_on <= review_decision_due_date(r.meeting_on))
    review_denominator = len(review_decided) + len(review_late_undecided)

    assessments = len(issued) + not_issued
    within_20 = sum(1 for r in issued if on_time(r))
    within_20_ex = sum(1 for r in issued_without_exception if on_time(r))
    return Sen2Figures(
        year=year,
        as_of=as_of,
        requests=len(received),
        decisions_made=len(decided),
        decisions_to_assess=to_assess,
        decisions_not_to_assess=len(decided) - to_assess,
        decided_within_6_weeks=within_6,
        undecided_past_6_weeks=undecided_late,
        pct_decided_within_6_weeks=percentage(within_6, len(decided) + undecided_late),
        pct_not_assessed=percentage(len(decided) - to_assess, len(decided)),
        assessments=assessments,
        decisions_not_to_issue=not_issued,
        pct_not_issued=percentage(not_issued, assessments),
        plans_issued=len(issued),
        plans_issued_within_20_weeks=within_20,
        pct_issued_within_20_weeks=percentage(within_20, len(issued)),
        plans_issued_excluding_exceptions=len(issued_without_exception),
        plans_issued_within_20_weeks_excluding_exceptions=within_20_ex,
        pct_issued_within_20_weeks_excluding_exceptions=percentage(within_20_ex, len(issued_without_exception)),
        assessments_open_past_20_weeks=open_late,
        annual_reviews=len(held),
        annual_reviews_decided_within_4_weeks=review_within_4,
        annual_reviews_awaiting_decision=len(held) - review_denominator,
        annual_review_pct_decision_within_4_weeks=percentage(review_within_4, review_denominator),
    )


# -- The caseload: plans held on the census day, and review meetings held within 12 months ------------


@dataclass(frozen=True)
class PlanRecord:
    """One EHC plan: in place from the day it was first issued until the day it ceased (not in place that day)."""

    first_issued_on: dt.date
    ceased_on: dt.date | None = None


@dataclass(frozen=True)
class ReviewMeetingRecord:
    """One annual review meeting and the start of the 12 months it fell due in: the day the plan was
    first issued or last reviewed (Children and Families Act 2014 s.44(1))."""

    period_starts_on: dt.date
    meeting_on: dt.date
    reference: str = ""

    def __post_init__(self) -> None:
        if self.meeting_on < self.period_starts_on:
            raise ValueError(f"{self.reference or 'review'}: the meeting falls before the plan was issued or last reviewed")


@dataclass(frozen=True)
class Sen2Caseload:
    """Plans held and review meetings for calendar `year`; `plans_held` is None before its census day."""

    year: int
    census_day: dt.date
    # EHC plans in place on `census_day` (the January after the year): issued on or before it, not
    # ceased on or before it. The DfE's "EHC plans (January)" counts the same caseload.
    plans_held: int | None
    # Review meetings recorded in the year (SEN2 module 4 "annual review meetings"), and of them those
    # held within the 12 months starting with the day the plan was issued or last reviewed (s.44(1)).
    annual_review_meetings: int
    annual_reviews_within_12_months: int
    pct_reviews_within_12_months: Decimal | None


def census_day(year: int) -> dt.date:
    """The SEN2 (and spring school census) day: the third Thursday of January of `year`.
    2024 -> 18 January 2024; 2025 -> 16 January 2025; 2026 -> 15 January 2026."""
    first = dt.date(year, 1, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + dt.timedelta(weeks=2)


def sen2_caseload(plans: Iterable[PlanRecord], meetings: Iterable[ReviewMeetingRecord], year: int, *, as_of: dt.date) -> Sen2Caseload:
    """Plans held on the census day after `year`, and `year`'s review meetings, as known on `as_of`."""
    day = census_day(year + 1)
    held = None
    if day <= as_of:
        held = sum(1 for p in plans if p.first_issued_on <= day and (p.ceased_on is None or p.ceased_on > day))
    in_year = [m for m in meetings if m.meeting_on.year == year and m.meeting_on <= as_of]
    within_12 = sum(1 for m in in_year if m.meeting_on <= annual_review_due_date(m.period_starts_on))
    return Sen2Caseload(year=year, census_day=day, plans_held=held, annual_review_meetings=len(in_year),
                        annual_reviews_within_12_months=within_12, pct_reviews_within_12_months=percentage(within_12, len(in_year)))
