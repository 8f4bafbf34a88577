"""The statutory timescales, their exceptions and due dates (conventions in the package docstring)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from dateutil.relativedelta import relativedelta


class ClockKind(StrEnum):
    DECISION_TO_ASSESS = "decision_to_assess"
    ADVICE = "advice"
    DECISION_NOT_TO_ISSUE = "decision_not_to_issue"
    FINAL_PLAN = "final_plan"
    ANNUAL_REVIEW = "annual_review"
    REVIEW_REPORT = "review_report"
    REVIEW_DECISION = "review_decision"
    AMENDED_PLAN = "amended_plan"
    PHASE_TRANSFER = "phase_transfer"


class ExceptionKind(StrEnum):
    SCHOOL_CLOSURE = "school_closure"
    PERSONAL_CIRCUMSTANCES = "personal_circumstances"
    ABSENT_FROM_AREA = "absent_from_area"
    MISSED_APPOINTMENT = "missed_appointment"
    NO_PRIOR_INFORMATION = "no_prior_information"

    @property
    def label(self) -> str:
        return EXCEPTION_LABELS[self]

    @property
    def citation(self) -> str:
        return EXCEPTION_CITATIONS[self]


EXCEPTION_LABELS: dict[ExceptionKind, str] = {
    ExceptionKind.SCHOOL_CLOSURE: (
        "Advice was asked of a school, college or early years provider from one week before it closed for 4 weeks or "
        "more (usually the summer holiday) until one week before it re-opened"),
    ExceptionKind.PERSONAL_CIRCUMSTANCES: "Exceptional personal circumstances affected the child, the parent or the young person",
    ExceptionKind.ABSENT_FROM_AREA: "The child, the parent or the young person was away from the council's area for 4 weeks or more",
    ExceptionKind.MISSED_APPOINTMENT: "The child or the young person did not keep an appointment for an examination or test",
    ExceptionKind.NO_PRIOR_INFORMATION: (
        "The body asked for advice held no information or records about the child before it was asked "
        "(not an exception in the 2014 regulations: shown only where it was recorded before)"),
}
# Sub-paragraph letters are given only where the text was checked: reg 5(4)(a) and 10(4)(a)-(b)
# against legislation.gov.uk; 10(4)(c)-(d) (personal circumstances, absence of 4 weeks) as quoted
# by solicitors' and advice pages (checked 2026-11-25; the stored official page stops at (b)).
# The others are cited at paragraph level rather than guessed.
EXCEPTION_CITATIONS: dict[ExceptionKind, str] = {
    ExceptionKind.SCHOOL_CLOSURE: "SEND Regulations 2014 reg 5(4)(a), 10(4)(a)-(b) and 13(3)",
    ExceptionKind.PERSONAL_CIRCUMSTANCES: "SEND Regulations 2014 reg 5(4), 8(2), 10(4)(c) and 13(3)",
    ExceptionKind.ABSENT_FROM_AREA: "SEND Regulations 2014 reg 5(4), 8(2), 10(4)(d) and 13(3)",
    ExceptionKind.MISSED_APPOINTMENT: "SEND Regulations 2014 reg 8(2)(c)",
    # The 2001 regulations had this exception; reg 8(2) of the 2014 regulations, as quoted by
    # advice services (checked 2026-11-25), has three limbs - exceptional circumstances, absence
    # from the area for 4 weeks, a missed appointment - and not this one. It is no longer
    # allowed (`ADVICE_EXCEPTIONS`): an exception the law does not give would hide late advice.
    # The kind stays so that exceptions recorded before can still be read.
    ExceptionKind.NO_PRIOR_INFORMATION: "Not in the SEND Regulations 2014 (the 2001 regulations, reg 12)",
}
FOUR_WEEKS = dt.timedelta(weeks=4)
ONE_WEEK = dt.timedelta(weeks=1)


@dataclass(frozen=True)
class ClockRule:
    """One statutory timescale: what starts it, what stops it, how long it runs and its exceptions."""

    kind: ClockKind
    label: str
    starts_with: str
    done_when: str
    citation: str
    weeks: int = 0
    months: int = 0
    exceptions: frozenset[ExceptionKind] = frozenset()
    exceptions_citation: str = ""


COUNCIL_EXCEPTIONS = frozenset({ExceptionKind.SCHOOL_CLOSURE, ExceptionKind.PERSONAL_CIRCUMSTANCES, ExceptionKind.ABSENT_FROM_AREA})
ADVICE_EXCEPTIONS = frozenset({  # reg 8(2)(a)-(c)
    ExceptionKind.PERSONAL_CIRCUMSTANCES, ExceptionKind.ABSENT_FROM_AREA, ExceptionKind.MISSED_APPOINTMENT,
})
_REQUEST = "the council receives the request for an EHC needs assessment (or becomes responsible for the child, CFA s.24)"

RULES: dict[ClockKind, ClockRule] = {rule.kind: rule for rule in (
    ClockRule(ClockKind.DECISION_TO_ASSESS, "Decision whether to assess", _REQUEST,
              "the council notifies its decision whether to assess", "SEND Regulations 2014 reg 5(1)",
              weeks=6, exceptions=COUNCIL_EXCEPTIONS, exceptions_citation="SEND Regulations 2014 reg 5(4)"),
    # As we read it, reg 8(1) binds the bodies the council asks to co-operate under CFA s.31 (health
    # bodies, other councils); the Code of Practice (chapter 9) expects 6 weeks of all advice, so Fulfil
    # applies it to every advice request. The clock runs from the day the body receives the request.
    ClockRule(ClockKind.ADVICE, "Advice for the assessment", "the adviser receives the request for advice",
              "the advice is provided", "SEND Regulations 2014 reg 8(1)",
              weeks=6, exceptions=ADVICE_EXCEPTIONS, exceptions_citation="SEND Regulations 2014 reg 8(2)"),
    ClockRule(ClockKind.DECISION_NOT_TO_ISSUE, "Decision not to issue a plan", _REQUEST,
              "the council notifies its decision not to issue a plan", "SEND Regulations 2014 reg 10(1)",
              weeks=16, exceptions=COUNCIL_EXCEPTIONS, exceptions_citation="SEND Regulations 2014 reg 10(4)"),
    ClockRule(ClockKind.FINAL_PLAN, "Final EHC plan issued", _REQUEST,
              "the finalised plan is sent to the family, the setting and the health commissioner", "SEND Regulations 2014 reg 13(2)",
              weeks=20, exceptions=COUNCIL_EXCEPTIONS, exceptions_citation="SEND Regulations 2014 reg 13(3), applying reg 10(4)(a)-(d)"),
    # "Last reviewed" is taken as the date the council notified its decision after the review
    # (reg 20(10)), as IPSEA advises: the review is not finished until then.
    ClockRule(ClockKind.ANNUAL_REVIEW, "Annual review", "the plan is first issued, or the council notifies its decision after the last review",
              "the council notifies its decision after the review meeting", "Children and Families Act 2014 s.44(1)", months=12),
    ClockRule(ClockKind.REVIEW_REPORT, "Review meeting report", "the review meeting",
              "the report of the meeting is sent to the council and everyone invited",
              # 21(7) checked; the reg 20 paragraph numbers are as commonly cited, not checked.
              "SEND Regulations 2014 reg 20(7)-(8) (school or other institution); reg 21(7) (no school: the council reports)",
              weeks=2),
    ClockRule(ClockKind.REVIEW_DECISION, "Decision after the review", "the review meeting",
              "the council notifies its decision to keep, amend or cease the plan",
              "SEND Regulations 2014 reg 20(10) (school or other institution); reg 21 (no school; paragraph not checked)",
              weeks=4),
    ClockRule(ClockKind.AMENDED_PLAN, "Amended plan issued", "the council sends the plan with its notice of proposed amendments (reg 22(2)(a))",
              "the finalised amended plan is sent, or notice that the plan will not be amended",
              "SEND Regulations 2014 reg 22(3) (amended plan) and 22(4) (decision not to amend)", weeks=8),
    ClockRule(ClockKind.PHASE_TRANSFER, "Plan reviewed and amended before a phase transfer", "the transfer (the deadline counts back from it)",
              "the review is finished and any amended plan naming the new setting is issued", "SEND Regulations 2014 reg 18(1)-(2)"),
)}


def allowed_exceptions(kind: ClockKind) -> frozenset[ExceptionKind]:
    """The exceptions the regulations allow to this timescale; none for reviews and amendments."""
    return RULES[kind].exceptions


@dataclass(frozen=True)
class ClockException:
    """A reason the regulations accept for not meeting a timescale, with the period it covers.

    `starts_on`/`ends_on` are the days of the absence, the circumstances, the missed appointment
    (one day) or, for a school closure, the first and last days the setting was closed; a school
    closure also needs `advice_requested_on`, the day the council asked the setting for advice.
    """

    kind: ExceptionKind
    reason: str
    starts_on: dt.date
    ends_on: dt.date
    advice_requested_on: dt.date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise ValueError("An exception needs a reason: say what happened, so the delay can be explained later")
        if self.ends_on < self.starts_on:
            raise ValueError("An exception cannot end before it starts")
        four_weeks_or_more = self.ends_on - self.starts_on + dt.timedelta(days=1) >= FOUR_WEEKS
        if self.kind == ExceptionKind.ABSENT_FROM_AREA and not four_weeks_or_more:
            raise ValueError("An absence from the area counts only if it lasts a continuous 4 weeks or more (reg 5(4), 8(2), 10(4))")
        if self.kind == ExceptionKind.SCHOOL_CLOSURE:
            if not four_weeks_or_more:
                raise ValueError("A school closure counts only if the setting is closed for a continuous 4 weeks or more (reg 5(4)(a), 10(4)(a))")
            reopens_on = self.ends_on + dt.timedelta(days=1)
            requested = self.advice_requested_on
            if requested is None or not (self.starts_on - ONE_WEEK <= requested <= reopens_on - ONE_WEEK):
                raise ValueError("A school closure counts only for advice asked from one week before the closure "
                                 "until one week before the setting re-opens (reg 5(4)(a), 10(4)(a))")

    @property
    def covers(self) -> tuple[dt.date, dt.date]:
        """First and last days the exception explains (for a closure, from the advice request)."""
        first = min(self.starts_on, self.advice_requested_on) if self.advice_requested_on else self.starts_on
        return first, self.ends_on

    @property
    def citation(self) -> str:
        return self.kind.citation


def _weeks_after(day: dt.date, weeks: int) -> dt.date:
    return day + dt.timedelta(weeks=weeks)


def _last_day_of_months_starting_with(day: dt.date, months: int) -> dt.date:
    """The last day of "the period of `months` months starting with `day`" (see the package docstring)."""
    same_date = day + relativedelta(months=months)  # relativedelta gives 28/29 Feb when there is no 29/30/31
    if same_date.day != day.day:  # no such date: the period runs to the end of that month
        return same_date
    return same_date - dt.timedelta(days=1)


def due_date(kind: ClockKind, start: dt.date) -> dt.date:
    """The last permissible day for a clock that runs forward from `start`."""
    rule = RULES[kind]
    if rule.weeks:
        return _weeks_after(start, rule.weeks)
    if rule.months:
        return _last_day_of_months_starting_with(start, rule.months)
    raise ValueError(f"{rule.label} counts back from the transfer: use phase_transfer_deadline")


def decision_to_assess_due_date(request_date: dt.date) -> dt.date:
    """SEND Regulations 2014 reg 5(1): notify the decision whether to assess within 6 weeks of the request."""
    return due_date(ClockKind.DECISION_TO_ASSESS, request_date)


def advice_request_due_date(requested_on: dt.date) -> dt.date:
    """SEND Regulations 2014 reg 8(1): advice within 6 weeks of the day the request for it is received."""
    return due_date(ClockKind.ADVICE, requested_on)


def decision_not_to_issue_due_date(request_date: dt.date) -> dt.date:
    """SEND Regulations 2014 reg 10(1): a decision not to issue a plan within 16 weeks of the request."""
    return due_date(ClockKind.DECISION_NOT_TO_ISSUE, request_date)


def final_plan_due_date(request_date: dt.date) -> dt.date:
    """SEND Regulations 2014 reg 13(2): the final plan sent within 20 weeks of the request."""
    return due_date(ClockKind.FINAL_PLAN, request_date)


def representation_period_ends_on(draft_sent_on: dt.date) -> dt.date:
    """SEND Regulations 2014 reg 13(1)(a) (and reg 22(2)(c) for amendments): the family have at least
    15 days, beginning with the day the draft was served, to comment and ask for a school. The last of
    those days; the plan may not be finalised before the day after."""
    return draft_sent_on + dt.timedelta(days=14)


def annual_review_due_date(last_plan_or_review_date: dt.date) -> dt.date:
    """CFA 2014 s.44(1): reviewed in the period of 12 months starting with the day the plan was first
    made or last reviewed. 31 Jan 2024 -> 30 Jan 2025; 29 Feb 2024 -> 28 Feb 2025."""
    return due_date(ClockKind.ANNUAL_REVIEW, last_plan_or_review_date)


def school_review_report_due_date(meeting_date: dt.date) -> dt.date:
    """SEND Regulations 2014 reg 20 (reg 21(7) where there is no school): the report within 2 weeks of the meeting."""
    return due_date(ClockKind.REVIEW_REPORT, meeting_date)


def review_decision_due_date(meeting_date: dt.date) -> dt.date:
    """SEND Regulations 2014 reg 20(10): keep, amend or cease decided and notified within 4 weeks of the meeting."""
    return due_date(ClockKind.REVIEW_DECISION, meeting_date)


def amended_plan_due_date(amendment_notice_date: dt.date) -> dt.date:
    """SEND Regulations 2014 reg 22(3)/(4): the amended plan (or notice it won't be amended) within 8
    weeks of sending the plan with the notice of proposed amendments."""
    return due_date(ClockKind.AMENDED_PLAN, amendment_notice_date)


class PhaseTransferKind(StrEnum):
    # Reg 2(1) "transfer between phases of education": early years to school, infant to junior,
    # primary to middle, primary to secondary, middle to secondary, secondary to post-16.
    SCHOOL_PHASE = "school_phase"  # any of those except secondary to post-16: reg 18(1)(b)
    SECONDARY_TO_POST16 = "secondary_to_post16"  # reg 18(1)(a)
    POST16_TO_POST16 = "post16_to_post16"  # reg 18(2)


def phase_transfer_deadline(transfer_on: dt.date, kind: PhaseTransferKind) -> dt.date:
    """The last day to have reviewed the plan and issued it amended to name the new setting.

    Reg 18(1) says *before* 15 February (school phases) or 31 March (secondary to post-16) in the
    calendar year of the transfer, so the last permissible days are 14 February and 30 March; guidance
    often says "by", one day later. Reg 18(2): a move between post-16 institutions needs it at least 5
    months before the transfer. Reg 18(3) (spent): a move to post-16 on 1 September 2015, before 31 May 2015.
    Reg 18(1) presumes a move after its spring date (normally September); for a move earlier in the
    calendar year the date it gives falls after the move, and the plan is in practice needed before it.
    """
    year = transfer_on.year
    if kind == PhaseTransferKind.POST16_TO_POST16:
        return transfer_on - relativedelta(months=5)
    if kind == PhaseTransferKind.SECONDARY_TO_POST16:
        before = dt.date(2015, 5, 31) if transfer_on == dt.date(2015, 9, 1) else dt.date(year, 3, 31)
    else:
        before = dt.date(year, 2, 15)
    return before - dt.timedelta(days=1)
