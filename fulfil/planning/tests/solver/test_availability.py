"""Visits only in weeks a therapist can go; at most one session a week per child per visit."""

from fulfil.planning.solver.constraints import availability
from fulfil.planning.solver.diagnose import ON_LEAVE, TOO_FEW_WEEKS
from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import feasible, need, sessions_by_week, setting, term, therapist, unpruned


def test_a_child_can_have_one_session_a_week_at_a_visit():
    built = unpruned(term([therapist()], [setting()], [need("n1")], weeks=3), availability)
    v = built.variables
    built.model.add(v.visit_weeks["T1", 0, "S1"] == 2)
    built.model.add(v.one_to_one["n1", "T1", 0] == 2)
    assert feasible(built)


def test_a_child_cannot_have_more_sessions_at_a_visit_than_weeks_it_is_held():
    built = unpruned(term([therapist()], [setting()], [need("n1")], weeks=3), availability)
    v = built.variables
    built.model.add(v.visit_weeks["T1", 0, "S1"] == 2)
    built.model.add(v.one_to_one["n1", "T1", 0] == 3)
    assert not feasible(built)


def test_a_visit_cannot_be_held_in_more_weeks_than_the_therapist_is_available():
    built = unpruned(term([therapist(away=(0, 1))], [setting()], [need("n1")], weeks=3), availability)
    built.model.add(built.variables.visit_weeks["T1", 0, "S1"] == 2)
    assert not feasible(built)


def test_it_never_plans_a_session_in_a_week_the_therapist_is_away():
    instance = term([therapist(away=(1,))], [setting()], [need("n1", due=3)], weeks=3)
    plan = solve(instance)
    assert [week for *_rest, week in sessions_by_week(plan, "n1")] == [0, 2]
    assert [(u.sessions_short, u.reason) for u in plan.unmet] == [(1, TOO_FEW_WEEKS)]


def test_a_therapist_away_all_term_plans_nothing_and_says_why():
    instance = term([therapist(away=(0, 1, 2))], [setting()], [need("n1", due=3)], weeks=3)
    plan = solve(instance)
    assert plan.stats.planned_contacts == 0
    assert plan.unmet[0].reason == ON_LEAVE
