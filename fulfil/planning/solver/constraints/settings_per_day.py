"""A therapist visits at most `max_settings_per_day` settings on one day (by default two: a
morning and an afternoon), because every extra stop costs a journey and a handover."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fulfil.planning.solver.variables import PlanVariables


def apply(v: PlanVariables) -> None:
    per_day: dict[tuple[str, int], list] = defaultdict(list)
    for (therapist_id, day, _setting), visit in v.visit.items():
        per_day[therapist_id, day].append(visit)
    most = v.instance.config.max_settings_per_day
    for visits in per_day.values():
        v.model.add(sum(visits) <= most)
