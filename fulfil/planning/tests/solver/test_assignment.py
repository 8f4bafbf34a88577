"""One therapist per line for the term, and only a therapist who sees the child is assigned."""

from fulfil.planning.solver.constraints import assignment
from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import feasible, need, setting, term, therapist, unpruned


def two_therapists():
    return term([therapist("T1"), therapist("T2")], [setting()], [need("n1", due=4)], weeks=2)


def test_a_line_can_be_seen_by_its_one_therapist():
    built = unpruned(two_therapists(), assignment)
    v = built.variables
    built.model.add(v.assign["n1", "T1"] == 1)
    built.model.add(v.one_to_one["n1", "T1", 0] == 2)
    assert feasible(built)


def test_a_line_cannot_have_two_therapists():
    built = unpruned(two_therapists(), assignment)
    v = built.variables
    built.model.add(v.one_to_one["n1", "T1", 0] == 1)
    built.model.add(v.one_to_one["n1", "T2", 0] == 1)
    assert not feasible(built)


def test_a_therapist_is_not_assigned_a_child_they_never_see():
    built = unpruned(two_therapists(), assignment)
    built.model.add(built.variables.assign["n1", "T1"] == 1)
    for day in range(5):
        built.model.add(built.variables.one_to_one["n1", "T1", day] == 0)
    assert not feasible(built)


def test_it_keeps_each_child_with_one_therapist_even_when_two_would_give_more():
    # Each therapist has one Monday in the two weeks; the child needs 2. Splitting would give 2.
    instance = term([therapist("T1", away=(1,)), therapist("T2", away=(0,))], [setting()], [need("n1", due=2)], weeks=2)
    plan = solve(instance)
    seen_by = {visit.therapist_id for visit in plan.timetable if any("n1" in s.need_ids for s in visit.sessions)}
    assert len(seen_by) == 1
    assert plan.assignments["n1"] in seen_by
    assert plan.planned_sessions["n1"] == 1
