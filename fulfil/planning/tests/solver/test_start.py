"""The LP-rounded start plan's rounding rules (`solver.start`)."""

from fulfil.planning.solver.start import _whole_sessions, _within_visits


def test_a_lines_lp_sessions_are_rounded_as_a_whole_not_day_by_day():
    assert sum(_whole_sessions({0: 2.5, 2: 2.5}, 5.0).values()) == 5


def test_sessions_beyond_a_days_visits_move_to_another_day_with_visits_to_spare():
    # Monday's rounded patterns visit the setting 3 weeks, but the LP gave the line 5 there.
    counts = _within_visits({0: 5, 2: 2}, {0: 3, 2: 6}, {0: 4.6, 2: 2.4})
    assert counts == {0: 3, 2: 4}


def test_sessions_with_no_day_to_go_to_stay_where_the_lp_put_them():
    counts = _within_visits({0: 5, 2: 2}, {0: 3, 2: 3}, {0: 4.6, 2: 2.4})
    assert counts == {0: 4, 2: 3}
    assert sum(counts.values()) == 7


def test_a_line_within_its_visits_is_left_alone():
    assert _within_visits({1: 2, 3: 1}, {1: 6, 3: 6}, {1: 2.0, 3: 1.0}) == {1: 2, 3: 1}
