"""Hand-worked ledger cases. Dates use the default London calendar for 2025/26:
autumn 3 Sep - 19 Dec 2025 (half-term 27-31 Oct), spring 5 Jan - 2 Apr 2026 (half-term
16-20 Feb), summer 20 Apr - 22 Jul 2026 (half-term 25-29 May); INSET 1-2 Sep, 5 Jan,
1 Jun, 22 Jul."""

import datetime as dt

import pytest

from fulfil.core.calendar import AcademicCalendar
from fulfil.ledger.calendar_index import CalendarIndex
from fulfil.ledger.ledger import Contact, LedgerPolicy, Line, Pause, is_behind, line_ledger, sessions_owed

D = dt.date


@pytest.fixture(scope="module")
def index():
    return CalendarIndex(AcademicCalendar(), 2024, 2027)


def weekly(**kw):
    base = dict(id=1, child_id=10, discipline="salt", sessions=1, minutes=30, period="week", starts_on=D(2025, 9, 1))
    return Line(**{**base, **kw})


def delivered(day, minutes=30, **kw):
    return Contact(session_id=hash((day, kw.get("status", ""), kw.get("starts_at"))), date=day, status=kw.pop("status", "delivered"),
                   minutes=minutes, session_minutes=minutes, **kw)


def autumn_first_half(index, line, contacts, **kw):
    return line_ledger(line, contacts, index, start=D(2025, 9, 1), end=D(2025, 10, 24), today=D(2025, 10, 25), **kw)


def test_weekly_line_is_due_once_in_each_teaching_week(index):
    # Autumn first half-term: weeks of 1 Sep (3-5 Sep teach), 8, 15, 22, 29 Sep, 6, 13, 20 Oct = 8 weeks.
    ledger = autumn_first_half(index, weekly(), [])
    assert ledger.due == pytest.approx(8)
    assert ledger.owed == pytest.approx(8)
    assert ledger.state == "behind" and ledger.reason.startswith("8 sessions owed (4 hours)")


def test_all_sessions_delivered_means_nothing_owed(index):
    mondays = [D(2025, 9, 3)] + [D(2025, 9, 8) + dt.timedelta(weeks=n) for n in range(7)]
    ledger = autumn_first_half(index, weekly(), [delivered(d) for d in mondays])
    assert (ledger.delivered, ledger.delivered_minutes, ledger.owed) == (8, 240, 0)
    assert ledger.state == "on_track"


def test_bank_holiday_week_still_owes_its_session(index):
    # Week of 4 May 2026 has an early-May bank holiday: four teaching days, one session due.
    line = weekly(starts_on=D(2026, 5, 4))
    ledger = line_ledger(line, [], index, start=D(2026, 5, 4), end=D(2026, 5, 8), today=D(2026, 5, 9))
    assert ledger.due == pytest.approx(1)


def test_a_line_starting_mid_week_is_due_pro_rata(index):
    # Starts Wednesday 10 Sep: 3 of that week's 5 teaching days remain -> 0.6 of a session.
    line = weekly(starts_on=D(2025, 9, 10))
    ledger = line_ledger(line, [], index, start=D(2025, 9, 1), end=D(2025, 9, 12), today=D(2025, 9, 13))
    assert ledger.due == pytest.approx(0.6)
    assert ledger.owed_contacts == 0 and ledger.state != "behind"
    # Not behind, so no time is owed either: the part of a session is not a missed session.
    assert ledger.owed == pytest.approx(0.6) and (ledger.is_behind, ledger.owed_minutes) == (False, 0)


def test_owed_time_is_the_whole_sessions_owed(index):
    # 6 x 45 minutes a term, counted to half-term: 6 x 8/15 = 3.2 due, 1 delivered, 2.2 owed in the
    # settlement; 2 whole sessions (90 minutes) are owed and the line is behind.
    line = weekly(sessions=6, minutes=45, period="term")
    ledger = line_ledger(line, [delivered(D(2025, 9, 10), 45)], index, start=D(2025, 9, 1), end=D(2025, 10, 24),
                         today=D(2025, 10, 25))
    assert ledger.owed == pytest.approx(2.2)
    assert (ledger.owed_contacts, ledger.owed_minutes, ledger.is_behind, ledger.state) == (2, 90, True, "behind")
    assert ledger.reason.startswith("2 sessions owed (1 hour 30 minutes)")


def test_behind_means_at_least_one_whole_session_owed():
    assert [is_behind(x) for x in (0, 0.5, 0.998, 0.999, 1, 1.7)] == [False, False, False, True, True, True]
    assert [sessions_owed(x) for x in (0, 0.5, 0.999, 1.7, 2.0000001)] == [0, 0, 1, 1, 2]


def test_termly_line_is_spread_over_the_terms_teaching_weeks(index):
    # 6 per term. Autumn 2025 has 15 teaching weeks (8 before half-term, 7 after).
    line = weekly(sessions=6, minutes=45, period="term")
    half = line_ledger(line, [], index, start=D(2025, 9, 1), end=D(2025, 10, 24), today=D(2025, 10, 25))
    full = line_ledger(line, [], index, start=D(2025, 9, 1), end=D(2025, 12, 19), today=D(2025, 12, 20))
    assert full.due == pytest.approx(6)
    assert half.due == pytest.approx(6 * 8 / 15)
    assert full.owed_minutes == pytest.approx(6 * 45)


def test_fortnightly_and_monthly_lines(index):
    fortnightly = line_ledger(weekly(period="fortnight"), [], index, start=D(2025, 9, 1), end=D(2025, 10, 24), today=D(2025, 10, 25))
    monthly = line_ledger(weekly(period="month"), [], index, start=D(2025, 9, 1), end=D(2025, 10, 24), today=D(2025, 10, 25))
    assert fortnightly.due == pytest.approx(4)
    assert monthly.due == pytest.approx(2)


def test_a_shortfall_carries_forward_and_over_delivery_banks_no_credit(index):
    line = weekly(sessions=3, period="half_term")
    # Half-term 1: 3 due, 1 delivered -> 2 owed. Half-term 2: 3 due, 5 delivered (2 make-up) -> 0 owed.
    contacts = [delivered(D(2025, 9, 10))] + [delivered(D(2025, 11, 3) + dt.timedelta(days=d), is_make_up=d < 2) for d in range(5)]
    ledger = line_ledger(line, contacts, index, start=D(2025, 9, 1), end=D(2025, 12, 19), today=D(2025, 12, 20))
    assert [round(b.owed_after, 6) for b in ledger.blocks] == [2, 0]
    assert ledger.made_up == 2 and ledger.owed == 0
    # Over-delivery first does not cover a later shortfall.
    early = [delivered(D(2025, 9, 10) + dt.timedelta(days=d)) for d in range(5)]
    ledger = line_ledger(line, early, index, start=D(2025, 9, 1), end=D(2025, 12, 19), today=D(2025, 12, 20))
    assert [round(b.owed_after, 6) for b in ledger.blocks] == [0, 3]


def test_provider_cancellations_are_owed_and_others_follow_policy(index):
    contacts = [
        delivered(D(2025, 9, 3), status="cancelled_provider"),
        delivered(D(2025, 9, 10), status="cancelled_setting"),
        delivered(D(2025, 9, 17), status="cancelled_family"),
        delivered(D(2025, 9, 24), status="dna"),
    ] + [delivered(D(2025, 10, 1) + dt.timedelta(weeks=n)) for n in range(4)]
    default = autumn_first_half(index, weekly(), contacts)
    assert default.cancelled_by_provider == 1 and default.to_review == 3
    assert default.owed == pytest.approx(1)
    assert "1 cancelled by the provider" in default.reason and "3 cancellations by the setting or family to review" in default.reason
    strict = autumn_first_half(index, weekly(), contacts, policy=LedgerPolicy("owed", "owed", "owed"))
    assert strict.owed == pytest.approx(4) and strict.to_review == 0
    lenient = autumn_first_half(index, weekly(), contacts, policy=LedgerPolicy("not_owed", "not_owed", "not_owed"))
    assert lenient.owed == pytest.approx(1) and lenient.to_review == 0


def test_a_child_absent_from_a_group_session_is_not_counted_as_seen(index):
    ledger = autumn_first_half(index, weekly(), [delivered(D(2025, 9, 3), minutes=0)])
    assert ledger.delivered == 0 and ledger.not_seen == 1
    # Like did-not-attend, it is listed for review by default and owed under a strict policy.
    assert ledger.to_review == 1 and ledger.owed == pytest.approx(7)
    strict = autumn_first_half(index, weekly(), [delivered(D(2025, 9, 3), minutes=0)], policy=LedgerPolicy("owed", "owed", "owed"))
    assert strict.owed == pytest.approx(8)


def test_a_recorded_exception_pauses_the_clock(index):
    pause = Pause(D(2025, 9, 15), D(2025, 10, 10), "In hospital for four weeks")
    ledger = autumn_first_half(index, weekly(), [], pauses=[pause])
    assert ledger.due == pytest.approx(4)  # 8 weeks less the 4 paused


def test_due_only_while_on_roll(index):
    ledger = autumn_first_half(index, weekly(), [], on_roll=[(D(2025, 9, 29), None)])
    assert ledger.due == pytest.approx(4)
    assert autumn_first_half(index, weekly(), [], on_roll=[]).due == 0


def test_a_child_on_roll_at_two_settings_at_once_is_due_once(index):
    """Dual registration, or a move whose old school's end was recorded after the new start:
    the plan's provision is owed once, however many settings have the child on roll."""
    whole = autumn_first_half(index, weekly(), [], on_roll=[(D(2025, 9, 1), None)])
    overlapping = autumn_first_half(index, weekly(), [], on_roll=[(D(2025, 9, 1), D(2025, 10, 10)), (D(2025, 9, 22), None)])
    assert overlapping.due == whole.due
    touching = autumn_first_half(index, weekly(), [], on_roll=[(D(2025, 9, 1), D(2025, 9, 30)), (D(2025, 10, 1), None)])
    assert touching.due == whole.due


def test_a_plan_change_mid_year_ends_one_line_and_starts_another(index):
    old = weekly(id=1, ends_on=D(2025, 9, 30))
    new = weekly(id=2, sessions=2, starts_on=D(2025, 10, 1))
    old_ledger = autumn_first_half(index, old, [delivered(D(2025, 10, 8))])
    new_ledger = autumn_first_half(index, new, [])
    # Weeks of 1 (3 teaching days after INSET), 8, 15 and 22 Sep, then Mon-Tue of 29 Sep: 2 of 5 days.
    assert old_ledger.due == pytest.approx(4 + 0.4)
    assert new_ledger.due == pytest.approx(2 * (3.6))  # Wed 1 Oct on: 0.6 + 3 weeks
    assert old_ledger.problems == ["Session on 8 Oct 2025 is after this line ended on 30 Sep 2025"]


def test_bad_recordings_are_reported_not_counted(index):
    contacts = [
        delivered(D(2025, 9, 6)),  # Saturday
        delivered(D(2025, 10, 28)),  # half-term
        Contact(1, D(2025, 9, 10), "delivered", 30, 30, starts_at=dt.time(10)),
        Contact(2, D(2025, 9, 10), "delivered", 30, 30, starts_at=dt.time(10)),  # recorded twice
        Contact(3, D(2025, 9, 17), "delivered", 30, 30, child_id=99),  # someone else's line
        Contact(4, D(2025, 9, 24), "delivered", 500, 500, day_minutes=390),  # longer than the day
    ]
    ledger = line_ledger(weekly(), contacts, index, start=D(2025, 9, 1), end=D(2025, 12, 19), today=D(2025, 12, 20))
    assert ledger.delivered == 1
    assert len(ledger.problems) == 5
    assert any("not a teaching day" in p for p in ledger.problems)
    assert any("recorded twice" in p for p in ledger.problems)
    assert any("another child" in p for p in ledger.problems)
    assert any("longer (500 minutes)" in p for p in ledger.problems)


def test_unquantified_lines_cannot_be_counted(index):
    ledger = autumn_first_half(index, weekly(sessions=None, minutes=None, period=""), [delivered(D(2025, 9, 3))])
    assert ledger.state == "not_countable" and ledger.due == 0 and ledger.delivered == 1


def test_early_warning_when_too_few_sessions_are_booked_for_the_term(index):
    # Today 3 Nov 2025 (start of autumn half-term 2); all past sessions delivered, but only two
    # of the seven remaining weekly sessions are booked.
    today = D(2025, 11, 3)
    past = [D(2025, 9, 3)] + [D(2025, 9, 8) + dt.timedelta(weeks=n) for n in range(7)]
    contacts = [delivered(d) for d in past]
    contacts += [delivered(D(2025, 11, 4), status="planned"), delivered(D(2025, 11, 11), status="planned")]
    # The service has booked its sessions up to the end of term.
    ledger = line_ledger(weekly(), contacts, index, start=D(2025, 9, 1), end=D(2026, 8, 31), today=today,
                         booked_until=D(2025, 12, 19))
    assert ledger.owed == 0
    assert ledger.state == "at_risk"
    term = next(f for f in ledger.forecasts if "Autumn 2025/26" in f.horizon and "half-term" not in f.horizon)
    assert term.projected_owed == pytest.approx(5)
    assert "short by the end of Autumn 2025/26" in ledger.reason


def test_fully_booked_term_is_on_track(index):
    today = D(2025, 11, 3)
    past = [D(2025, 9, 3)] + [D(2025, 9, 8) + dt.timedelta(weeks=n) for n in range(7)]
    future = [D(2025, 11, 4) + dt.timedelta(weeks=n) for n in range(7)]
    contacts = [delivered(d) for d in past] + [delivered(d, status="planned") for d in future]
    ledger = line_ledger(weekly(), contacts, index, start=D(2025, 9, 1), end=D(2026, 8, 31), today=today,
                         booked_until=D(2025, 12, 19))
    assert ledger.state == "on_track", ledger.reason


def test_a_line_that_has_not_started(index):
    ledger = line_ledger(weekly(starts_on=D(2026, 1, 5)), [], index, start=D(2025, 9, 1), end=D(2026, 8, 31), today=D(2025, 11, 3))
    assert ledger.state == "not_started" and ledger.reason == "Starts on 5 January 2026"
