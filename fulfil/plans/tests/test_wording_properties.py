"""Properties of the wording checker that hold for any text at all."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from fulfil.plans.wording import NOT_QUANTIFIED, QUANTIFIED, REASONS, VERDICTS, check_statement
from fulfil.plans.wording import vocabulary as v
from fulfil.plans.wording.results import describe

# Words the checker knows, plus the punctuation and numbers plans use: random sentences made
# of these reach far more of the parser than random characters do.
PLAN_WORDS = sorted(v.WORDS) + sorted(v.PHRASES) + [
    "-", "(", ")", ",", ".", ";", ":", "/", "1:1", "2-3", "30-minute", "half-termly", "\n", "'s", "0", "1", "1.5",
    "45", "99999999999", "0.25", "İ", "½", "×", "{name}",
]
plan_like_text = st.lists(st.sampled_from(PLAN_WORDS), max_size=40).map(" ".join)
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=200)  # includes lone surrogates


def assert_well_formed(text: str) -> None:
    check = check_statement(text)
    assert check.verdict in VERDICTS
    assert all(reason in REASONS for reason in check.reasons)
    assert len(check.messages) == len(check.reasons) or (not check.items and len(check.messages) == 1)
    for item in check.items:
        assert item.sessions is None or (type(item.sessions) is int and item.sessions > 0)
        assert item.minutes is None or (type(item.minutes) is int and item.minutes > 0)
        assert item.discipline in (None, "salt", "ot", "physio")
        assert item.kind in ("direct", "group", "indirect", "training", "review")
        assert item.period in (None, "week", "fortnight", "month", "half_term", "term", "year")
        assert item.deliverer in (None, "therapist", "assistant", "school_staff")
        for found in item.evidence.values():
            assert text[found.start:found.end] == found.words
        assert describe(item)
    if check.verdict == QUANTIFIED:
        assert check.reasons == []
        assert all(None not in (i.sessions, i.minutes, i.period, i.deliverer) for i in check.items)
    if check.verdict == NOT_QUANTIFIED:
        assert all(i.sessions is None and i.period is None for i in check.items)
    json.dumps(check.to_dict())
    assert all(isinstance(message, str) and message for message in check.messages)


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_it_never_raises_on_any_unicode_text(text):
    assert_well_formed(text)


@settings(max_examples=1500, deadline=None)
@given(plan_like_text)
def test_it_never_raises_on_random_plan_words(text):
    assert_well_formed(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(plan_like_text, any_text))
def test_the_same_text_always_gets_the_same_answer(text):
    assert check_statement(text).to_dict() == check_statement(text).to_dict()


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=60), st.integers(min_value=5, max_value=120),
       st.sampled_from(["week", "fortnight", "month", "half-term", "term", "academic year"]))
def test_any_count_length_and_period_written_plainly_is_read_back(sessions, minutes, period):
    text = f"{sessions} x {minutes} minute sessions per {period} with a speech and language therapist"
    item = check_statement(text).items[0]
    expected_period = {"half-term": "half_term", "academic year": "year"}.get(period, period)
    assert (item.sessions, item.minutes, item.period, item.deliverer) == (sessions, minutes, expected_period, "therapist")


def test_a_pasted_in_document_takes_work_in_proportion_to_its_length():
    # Quadratic work hides until someone pastes a whole plan into one cell: 8 times the text
    # must take about 8 times the work, not 64. Work is counted in Python function calls, which
    # is the same on every machine (a timed assertion would fail on a busy CI machine).
    import sys

    def calls(repeats: int) -> int:
        text = "Weekly 30 min SALT with a SLT, reviewed termly; plus OT advice to staff as needed. " * repeats
        count = 0

        def profiler(frame, event, arg):
            nonlocal count
            if event in ("call", "c_call"):
                count += 1

        sys.setprofile(profiler)
        try:
            check_statement(text)
        finally:
            sys.setprofile(None)
        return count

    small, large = calls(250), calls(2000)
    assert large < small * 12, (small, large)
