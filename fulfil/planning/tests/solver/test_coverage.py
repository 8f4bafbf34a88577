"""A therapist only sees children at settings they cover."""

from fulfil.planning.solver.constraints import coverage
from fulfil.planning.solver.diagnose import NO_THERAPIST
from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import feasible, need, setting, term, therapist, unpruned


def two_patches():
    return term([therapist("T1", settings=("S1",)), therapist("T2", settings=("S2",))], [setting("S1"), setting("S2")],
                [need("n1", at="S1")])


def test_a_line_can_go_to_a_therapist_who_covers_its_setting():
    built = unpruned(two_patches(), coverage)
    built.model.add(built.variables.assign["n1", "T1"] == 1)
    assert feasible(built)


def test_a_line_cannot_go_to_a_therapist_who_does_not_cover_its_setting():
    built = unpruned(two_patches(), coverage)
    built.model.add(built.variables.assign["n1", "T2"] == 1)
    assert not feasible(built)


def test_a_therapist_cannot_visit_a_setting_they_do_not_cover():
    built = unpruned(two_patches(), coverage)
    built.model.add(built.variables.visit_weeks["T2", 0, "S1"] >= 1)
    assert not feasible(built)


def test_it_never_plans_a_therapist_at_a_setting_they_do_not_cover():
    # T2 has a free day but does not cover S1, where T1 cannot see everyone.
    instance = term([therapist("T1", minutes=90, settings=("S1",)), therapist("T2", minutes=300, settings=("S2",))],
                    [setting("S1"), setting("S2")], [need(f"n{i}", at="S1", due=3) for i in range(4)])
    plan = solve(instance)
    assert {visit.setting_id for visit in plan.timetable if visit.therapist_id == "T2"} == set()
    assert plan.stats.planned_contacts == 2 * 3  # T1: two 30-minute sessions a week after a 30-minute journey


def test_a_line_no_therapist_covers_is_reported_as_such():
    instance = term([therapist("T1", settings=("S1",))], [setting("S1"), setting("S2")], [need("n1", at="S2")])
    plan = solve(instance)
    assert plan.planned_sessions["n1"] == 0
    assert [(u.need_id, u.sessions_short, u.reason) for u in plan.unmet] == [("n1", 3, NO_THERAPIST)]
