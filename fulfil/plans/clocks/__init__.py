"""Statutory clocks: when each step of an EHC needs assessment or review is due, and whether it was on time.

Sources, cited on each rule in `rules`:
- Children and Families Act 2014 ("CFA") Part 3, s.44(1) (reviews).
- The Special Educational Needs and Disability Regulations 2014, SI 2014/1530 ("reg"), as amended.
  Reg 2(1) defines "transfer between phases of education"; regs 5, 8, 10 and 13 set the assessment
  timescales and their exceptions; regs 18, 20, 21 and 22 the review timescales.
- SEND Code of Practice: 0 to 25 years (2015), chapter 9, for practice the regulations leave open.
The temporary coronavirus relaxations (reg 2A and 18A, 1 May to 25 September 2020) are not modelled.

Counting (calendar dates; weekends and school holidays count, because the regulations count weeks):
- "within N weeks of D" (regs 5(1), 8(1), 10(1), 13(2), 20, 21, 22(3)): due on D + N weeks, the last
  permissible day. D is day 0. A request received on Tuesday 31 January 2023 must be decided by
  Tuesday 14 March 2023; a decision on 15 March is late.
- "the period of 12 months starting with D" (CFA s.44(1)): D is the period's first day, so its last
  day is the day before the same date a year on: 31 January 2024 -> 30 January 2025. When that date
  does not exist the period runs to the end of the month: 29 February 2024 -> 28 February 2025.
  Many councils work to the anniversary itself; the strict reading is used so that Fulfil never shows
  a review as on time that a tribunal could find a day late.
- "before 15 February" (reg 18(1)): the last permissible day is 14 February.
- "at least 15 days, beginning with the day on which the draft plan was served" (reg 13(1)(a)):
  a draft served on D leaves the family until D + 14 inclusive.

Exceptions (regs 5(4), 8(2), 10(4), 13(3)) say an authority or body "need not comply with the time
limit" when it was impractical for a listed reason. They do not move the due date: the timescale
simply did not bind, which is how the DfE's SEN2 "excluding exceptions" figures treat them. So a
late step stays late and is flagged `late_with_exception`; nothing here reports it as on time, and
a clock never stops silently: an open clock past its due date is `overdue`, a withdrawn request is
`withdrawn`.

Due dates are computed, never typed: nothing here accepts a due date as input. Modules: `rules` (timescales,
exceptions, due dates), `status` (`clock_status`), `timelines` (`ehcna_timeline`, `annual_review_timeline`).
No Django imports: models, pages and the SEN2 figures (`fulfil.plans.sen2`) call these on plain dates.
"""

from fulfil.plans.clocks.rules import (
    EXCEPTION_CITATIONS,
    EXCEPTION_LABELS,
    RULES,
    ClockException,
    ClockKind,
    ClockRule,
    ExceptionKind,
    PhaseTransferKind,
    advice_request_due_date,
    allowed_exceptions,
    amended_plan_due_date,
    annual_review_due_date,
    decision_not_to_issue_due_date,
    decision_to_assess_due_date,
    due_date,
    final_plan_due_date,
    phase_transfer_deadline,
    representation_period_ends_on,
    review_decision_due_date,
    school_review_report_due_date,
)
from fulfil.plans.clocks.status import ClockState, ClockStatus, clock_status, phase_transfer_status
from fulfil.plans.clocks.timelines import AdviceRequest, RequestOutcome, Timeline, annual_review_timeline, ehcna_timeline

__all__ = [
    "EXCEPTION_CITATIONS", "EXCEPTION_LABELS", "RULES", "AdviceRequest", "ClockException", "ClockKind", "ClockRule", "ClockState",
    "ClockStatus", "ExceptionKind", "PhaseTransferKind", "RequestOutcome", "Timeline", "advice_request_due_date", "allowed_exceptions",
    "amended_plan_due_date", "annual_review_due_date", "annual_review_timeline", "clock_status", "decision_not_to_issue_due_date",
    "decision_to_assess_due_date", "due_date", "ehcna_timeline", "final_plan_due_date", "phase_transfer_deadline",
    "phase_transfer_status", "representation_period_ends_on", "review_decision_due_date", "school_review_report_due_date",
]
