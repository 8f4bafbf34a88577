"""A therapist's day holds their visits: travel and setting-up once per visit plus every weekly
slot, within their clinical minutes for the day.

The second inequality (slots in a visit fit in the day left after that visit's travel) is
implied for whole visits but tightens the LP bound: without it the relaxation could use a
fraction of a visit and pay a fraction of the travel while running a full day of sessions.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fulfil.planning.solver.variables import PlanVariables


def apply(v: PlanVariables) -> None:
    slot_minutes: dict[tuple[str, int, str], list] = defaultdict(list)
    for lanes in (v.lanes, v.group_lanes):
        for (therapist_id, day, setting_id, length), count in lanes.items():
            slot_minutes[therapist_id, day, setting_id].append(length * count)
    day_minutes: dict[tuple[str, int], list] = defaultdict(list)
    for (therapist_id, day, setting_id), visit in v.visit.items():
        therapist = v.instance.therapist_by_id[therapist_id]
        overhead = v.instance.setting_by_id[setting_id].visit_overhead_minutes
        in_visit = sum(slot_minutes[therapist_id, day, setting_id])
        v.model.add(in_visit <= max(0, therapist.minutes_per_day - overhead) * visit)
        day_minutes[therapist_id, day].append(overhead * visit + in_visit)
    for (therapist_id, _day), parts in day_minutes.items():
        v.model.add(sum(parts) <= v.instance.therapist_by_id[therapist_id].minutes_per_day)
