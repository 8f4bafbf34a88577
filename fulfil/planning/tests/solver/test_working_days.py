"""Visits only on a therapist's working days, when the setting is open that weekday and week."""

from fulfil.planning.solver.constraints import working_days
from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import feasible, need, sessions_by_week, setting, term, therapist, unpruned


def test_a_visit_on_a_working_day_is_allowed():
    built = unpruned(term([therapist(days=(0, 2))], [setting()], [need("n1")]), working_days)
    built.model.add(built.variables.visit_weeks["T1", 2, "S1"] >= 1)
    assert feasible(built)


def test_a_visit_on_a_day_the_therapist_does_not_work_is_not_allowed():
    built = unpruned(term([therapist(days=(0, 2))], [setting()], [need("n1")]), working_days)
    built.model.add(built.variables.visit_weeks["T1", 1, "S1"] >= 1)
    assert not feasible(built)


def test_a_visit_on_a_weekday_the_setting_is_shut_is_not_allowed():
    built = unpruned(term([therapist(days=(0, 1))], [setting(open_days=(1, 2, 3))], [need("n1")]), working_days)
    built.model.add(built.variables.visit_weeks["T1", 0, "S1"] >= 1)
    assert not feasible(built)


def test_it_never_plans_a_therapist_on_a_day_they_do_not_work():
    instance = term([therapist(days=(0, 2), minutes=120)], [setting()], [need(f"n{i}", due=6) for i in range(4)])
    plan = solve(instance)
    assert plan.stats.planned_contacts > 0
    assert {visit.weekday for visit in plan.timetable} <= {0, 2}


def test_it_never_plans_a_session_on_a_closed_day_of_a_week():
    # Monday of week 1 is a bank holiday: the Monday visits skip that week.
    instance = term([therapist(days=(0,))], [setting()], [need("n1", due=3)], closed={1: (0,)})
    plan = solve(instance)
    assert [week for *_rest, week in sessions_by_week(plan, "n1")] == [0, 2]
    assert plan.unmet[0].sessions_short == 1
