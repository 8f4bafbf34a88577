"""Objective 3: the fewest setting visits when contacts and continuity are equal."""

from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import need, setting, term, therapist


def test_children_at_one_setting_are_seen_on_one_visit_when_the_day_has_room():
    instance = term([therapist(days=(0, 1, 2), minutes=300)], [setting()], [need("n1", due=1), need("n2", due=1)], weeks=2)
    plan = solve(instance)
    assert plan.stats.planned_contacts == 2
    assert plan.stats.setting_visits == 1


def test_more_visits_are_made_when_contacts_need_them():
    # Each day has room for one session only: the two children need two visits.
    instance = term([therapist(days=(0, 1), minutes=60)], [setting()], [need("n1", due=1), need("n2", due=1)], weeks=1)
    plan = solve(instance)
    assert plan.stats.planned_contacts == 2
    assert plan.stats.setting_visits == 2


def test_the_plan_needs_fewer_visits_than_first_come_first_served():
    # First come, first served fills T1's one slot, then sends the others to T2: two journeys to
    # the same school. T2 alone can see all three in one visit.
    instance = term([therapist("T1", minutes=60), therapist("T2", minutes=300)], [setting()],
                    [need(f"n{i}", due=1) for i in range(3)], weeks=1)
    plan = solve(instance)
    assert plan.stats.planned_contacts == plan.stats.greedy_planned_contacts == 3
    assert plan.stats.greedy_setting_visits == 2
    assert plan.stats.setting_visits == 1
