"""A line is planned at most its due plus owed sessions; owed sessions are planned like due ones."""

from fulfil.planning.solver.constraints import requirement
from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import feasible, need, setting, term, therapist, unpruned


def test_up_to_due_plus_owed_sessions_are_allowed():
    built = unpruned(term([therapist(days=(0, 1))], [setting()], [need("n1", due=2, owed=1)], weeks=3), requirement)
    built.model.add(built.variables.one_to_one["n1", "T1", 0] == 3)
    assert feasible(built)


def test_more_than_due_plus_owed_is_not_allowed():
    built = unpruned(term([therapist(days=(0, 1))], [setting()], [need("n1", due=2, owed=1)], weeks=3), requirement)
    built.model.add(built.variables.one_to_one["n1", "T1", 0] == 3)
    built.model.add(built.variables.one_to_one["n1", "T1", 1] == 1)
    assert not feasible(built)


def test_it_plans_owed_sessions_but_never_more_than_required_with_time_to_spare():
    instance = term([therapist(days=(0, 1, 2), minutes=330)], [setting()], [need("n1", due=2, owed=3), need("n2", due=1)], weeks=4)
    plan = solve(instance)
    assert plan.planned_sessions == {"n1": 5, "n2": 1}
    assert plan.unmet == ()
