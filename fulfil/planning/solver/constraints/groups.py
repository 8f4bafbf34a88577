"""Group sessions: up to `max_group_size` children share one session and the therapist's
minutes are spent once.

Only lines whose plan allows group delivery can be grouped, and only with lines of the same
discipline (same therapist), at the same setting (same visit) and of the same session length
(same slot): a group is one slot of one visit. A line is delivered either one-to-one or in
groups for the whole term (`in_group`), so a child never has two sessions in one visit.

The per-line inequality (a line's group sessions at a visit need a group slot held that many
weeks) is implied by the seat count only when the group is full; stating it keeps the LP bound
from pricing a lone group-allowed child at a quarter of a slot.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fulfil.planning.solver.variables import LaneKey, PlanVariables


def apply(v: PlanVariables) -> None:
    size = v.instance.max_group_size
    seats: dict[LaneKey, list] = defaultdict(list)
    for (need_id, therapist_id, day), count in v.group.items():
        need = v.instance.need_by_id[need_id]
        weeks = v.usable(therapist_id, day)
        grouped = v.in_group[need_id]
        v.model.add(count <= weeks * grouped)
        v.model.add(v.one_to_one[need_id, therapist_id, day] + weeks * grouped <= weeks)
        key = (therapist_id, day, need.setting_id, need.session_minutes)
        v.model.add(count <= weeks * v.group_lanes[key])  # at most one group session a week, in a group slot
        seats[key].append(count)
    for key, counts in seats.items():
        therapist_id, day, _setting, _length = key
        v.model.add(sum(counts) <= size * v.usable(therapist_id, day) * v.group_lanes[key])
