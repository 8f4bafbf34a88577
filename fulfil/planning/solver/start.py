"""A good first plan for CP-SAT: book the rounded LP relaxation, then top up fairly.

CP-SAT with two workers improves a plan well but is slow to find a good one from nothing at
borough scale. The LP relaxation (solved anyway for the bound) already says, fractionally, how
each therapist's weekdays divide between settings and who is seen when. This module:

1. rounds each weekday's week patterns (alone / shared weeks per setting) to whole weeks;
2. gives each line the therapist carrying most of its LP sessions (and its group or one-to-one
   mode) and lays the whole sessions of the LP solution out in those weeks (`diary.realise`);
3. tops up (`diary.top_up`): every further session that fits, every child's first session
   before anyone's second, the furthest behind first.

It books into a `Diary`, so the start is a valid plan in its own right (the solver keeps it if
CP-SAT's plan turns out worse week by week), and `PlanVariables.hint_from_diary` turns it into a
complete, feasible hint.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import partial

import numpy as np

from fulfil.planning.solver.allocation import Allocation
from fulfil.planning.solver.bound import LpRelaxation
from fulfil.planning.solver.diary import Diary, intended_weeks, realise, top_up
from fulfil.planning.solver.points import priority
from fulfil.planning.solver.variables import PlanVariables

WHOLE = 1e-6  # LP values within this of a whole number count as that number
DECIDED = 0.9  # share of a line's LP sessions with one therapist that settles its therapist
FREE_LOSS = 1.0  # points of the fairness LP (a session earns 100 or more): a hold that costs
# less than this is as good as free


def lp_start(v: PlanVariables, lp_values: list[float] | None, *, thorough: bool = True) -> Diary:
    instance = v.instance
    allocation = Allocation()
    if lp_values is not None:
        weeks: dict[tuple[str, int], dict[tuple[str, ...], float]] = {}
        for (therapist_id, day, setting_id), var in v.alone_weeks.items():
            weeks.setdefault((therapist_id, day), {})[(setting_id,)] = lp_values[var.index]
        for (therapist_id, day, first, second), var in v.shared_weeks.items():
            weeks.setdefault((therapist_id, day), {})[(first, second)] = lp_values[var.index]
        allocation.patterns = {key: _round(fractional, v.usable(*key)) for key, fractional in weeks.items()}
        # Weeks each (therapist, weekday) visits each setting, once, not per line and day.
        visited = {key: intended_weeks(instance, *key, patterns) for key, patterns in allocation.patterns.items()}
        for need in sorted(v.needs, key=lambda n: -priority(n, instance)):
            flows = lp_sessions(v, need.id, lp_values)
            grouped_flow = sum(lp_values[v.group[need.id, therapist.id, day].index] for therapist in v.therapists_for[need.id]
                               for day in v.days_for[need.id, therapist.id]) if need.group_allowed else 0.0
            if not flows or max(flows.values()) < 1 - WHOLE:
                continue
            therapist_id = max(flows, key=lambda t: (flows[t], t == need.current_therapist_id))
            grouped = need.group_allowed and grouped_flow > flows[therapist_id] / 2
            shares = {}
            for day in v.days_for[need.id, therapist_id]:
                share = lp_values[v.one_to_one[need.id, therapist_id, day].index]
                if need.group_allowed:
                    share += lp_values[v.group[need.id, therapist_id, day].index]
                shares[day] = share
            whole = _whole_sessions(shares, sum(flows.values()))
            visits = {day: len(visited.get((therapist_id, day), {}).get(need.setting_id, ())) for day in whole}
            for day, count in _within_visits(whole, visits, shares).items():
                allocation.add(need.id, therapist_id, day, count, group=grouped)
    diary = realise(instance, allocation, thorough=thorough)
    top_up(instance, diary)
    return diary


def lp_sessions(v: PlanVariables, need_id: str, values: Sequence[float] | np.ndarray) -> dict[str, float]:
    """A line's LP sessions (one-to-one and group, every weekday) with each therapist covering it."""
    return {t.id: sum(values[v.one_to_one[need_id, t.id, day].index]
                      + (values[v.group[need_id, t.id, day].index] if (need_id, t.id, day) in v.group else 0.0)
                      for day in v.days_for[need_id, t.id]) for t in v.therapists_for[need_id]}


def one_therapist_each(relaxation: LpRelaxation, v: PlanVariables, values: list[float], *,
                       deadline: float | None = None) -> list[float]:
    """The LP solution again with each line the LP sees given one therapist, chosen by the LP:
    the start for the pass that keeps lines with their start therapist (`patterns.generate`
    with `tied`).

    Why: `lp_start` gives a line the therapist with most of its LP sessions, but the LP may
    split a line, and then the rounded plan's therapists are not an LP optimum any more. At
    Sutton scale that way of choosing cost 25 of the LP's 3,415 sessions on a SALT part, where
    an assignment that costs none exists (HiGHS branch and bound on the assignment alone, in
    30 s). This finds one almost as good in a second or two: lines with at least `DECIDED` of
    their sessions with one therapist get that therapist (for almost nothing), then, one at a
    time and the most evenly split first, each other line gets the therapist whose LP optimum
    is highest when the line is held with them (each a dual simplex re-solve from the last
    basis). Measured, run to completion: the tied pass planned 13 to 26 more sessions on the
    602-line SALT part and 3 to 15 more on the 642-line one (four runs each).

    Call it with the LP at the fairness optimum (`solve.guide_weights`) and its solution as
    `values`: each step starts from the last basis. The LP's bounds are given back before
    returning, so later bounds (`solve.FairBound`) see the model as it was. A hold that leaves
    the LP without a solution (the model's rules let any line be held with any therapist who
    covers it, so this is a safeguard) leaves that line, or from the first step all lines, as
    the LP split them; `lp_start` then gives each the therapist with most of its sessions, as
    it always did."""
    held: list[int] = []
    shares = partial(lp_sessions, v)
    decided, undecided = _decided_lines(v, values)
    held.extend(decided)
    try:
        optimum = relaxation.fix(decided)
        if optimum is None:
            return values
        current = np.array(relaxation.solution())
        while undecided:
            if deadline is not None and time.perf_counter() > deadline:
                # Out of time: the rest go to the LP's favourite, all at once.
                rest: dict[int, float] = {}
                for need_id in undecided:
                    split = shares(need_id, current)
                    rest.update(_hold(v, need_id, max(split, key=lambda t: split[t])))
                held.extend(rest)
                if relaxation.fix(rest) is not None:
                    current = np.array(relaxation.solution())
                break

            def evenness(need_id: str, current: np.ndarray = current) -> float:
                split = shares(need_id, current)
                return max(split.values()) / max(sum(split.values()), WHOLE)
            need_id = min(undecided, key=evenness)
            undecided.remove(need_id)
            best = _best_therapist(relaxation, v, need_id, shares(need_id, current), optimum, held)
            if best is None:  # no therapist can have it with the others held: leave it to the LP
                relaxation.release([v.assign[need_id, t.id].index for t in v.therapists_for[need_id]])
                optimum = relaxation.fix({})
            else:
                optimum = relaxation.fix(_hold(v, need_id, best))
            if optimum is None:  # cannot happen (it was solved with this hold): keep the LP's own
                return values
            current = np.array(relaxation.solution())
        return list(current)
    finally:
        relaxation.release(held)


def _hold(v: PlanVariables, need_id: str, therapist_id: str) -> dict[int, float]:
    """The bounds that hold a line with one therapist: assigned to them, to nobody else."""
    return {v.assign[need_id, t.id].index: float(t.id == therapist_id) for t in v.therapists_for[need_id]}


def _decided_lines(v: PlanVariables, values: list[float]) -> tuple[dict[int, float], list[str]]:
    """Of the lines more than one therapist could see: the holds for those the LP has as good
    as decided (a whole session or more, and at least `DECIDED` of their sessions, with one
    therapist), and the lines still to decide (a whole session or more, split). A line with
    less than a session in the LP is left as it is."""
    decided: dict[int, float] = {}
    undecided: list[str] = []
    for need in v.needs:
        if len(v.therapists_for[need.id]) <= 1:
            continue
        split = lp_sessions(v, need.id, values)
        therapist_id = max(split, key=lambda t: split[t])
        if split[therapist_id] >= 1 - WHOLE and split[therapist_id] >= DECIDED * sum(split.values()):
            decided.update(_hold(v, need.id, therapist_id))
        elif sum(split.values()) >= 1 - WHOLE:
            undecided.append(need.id)
    return decided, undecided


def _best_therapist(relaxation: LpRelaxation, v: PlanVariables, need_id: str, split: dict[str, float],
                    optimum: float, held: list[int]) -> str | None:
    """The therapist whose LP optimum is highest with the line held with them, or None if no
    therapist can have it with the others held. The LP's favourite is tried first; holding a
    line can only lower the optimum, so once a hold costs (almost) nothing no other therapist
    can do better. Every hold tried is added to `held`, to be given back at the end."""
    best: tuple[float, str] | None = None
    for therapist in sorted(v.therapists_for[need_id], key=lambda t: -split[t.id]):
        held.extend(_hold(v, need_id, therapist.id))
        value = relaxation.fix(_hold(v, need_id, therapist.id))
        if value is not None and (best is None or value > best[0] + WHOLE):
            best = (value, therapist.id)
        if best is not None and best[0] >= optimum - FREE_LOSS:
            break
    return None if best is None else best[1]


def _whole_sessions(shares: dict[int, float], total: float) -> dict[int, int]:
    """Whole sessions per weekday for a line whose LP sessions with its therapist add up to
    `total`: the total rounded down, shared out by largest remainder. Rounding each weekday
    down on its own lost about one session in seven at Sutton scale (a line with 2.5 sessions
    on each of two days got 4, not 5)."""
    whole = {day: int(share + WHOLE) for day, share in shares.items()}
    spare = int(total + WHOLE) - sum(whole.values())
    for day in sorted(shares, key=lambda d: -(shares[d] - whole[d])):
        if spare <= 0:
            break
        if shares[day] - whole[day] > WHOLE:
            whole[day] += 1
            spare -= 1
    for day in sorted(shares, key=lambda d: -shares[d]):  # sessions the LP gave other therapists
        if spare <= 0:
            break
        whole[day] += 1
        spare -= 1
    return whole


def _within_visits(whole: dict[int, int], visits: dict[int, int], shares: dict[int, float]) -> dict[int, int]:
    """Move a line's sessions off a weekday that has more of them than the rounded week
    patterns visit its setting (a child is seen at most once a visit) onto its other weekdays
    with visits to spare, the LP's favourite first. What finds no such weekday stays put for
    `realise` to place outside the planned weeks, as before."""
    counts = dict(whole)
    excess = sum(max(0, count - visits[day]) for day, count in counts.items())
    if not excess:
        return counts
    for day in counts:
        counts[day] = min(counts[day], visits[day])
    for day in sorted(counts, key=lambda d: -shares.get(d, 0.0)):
        room = visits[day] - counts[day]
        moved = min(room, excess)
        counts[day] += moved
        excess -= moved
    if excess:  # nowhere to go: back where the LP put them
        for day in sorted(counts, key=lambda d: -shares.get(d, 0.0)):
            over = whole[day] - counts[day]
            back = min(max(0, over), excess)
            counts[day] += back
            excess -= back
    return counts


def _round(fractional: dict[tuple[str, ...], float], weeks: int) -> dict[tuple[str, ...], int]:
    """Whole weeks per pattern: round down, then hand out the weeks left by largest remainder."""
    whole = {key: int(value + WHOLE) for key, value in fractional.items()}
    spare = weeks - sum(whole.values())
    for key in sorted(fractional, key=lambda k: -(fractional[k] - whole[k])):
        if spare <= 0:
            break
        if fractional[key] - whole[key] > 0.05:
            whole[key] += 1
            spare -= 1
    return {key: value for key, value in whole.items() if value > 0}
