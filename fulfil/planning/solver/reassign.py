"""Give whole lines to another therapist who has room, so the minutes they free reach children
who are still short.

Diving (`patterns.dive`) ties each line to one therapist early, from the LP's fractions; by the
end some therapists have idle weeks while another therapist covering the same setting is full
and has children short of their sessions. A service manager fixes that by hand: "Sam has room
on Fridays; move a child from Jo's caseload at that school to Sam, and Jo can see the children
she could not fit". `reassign` does that, one line at a time, and keeps a move only if the
plan's fairness reward (objective 1) rises: the moved line is booked with its new therapist,
then the whole part is topped up (`diary.top_up`), which is where the freed minutes go. Moves
chain across passes (Sam takes a child from Jo, Jo takes one from Kim, Kim sees a child who
was short). Measured at Sutton scale (ADR 11): 15 sessions more, in a second or two per part
that has a therapist with room.
"""

from __future__ import annotations

import time

from fulfil.planning.solver.diary import Diary, _book_one, covering_therapists, diary_reward, top_up
from fulfil.planning.solver.rules import works
from fulfil.planning.solver.schema import Need, TermInstance, Therapist

MAX_PASSES = 5  # over every line; the measured gains come in the first two


def reassign(instance: TermInstance, diary: Diary, *, deadline: float | None) -> Diary:
    """The diary with lines moved to therapists with room while that raises the reward (a new
    Diary if any move was kept). `deadline` (perf_counter) stops it early; `None` runs it to
    the end, so the same input gives the same plan.

    Give it a topped-up diary: each trial is topped up, so on a diary that is not, a move would
    be credited with what topping up alone would have added, and a child would change therapist
    for nothing."""
    covering = covering_therapists(instance)
    # Moves are tried in the area's order of therapists (`covering` puts the child's current
    # therapist first, which is top-up's order, not this one's).
    candidates = {need_id: sorted(therapists, key=instance.therapists.index) for need_id, therapists in covering.items()}
    best = diary_reward(instance, diary)
    for _pass in range(MAX_PASSES):
        moved = False
        for need in instance.needs:
            current = diary.therapist.get(need.id)
            if current is None or len(candidates[need.id]) < 2:
                continue
            for therapist in candidates[need.id]:
                if deadline is not None and time.perf_counter() > deadline:
                    return diary
                if therapist.id == current or not _has_room(instance, diary, need, therapist):
                    continue
                trial = _moved(instance, diary, need, therapist, covering)
                if trial is not None and (reward := diary_reward(instance, trial)) > best:
                    diary, best, moved = trial, reward, True
                    break
        if not moved:
            break
    return diary


def _has_room(instance: TermInstance, diary: Diary, need: Need, therapist: Therapist) -> bool:
    """Some week of a day the therapist works at the line's setting has a session's minutes free."""
    return any(therapist.minutes_per_day - diary.load[therapist.id, day, week] >= need.session_minutes
               for day in therapist.working_days if works(instance, therapist, day, need.setting_id)
               for week in diary.weeks(therapist.id, day))


def _moved(instance: TermInstance, diary: Diary, need: Need, therapist: Therapist,
           covering: dict[str, list[Therapist]]) -> Diary | None:
    """A copy with the line given to `therapist` (as many sessions as it had, if they fit) and
    the part topped up; None if the new therapist cannot see it at all."""
    trial = diary.copy()
    had = trial.release(need)
    for _session in range(had):
        if not _book_one(trial, need, [therapist]):
            break
    if not trial.count[need.id]:
        return None
    top_up(instance, trial, covering=covering)
    return trial
