"""Properties of the statutory clocks that hold for any dates at all."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st

from fulfil.plans.clocks import (
    RULES,
    ClockException,
    ClockKind,
    ClockState,
    ExceptionKind,
    PhaseTransferKind,
    clock_status,
    due_date,
    phase_transfer_deadline,
)

FORWARD_CLOCKS = [kind for kind in ClockKind if kind != ClockKind.PHASE_TRANSFER]
CLOCKS_WITH_EXCEPTIONS = [kind for kind in FORWARD_CLOCKS if RULES[kind].exceptions]
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
offsets = st.integers(min_value=-400, max_value=800)
STATE_ORDER = {ClockState.MET: 0, ClockState.LATE: 1}


@st.composite
def exceptions_for(draw: st.DrawFn, kind: ClockKind, start: dt.date) -> ClockException:
    """A valid exception the regulations allow for `kind`, somewhere around the clock's lifetime."""
    exception_kind = draw(st.sampled_from(sorted(RULES[kind].exceptions)))
    starts_on = start + dt.timedelta(days=draw(st.integers(min_value=-60, max_value=200)))
    shortest = 28 if exception_kind in (ExceptionKind.ABSENT_FROM_AREA, ExceptionKind.SCHOOL_CLOSURE) else 1
    ends_on = starts_on + dt.timedelta(days=draw(st.integers(min_value=shortest - 1, max_value=120)))
    requested = None
    if exception_kind == ExceptionKind.SCHOOL_CLOSURE:
        latest = (ends_on - starts_on).days - 6  # up to one week before it re-opens
        requested = starts_on + dt.timedelta(days=draw(st.integers(min_value=-7, max_value=latest)))
    reason = draw(st.text(min_size=1, max_size=30).filter(str.strip))
    return ClockException(exception_kind, reason, starts_on, ends_on, advice_requested_on=requested)


@given(st.sampled_from(FORWARD_CLOCKS), dates)
def test_a_due_date_is_never_before_its_start(kind, start):
    assert due_date(kind, start) > start


@given(dates)
def test_the_annual_review_is_due_between_the_day_before_the_anniversary_and_the_anniversary(start):
    anniversary = start + relativedelta(months=12)
    assert anniversary - dt.timedelta(days=1) <= due_date(ClockKind.ANNUAL_REVIEW, start) <= anniversary


@given(dates, st.sampled_from(list(PhaseTransferKind)))
def test_a_phase_transfer_deadline_is_always_before_the_transfer(transfer_on, kind):
    # Reg 18(1) presumes the move comes after its spring deadline (normally in September).
    assume(transfer_on.month >= 4 or kind == PhaseTransferKind.POST16_TO_POST16)
    assert phase_transfer_deadline(transfer_on, kind) < transfer_on


@given(st.data(), st.sampled_from(CLOCKS_WITH_EXCEPTIONS), dates, st.one_of(st.none(), offsets), offsets)
def test_an_exception_never_makes_a_late_step_look_on_time(data, kind, start, done_after, today_after):
    completed_on = None if done_after is None else start + dt.timedelta(days=abs(done_after))
    today = start + dt.timedelta(days=today_after)
    exceptions = data.draw(st.lists(exceptions_for(kind, start), max_size=3))
    without = clock_status(kind, start, completed_on, today)
    with_them = clock_status(kind, start, completed_on, today, exceptions)
    assert (with_them.state, with_them.due_on, with_them.days_late) == (without.state, without.due_on, without.days_late)
    assert with_them.on_time == without.on_time and with_them.is_late == without.is_late
    assert with_them.late_with_exception == (without.is_late and bool(with_them.exceptions))
    assert set(with_them.exceptions) <= set(exceptions)


@given(st.sampled_from(FORWARD_CLOCKS), dates, st.integers(min_value=0, max_value=800), st.integers(min_value=0, max_value=800))
def test_status_is_monotone_in_the_completion_date(kind, start, first, second):
    earlier, later = sorted((first, second))
    today = start + dt.timedelta(days=900)
    a = clock_status(kind, start, start + dt.timedelta(days=earlier), today)
    b = clock_status(kind, start, start + dt.timedelta(days=later), today)
    assert STATE_ORDER[a.state] <= STATE_ORDER[b.state]
    assert a.days_late <= b.days_late
    assert a.on_time == (a.completed_on is not None and a.completed_on <= a.due_on)


@given(st.sampled_from(FORWARD_CLOCKS), dates, st.integers(min_value=-100, max_value=900))
def test_an_open_clock_is_overdue_exactly_when_today_is_past_its_due_date(kind, start, today_after):
    status = clock_status(kind, start, None, start + dt.timedelta(days=today_after))
    assert status.is_late == (status.today > status.due_on)
    assert status.state == (ClockState.OVERDUE if status.today > status.due_on else ClockState.OPEN)
    assert not status.on_time
