"""Laying term totals out week by week, and topping up fairly."""

from fulfil.planning.solver.allocation import Allocation
from fulfil.planning.solver.diary import Diary, realise, top_up
from fulfil.planning.tests.solver.builders import need, setting, term, therapist


def test_a_day_shared_by_two_settings_is_laid_out_in_the_weeks_the_model_meant():
    instance = term([therapist(minutes=300, settings=("S1", "S2"))], [setting("S1"), setting("S2")],
                    [need("a", at="S1", due=3), need("b", at="S2", due=1)], weeks=3)
    allocation = Allocation(therapist={"a": "T1", "b": "T1"}, in_group={"a": False, "b": False},
                            sessions={("a", 0): 3, ("b", 0): 1}, patterns={("T1", 0): {("S1",): 2, ("S1", "S2"): 1}})
    diary = realise(instance, allocation)
    assert diary.count == {"a": 3, "b": 1}
    visited = {week: sorted(diary.visited["T1", 0, week]) for week in range(3)}
    assert sorted(visited.values()) == [["S1"], ["S1"], ["S1", "S2"]]


def test_the_diary_refuses_a_booking_that_breaks_a_rule():
    instance = term([therapist(minutes=60, away=(1,))], [setting()], [need("a", due=3), need("b", due=3)], weeks=3)
    diary = Diary(instance)
    t1 = instance.therapist_by_id["T1"]
    assert diary.book(instance.need_by_id["a"], t1, 0, 0, grouped=False)
    assert not diary.book(instance.need_by_id["a"], t1, 0, 0, grouped=False)  # twice in a day
    assert not diary.book(instance.need_by_id["b"], t1, 0, 0, grouped=False)  # no minutes left
    assert not diary.book(instance.need_by_id["b"], t1, 0, 1, grouped=False)  # on leave
    assert not diary.book(instance.need_by_id["b"], t1, 1, 2, grouped=False)  # not a working day


def test_top_up_gives_every_child_a_first_session_before_anyone_a_second():
    instance = term([therapist(minutes=90)], [setting()], [need(f"n{i}", due=3) for i in range(5)], weeks=3)
    diary = Diary(instance)
    top_up(instance, diary)
    assert sorted(diary.count[n.id] for n in instance.needs) == [1, 1, 1, 1, 2]


def test_moving_a_session_makes_room_for_a_child_still_at_zero():
    # 90 minutes of room a week. Week 0 has a and b (30 each), week 1 has d (45): neither week
    # has 60 minutes free for c, until b moves to week 1.
    instance = term([therapist(minutes=120)], [setting(journey=30)],
                    [need("a", due=1), need("b", due=1), need("d", due=1, minutes=45), need("c", due=1, minutes=60)], weeks=2)
    diary = Diary(instance)
    t1 = instance.therapist_by_id["T1"]
    for name, week in (("a", 0), ("b", 0), ("d", 1)):
        assert diary.book(instance.need_by_id[name], t1, 0, week, grouped=False)
    assert all(diary.cost(instance.need_by_id["c"], t1, 0, week, grouped=False) is None for week in (0, 1))
    assert diary.book_by_moving(instance.need_by_id["c"], t1, 0)
    assert diary.count == {"a": 1, "b": 1, "d": 1, "c": 1}
    assert ("c", 0, 0) in diary.busy
    assert ("a", 0, 1) in diary.busy or ("b", 0, 1) in diary.busy  # one of them moved to week 1
    assert all(diary.load["T1", 0, week] <= 120 for week in (0, 1))


def test_a_child_at_zero_takes_the_place_of_two_top_ups_rather_than_wait():
    # One week, 90 minutes a day (60 after the journey). a and b are seen on Monday and topped
    # up on Tuesday; c (60 minutes) only fits on Tuesday in place of both top-ups.
    instance = term([therapist(minutes=90, days=(0, 1))], [setting(journey=30)],
                    [need("a", due=2), need("b", due=2), need("c", due=1, minutes=60)], weeks=1)
    diary = Diary(instance)
    t1 = instance.therapist_by_id["T1"]
    for name, day in (("a", 0), ("b", 0), ("a", 1), ("b", 1)):
        assert diary.book(instance.need_by_id[name], t1, day, 0, grouped=False)
    assert all(diary.cost(instance.need_by_id["c"], t1, day, 0, grouped=False) is None for day in (0, 1))
    assert diary.book_by_replacing(instance.need_by_id["c"], t1, 1)
    assert diary.count == {"a": 1, "b": 1, "c": 1}
    assert diary.load["T1", 1, 0] == 90 and ("c", 1, 0) in diary.busy


def test_a_child_at_zero_takes_the_place_of_a_whole_visit_of_top_ups_when_the_day_has_its_two_settings():
    # Monday visits S1 and S2 (the most a day allows). a and b at S2 already had a session on
    # Tuesday, so their Monday sessions are top-ups; c at S3 can only come in place of S2's visit.
    instance = term([therapist(minutes=300, days=(0, 1), settings=("S1", "S2", "S3"))],
                    [setting("S1"), setting("S2"), setting("S3", open_days=(0,))],
                    [need("s1", at="S1", due=1), need("a", at="S2", due=2), need("b", at="S2", due=2),
                     need("c", at="S3", due=1, minutes=45)], weeks=1)
    diary = Diary(instance)
    t1 = instance.therapist_by_id["T1"]
    for name, day in (("a", 1), ("b", 1), ("s1", 0), ("a", 0), ("b", 0)):
        assert diary.book(instance.need_by_id[name], t1, day, 0, grouped=False)
    assert diary.cost(instance.need_by_id["c"], t1, 0, 0, grouped=False) is None
    assert diary.book_by_replacing(instance.need_by_id["c"], t1, 0)
    assert diary.count == {"s1": 1, "a": 1, "b": 1, "c": 1}
    assert diary.visited["T1", 0, 0] == {"S1", "S3"}


def test_a_visit_with_a_childs_only_session_is_never_given_up_for_another_child():
    instance = term([therapist(minutes=300, settings=("S1", "S2", "S3"))], [setting("S1"), setting("S2"), setting("S3")],
                    [need("s1", at="S1", due=1), need("a", at="S2", due=2), need("c", at="S3", due=1)], weeks=1)
    diary = Diary(instance)
    t1 = instance.therapist_by_id["T1"]
    for name in ("s1", "a"):
        assert diary.book(instance.need_by_id[name], t1, 0, 0, grouped=False)
    assert not diary.book_by_replacing(instance.need_by_id["c"], t1, 0)  # a's Monday session is its first
    assert diary.count == {"s1": 1, "a": 1}
