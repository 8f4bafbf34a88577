"""A therapist visits at most `max_settings_per_day` settings on one day: one, or (the default)
two, a morning and an afternoon, because every extra stop costs a journey and a handover.

So each usable week of a weekday is one of: no visit, one setting alone, or a pair of settings.
The model counts the weeks of each kind (`alone_weeks`, `shared_weeks`): they add up to at most
the usable weeks, and a setting's visit weeks are its alone weeks plus its shared weeks. Any such
counts can be laid out in real weeks (give each kind its own run of weeks), so this is exact;
it is also what lets the capacity rule see how a shared day is divided. More than two settings
a day is not supported (`check_instance` refuses it).
"""

from __future__ import annotations

from collections import defaultdict

from fulfil.planning.solver.variables import PlanVariables


def apply(v: PlanVariables) -> None:
    kinds: dict[tuple[str, int], list] = defaultdict(list)
    shared: dict[tuple[str, int, str], list] = defaultdict(list)
    for (therapist_id, day, _setting_id), weeks in v.alone_weeks.items():
        kinds[therapist_id, day].append(weeks)
    for (therapist_id, day, first, second), weeks in v.shared_weeks.items():
        kinds[therapist_id, day].append(weeks)
        shared[therapist_id, day, first].append(weeks)
        shared[therapist_id, day, second].append(weeks)
    for (therapist_id, day), kinds_of_week in kinds.items():
        v.model.add(sum(kinds_of_week) <= v.usable(therapist_id, day))
    for key, visit_weeks in v.visit_weeks.items():
        v.model.add(visit_weeks == v.alone_weeks[key] + sum(shared[key]))
