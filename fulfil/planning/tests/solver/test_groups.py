"""Groups: up to max_group_size group-allowed children of one setting and session length share
one session; the therapist's minutes are spent once."""

from fulfil.planning.solver.constraints import groups
from fulfil.planning.solver.schema import GROUP
from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import feasible, need, setting, term, therapist, unpruned


def five_children():
    return term([therapist()], [setting()], [need(f"n{i}", group=True, due=1) for i in range(5)], weeks=1)


def test_four_children_can_share_one_group_meeting():
    built = unpruned(five_children(), groups)
    v = built.variables
    built.model.add(v.meetings["T1", 0, "S1", 30] == 1)
    for i in range(4):
        built.model.add(v.group[f"n{i}", "T1", 0] == 1)
    assert feasible(built)


def test_a_fifth_child_does_not_fit_in_one_group_meeting():
    built = unpruned(five_children(), groups)
    v = built.variables
    built.model.add(v.meetings["T1", 0, "S1", 30] == 1)
    for i in range(5):
        built.model.add(v.group[f"n{i}", "T1", 0] == 1)
    assert not feasible(built)


def test_a_line_is_not_both_in_groups_and_one_to_one():
    built = unpruned(five_children(), groups)
    v = built.variables
    built.model.add(v.group["n0", "T1", 0] == 1)
    built.model.add(v.one_to_one["n0", "T1", 0] == 1)
    assert not feasible(built)


def test_group_allowed_children_share_sessions_so_more_are_seen():
    # Room for one 30-minute session a week: four group-allowed children are all seen every week.
    instance = term([therapist(minutes=60)], [setting()], [need(f"n{i}", group=True, due=3) for i in range(4)], weeks=3)
    plan = solve(instance)
    assert plan.stats.planned_contacts == 12
    assert all(session.kind == GROUP and len(session.need_ids) == 4 for visit in plan.timetable for session in visit.sessions)


def test_children_whose_plans_do_not_allow_groups_are_never_grouped():
    instance = term([therapist(minutes=60)], [setting()], [need(f"n{i}", due=3) for i in range(4)], weeks=3)
    plan = solve(instance)
    assert plan.stats.planned_contacts == 3
    assert all(session.kind != GROUP for visit in plan.timetable for session in visit.sessions)


def test_a_group_never_exceeds_the_maximum_or_mixes_settings_or_lengths():
    instance = term([therapist(minutes=300, settings=("S1", "S2"), days=(0, 1))], [setting("S1"), setting("S2")],
                    [need(f"a{i}", at="S1", group=True, due=3) for i in range(7)]
                    + [need(f"b{i}", at="S1", group=True, minutes=45, due=3) for i in range(3)]
                    + [need(f"c{i}", at="S2", group=True, due=3) for i in range(3)],
                    weeks=3, max_group_size=3)
    plan = solve(instance)
    grouped = [(visit, session) for visit in plan.timetable for session in visit.sessions if session.kind == GROUP]
    assert grouped
    for visit, session in grouped:
        members = [instance.need_by_id[n] for n in session.need_ids]
        assert len(members) <= 3
        assert {m.setting_id for m in members} == {visit.setting_id}
        assert {m.session_minutes for m in members} == {session.minutes}
        assert all(m.group_allowed for m in members)
