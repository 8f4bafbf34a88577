"""Objective 1: contacts, fairly: first sessions before top-ups; the children furthest behind
and with the earliest deadlines first."""

from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import need, setting, term, therapist


def room_for(sessions_a_week: int, weeks: int):
    """One therapist, Mondays, room for that many 30-minute sessions a week (after a 30-minute journey)."""
    return therapist(minutes=30 + 30 * sessions_a_week), weeks


def test_with_room_for_five_first_sessions_seven_children_get_one_each_before_anyone_gets_two():
    person, weeks = room_for(1, 5)
    plan = solve(term([person], [setting()], [need(f"n{i}", due=3) for i in range(7)], weeks=weeks))
    counts = sorted(plan.planned_sessions.values())
    assert counts == [0, 0, 1, 1, 1, 1, 1]
    assert plan.stats.children_at_zero == 2


def test_no_child_is_left_at_zero_while_others_are_topped_up():
    person, weeks = room_for(2, 4)  # 8 sessions for 6 children who each need 3
    plan = solve(term([person], [setting()], [need(f"n{i}", due=3) for i in range(6)], weeks=weeks))
    assert min(plan.planned_sessions.values()) >= 1
    assert sum(plan.planned_sessions.values()) == 8
    assert plan.stats.children_at_zero == 0


def test_the_child_furthest_behind_gets_the_only_session():
    person, weeks = room_for(1, 1)
    plan = solve(term([person], [setting()], [need("up-to-date", due=6), need("behind", due=3, owed=3)], weeks=weeks))
    assert plan.planned_sessions == {"up-to-date": 0, "behind": 1}


def test_the_child_with_the_earlier_deadline_gets_the_only_session():
    person, weeks = room_for(1, 1)
    plan = solve(term([person], [setting()], [need("review-later", due=3, deadline=2), need("review-first", due=3, deadline=0)],
                      weeks=weeks))
    assert plan.planned_sessions == {"review-later": 0, "review-first": 1}


def test_half_a_requirement_for_everyone_comes_before_all_of_it_for_some():
    person, weeks = room_for(2, 4)  # 8 sessions; two children need 6 each
    plan = solve(term([person], [setting()], [need("a", due=6), need("b", due=6)], weeks=weeks))
    assert plan.planned_sessions == {"a": 4, "b": 4}
