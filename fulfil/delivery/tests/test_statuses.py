"""A session's status is said once (`delivery.statuses`): the database stores those values and
the ledger counts by them, so a status recorded on a page is the one the ledger sees."""

import datetime as dt

import pytest

from fulfil.core.calendar import AcademicCalendar
from fulfil.delivery import statuses
from fulfil.delivery.models import SessionStatus
from fulfil.ledger.calendar_index import CalendarIndex
from fulfil.ledger.ledger import Contact, LedgerPolicy, Line, line_ledger

D = dt.date


def test_the_database_choices_are_the_one_definition():
    assert SessionStatus.choices == [(s.value, s.label) for s in statuses.SessionStatus]


@pytest.mark.parametrize(("status", "counter"), [
    (SessionStatus.DELIVERED, "delivered"),
    (SessionStatus.CANCELLED_BY_PROVIDER, "cancelled_by_provider"),
    (SessionStatus.CANCELLED_BY_SETTING, "cancelled_by_setting"),
    (SessionStatus.CANCELLED_BY_FAMILY, "cancelled_by_family"),
    (SessionStatus.DID_NOT_ATTEND, "did_not_attend"),
])
def test_the_ledger_counts_each_recorded_status(status, counter):
    # A weekly line in autumn 2025's first half-term; one session on Wednesday 10 September.
    line = Line(id=1, child_id=10, discipline="salt", sessions=1, minutes=30, period="week", starts_on=D(2025, 9, 1))
    contact = Contact(session_id=1, date=D(2025, 9, 10), status=status.value, minutes=30, session_minutes=30, child_id=10)
    ledger = line_ledger(line, [contact], CalendarIndex(AcademicCalendar(), 2025, 2025), start=D(2025, 9, 1),
                         end=D(2025, 10, 24), today=D(2025, 10, 25), policy=LedgerPolicy())
    assert getattr(ledger, counter) == 1
    assert ledger.problems == []


def test_a_planned_session_ahead_is_counted_as_booked():
    line = Line(id=1, child_id=10, discipline="salt", sessions=1, minutes=30, period="week", starts_on=D(2025, 9, 1))
    contact = Contact(session_id=1, date=D(2025, 10, 1), status=SessionStatus.PLANNED.value, minutes=0, session_minutes=30,
                      child_id=10)
    ledger = line_ledger(line, [contact], CalendarIndex(AcademicCalendar(), 2025, 2025), start=D(2025, 9, 1),
                         end=D(2025, 10, 24), today=D(2025, 9, 20))
    assert ledger.planned == 1
