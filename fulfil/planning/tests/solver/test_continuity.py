"""Objective 2: children stay with their current therapist when it costs no contact."""

from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import need, setting, term, therapist


def test_a_child_stays_with_their_current_therapist_when_it_costs_nothing():
    instance = term([therapist("T1"), therapist("T2")], [setting()], [need("n1", due=3, current="T2")], weeks=3)
    plan = solve(instance)
    assert plan.assignments == {"n1": "T2"}
    assert plan.stats.needs_kept_with_current_therapist == 1


def test_a_child_moves_when_their_therapist_is_away():
    instance = term([therapist("T1"), therapist("T2", away=(0, 1, 2))], [setting()], [need("n1", due=3, current="T2")], weeks=3)
    plan = solve(instance)
    assert plan.assignments == {"n1": "T1"}
    assert plan.planned_sessions["n1"] == 3


def test_continuity_never_costs_a_contact():
    # The current therapist can give one session; the other all three.
    instance = term([therapist("T1"), therapist("T2", away=(1, 2))], [setting()], [need("n1", due=3, current="T2")], weeks=3)
    plan = solve(instance)
    assert plan.assignments == {"n1": "T1"}
    assert plan.planned_sessions["n1"] == 3
