"""At most max_settings_per_day settings in a therapist's day (two by default: morning and
afternoon), in every week."""

from collections import defaultdict

from fulfil.planning.solver.constraints import settings_per_day
from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import feasible, need, setting, term, therapist, unpruned

SETTINGS = ("S1", "S2", "S3")


def three_settings(**config):
    return term([therapist(minutes=330, settings=SETTINGS)], [setting(s, journey=20) for s in SETTINGS],
                [need(f"n-{s}", at=s, due=2) for s in SETTINGS], weeks=2, **config)


def test_two_settings_can_share_every_week_of_a_day():
    built = unpruned(three_settings(), settings_per_day)
    v = built.variables
    built.model.add(v.shared_weeks["T1", 0, "S1", "S2"] == 2)
    built.model.add(v.visit_weeks["T1", 0, "S1"] == 2)
    assert feasible(built)


def test_three_settings_cannot_all_be_visited_every_week_of_a_day():
    built = unpruned(three_settings(), settings_per_day)
    v = built.variables
    for s in SETTINGS:
        built.model.add(v.visit_weeks["T1", 0, s] == 2)
    assert not feasible(built)


def test_it_never_plans_more_settings_in_a_day_than_allowed():
    for most in (1, 2):
        plan = solve(three_settings(max_settings_per_day=most))
        visited = defaultdict(set)
        for visit in plan.timetable:
            for week in visit.weeks_held:
                visited[visit.weekday, week].add(visit.setting_id)
        assert max(len(s) for s in visited.values()) == most
        assert plan.stats.planned_contacts == 2 * most  # two weeks, `most` settings a day
