import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from fulfil.core.calendar import AcademicCalendar
from fulfil.ledger.calendar_index import CalendarIndex
from fulfil.ledger.ledger import Contact, LedgerPolicy, Line, line_ledger

INDEX = CalendarIndex(AcademicCalendar(), 2024, 2026)
YEAR_START, YEAR_END = dt.date(2025, 9, 1), dt.date(2026, 8, 31)
TEACHING = [dt.date.fromordinal(d) for d in INDEX.days if YEAR_START.toordinal() <= d <= YEAR_END.toordinal()]
STATUSES = ["delivered", "delivered", "delivered", "cancelled_provider", "cancelled_setting", "cancelled_family", "dna"]

lines = st.builds(
    Line,
    id=st.just(1), child_id=st.just(1), discipline=st.just("ot"),
    sessions=st.integers(1, 12), minutes=st.sampled_from([20, 30, 45, 60]),
    period=st.sampled_from(["week", "fortnight", "month", "half_term", "term", "year"]),
    starts_on=st.sampled_from(TEACHING[:120]),
    ends_on=st.one_of(st.none(), st.sampled_from(TEACHING[100:])),
)
contacts = st.lists(
    st.builds(lambda i, day, status, minutes: Contact(i, day, status, minutes, max(minutes, 1)),
              st.integers(1, 10**6), st.sampled_from(TEACHING), st.sampled_from(STATUSES), st.sampled_from([0, 30, 45])),
    max_size=60, unique_by=lambda c: c.session_id,
)
policies = st.builds(LedgerPolicy, *[st.sampled_from(["owed", "not_owed", "review"])] * 3)


DEFAULT_POLICY = LedgerPolicy()


def run(line, recorded, policy=DEFAULT_POLICY):
    return line_ledger(line, recorded, INDEX, start=YEAR_START, end=YEAR_END, today=YEAR_END + dt.timedelta(days=1), policy=policy)


@settings(max_examples=200, deadline=None)
@given(lines, contacts, policies)
def test_delivered_plus_owed_covers_due_and_owed_is_never_negative(line, recorded, policy):
    ledger = run(line, recorded, policy)
    assert ledger.owed >= 0
    assert all(block.owed_after >= 0 for block in ledger.blocks)
    assert ledger.delivered + ledger.excused + ledger.owed >= ledger.due - 1e-6


@settings(max_examples=200, deadline=None)
@given(lines, contacts)
def test_recomputing_gives_the_same_answer(line, recorded):
    first, second = run(line, recorded), run(line, list(reversed(recorded)))
    assert (first.due, first.delivered, first.owed, first.state, first.reason) == (
        second.due, second.delivered, second.owed, second.state, second.reason)


@settings(max_examples=200, deadline=None)
@given(lines, st.integers(0, 10**6), st.data())
def test_moving_a_session_within_its_block_leaves_block_totals_unchanged(line, seed, data):
    blocks = INDEX.accounting_blocks(line.period, YEAR_START, YEAR_END)
    block = data.draw(st.sampled_from(blocks))
    days = [d for d in TEACHING if block.starts_on <= d <= block.ends_on and d >= line.starts_on and (not line.ends_on or d <= line.ends_on)]
    if len(days) < 2:
        return
    first_day, second_day = data.draw(st.sampled_from(days)), data.draw(st.sampled_from(days))
    before = run(line, [Contact(seed, first_day, "delivered", 30, 30)])
    after = run(line, [Contact(seed, second_day, "delivered", 30, 30)])
    assert [(b.label, b.delivered, round(b.owed_after, 6)) for b in before.blocks] == [
        (b.label, b.delivered, round(b.owed_after, 6)) for b in after.blocks]
    assert before.owed == after.owed


@settings(max_examples=100, deadline=None)
@given(lines)
def test_a_full_year_is_due_in_whole_periods(line):
    whole_year = Line(line.id, line.child_id, line.discipline, line.sessions, line.minutes, line.period, YEAR_START, None)
    ledger = run(whole_year, [])
    expected = {
        "year": line.sessions, "term": 3 * line.sessions, "half_term": 6 * line.sessions,
    }.get(line.period)
    if expected is not None:
        assert abs(ledger.due - expected) < 1e-6
