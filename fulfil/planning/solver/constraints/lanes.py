"""One-to-one sessions fit in weekly slots: a slot of l minutes in a visit holds one session a
week, so over the term it holds at most `usable weeks` sessions of l-minute lines.

Counting in slots (not loose minutes) is what makes the plan realisable week by week: children
fill a slot in blocks of weeks, one after another (`timetable.realise`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fulfil.planning.solver.variables import LaneKey, PlanVariables


def apply(v: PlanVariables) -> None:
    demand: dict[LaneKey, list] = defaultdict(list)
    for (need_id, therapist_id, day), count in v.one_to_one.items():
        need = v.instance.need_by_id[need_id]
        demand[therapist_id, day, need.setting_id, need.session_minutes].append(count)
    for key, counts in demand.items():
        therapist_id, day, _setting, _length = key
        v.model.add(sum(counts) <= v.usable(therapist_id, day) * v.lanes[key])
