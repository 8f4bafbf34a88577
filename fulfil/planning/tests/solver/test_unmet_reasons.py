"""Each short line names the constraint that binds, in plain English."""

from fulfil.planning.solver import diagnose
from fulfil.planning.solver.diary import Diary
from fulfil.planning.solver.solve import solve
from fulfil.planning.tests.solver.builders import need, setting, term, therapist


def reasons(plan) -> dict[str, str]:
    return {item.need_id: item.reason for item in plan.unmet}


def test_no_therapist_of_the_discipline_covers_the_setting():
    instance = term([therapist(discipline="salt")], [setting()], [need("n1", discipline="ot")])
    assert reasons(solve(instance)) == {"n1": diagnose.NO_THERAPIST}


def test_the_setting_is_shut_on_every_day_the_therapist_works():
    instance = term([therapist(days=(0,))], [setting(open_days=(1, 2, 3))], [need("n1")])
    assert reasons(solve(instance)) == {"n1": diagnose.NOT_OPEN}


def test_the_therapists_are_on_leave_all_term():
    instance = term([therapist(away=(0, 1, 2))], [setting()], [need("n1")])
    assert reasons(solve(instance)) == {"n1": diagnose.ON_LEAVE}


def test_there_are_not_enough_weeks_for_the_sessions_due():
    instance = term([therapist()], [setting()], [need("n1", due=5)], weeks=3)
    plan = solve(instance)
    assert plan.planned_sessions["n1"] == 3
    assert reasons(plan) == {"n1": diagnose.TOO_FEW_WEEKS}


def test_the_therapists_minutes_in_the_patch_are_used_up():
    instance = term([therapist(minutes=60)], [setting()], [need("n1", due=1), need("n2", due=1)], weeks=1)
    plan = solve(instance)
    assert list(reasons(plan).values()) == [diagnose.CAPACITY]


def test_the_settings_per_day_limit_binds():
    instance = term([therapist(minutes=300, settings=("S1", "S2"))], [setting("S1"), setting("S2")],
                    [need("n1", at="S1", due=1), need("n2", at="S2", due=1)], weeks=1, max_settings_per_day=1)
    plan = solve(instance)
    assert plan.stats.planned_contacts == 1
    assert list(reasons(plan).values()) == [diagnose.SETTINGS_PER_DAY]


def test_the_childs_own_therapist_is_full_while_another_has_room():
    # T1 has room for one session a week and sees n1 in week 0 and another child in week 1;
    # T2 has the same room and nobody booked.
    instance = term([therapist("T1", minutes=60), therapist("T2", minutes=60)], [setting()],
                    [need("n1", due=2), need("filler", due=1)], weeks=2)
    diary = Diary(instance)
    t1 = instance.therapist_by_id["T1"]
    assert diary.book(instance.need_by_id["n1"], t1, 0, 0, grouped=False)
    assert diary.book(instance.need_by_id["filler"], t1, 0, 1, grouped=False)
    assert diagnose.reason(diary, instance.need_by_id["n1"]) == diagnose.OWN_THERAPIST_FULL


def test_room_left_in_the_diary_is_called_unused_capacity():
    instance = term([therapist(minutes=300)], [setting()], [need("n1", due=2)], weeks=2)
    diary = Diary(instance)
    assert diary.book(instance.need_by_id["n1"], instance.therapist_by_id["T1"], 0, 0, grouped=False)
    assert diagnose.reason(diary, instance.need_by_id["n1"]) == diagnose.UNUSED


def test_the_solver_never_leaves_unused_capacity_a_short_child_could_use():
    instance = term([therapist(minutes=150, days=(0, 1))], [setting()], [need(f"n{i}", due=4, minutes=45) for i in range(5)], weeks=4)
    plan = solve(instance)
    assert plan.unmet
    assert diagnose.UNUSED not in reasons(plan).values()
