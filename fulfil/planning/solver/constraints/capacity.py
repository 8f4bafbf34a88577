"""A therapist's day holds their visits: the journey and setting-up once per visit, then the
sessions, within their clinical minutes.

Week by week (`validate.py`): journeys plus session minutes on a day <= minutes per day. In term
totals (the model), per kind of week (see `settings_per_day`): in the weeks a setting is visited
alone, its sessions fit in the day less its journey; in the weeks a pair of settings share the
day, both settings' sessions fit in the day less both journeys, divided between them as the plan
likes. Session minutes at a setting are the one-to-one sessions plus each group meeting once.

A week's session minutes at a visit are a sum of session lengths, so they are a multiple of the
lengths' greatest common divisor (15 for 30/45/60-minute sessions): the room in a week is rounded
down to that multiple. This is exact, not a margin: 265 free minutes hold at most 255 minutes of
15-minute multiples, and without the rounding the term totals (and the LP bound) would count
the 10 minutes that can never be used in every week.
"""

from __future__ import annotations

from collections import defaultdict
from math import gcd

from fulfil.planning.solver.variables import PlanVariables


def apply(v: PlanVariables) -> None:
    at_visit: dict[tuple[str, int, str], list] = defaultdict(list)
    for (need_id, therapist_id, day), count in v.one_to_one.items():
        need = v.instance.need_by_id[need_id]
        at_visit[therapist_id, day, need.setting_id].append(need.session_minutes * count)
    for (therapist_id, day, setting_id, length), meetings in v.meetings.items():
        at_visit[therapist_id, day, setting_id].append(length * meetings)
    split: dict[tuple[str, int, str], list] = defaultdict(list)
    for (therapist_id, day, _first, _second, setting_id), minutes in v.shared_minutes.items():
        split[therapist_id, day, setting_id].append(minutes)
    journey = {s.id: s.visit_overhead_minutes for s in v.instance.settings}
    for key, alone in v.alone_minutes.items():
        therapist_id, _day, setting_id = key
        therapist = v.instance.therapist_by_id[therapist_id]
        room = whole(therapist.minutes_per_day - journey[setting_id], step(v, therapist.discipline, setting_id))
        v.model.add(sum(at_visit[key]) == alone + sum(split[key]))
        v.model.add(alone <= room * v.alone_weeks[key])
    for (therapist_id, day, first, second), weeks in v.shared_weeks.items():
        therapist = v.instance.therapist_by_id[therapist_id]
        unit = gcd(step(v, therapist.discipline, first), step(v, therapist.discipline, second))
        room = whole(therapist.minutes_per_day - journey[first] - journey[second], unit)
        both = v.shared_minutes[therapist_id, day, first, second, first] + v.shared_minutes[therapist_id, day, first, second, second]
        v.model.add(both <= room * weeks)


def step(v: PlanVariables, discipline: str, setting_id: str) -> int:
    """The greatest common divisor of the session lengths of this discipline at this setting."""
    lengths = [n.session_minutes for n in v.needs_at.get((discipline, setting_id), [])]
    unit = 0
    for length in lengths:
        unit = gcd(unit, length)
    return unit or 1


def whole(minutes: int, unit: int) -> int:
    """The most session minutes (multiples of `unit`) that fit in `minutes`."""
    return max(0, minutes // unit * unit)
