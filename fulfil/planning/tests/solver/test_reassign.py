"""Giving a whole line to another therapist: taking a line out of the diary (`Diary.release`),
trying a change on a copy (`Diary.copy`), and `reassign`, which keeps a move only when the
minutes it frees reach a child who is still short."""

import time

from fulfil.planning.solver.decompose import split
from fulfil.planning.solver.diary import Diary, diary_reward, top_up
from fulfil.planning.solver.greedy import greedy_diary
from fulfil.planning.solver.instances import generate_term
from fulfil.planning.solver.reassign import reassign
from fulfil.planning.solver.solve import plan_from_diary
from fulfil.planning.tests.solver.builders import need, setting, term, therapist


def state(diary: Diary) -> dict:
    """Everything a diary holds, with empty entries (left behind by releases) dropped, so two
    diaries with the same bookings compare equal however they got there."""
    return {
        "load": {key: minutes for key, minutes in diary.load.items() if minutes},
        "visited": {key: set(settings) for key, settings in diary.visited.items() if settings},
        "solo": {key: sorted(ids) for key, ids in diary.solo.items() if ids},
        "meetings": {key: sorted(sorted(m) for m in held) for key, held in diary.meetings.items() if held},
        "busy": set(diary.busy),
        "count": {need_id: count for need_id, count in diary.count.items() if count},
        "therapist": dict(diary.therapist),
        "grouped": dict(diary.grouped),
    }


def booked(instance, bookings) -> Diary:
    """A diary with (line, therapist, weekday, week, grouped) booked in order; each must fit."""
    diary = Diary(instance)
    for need_id, therapist_id, day, week, grouped in bookings:
        assert diary.book(instance.need_by_id[need_id], instance.therapist_by_id[therapist_id], day, week, grouped=grouped)
    return diary


# -- Diary.release ---------------------------------------------------------------------------

def solo_term():
    # A covers S1 and S2, B covers S1 only. Monday only, 120 minutes, 10-minute journeys.
    return term([therapist("A", minutes=120, settings=("S1", "S2")), therapist("B", minutes=120, settings=("S1",))],
                [setting("S1", journey=10), setting("S2", journey=10)],
                [need("x", at="S1", minutes=60, due=2), need("z", at="S1", minutes=30, due=2),
                 need("w", at="S2", minutes=30, due=1), need("v", at="S1", minutes=60, due=1)], weeks=2)


def test_releasing_a_line_leaves_the_diary_as_if_the_line_had_never_been_booked():
    instance = solo_term()
    others = [("z", "A", 0, 0, False), ("w", "A", 0, 1, False)]
    lines_x = [("x", "A", 0, 0, False), ("x", "A", 0, 1, False)]
    without_x = booked(instance, others)
    diary = booked(instance, [others[0], lines_x[0], lines_x[1], others[1]])
    assert diary.load["A", 0, 0] == 10 + 30 + 60 and diary.load["A", 0, 1] == 10 + 60 + 10 + 30
    assert diary.visited["A", 0, 1] == {"S1", "S2"}

    assert diary.release(instance.need_by_id["x"]) == 2

    assert state(diary) == state(without_x)
    assert diary.load["A", 0, 0] == 10 + 30  # z still needs the journey to S1
    assert diary.load["A", 0, 1] == 10 + 30 and diary.visited["A", 0, 1] == {"S2"}  # S1's journey went with x
    assert diary.count["x"] == 0 and "x" not in diary.therapist and "x" not in diary.grouped
    assert not any(need_id == "x" for need_id, _day, _week in diary.busy)


def test_the_minutes_a_released_line_frees_can_be_booked_again():
    instance = solo_term()
    diary = booked(instance, [("z", "A", 0, 0, False), ("x", "A", 0, 0, False), ("x", "A", 0, 1, False),
                              ("w", "A", 0, 1, False)])
    a, b = instance.therapist_by_id["A"], instance.therapist_by_id["B"]
    x, v = instance.need_by_id["x"], instance.need_by_id["v"]
    assert diary.cost(v, a, 0, 1, grouped=False) is None  # 110 of 120 minutes taken
    assert not diary.book(x, b, 0, 0, grouped=False)  # x is A's line

    diary.release(x)

    assert diary.book(v, a, 0, 1, grouped=False)  # S1's journey again and 60 minutes: 110
    assert diary.book(x, b, 0, 0, grouped=False)  # x can go to another therapist now
    assert diary.therapist["x"] == "B" and diary.count["x"] == 1
    plan = plan_from_diary(instance, diary, status="TEST")
    assert plan.assignments == {"z": "A", "w": "A", "v": "A", "x": "B"}


def test_releasing_a_group_member_keeps_the_meeting_for_the_others_and_drops_the_meetings_it_was_alone_in():
    # g1 is in a group with g2 in week 0, alone in week 1 (where s is seen one-to-one) and alone
    # in week 2 (the only session at S1 that day).
    instance = term([therapist("A", minutes=200)], [setting("S1", journey=10)],
                    [need("g1", minutes=45, due=3, group=True), need("g2", minutes=45, due=1, group=True),
                     need("s", minutes=30, due=1)], weeks=3)
    others = [("g2", "A", 0, 0, True), ("s", "A", 0, 1, False)]
    without_g1 = booked(instance, others)
    diary = booked(instance, [("g1", "A", 0, 0, True), others[0], ("g1", "A", 0, 1, True), others[1],
                              ("g1", "A", 0, 2, True)])
    assert diary.meetings["A", 0, 0, "S1", 45] == [["g1", "g2"]]
    assert [diary.load["A", 0, week] for week in range(3)] == [55, 85, 55]

    assert diary.release(instance.need_by_id["g1"]) == 3

    assert state(diary) == state(without_g1)
    assert diary.meetings["A", 0, 0, "S1", 45] == [["g2"]]
    assert [diary.load["A", 0, week] for week in range(3)] == [55, 40, 0]  # the group's 45 minutes stay for g2
    assert not diary.visited["A", 0, 2]
    plan = plan_from_diary(instance, diary, status="TEST")
    assert plan.planned_sessions == {"g1": 0, "g2": 1, "s": 1}


def test_releasing_a_line_with_no_sessions_changes_nothing():
    instance = solo_term()
    diary = booked(instance, [("z", "A", 0, 0, False)])
    before = state(diary)
    assert diary.release(instance.need_by_id["x"]) == 0
    assert state(diary) == before


# -- Diary.copy ------------------------------------------------------------------------------

def test_changing_a_copy_of_the_diary_leaves_the_original_as_it_was():
    instance = term([therapist("A", minutes=200, settings=("S1", "S2"))], [setting("S1", journey=10), setting("S2", journey=10)],
                    [need("g1", minutes=45, due=2, group=True), need("g2", minutes=45, due=2, group=True),
                     need("s", minutes=30, due=2), need("t", at="S2", minutes=30, due=2)], weeks=2)
    original = booked(instance, [("g1", "A", 0, 0, True), ("g2", "A", 0, 0, True), ("s", "A", 0, 0, False),
                                 ("g1", "A", 0, 1, True), ("s", "A", 0, 1, False)])
    before = state(original)

    copy = original.copy()
    copy.release(instance.need_by_id["g2"])  # shrinks a meeting list in place
    copy.release(instance.need_by_id["s"])  # shrinks solo lists in place
    assert copy.book(instance.need_by_id["t"], instance.therapist_by_id["A"], 0, 0, grouped=False)  # a new visit
    assert copy.book(instance.need_by_id["g2"], instance.therapist_by_id["A"], 0, 1, grouped=True)  # joins g1's meeting

    assert state(original) == before
    assert original.meetings["A", 0, 0, "S1", 45] == [["g1", "g2"]] and original.meetings["A", 0, 1, "S1", 45] == [["g1"]]
    assert state(copy) != before
    plan_from_diary(instance, original, status="TEST")
    plan_from_diary(instance, copy, status="TEST")


# -- reassign --------------------------------------------------------------------------------

def crowded_term():
    """A is full: x (60 minutes) takes its Mondays in weeks 0 and 1, and y (only A covers S2)
    has one session, in week 2, of the three it should have. B also covers S1 and is free."""
    return term([therapist("A", minutes=100, settings=("S1", "S2")), therapist("B", minutes=100, settings=("S1",))],
                [setting("S1", journey=10), setting("S2", journey=10)],
                [need("x", at="S1", minutes=60, due=2, current="A"), need("y", at="S2", minutes=30, due=3, current="A")],
                weeks=3)


def crowded_diary(instance) -> Diary:
    return booked(instance, [("x", "A", 0, 0, False), ("x", "A", 0, 1, False), ("y", "A", 0, 2, False)])


def test_a_line_moves_to_the_therapist_with_room_so_a_short_child_is_seen():
    instance = crowded_term()
    diary = crowded_diary(instance)
    before = state(diary)
    reward_before = diary_reward(instance, diary)
    # Before: x is A's, y is one short of three, and topping up alone cannot reach y (A's
    # weeks 0 and 1 hold 70 of 100 minutes; y needs a journey and 30 minutes more).
    assert diary.therapist == {"x": "A", "y": "A"} and diary.count["y"] == 1
    topped = diary.copy()
    assert top_up(instance, topped) == 0 and topped.count["y"] == 1

    moved = reassign(instance, diary, deadline=None)

    assert moved is not diary
    assert moved.therapist["x"] == "B" and moved.count["x"] == 2
    assert moved.therapist["y"] == "A" and moved.count["y"] == 3
    assert diary_reward(instance, moved) > reward_before
    assert state(diary) == before  # the diary it was given is not changed
    plan = plan_from_diary(instance, moved, status="TEST")  # raises PlanInvalid on a broken rule
    assert plan.assignments == {"x": "B", "y": "A"}
    assert plan.planned_sessions == {"x": 2, "y": 3} and plan.unmet == ()


def test_reassign_keeps_the_diary_it_was_given_when_a_move_would_not_raise_the_reward():
    # B has room and covers S1, so moving x is possible, but every child already has all their
    # sessions: the move would only give the same reward.
    instance = term([therapist("A", minutes=100), therapist("B", minutes=100)], [setting("S1", journey=10)],
                    [need("x", minutes=60, due=2, current="A"), need("z", minutes=30, due=2, current="A")], weeks=2)
    diary = booked(instance, [("x", "A", 0, 0, False), ("x", "A", 0, 1, False), ("z", "A", 0, 0, False),
                              ("z", "A", 0, 1, False)])
    before = state(diary)
    assert reassign(instance, diary, deadline=None) is diary
    assert state(diary) == before


def test_reassign_keeps_the_diary_it_was_given_when_only_one_therapist_covers_each_line():
    instance = term([therapist("A", minutes=100, settings=("S1", "S2"))], [setting("S1", journey=10), setting("S2", journey=10)],
                    [need("x", at="S1", minutes=60, due=2), need("y", at="S2", minutes=30, due=3)], weeks=3)
    diary = crowded_diary(instance)
    before = state(diary)
    assert reassign(instance, diary, deadline=None) is diary
    assert state(diary) == before and diary.count["y"] == 1


def test_reassign_moves_nothing_once_its_deadline_has_passed():
    instance = crowded_term()
    diary = crowded_diary(instance)
    assert reassign(instance, diary, deadline=time.perf_counter() - 1.0) is diary
    assert diary.therapist["x"] == "A" and diary.count["y"] == 1


def test_reassign_never_lowers_the_reward_and_its_plans_stay_valid_on_a_generated_area():
    # The greedy baseline, topped up, for each part of a small generated area (parts with
    # several therapists of a discipline, so moves are possible).
    instance = generate_term(children=160, therapists=8, settings=6, seed=5)
    changed = 0
    for part in split(instance)[0]:
        diary = greedy_diary(part)
        top_up(part, diary)
        reward_before = diary_reward(part, diary)
        result = reassign(part, diary, deadline=None)
        reward_after = diary_reward(part, result)
        assert reward_after >= reward_before
        assert (result is diary) == (reward_after == reward_before)  # a new diary only for a better one
        plan_from_diary(part, result, status="TEST")
        changed += result is not diary
    assert changed >= 1  # this area has a therapist with room next to one who is full
