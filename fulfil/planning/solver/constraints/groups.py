"""Group sessions: up to `max_group_size` children share one session and the therapist's
minutes are spent once.

Only lines whose plan allows group delivery can be grouped, and only with lines of the same
discipline (same therapist), at the same setting (same visit) and with the same session length.
A line is delivered either one-to-one or in groups for the whole term (`in_group`). Each child
is in a given meeting at most once, so a line has at most as many group sessions as there are
meetings, and the meetings seat everyone: seats = max_group_size x meetings.
"""

from __future__ import annotations

from collections import defaultdict

from fulfil.planning.solver.variables import MeetingKey, PlanVariables


def apply(v: PlanVariables) -> None:
    size = v.instance.max_group_size
    seats: dict[MeetingKey, list] = defaultdict(list)
    for (need_id, therapist_id, day), count in v.group.items():
        need = v.instance.need_by_id[need_id]
        weeks = v.usable(therapist_id, day)
        grouped = v.in_group[need_id]
        v.model.add(count <= weeks * grouped)
        v.model.add(v.one_to_one[need_id, therapist_id, day] + weeks * grouped <= weeks)
        key = (therapist_id, day, need.setting_id, need.session_minutes)
        v.model.add(count <= v.meetings[key])
        seats[key].append(count)
    for key, counts in seats.items():
        v.model.add(sum(counts) <= size * v.meetings[key])
