"""A therapist's day holds its journeys and sessions within their clinical minutes."""

from collections import defaultdict

from fulfil.planning.solver.constraints import availability, capacity, settings_per_day
from fulfil.planning.solver.diagnose import CAPACITY
from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import feasible, need, setting, term, therapist, unpruned


def one_week(children: int):
    # 90 minutes a day, a 30-minute journey: room for two 30-minute sessions.
    return term([therapist(minutes=90)], [setting(journey=30)], [need(f"n{i}", due=1) for i in range(children)], weeks=1)


def test_sessions_that_fit_in_the_day_after_the_journey_are_allowed():
    built = unpruned(one_week(2), availability, settings_per_day, capacity)
    for i in range(2):
        built.model.add(built.variables.one_to_one[f"n{i}", "T1", 0] == 1)
    assert feasible(built)


def test_sessions_beyond_the_day_after_the_journey_are_not_allowed():
    built = unpruned(one_week(3), availability, settings_per_day, capacity)
    for i in range(3):
        built.model.add(built.variables.one_to_one[f"n{i}", "T1", 0] == 1)
    assert not feasible(built)


def test_it_never_plans_a_therapist_over_their_minutes_in_any_week():
    instance = term([therapist(minutes=200, days=(0, 1), settings=("S1", "S2"))], [setting("S1", journey=25), setting("S2", journey=40)],
                    [need(f"a{i}", at="S1", minutes=45, due=4) for i in range(5)] + [need(f"b{i}", at="S2", minutes=60, due=3) for i in range(4)],
                    weeks=4)
    plan = solve(instance)
    load = defaultdict(int)
    for visit in plan.timetable:
        journey = instance.setting_by_id[visit.setting_id].visit_overhead_minutes
        for week in visit.weeks_held:
            load[visit.weekday, week] += journey
        for session in visit.sessions:
            for week in session.weeks:
                load[visit.weekday, week] += session.minutes
    assert plan.stats.planned_contacts > 0
    assert max(load.values()) <= 200


def test_capacity_for_n_sessions_gives_exactly_n_and_names_capacity_for_the_rest():
    plan = solve(one_week(3))
    assert plan.stats.planned_contacts == 2
    assert [u.reason for u in plan.unmet] == [CAPACITY]
