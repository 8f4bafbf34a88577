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

from collections import defaultdict

from fulfil.planning.solver.allocation import Allocation
from fulfil.planning.solver.diary import Diary, intended_weeks, realise, top_up
from fulfil.planning.solver.objectives.fair_contacts import priority
from fulfil.planning.solver.variables import PlanVariables

WHOLE = 1e-6  # LP values within this of a whole number count as that number


def lp_start(v: PlanVariables, lp_values: list[float] | None, *, thorough: bool = True) -> Diary:
    instance = v.instance
    allocation = Allocation()
    if lp_values is not None:
        for (therapist_id, day, setting_id), var in v.alone_weeks.items():
            allocation.patterns.setdefault((therapist_id, day), {})[(setting_id,)] = lp_values[var.index]
        for (therapist_id, day, first, second), var in v.shared_weeks.items():
            allocation.patterns.setdefault((therapist_id, day), {})[(first, second)] = lp_values[var.index]
        allocation.patterns = {key: _round(fractional, v.usable(*key)) for key, fractional in allocation.patterns.items()}
        # Weeks each (therapist, weekday) visits each setting, once, not per line and day.
        visited = {key: intended_weeks(instance, *key, patterns) for key, patterns in allocation.patterns.items()}
        for need in sorted(v.needs, key=lambda n: -priority(n, instance)):
            flows: dict[str, float] = defaultdict(float)
            grouped_flow = 0.0
            for therapist in v.therapists_for[need.id]:
                for day in v.days_for[need.id, therapist.id]:
                    group = lp_values[v.group[need.id, therapist.id, day].index] if need.group_allowed else 0.0
                    flows[therapist.id] += lp_values[v.one_to_one[need.id, therapist.id, day].index] + group
                    grouped_flow += group
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
