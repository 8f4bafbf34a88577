"""Whether a line is at risk turns on what a forecast looks to (half-term, term or year), never
on the words that name it on the page."""

import datetime as dt

import pytest

from fulfil.core.calendar import AcademicCalendar, HalfTerm
from fulfil.ledger.calendar_index import CalendarIndex
from fulfil.ledger.ledger import Contact, HorizonKind, Line, line_ledger

D = dt.date
LINE = Line(id=1, child_id=10, discipline="salt", sessions=1, minutes=30, period="week", starts_on=D(2025, 9, 1))
# Every weekly session of autumn 2025's first half-term delivered up to 29 September.
DELIVERED = [Contact(session_id=n, date=day, status="delivered", minutes=30, session_minutes=30)
             for n, day in enumerate([D(2025, 9, 3), D(2025, 9, 8), D(2025, 9, 15), D(2025, 9, 22), D(2025, 9, 29)])]


def short_by_half_term_only(index):
    # On 6 October nothing more is booked before half-term (it ends 26 October), and the ledger is read
    # only up to then: the half-term forecast is three sessions short and there is no other.
    return line_ledger(LINE, DELIVERED, index, start=D(2025, 9, 1), end=D(2025, 10, 26), today=D(2025, 10, 6),
                       booked_until=D(2025, 10, 26))


def test_each_forecast_says_what_it_looks_to():
    ledger = line_ledger(LINE, DELIVERED, CalendarIndex(AcademicCalendar(), 2025, 2025), start=D(2025, 9, 1),
                         end=D(2026, 8, 31), today=D(2025, 10, 6))
    assert [(f.kind, f.horizon) for f in ledger.forecasts] == [
        (HorizonKind.HALF_TERM, "end of Autumn 2025/26, half-term 1"),
        (HorizonKind.TERM, "end of Autumn 2025/26"),
        (HorizonKind.YEAR, "end of 2025/26"),
    ]


def test_a_short_half_term_alone_does_not_put_a_line_at_risk():
    ledger = short_by_half_term_only(CalendarIndex(AcademicCalendar(), 2025, 2025))
    assert [(f.kind, f.sessions_short) for f in ledger.forecasts] == [(HorizonKind.HALF_TERM, 3)]
    assert ledger.state == "on_track"


def test_renaming_the_half_terms_on_the_page_does_not_change_who_is_at_risk(monkeypatch):
    monkeypatch.setattr(HalfTerm, "label", property(lambda half: f"{half.term.label}, block {half.number}"))
    ledger = short_by_half_term_only(CalendarIndex(AcademicCalendar(), 2025, 2025))
    assert ledger.forecasts[0].horizon == "end of Autumn 2025/26, block 1"
    assert ledger.state == "on_track"


@pytest.mark.parametrize("kind", list(HorizonKind))
def test_the_kinds_are_the_calendar_blocks(kind):
    assert kind.value in CalendarIndex(AcademicCalendar(), 2025, 2025).blocks
