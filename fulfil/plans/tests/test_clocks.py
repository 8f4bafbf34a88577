"""Statutory clocks worked by hand: each expected date was counted on a calendar, not computed."""

from __future__ import annotations

import datetime as dt

import pytest

from fulfil.plans.clocks import (
    RULES,
    AdviceRequest,
    ClockException,
    ClockKind,
    ClockState,
    ExceptionKind,
    PhaseTransferKind,
    RequestOutcome,
    advice_request_due_date,
    allowed_exceptions,
    amended_plan_due_date,
    annual_review_due_date,
    annual_review_timeline,
    clock_status,
    decision_not_to_issue_due_date,
    decision_to_assess_due_date,
    ehcna_timeline,
    final_plan_due_date,
    phase_transfer_deadline,
    phase_transfer_status,
    representation_period_ends_on,
    review_decision_due_date,
    school_review_report_due_date,
)

D = dt.date


def absence(starts_on: dt.date, ends_on: dt.date, reason: str = "Family abroad caring for a grandparent") -> ClockException:
    return ClockException(ExceptionKind.ABSENT_FROM_AREA, reason, starts_on, ends_on)


# Summer holiday 2025 at the child's school: closed Wednesday 23 July to Tuesday 2 September (6 weeks).
SUMMER_2025 = (D(2025, 7, 23), D(2025, 9, 2))


def summer_closure(advice_requested_on: dt.date) -> ClockException:
    return ClockException(ExceptionKind.SCHOOL_CLOSURE, "School advice asked for as term ended; school closed for the summer",
                          *SUMMER_2025, advice_requested_on=advice_requested_on)


# --- due dates --------------------------------------------------------------------------------------

def test_a_request_on_31_january_must_be_decided_by_14_march_in_a_non_leap_year():
    # 31 Jan 2023 (Tue) + 6 weeks: 28 days to 28 Feb, 14 more to Tue 14 March.
    assert decision_to_assess_due_date(D(2023, 1, 31)) == D(2023, 3, 14)
    # In 2024 February has 29 days, so the same request is due a day earlier in March.
    assert decision_to_assess_due_date(D(2024, 1, 31)) == D(2024, 3, 13)


def test_the_assessment_deadlines_from_one_request_on_31_january_2023():
    request = D(2023, 1, 31)
    assert decision_not_to_issue_due_date(request) == D(2023, 5, 23)  # 16 weeks
    assert final_plan_due_date(request) == D(2023, 6, 20)  # 20 weeks
    assert advice_request_due_date(D(2023, 3, 14)) == D(2023, 4, 25)  # 6 weeks from the request for advice


def test_a_request_on_29_february_counts_calendar_weeks_through_the_leap_day():
    assert decision_to_assess_due_date(D(2024, 2, 29)) == D(2024, 4, 11)
    assert final_plan_due_date(D(2024, 2, 29)) == D(2024, 7, 18)


def test_review_steps_count_from_the_review_meeting():
    # IPSEA's worked example: a meeting on 1 November must be decided by 29 November.
    assert school_review_report_due_date(D(2025, 11, 1)) == D(2025, 11, 15)
    assert review_decision_due_date(D(2025, 11, 1)) == D(2025, 11, 29)
    assert amended_plan_due_date(D(2025, 11, 25)) == D(2026, 1, 20)


def test_the_annual_review_is_due_within_the_12_months_starting_with_the_plan_date():
    # "The period of 12 months starting with" 31 Jan 2024 is 31 Jan 2024 to 30 Jan 2025.
    assert annual_review_due_date(D(2024, 1, 31)) == D(2025, 1, 30)
    assert annual_review_due_date(D(2025, 1, 31)) == D(2026, 1, 30)
    # There is no 29 February 2025: the period runs to the end of February.
    assert annual_review_due_date(D(2024, 2, 29)) == D(2025, 2, 28)
    # A period starting 1 March 2023 takes in 29 February 2024.
    assert annual_review_due_date(D(2023, 3, 1)) == D(2024, 2, 29)


def test_a_review_finished_on_the_anniversary_itself_is_a_day_late():
    status = clock_status(ClockKind.ANNUAL_REVIEW, D(2024, 1, 31), D(2025, 1, 31), today=D(2025, 2, 3))
    assert status.state == ClockState.LATE and status.days_late == 1 and not status.on_time


def test_phase_transfer_plans_must_be_finished_before_15_february_or_31_march():
    september = D(2026, 9, 1)
    assert phase_transfer_deadline(september, PhaseTransferKind.SCHOOL_PHASE) == D(2026, 2, 14)
    assert phase_transfer_deadline(september, PhaseTransferKind.SECONDARY_TO_POST16) == D(2026, 3, 30)
    # Reg 18(3), spent: moves to post-16 on 1 September 2015 had until before 31 May 2015.
    assert phase_transfer_deadline(D(2015, 9, 1), PhaseTransferKind.SECONDARY_TO_POST16) == D(2015, 5, 30)


def test_a_move_between_post16_colleges_needs_the_plan_at_least_five_months_ahead():
    assert phase_transfer_deadline(D(2026, 9, 1), PhaseTransferKind.POST16_TO_POST16) == D(2026, 4, 1)
    # From 31 July, five months back lands in February: 28th, or 29th in a leap year.
    assert phase_transfer_deadline(D(2026, 7, 31), PhaseTransferKind.POST16_TO_POST16) == D(2026, 2, 28)
    assert phase_transfer_deadline(D(2028, 7, 31), PhaseTransferKind.POST16_TO_POST16) == D(2028, 2, 29)


def test_a_phase_transfer_plan_issued_on_15_february_is_late():
    transfer = D(2026, 9, 1)
    on_14th = phase_transfer_status(transfer, PhaseTransferKind.SCHOOL_PHASE, D(2026, 2, 14), today=D(2026, 3, 1))
    on_15th = phase_transfer_status(transfer, PhaseTransferKind.SCHOOL_PHASE, D(2026, 2, 15), today=D(2026, 3, 1))
    assert on_14th.state == ClockState.MET
    assert on_15th.state == ClockState.LATE and on_15th.days_late == 1
    assert on_15th.citation.startswith("SEND Regulations 2014 reg 18")


def test_phase_transfers_are_not_counted_forward_from_a_start():
    with pytest.raises(ValueError, match="phase_transfer_deadline"):
        clock_status(ClockKind.PHASE_TRANSFER, D(2026, 9, 1), None, today=D(2026, 1, 1))


def test_the_family_have_15_days_beginning_with_the_day_the_draft_is_served():
    assert representation_period_ends_on(D(2025, 3, 1)) == D(2025, 3, 15)


# --- status -----------------------------------------------------------------------------------------

def test_advice_given_on_the_due_date_is_on_time_and_a_day_later_is_late():
    requested = D(2025, 1, 6)
    due = D(2025, 2, 17)
    on_due = clock_status(ClockKind.ADVICE, requested, due, today=D(2025, 3, 1))
    day_after = clock_status(ClockKind.ADVICE, requested, due + dt.timedelta(days=1), today=D(2025, 3, 1))
    assert on_due.due_on == due and on_due.state == ClockState.MET and on_due.on_time and on_due.days_late == 0
    assert day_after.state == ClockState.LATE and day_after.is_late and not day_after.on_time and day_after.days_late == 1


def test_an_open_clock_is_open_up_to_its_due_date_and_overdue_after():
    requested = D(2025, 1, 6)  # due 17 February
    before = clock_status(ClockKind.DECISION_TO_ASSESS, requested, None, today=D(2025, 2, 10))
    on_due = clock_status(ClockKind.DECISION_TO_ASSESS, requested, None, today=D(2025, 2, 17))
    after = clock_status(ClockKind.DECISION_TO_ASSESS, requested, None, today=D(2025, 2, 20))
    assert before.state == ClockState.OPEN and before.days_remaining == 7 and not before.is_late
    assert on_due.state == ClockState.OPEN and on_due.days_remaining == 0
    assert after.state == ClockState.OVERDUE and after.is_late and after.days_late == 3 and after.days_remaining is None


def test_a_late_step_with_an_exception_stays_late_and_is_flagged():
    missed = ClockException(ExceptionKind.MISSED_APPOINTMENT, "Did not attend the OT assessment clinic", D(2025, 1, 20), D(2025, 1, 20))
    status = clock_status(ClockKind.ADVICE, D(2025, 1, 6), D(2025, 3, 3), today=D(2025, 3, 10), exceptions=[missed])
    assert status.state == ClockState.LATE and status.days_late == 14
    assert status.late_with_exception and status.exception_applies and not status.on_time
    assert status.exceptions == (missed,)


def test_an_overdue_step_with_an_exception_is_still_overdue():
    away = absence(D(2025, 1, 10), D(2025, 2, 20))
    status = clock_status(ClockKind.DECISION_TO_ASSESS, D(2025, 1, 6), None, today=D(2025, 3, 1), exceptions=[away])
    assert status.state == ClockState.OVERDUE and status.late_with_exception and status.days_late == 12


def test_an_exception_on_a_step_done_in_time_changes_nothing_but_is_shown():
    away = absence(D(2025, 1, 10), D(2025, 2, 20))
    status = clock_status(ClockKind.DECISION_TO_ASSESS, D(2025, 1, 6), D(2025, 2, 14), today=D(2025, 3, 1), exceptions=[away])
    assert status.state == ClockState.MET and status.exception_applies and not status.late_with_exception


def test_an_exception_that_began_after_the_due_date_does_not_explain_the_delay():
    away = absence(D(2025, 3, 1), D(2025, 4, 30))
    status = clock_status(ClockKind.DECISION_TO_ASSESS, D(2025, 1, 6), D(2025, 3, 10), today=D(2025, 5, 1), exceptions=[away])
    assert status.state == ClockState.LATE and not status.late_with_exception and status.exceptions == ()


def test_a_request_spanning_the_summer_holiday_with_the_closure_recorded():
    # Request Mon 2 June 2025: decision due 14 July, plan due 20 October. The council asked the
    # school for advice on Fri 18 July, within a week of its 6-week summer closure.
    request = D(2025, 6, 2)
    closure = summer_closure(advice_requested_on=D(2025, 7, 18))
    timeline = ehcna_timeline(
        request, today=D(2025, 11, 10), decided_on=D(2025, 7, 10), outcome=RequestOutcome.ASSESS,
        advice=[AdviceRequest("Speech and language therapy", D(2025, 7, 14), D(2025, 8, 22))],
        final_plan_on=D(2025, 11, 3), exceptions=[closure],
    )
    decision, salt, plan = timeline.clocks
    assert decision.state == ClockState.MET and decision.due_on == D(2025, 7, 14)
    # The closure falls after the decision was due, so it explains nothing about the decision...
    assert not decision.exception_applies
    # ...and reg 8(2) has no closure exception, so the therapy advice clock never gets it.
    assert salt.subject == "Speech and language therapy" and salt.state == ClockState.MET and not salt.exception_applies
    assert plan.clock == ClockKind.FINAL_PLAN and plan.due_on == D(2025, 10, 20)
    assert plan.state == ClockState.LATE and plan.days_late == 14 and plan.late_with_exception and not plan.on_time
    assert timeline.next_review_due_on == D(2026, 11, 2)


def test_a_school_closure_counts_only_for_advice_asked_from_a_week_before_it_closes():
    with pytest.raises(ValueError, match="one week before"):
        summer_closure(advice_requested_on=D(2025, 7, 15))  # 8 days before the closure
    with pytest.raises(ValueError, match="one week before"):
        summer_closure(advice_requested_on=D(2025, 8, 28))  # less than a week before it re-opens
    assert summer_closure(advice_requested_on=D(2025, 7, 16)).covers == (D(2025, 7, 16), D(2025, 9, 2))
    assert summer_closure(advice_requested_on=D(2025, 8, 27)).kind == ExceptionKind.SCHOOL_CLOSURE


def test_closures_and_absences_must_last_four_weeks():
    with pytest.raises(ValueError, match="4 weeks"):
        absence(D(2025, 1, 1), D(2025, 1, 27))  # 27 days
    assert absence(D(2025, 1, 1), D(2025, 1, 28)).kind == ExceptionKind.ABSENT_FROM_AREA  # 28 days
    with pytest.raises(ValueError, match="4 weeks"):
        ClockException(ExceptionKind.SCHOOL_CLOSURE, "October half-term", D(2025, 10, 27), D(2025, 10, 31),
                       advice_requested_on=D(2025, 10, 24))


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_an_exception_needs_a_reason(reason):
    with pytest.raises(ValueError, match="needs a reason"):
        ClockException(ExceptionKind.PERSONAL_CIRCUMSTANCES, reason, D(2025, 1, 1), D(2025, 1, 31))


def test_an_exception_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="end before"):
        ClockException(ExceptionKind.PERSONAL_CIRCUMSTANCES, "Bereavement", D(2025, 2, 1), D(2025, 1, 31))


def test_an_exception_the_regulations_do_not_allow_is_refused_not_dropped():
    bereavement = ClockException(ExceptionKind.PERSONAL_CIRCUMSTANCES, "Bereavement", D(2025, 1, 1), D(2025, 1, 31))
    # Reviews have no exceptions at all (regs 20-22).
    with pytest.raises(ValueError, match="allow no such exception"):
        clock_status(ClockKind.REVIEW_DECISION, D(2025, 1, 6), None, today=D(2025, 2, 1), exceptions=[bereavement])
    # A missed appointment excuses advice (reg 8(2)), not the council's decision (reg 5(4)).
    missed = ClockException(ExceptionKind.MISSED_APPOINTMENT, "Did not attend", D(2025, 1, 20), D(2025, 1, 20))
    with pytest.raises(ValueError, match="allow no such exception"):
        clock_status(ClockKind.DECISION_TO_ASSESS, D(2025, 1, 6), None, today=D(2025, 2, 1), exceptions=[missed])
    assert ExceptionKind.MISSED_APPOINTMENT in allowed_exceptions(ClockKind.ADVICE)
    assert allowed_exceptions(ClockKind.ANNUAL_REVIEW) == frozenset()


def test_a_step_cannot_be_done_before_its_clock_starts():
    with pytest.raises(ValueError, match="before its clock starts"):
        clock_status(ClockKind.FINAL_PLAN, D(2025, 1, 6), D(2025, 1, 5), today=D(2025, 2, 1))


# --- timelines --------------------------------------------------------------------------------------

def test_an_ehcna_timeline_from_a_request_on_31_january_2023():
    timeline = ehcna_timeline(
        D(2023, 1, 31), today=D(2023, 5, 1), decided_on=D(2023, 3, 10), outcome=RequestOutcome.ASSESS,
        advice=[AdviceRequest("Educational psychology", D(2023, 3, 13), D(2023, 4, 20)),
                AdviceRequest("Occupational therapy", D(2023, 3, 13))],
    )
    assert [c.clock for c in timeline] == [ClockKind.DECISION_TO_ASSESS, ClockKind.ADVICE, ClockKind.ADVICE, ClockKind.FINAL_PLAN]
    decision, ep, ot, plan = timeline.clocks
    assert decision.due_on == D(2023, 3, 14) and decision.state == ClockState.MET
    assert ep.due_on == D(2023, 4, 24) and ep.state == ClockState.MET
    assert ot.subject == "Occupational therapy" and ot.state == ClockState.OVERDUE and ot.days_late == 7
    assert plan.due_on == D(2023, 6, 20) and plan.state == ClockState.OPEN
    assert timeline.late == (ot,)
    assert timeline.next_due == ot  # the overdue advice comes before the plan
    assert timeline.next_review_due_on is None


def test_a_request_refused_assessment_has_only_the_decision_clock():
    timeline = ehcna_timeline(D(2025, 1, 6), today=D(2025, 6, 1), decided_on=D(2025, 2, 10), outcome=RequestOutcome.NOT_ASSESS)
    assert [c.clock for c in timeline] == [ClockKind.DECISION_TO_ASSESS]
    assert timeline.next_due is None


def test_a_decision_not_to_issue_is_judged_against_16_weeks():
    timeline = ehcna_timeline(D(2025, 1, 6), today=D(2025, 6, 1), decided_on=D(2025, 2, 10), outcome=RequestOutcome.ASSESS,
                              decision_not_to_issue_on=D(2025, 5, 1))
    refusal = timeline.get(ClockKind.DECISION_NOT_TO_ISSUE)
    assert refusal is not None and refusal.due_on == D(2025, 4, 28) and refusal.state == ClockState.LATE and refusal.days_late == 3
    assert timeline.get(ClockKind.FINAL_PLAN) is None


def test_a_withdrawn_request_shows_withdrawn_never_on_time():
    timeline = ehcna_timeline(D(2025, 1, 6), today=D(2025, 6, 1), decided_on=D(2025, 1, 20), outcome=RequestOutcome.WITHDRAWN)
    (decision,) = timeline.clocks
    assert decision.state == ClockState.WITHDRAWN and not decision.on_time and not decision.is_late


def test_a_case_exception_applies_to_each_clock_its_regulation_covers():
    away = absence(D(2025, 2, 1), D(2025, 3, 31))
    timeline = ehcna_timeline(D(2025, 1, 6), today=D(2025, 7, 1), decided_on=D(2025, 3, 1), outcome=RequestOutcome.ASSESS,
                              advice=[AdviceRequest("Physiotherapy", D(2025, 3, 3), D(2025, 5, 1))], exceptions=[away])
    decision, physio, plan = timeline.clocks
    assert decision.late_with_exception  # due 17 February, decided 1 March
    assert physio.late_with_exception  # due 14 April; away to 31 March, within the advice period
    assert plan.state == ClockState.OVERDUE and plan.late_with_exception  # due 26 May


def test_an_exception_about_one_adviser_belongs_on_that_advice_request():
    missed = ClockException(ExceptionKind.MISSED_APPOINTMENT, "Did not attend", D(2025, 1, 20), D(2025, 1, 20))
    with pytest.raises(ValueError, match="advice request"):
        ehcna_timeline(D(2025, 1, 6), today=D(2025, 2, 1), exceptions=[missed])


def test_an_ehcna_timeline_refuses_contradictory_records():
    with pytest.raises(ValueError, match="both its date and its outcome"):
        ehcna_timeline(D(2025, 1, 6), today=D(2025, 2, 1), decided_on=D(2025, 1, 20))
    with pytest.raises(ValueError, match="follows only a decision to assess"):
        ehcna_timeline(D(2025, 1, 6), today=D(2025, 6, 1), decided_on=D(2025, 1, 20), outcome=RequestOutcome.NOT_ASSESS,
                       final_plan_on=D(2025, 5, 1))
    with pytest.raises(ValueError, match="not both"):
        ehcna_timeline(D(2025, 1, 6), today=D(2025, 6, 1), decided_on=D(2025, 1, 20), outcome=RequestOutcome.ASSESS,
                       final_plan_on=D(2025, 5, 1), decision_not_to_issue_on=D(2025, 4, 1))


def test_a_phase_transfer_review_from_meeting_to_amended_plan():
    # Last review decided 10 Nov 2024; Year 6 review meeting 1 Nov 2025; transfer to secondary Sept 2026.
    timeline = annual_review_timeline(
        D(2024, 11, 10), today=D(2026, 1, 20), meeting_on=D(2025, 11, 1), report_on=D(2025, 11, 14),
        decision_on=D(2025, 11, 25), amendment_notice_on=D(2025, 11, 25), amended_plan_on=D(2026, 1, 16),
        transfer_on=D(2026, 9, 1), transfer_kind=PhaseTransferKind.SCHOOL_PHASE,
    )
    review, report, decision, amended, transfer = timeline.clocks
    assert review.clock == ClockKind.ANNUAL_REVIEW and review.due_on == D(2025, 11, 9)
    assert review.state == ClockState.LATE and review.days_late == 16  # the meeting was held too late in the year
    assert report.due_on == D(2025, 11, 15) and report.state == ClockState.MET
    assert decision.due_on == D(2025, 11, 29) and decision.state == ClockState.MET
    assert amended.due_on == D(2026, 1, 20) and amended.state == ClockState.MET
    assert transfer.clock == ClockKind.PHASE_TRANSFER and transfer.due_on == D(2026, 2, 14) and transfer.state == ClockState.MET
    # The next 12 months run from the decision (IPSEA): the next review is due by 24 November 2026.
    assert timeline.next_review_due_on == D(2026, 11, 24)


def test_an_annual_review_with_no_meeting_yet_is_overdue_after_its_12_months():
    timeline = annual_review_timeline(D(2024, 1, 31), today=D(2025, 2, 1))
    (review,) = timeline.clocks
    assert review.state == ClockState.OVERDUE and review.days_late == 2


def test_every_rule_cites_its_source():
    assert set(RULES) == set(ClockKind)
    for kind, rule in RULES.items():
        assert rule.citation.startswith(("SEND Regulations 2014 reg", "Children and Families Act 2014 s.")), kind
        assert bool(rule.exceptions) == bool(rule.exceptions_citation), kind
    for exception_kind in ExceptionKind:
        if exception_kind == ExceptionKind.NO_PRIOR_INFORMATION:  # not in the 2014 regulations; kept to read old records
            assert not any(exception_kind in rule.exceptions for rule in RULES.values())
            continue
        assert exception_kind.label and exception_kind.citation.startswith("SEND Regulations 2014 reg")
