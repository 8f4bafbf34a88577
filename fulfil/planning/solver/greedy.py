"""The baseline a manager builds by hand: first come, first served.

Take the lines in list order; give each its sessions with its current therapist (or, if they
have no room, the first therapist on the list who covers the setting and has room), on their
working days from Monday on, opening a new slot or a new visit while the day has minutes (and
settings) left. Group-allowed lines join a group slot of their length at that visit when a
seat is free. No look-ahead: an early child gets everything; a child late in the list gets
what is left.

It uses the same slots and the same realisation as the optimiser, so the comparison is like for
like, and its allocation is a feasible start (a hint) for CP-SAT.
"""

from __future__ import annotations

from collections import defaultdict

from fulfil.planning.solver.allocation import Allocation
from fulfil.planning.solver.schema import Need, TermInstance, Therapist


def candidates(instance: TermInstance, need: Need) -> list[Therapist]:
    """Therapists of the line's discipline covering its setting: current therapist first."""
    covering = [t for t in instance.therapists if t.discipline == need.discipline and need.setting_id in t.settings_covered]
    covering.sort(key=lambda t: t.id != need.current_therapist_id)  # stable: keeps list order otherwise
    return covering


def greedy_allocation(instance: TermInstance) -> Allocation:
    allocation = Allocation()
    size = instance.max_group_size
    most_settings = instance.config.max_settings_per_day
    minutes_used: dict[tuple[str, int], int] = defaultdict(int)
    settings_on: dict[tuple[str, int], set[str]] = defaultdict(set)
    slots: dict[tuple[str, int, str, bool, int], list[int]] = {}  # -> [slots opened, places used]

    for need in instance.needs:
        if need.required <= 0:
            continue
        setting = instance.setting_by_id[need.setting_id]
        grouped = need.group_allowed
        for therapist in candidates(instance, need):
            got = 0
            for day in sorted(therapist.working_days):
                weeks = len(instance.usable_weeks(therapist.id, day))
                want = min(need.required - got, weeks)
                if want <= 0 or day not in setting.open_weekdays:
                    continue
                key = (therapist.id, day, setting.id, grouped, need.session_minutes)
                opened, used = slots.get(key, [0, 0])
                per_slot = weeks * (size if grouped else 1)
                free = opened * per_slot - used
                while free < want:
                    new_visit = setting.id not in settings_on[therapist.id, day]
                    cost = need.session_minutes + (setting.visit_overhead_minutes if new_visit else 0)
                    if minutes_used[therapist.id, day] + cost > therapist.minutes_per_day:
                        break
                    if new_visit and len(settings_on[therapist.id, day]) >= most_settings:
                        break
                    minutes_used[therapist.id, day] += cost
                    settings_on[therapist.id, day].add(setting.id)
                    opened += 1
                    free += per_slot
                take = min(want, free)
                if take > 0:
                    slots[key] = [opened, used + take]
                    allocation.add(need.id, therapist.id, day, take, group=grouped)
                    got += take
            if got:
                break
    return allocation
