"""All the clocks of one EHC needs assessment or one review, from the case's dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from fulfil.plans.clocks.rules import (
    COUNCIL_EXCEPTIONS,
    RULES,
    ClockException,
    ClockKind,
    PhaseTransferKind,
    annual_review_due_date,
)
from fulfil.plans.clocks.status import ClockState, ClockStatus, clock_status, phase_transfer_status


@dataclass(frozen=True)
class AdviceRequest:
    """One request for advice in an assessment (educational psychology, health, therapies, social care)."""

    adviser: str
    requested_on: dt.date
    provided_on: dt.date | None = None
    exceptions: tuple[ClockException, ...] = ()


class RequestOutcome(StrEnum):
    ASSESS = "assess"
    NOT_ASSESS = "not_assess"
    WITHDRAWN = "withdrawn"  # withdrawn before the decision; the decision date field holds the withdrawal date


@dataclass(frozen=True)
class Timeline:
    """All the statutory clocks of one assessment or review, in the order the steps happen."""

    clocks: tuple[ClockStatus, ...]
    next_review_due_on: dt.date | None = None  # once a plan is issued or a review decided

    def __iter__(self) -> Iterator[ClockStatus]:
        return iter(self.clocks)

    def of(self, kind: ClockKind) -> list[ClockStatus]:
        return [c for c in self.clocks if c.clock == kind]

    def get(self, kind: ClockKind) -> ClockStatus | None:
        found = self.of(kind)
        return found[0] if found else None

    @property
    def late(self) -> tuple[ClockStatus, ...]:
        return tuple(c for c in self.clocks if c.is_late)

    @property
    def next_due(self) -> ClockStatus | None:
        """The open or overdue step due soonest."""
        waiting = [c for c in self.clocks if c.state in (ClockState.OPEN, ClockState.OVERDUE)]
        return min(waiting, key=lambda c: c.due_on) if waiting else None


def ehcna_timeline(request_date: dt.date, *, today: dt.date, decided_on: dt.date | None = None, outcome: RequestOutcome | None = None,
                   advice: Iterable[AdviceRequest] = (), decision_not_to_issue_on: dt.date | None = None,
                   final_plan_on: dt.date | None = None, withdrawn_on: dt.date | None = None,
                   exceptions: Iterable[ClockException] = ()) -> Timeline:
    """Every clock of one request for an EHC needs assessment.

    `exceptions` are the case's (closure, circumstances, absence): each applies to every clock whose
    rule allows it. Those about one adviser (a missed appointment, no prior records) belong on its
    `AdviceRequest`. The 16-week clock appears once a decision not to issue is recorded; until then
    the 20-week clock runs (a refusal made after week 16 is judged late against reg 10(1)).
    """
    if (decided_on is None) != (outcome is None):
        raise ValueError("A decision whether to assess needs both its date and its outcome")
    if decision_not_to_issue_on and final_plan_on:
        raise ValueError("An assessment ends in a plan or a decision not to issue one, not both")
    if (decision_not_to_issue_on or final_plan_on) and outcome != RequestOutcome.ASSESS:
        raise ValueError("A plan, or a decision not to issue one, follows only a decision to assess")
    case_exceptions = tuple(exceptions)
    for exception in case_exceptions:
        if exception.kind not in COUNCIL_EXCEPTIONS:
            raise ValueError(f"{exception.kind.label}: record this on the advice request it concerns")
    if outcome == RequestOutcome.WITHDRAWN:
        withdrawn_on, decided_on = decided_on, None

    def for_clock(kind: ClockKind) -> tuple[ClockException, ...]:
        return tuple(e for e in case_exceptions if e.kind in RULES[kind].exceptions)

    clocks = [clock_status(ClockKind.DECISION_TO_ASSESS, request_date, decided_on, today,
                           for_clock(ClockKind.DECISION_TO_ASSESS), withdrawn_on=withdrawn_on)]
    for item in advice:
        clocks.append(clock_status(ClockKind.ADVICE, item.requested_on, item.provided_on, today,
                                   for_clock(ClockKind.ADVICE) + item.exceptions, subject=item.adviser, withdrawn_on=withdrawn_on))
    if outcome not in (RequestOutcome.NOT_ASSESS, RequestOutcome.WITHDRAWN):
        kind, done = ((ClockKind.DECISION_NOT_TO_ISSUE, decision_not_to_issue_on) if decision_not_to_issue_on
                      else (ClockKind.FINAL_PLAN, final_plan_on))
        clocks.append(clock_status(kind, request_date, done, today, for_clock(kind), withdrawn_on=withdrawn_on))
    return Timeline(tuple(clocks), annual_review_due_date(final_plan_on) if final_plan_on else None)


def annual_review_timeline(last_plan_or_review_date: dt.date, *, today: dt.date, meeting_on: dt.date | None = None,
                           report_on: dt.date | None = None, decision_on: dt.date | None = None,
                           amendment_notice_on: dt.date | None = None, amended_plan_on: dt.date | None = None,
                           transfer_on: dt.date | None = None, transfer_kind: PhaseTransferKind | None = None) -> Timeline:
    """Every clock of one review: the 12-month review, the report and decision after the meeting, the
    amended plan, and (within 12 months of a phase transfer) the reg 18 deadline.

    The review is done when the council notifies its decision (`decision_on`); the next 12 months run
    from then. With a phase transfer the reg 18 step is done when the amended plan is issued, or at the
    decision if the plan is not being amended. No exceptions apply to review timescales.
    """
    if (transfer_on is None) != (transfer_kind is None):
        raise ValueError("A phase transfer needs both its date and its kind")
    if (report_on or decision_on) and meeting_on is None:
        raise ValueError("A report or decision after a review needs the date of the review meeting")
    if amended_plan_on and amendment_notice_on is None:
        raise ValueError("An amended plan needs the date of the notice of proposed amendments")
    clocks = [clock_status(ClockKind.ANNUAL_REVIEW, last_plan_or_review_date, decision_on, today)]
    if meeting_on is not None:
        clocks.append(clock_status(ClockKind.REVIEW_REPORT, meeting_on, report_on, today))
        clocks.append(clock_status(ClockKind.REVIEW_DECISION, meeting_on, decision_on, today))
    if amendment_notice_on is not None:
        clocks.append(clock_status(ClockKind.AMENDED_PLAN, amendment_notice_on, amended_plan_on, today))
    if transfer_on is not None and transfer_kind is not None:
        done = amended_plan_on if amendment_notice_on is not None else decision_on
        clocks.append(phase_transfer_status(transfer_on, transfer_kind, done, today))
    return Timeline(tuple(clocks), annual_review_due_date(decision_on) if decision_on else None)
